"""The per-origin header grade: a score like the MDN HTTP Observatory's.

Start at 100 and add one modifier per test; bonuses count only when the
penalty-only score is at least 90 (Observatory: MINIMUM_SCORE_FOR_EXTRA_CREDIT).
The score is floored to a multiple of 5 and mapped to the Observatory's bands.
docs/headers.md lists every modifier next to the Observatory's and explains
where this grade deliberately differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from egov_audit.probes.cors import Cors
from egov_audit.probes.http import HttpResponse
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.banners import banners, has_version
from .._web.cookies import is_session_like, site_cookies
from .._web.cors import allow_origin, allows_credentials
from .._web.hsts import https_hsts
from .._web.markup import is_third_party, markup
from .._web.page import enforced_policies, report_only_policies
from ._framing import frame_ancestors, frame_ancestors_open, xfo_value
from ._referrer import KNOWN as REFERRER_KNOWN
from ._referrer import LEAKING, PRIVATE, effective_policy

BONUS_THRESHOLD = 90
SIX_MONTHS = 15_768_000

BANDS = ((100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
         (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"))


@dataclass(frozen=True)
class Modifier:
    test: str
    result: str
    score: int


def grade_for(score: int) -> str:
    floored = score - score % 5 if score >= 0 else 0
    return next((g for floor, g in BANDS if floored >= floor), "F")


def csp(resp: HttpResponse) -> Modifier:
    policies = enforced_policies(resp)
    if not policies:
        if report_only_policies(resp):
            return Modifier("csp", "report-only only", -25)
        return Modifier("csp", "not implemented", -25)
    if not any(_csp.restricts_scripts(p) for p in policies) or _csp.all_policies(
        policies, lambda p: bool(_csp.insecure_script_sources(p)) or not _csp.restricts_scripts(p)
    ):
        return Modifier("csp", "scripts from insecure or any source", -20)
    if _csp.all_policies(policies, _csp.allows_inline_script):
        return Modifier("csp", "unsafe-inline in script-src", -20)
    if _csp.all_policies(policies, _csp.allows_eval):
        return Modifier("csp", "unsafe-eval in script-src", -10)
    if any(p.directives.get("default-src") == ("'none'",) for p in policies):
        return Modifier("csp", "no unsafe sources, default-src 'none'", 10)
    return Modifier("csp", "no unsafe sources", 5)


def cookies(site: Site, host: str, hsts: bool) -> Modifier:
    found = site_cookies(site, host)
    if not found:
        return Modifier("cookies", "none set", 0)
    worst = Modifier("cookies", "Secure, HttpOnly (session) and SameSite", 5)
    for c in found:
        session = is_session_like(c.name)
        candidates = []
        if not c.secure and session:
            candidates.append(Modifier("cookies", f"session cookie {c.name} without Secure"
                                       + (" (HSTS)" if hsts else ""), -10 if hsts else -40))
        elif not c.secure:
            candidates.append(Modifier("cookies", f"{c.name} without Secure"
                                       + (" (HSTS)" if hsts else ""), -5 if hsts else -20))
        if session and not c.httponly:
            candidates.append(Modifier("cookies", f"session cookie {c.name} without HttpOnly",
                                       -30))
        if c.samesite is not None and c.samesite.strip().lower() not in ("strict", "lax", "none"):
            candidates.append(Modifier("cookies", f"{c.name} with invalid SameSite", -20))
        if c.samesite is None and worst.score > 0:
            candidates.append(Modifier("cookies", "Secure and HttpOnly, SameSite missing", 0))
        for m in candidates:
            if m.score < worst.score:
                worst = m
    return worst


def cors_mod(cors: Cors | None) -> Modifier:
    if cors is None:
        return Modifier("cors", "not probed", 0)
    for ex in cors.exchanges:
        if allow_origin(ex.foreign) == cors.foreign_origin and allows_credentials(ex.foreign):
            return Modifier("cors", "any origin reflected with credentials", -50)
        if allow_origin(ex.null) == "null":
            return Modifier("cors", "origin null accepted", -20)
    return Modifier("cors", "not implemented, public or restricted", 0)


def redirection(site: Site) -> Modifier:
    http = site.http
    if site.https_ok is None:
        return Modifier("redirection", "no HTTPS", -20)
    if http is None or not http.ok:
        return Modifier("redirection", "no HTTP listener", 0)
    final = urlsplit(http.final_url).scheme
    if not http.redirects and not http.left_scope:
        return Modifier("redirection", "HTTP serves content, no redirect", -20)
    first = http.redirects[0].location if http.redirects else http.left_scope
    if final != "https" and not http.left_scope:
        return Modifier("redirection", "does not end on HTTPS", -20)
    if urlsplit(first or "").scheme != "https":
        return Modifier("redirection", "first redirect is not to HTTPS", -10)
    return Modifier("redirection", "to HTTPS", 0)


def referrer(resp: HttpResponse) -> Modifier:
    policy, _ = effective_policy(resp)
    if policy is None:
        if resp.headers_all("Referrer-Policy"):
            return Modifier("referrer-policy", "invalid", -5)
        return Modifier("referrer-policy", "not implemented", 0)
    if policy in LEAKING:
        return Modifier("referrer-policy", f"unsafe ({policy})", -5)
    if policy in PRIVATE:
        return Modifier("referrer-policy", f"private ({policy})", 5)
    assert policy in REFERRER_KNOWN
    return Modifier("referrer-policy", policy, 0)


def hsts(site: Site, host: str) -> Modifier:
    https = site.https_ok
    if https is None:
        return Modifier("hsts", "no HTTPS", -20)
    policy = https_hsts(https, host)
    if policy is None:
        return Modifier("hsts", "not implemented", -20)
    if policy.max_age is None:
        return Modifier("hsts", "invalid (no max-age)", -20)
    if policy.max_age < SIX_MONTHS:
        return Modifier("hsts", "max-age under six months", -10)
    if policy.preload and policy.include_subdomains and policy.max_age >= 31_536_000:
        return Modifier("hsts", "preload-ready", 5)
    return Modifier("hsts", "at least six months", 0)


def sri(resp: HttpResponse) -> Modifier:
    scripts = [r for r in markup(resp).resources if r.tag == "script"]
    external = [r for r in scripts if is_third_party(r.url, resp.final_url)]
    if not external:
        return Modifier("sri", "no external scripts", 0)
    missing = [r for r in external if not (r.integrity or "").strip()]
    insecure = [r for r in external if urlsplit(r.url).scheme == "http"]
    if missing and insecure:
        return Modifier("sri", "external scripts over HTTP without SRI", -50)
    if insecure:
        return Modifier("sri", "SRI, but external scripts over HTTP", -20)
    if missing:
        return Modifier("sri", "external scripts without SRI", -5)
    return Modifier("sri", "all external scripts with SRI", 5)


def nosniff(resp: HttpResponse) -> Modifier:
    value = (resp.header("X-Content-Type-Options") or "").split(",")[0].strip().lower()
    return Modifier("x-content-type-options", "nosniff" if value == "nosniff" else
                    "missing or invalid", 0 if value == "nosniff" else -5)


def framing(resp: HttpResponse) -> Modifier:
    policies = frame_ancestors(resp)
    if policies and not all(frame_ancestors_open(p) for p in policies):
        return Modifier("framing", "CSP frame-ancestors", 5)
    if not policies and xfo_value(resp):
        return Modifier("framing", f"X-Frame-Options {xfo_value(resp)}", 5)
    return Modifier("framing", "missing or invalid", -20)


def corp(resp: HttpResponse) -> Modifier:
    value = (resp.header("Cross-Origin-Resource-Policy") or "").strip().lower()
    if value in ("same-origin", "same-site"):
        return Modifier("corp", value, 10)
    if value in ("", "cross-origin"):
        return Modifier("corp", value or "not implemented", 0)
    return Modifier("corp", "invalid", -5)


def disclosure(site: Site, host: str) -> Modifier:
    # Not in the Observatory: BSSN K72 asks for it, so it costs a little here.
    for header in ("Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version",
                   "X-Generator"):
        for _, value in banners(site, host, header):
            if header != "Server" or has_version(value):
                return Modifier("disclosure", f"{header} reveals the platform", -5)
    return Modifier("disclosure", "no versions in headers", 0)


def score(
    site: Site, resp: HttpResponse, host: str, cors: Cors | None
) -> tuple[int, list[Modifier]]:
    has_hsts = site.https_ok is not None and https_hsts(site.https_ok, host) is not None
    mods = [csp(resp), cookies(site, host, has_hsts), cors_mod(cors), redirection(site),
            referrer(resp), hsts(site, host), sri(resp), nosniff(resp), framing(resp),
            corp(resp), disclosure(site, host)]
    penalties = 100 + sum(m.score for m in mods if m.score < 0)
    total = penalties + (sum(m.score for m in mods if m.score > 0)
                         if penalties >= BONUS_THRESHOLD else 0)
    return max(total, 0), mods
