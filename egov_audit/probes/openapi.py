"""GET operations of an exposed OpenAPI (3.x) or Swagger (2.0) document, as URLs.

An API description published next to the API is a map of every endpoint,
including the ones no page links to. Only GET operations are read (the
scanner only observes); path and query parameters are filled with harmless
examples the document itself gives (``example``, ``default``, the first
``enum`` value), else with a type default (``1``, ``true``). Optional query
parameters without an example are left out. JSON documents only, up to
``MAX_DOCUMENT_BYTES``; at most ``MAX_OPERATIONS`` URLs per document.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode, urljoin

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_OPERATIONS = 50
# Where frameworks publish their description by default (springdoc, springfox,
# swagger-ui, FastAPI, NestJS): asked once each, only when no page linked one.
WELL_KNOWN = ("/openapi.json", "/swagger.json", "/v2/api-docs", "/v3/api-docs", "/api-docs")
_TYPE_DEFAULTS = {"integer": "1", "number": "1", "boolean": "true", "string": "1"}


def is_description(url: str) -> bool:
    """Whether a linked URL names an API description by its usual file name."""
    path = url.split("?", 1)[0].rstrip("/").lower()
    return path.endswith(("/swagger.json", "/openapi.json", "/api-docs", "/api-docs.json"))


def parse(body: bytes) -> dict[str, Any] | None:
    """The document if ``body`` is a JSON OpenAPI or Swagger description."""
    if len(body) > MAX_DOCUMENT_BYTES or body.lstrip()[:1] != b"{":
        return None
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or not ("openapi" in doc or "swagger" in doc):
        return None
    return doc if isinstance(doc.get("paths"), dict) else None


def _base(doc: dict[str, Any], doc_url: str) -> str:
    """Where the paths are rooted: ``servers[0].url`` (3.x) or ``basePath`` (2.0)."""
    servers = doc.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = servers[0].get("url")
        if isinstance(url, str) and "{" not in url:
            return urljoin(doc_url, url)
    base_path = doc.get("basePath")
    if isinstance(base_path, str) and base_path.startswith("/"):
        return urljoin(doc_url, base_path)
    return urljoin(doc_url, "/")


def _deref(doc: dict[str, Any], item: Any) -> Any:
    """A local ``$ref`` (``#/components/parameters/x``, ``#/parameters/x``), one level."""
    if isinstance(item, dict) and isinstance(item.get("$ref"), str):
        ref = item["$ref"]
        if not ref.startswith("#/"):
            return None
        node: Any = doc
        for part in ref[2:].split("/")[:4]:
            node = node.get(part) if isinstance(node, dict) else None
        return node
    return item


def example(param: dict[str, Any]) -> str | None:
    """A harmless value for ``param``: the document's own example first."""
    raw = param.get("schema")
    schema: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for source in (param, schema):
        for key in ("example", "default"):
            value = source.get(key)
            if isinstance(value, str | int | float | bool) and len(str(value)) <= 100:
                return str(value).lower() if isinstance(value, bool) else str(value)
        enum = source.get("enum")
        if isinstance(enum, list) and enum and isinstance(enum[0], str | int | float):
            return str(enum[0])
    kind = schema.get("type") or param.get("type")
    return _TYPE_DEFAULTS.get(kind) if isinstance(kind, str) else "1"


def get_urls(doc: dict[str, Any], doc_url: str) -> tuple[list[str], bool]:
    """URLs of the document's GET operations, and whether ``MAX_OPERATIONS`` cut them."""
    base = _base(doc, doc_url).rstrip("/")
    out: list[str] = []
    for path, item in doc["paths"].items():
        if not isinstance(path, str) or not path.startswith("/") or not isinstance(item, dict):
            continue
        operation = item.get("get")
        if not isinstance(operation, dict):
            continue
        if len(out) >= MAX_OPERATIONS:
            return out, True
        params = [_deref(doc, p) for p in (*_list(item.get("parameters")),
                                           *_list(operation.get("parameters")))]
        url = _fill(base + path, [p for p in params if isinstance(p, dict)])
        if url is not None:
            out.append(url)
    return out, False


def _list(value: Any) -> list[Any]:
    return value[:50] if isinstance(value, list) else []


def _fill(url: str, params: list[dict[str, Any]]) -> str | None:
    query: list[tuple[str, str]] = []
    for param in params:
        name, where = param.get("name"), param.get("in")
        if not isinstance(name, str) or not name:
            continue
        value = example(param)
        if where == "path":
            url = url.replace("{" + name + "}", quote(value or "1", safe=""))
        elif where == "query" and value is not None and (
                param.get("required") or "example" in param or "default" in param
                or "example" in (param.get("schema") or {})):
            query.append((name, value))
    if "{" in url:  # a path parameter the document did not describe
        url = _fill_holes(url)
    return url + ("?" + urlencode(query) if query else "")


def _fill_holes(url: str) -> str:
    out: list[str] = []
    i = 0
    while True:
        open_at = url.find("{", i)
        close_at = url.find("}", open_at) if open_at >= 0 else -1
        if open_at < 0 or close_at < 0:
            out.append(url[i:])
            return "".join(out)
        out.append(url[i:open_at] + "1")
        i = close_at + 1
