"""Which technologies a host shows: server, language, framework, CMS.

The path sweep asks only for the technology-specific paths of technologies
the host actually shows (``/storage/logs/laravel.log`` only where Laravel is
seen), so a hardened host is not hammered with hundreds of irrelevant
guesses; generic paths (``/.git/HEAD``, ``/.env``) are always asked for.

Signals come from answers the run already has: the entry page, crawled pages
and the host's not-found answers (error pages name their server). Headers and
cookie names are read whole; bodies only in their first 256 KiB, with plain
alternations that cannot backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .http import HttpResponse

BODY_BYTES = 256 * 1024

# A technology implies the ones it runs on, so a rule for "php" runs on a
# Laravel site even when no header says PHP.
IMPLIES: dict[str, tuple[str, ...]] = {
    "laravel": ("php",), "symfony": ("php",), "codeigniter": ("php",),
    "wordpress": ("php",), "joomla": ("php",), "drupal": ("php",),
    "spring": ("java",), "tomcat": ("java",),
    "django": ("python",), "flask": ("python",),
}
KNOWN = frozenset({*IMPLIES, *(t for ts in IMPLIES.values() for t in ts),
                   "apache", "nginx", "iis", "aspnet", "express"})

_HEADER_SIGNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("server", "nginx", re.compile(r"\b(?:nginx|openresty|tengine)\b", re.I)),
    ("server", "apache", re.compile(r"\bapache\b(?!-coyote)", re.I)),
    ("server", "tomcat", re.compile(r"\bapache-coyote\b|\btomcat\b", re.I)),
    ("server", "iis", re.compile(r"\bmicrosoft-iis\b", re.I)),
    ("server", "python", re.compile(r"\b(?:werkzeug|gunicorn|uvicorn|wsgiserver)\b", re.I)),
    ("x-powered-by", "php", re.compile(r"\bphp\b", re.I)),
    ("x-powered-by", "aspnet", re.compile(r"\basp\.net\b", re.I)),
    ("x-powered-by", "express", re.compile(r"\bexpress\b", re.I)),
    ("x-powered-by", "java", re.compile(r"\b(?:servlet|jsp|jboss|wildfly)\b", re.I)),
    ("x-aspnet-version", "aspnet", re.compile(r".")),
    ("x-aspnetmvc-version", "aspnet", re.compile(r".")),
    ("x-generator", "drupal", re.compile(r"\bdrupal\b", re.I)),
    ("x-drupal-cache", "drupal", re.compile(r".")),
    ("x-pingback", "wordpress", re.compile(r"xmlrpc\.php", re.I)),
    ("link", "wordpress", re.compile(r"api\.w\.org", re.I)),
)

# Cookie names, compared whole (lower case) or by prefix.
_COOKIES: tuple[tuple[str, str], ...] = (
    ("laravel_session", "laravel"), ("xsrf-token", "laravel"), ("phpsessid", "php"),
    ("jsessionid", "java"), ("asp.net_sessionid", "aspnet"), (".aspxauth", "aspnet"),
    ("ci_session", "codeigniter"), ("wordpress_", "wordpress"), ("wp-settings", "wordpress"),
    ("connect.sid", "express"), ("csrftoken", "django"), ("symfony", "symfony"),
)

_BODY_SIGNS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("wordpress", re.compile(rb"/wp-(?:content|includes)/|content=\"wordpress", re.I)),
    ("joomla", re.compile(rb"content=\"joomla|/media/jui/|/media/system/js/", re.I)),
    ("drupal", re.compile(rb"content=\"drupal|/sites/default/files/|drupal-settings-json",
                          re.I)),
    ("laravel", re.compile(rb"laravel|illuminate\\", re.I)),
    ("symfony", re.compile(rb"sf-toolbar|symfony", re.I)),
    ("codeigniter", re.compile(rb"codeigniter", re.I)),
    ("spring", re.compile(rb"whitelabel error page", re.I)),
    ("tomcat", re.compile(rb"apache tomcat/", re.I)),
    ("aspnet", re.compile(rb"__viewstate|\.aspx\b", re.I)),
    ("flask", re.compile(rb"werkzeug", re.I)),
    ("django", re.compile(rb"csrfmiddlewaretoken", re.I)),
    ("php", re.compile(rb"\.php\b", re.I)),
    ("java", re.compile(rb"\.jsp\b|\.do\?", re.I)),
    ("nginx", re.compile(rb"<center>nginx", re.I)),
    ("apache", re.compile(rb"<address>apache/", re.I)),
    ("iis", re.compile(rb"microsoft-iis|iis windows server", re.I)),
)


def _cookie_names(resp: HttpResponse) -> Iterable[str]:
    for value in resp.headers_all("Set-Cookie"):
        yield value.split("=", 1)[0].strip().lower()


def detect(responses: Iterable[HttpResponse]) -> frozenset[str]:
    """The technologies the answers show, with what they imply."""
    found: set[str] = set()
    for resp in responses:
        if not resp.ok:
            continue
        for hop_headers in (*(h.headers for h in resp.redirects), resp.headers):
            for name, value in hop_headers:
                lname = name.lower()
                for header, tech, pattern in _HEADER_SIGNS:
                    if lname == header and pattern.search(value[:512]):
                        found.add(tech)
        for cookie in _cookie_names(resp):
            found.update(tech for prefix, tech in _COOKIES if cookie.startswith(prefix))
        body = resp.body[:BODY_BYTES]
        found.update(tech for tech, pattern in _BODY_SIGNS if pattern.search(body))
    return with_implied(found)


def with_implied(technologies: Iterable[str]) -> frozenset[str]:
    out = set(technologies)
    for tech in list(out):
        out.update(IMPLIES.get(tech, ()))
    return frozenset(out)
