"""Parsing what the user names as targets: URLs, host names, IPs, ``@file`` lists."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .errors import InputError
from .model import Service, Target

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_EXPECTED = "a URL (https://host[:port]/path), a host name or an IP address"


def _valid_hostname(host: str) -> bool:
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return len(ascii_host) <= 253 and all(_LABEL.match(label) for label in labels)


def _host_for_url(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def parse_target(
    spec: str,
    service: Service | None = None,
    *,
    source: str | None = None,
    line: int | None = None,
) -> Target:
    """Resolve one target spec; errors name the source file and line when given."""
    text = spec.strip()

    def fail(message: str, expected: str = _EXPECTED) -> InputError:
        return InputError(
            f"invalid target {text!r}: {message}", source=source, line=line, expected=expected
        )

    if not text:
        raise fail("empty")
    service = service or Service()
    if "://" in text:
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError as exc:
            raise fail(str(exc)) from None
        if parts.scheme not in ("http", "https"):
            raise fail(f"scheme {parts.scheme!r} is not audited", "http:// or https://")
        if parts.username or parts.password:
            raise fail("credentials in a target URL would end up in reports", "no user:pass@")
        host = parts.hostname or ""
        if not host:
            raise fail("no host")
        _check_host(host, fail)
        path = parts.path or "/"
        netloc_host = _host_for_url(host)
        url = urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))
        if parts.scheme == "https":
            https_url: str | None = url
            http_url = f"http://{netloc_host}{path}" if port in (None, 443) else None
        else:
            http_url = url
            https_url = f"https://{netloc_host}{path}" if port in (None, 80) else None
        return Target(text, host.lower(), http_url, https_url, service)

    if "/" in text:
        raise fail("a path needs a scheme")
    host = text
    if host.startswith("["):
        raise fail("a bracketed IPv6 address needs a scheme and port, e.g. https://[::1]:8443/")
    if host.count(":") == 1:
        raise fail("give a URL with a scheme when naming a port", "e.g. https://host:8443/")
    _check_host(host, fail)
    netloc_host = _host_for_url(host)
    return Target(
        text, host.lower(), f"http://{netloc_host}/", f"https://{netloc_host}/", service
    )


def _check_host(host: str, fail: Callable[[str], InputError]) -> None:
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    if not _valid_hostname(host):
        raise fail("not a valid host name")


def read_target_file(path: str | Path) -> list[Target]:
    """One target per line; blank lines and ``#`` comments are ignored."""
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("target file not found", source=p) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read target file: {exc}", source=p) from None
    targets = []
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            targets.append(parse_target(line, source=str(p), line=number))
    return targets


def expand_targets(specs: Iterable[str]) -> list[Target]:
    """Command-line target arguments, with ``@file`` expanded; duplicates dropped."""
    seen: dict[str, Target] = {}
    for spec in specs:
        found = read_target_file(spec[1:]) if spec.startswith("@") else [parse_target(spec)]
        for target in found:
            seen.setdefault(target.spec, target)
    return list(seen.values())
