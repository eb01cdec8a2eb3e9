"""Cookies: are session cookies protected in transit, from scripts, across sites and caches?"""

from egov_audit.check import Check

from .broad_domain import broad_domain
from .httponly_missing import httponly_missing
from .prefix_invalid import prefix_invalid
from .samesite import samesite
from .secure_missing import secure_missing
from .session_cacheable import session_cacheable

CHECKS: tuple[Check, ...] = (
    secure_missing,
    httponly_missing,
    samesite,
    prefix_invalid,
    broad_domain,
    session_cacheable,
)
