"""Content-Security-Policy parsing and judgement (CSP Level 3).

The parser follows the browser algorithm ("parse a serialized CSP", CSP3
§2.2.1) rather than a strict grammar, because what matters is what a browser
enforces, not whether the header is pretty:

* a header value may hold several policies separated by commas, and a response
  may carry several headers; every enforced policy applies (a resource must
  pass all of them);
* directives are split on ``;``, names are ASCII case-insensitive, and the
  *first* occurrence of a directive wins (later duplicates are ignored);
* tokens are split on ASCII whitespace; keyword sources are case-insensitive;
* garbage (empty directives, names with odd characters) is skipped, never fatal.

The judgement helpers answer "does every enforced policy allow X?": because a
script runs only if *all* policies allow it, one strict policy is enough.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

_WS = re.compile(r"[\t\n\f\r ]+")
_NAME = re.compile(r"[a-z0-9-]+")

# Fallback lists (CSP3 §6.8.3 "Get the effective directive", simplified to the
# directives this module judges).
FALLBACKS: Mapping[str, tuple[str, ...]] = {
    "script-src-elem": ("script-src-elem", "script-src", "default-src"),
    "script-src-attr": ("script-src-attr", "script-src", "default-src"),
    "script-src": ("script-src", "default-src"),
    "style-src": ("style-src", "default-src"),
    "object-src": ("object-src", "default-src"),
    "img-src": ("img-src", "default-src"),
    "frame-src": ("frame-src", "child-src", "default-src"),
}

# Ignored when the policy arrives in <meta http-equiv> (CSP3 §3.3).
META_IGNORED = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})

# Schemes and host sources that let an attacker bring their own script.
_INSECURE_SCHEMES = frozenset({"http:", "https:", "data:", "blob:", "filesystem:", "ws:", "wss:"})


@dataclass(frozen=True)
class Policy:
    """One serialized policy; ``directives`` maps lower-case name → tokens."""

    raw: str
    source: str  # "header", "report-only" or "meta"
    directives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.directives

    def effective(self, name: str) -> tuple[str, ...] | None:
        """The source list that governs ``name`` after fallbacks; None = unrestricted."""
        for candidate in FALLBACKS.get(name, (name,)):
            if candidate in self.directives:
                return self.directives[candidate]
        return None


def parse_policy(text: str, source: str = "header") -> Policy:
    """Parse one serialized policy (no commas) the way a browser does."""
    directives: dict[str, tuple[str, ...]] = {}
    for part in text.split(";"):
        tokens = [t for t in _WS.split(part) if t]
        if not tokens:
            continue
        name = tokens[0].lower()
        if not _NAME.fullmatch(name):
            continue  # not a directive name a browser would recognise
        if name in directives:
            continue  # first occurrence wins (CSP3 §2.2.1 step 2.4)
        if source == "meta" and name in META_IGNORED:
            continue
        directives[name] = tuple(tokens[1:])
    return Policy(raw=text.strip(), source=source, directives=directives)


def parse_header(values: Iterable[str], source: str = "header") -> list[Policy]:
    """Every policy in a list of header values (each may hold several, comma-separated)."""
    policies = []
    for value in values:
        for chunk in value.split(","):
            policy = parse_policy(chunk, source)
            if policy.directives:
                policies.append(policy)
    return policies


def _lower(tokens: Iterable[str]) -> set[str]:
    return {t.lower() for t in tokens}


def is_keyword(token: str, keyword: str) -> bool:
    return token.lower() == f"'{keyword}'"


def has_nonce_or_hash(tokens: Iterable[str]) -> bool:
    return any(re.fullmatch(r"'(nonce-|sha256-|sha384-|sha512-).+'", t, re.I) for t in tokens)


def allows_inline_script(policy: Policy) -> bool:
    """CSP3 "Does a source list allow all inline behavior?" for script elements."""
    tokens = policy.effective("script-src-elem")
    if tokens is None:
        return True
    lowered = _lower(tokens)
    if "'unsafe-inline'" not in lowered:
        return False
    # Browsers ignore 'unsafe-inline' next to a nonce, a hash or 'strict-dynamic'
    # (sites send it on purpose as a fallback for CSP1 browsers).
    return not (has_nonce_or_hash(tokens) or "'strict-dynamic'" in lowered)


def allows_eval(policy: Policy) -> bool:
    tokens = policy.effective("script-src")
    return tokens is None or "'unsafe-eval'" in _lower(tokens)


def insecure_script_sources(policy: Policy) -> list[str]:
    """Script sources that let anyone (or anyone on the network) supply code.

    With 'strict-dynamic' CSP3 browsers ignore host and scheme sources, so
    they are not reported then.
    """
    tokens = policy.effective("script-src-elem")
    if tokens is None:
        return []
    lowered = _lower(tokens)
    if "'strict-dynamic'" in lowered and has_nonce_or_hash(tokens):
        return []
    bad = []
    for token in tokens:
        low = token.lower()
        if low == "*" or low in _INSECURE_SCHEMES or low.startswith("http://"):
            bad.append(token)
    return bad


def object_src_none(policy: Policy) -> bool:
    tokens = policy.effective("object-src")
    if tokens is None:
        return False
    lowered = _lower(tokens)
    # An empty list matches nothing, like 'none'; 'none' next to sources is ignored.
    return not lowered or lowered == {"'none'"}


def is_unsafe_keyword(policy: Policy, keyword: str) -> bool:
    """Does the script policy contain ``keyword`` explicitly (not merely lack a directive)?"""
    tokens = policy.effective("script-src-elem" if keyword == "unsafe-inline" else "script-src")
    return tokens is not None and f"'{keyword}'" in _lower(tokens)


def restricts_scripts(policy: Policy) -> bool:
    return policy.effective("script-src-elem") is not None


def all_policies(policies: Iterable[Policy], predicate: Callable[[Policy], bool]) -> bool:
    """True when every policy satisfies ``predicate`` (and there is at least one)."""
    items = list(policies)
    return bool(items) and all(predicate(p) for p in items)
