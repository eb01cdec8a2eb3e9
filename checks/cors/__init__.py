"""CORS: may other web sites read this service's responses, with or without the user's login?"""

from egov_audit.check import Check

from .null_origin import null_origin
from .reflected_origin_credentials import reflected_origin_credentials
from .wildcard_sensitive import wildcard_sensitive

CHECKS: tuple[Check, ...] = (
    reflected_origin_credentials,
    null_origin,
    wildcard_sensitive,
)
