"""HTTPS transport: is the service only reachable over HTTPS, and does it say so (HSTS)?"""

from egov_audit.check import Check

from .hsts_missing import hsts_missing
from .hsts_no_include_subdomains import hsts_no_include_subdomains
from .hsts_over_http_only import hsts_over_http_only
from .hsts_short_max_age import hsts_short_max_age
from .plain_http_served import plain_http_served
from .redirect_off_host import redirect_off_host
from .redirect_via_http import redirect_via_http
from .unavailable import unavailable

CHECKS: tuple[Check, ...] = (
    unavailable,
    plain_http_served,
    redirect_via_http,
    redirect_off_host,
    hsts_missing,
    hsts_short_max_age,
    hsts_no_include_subdomains,
    hsts_over_http_only,
)
