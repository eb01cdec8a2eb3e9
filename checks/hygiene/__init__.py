"""Web hygiene: methods, security.txt, third-party code (SRI, trackers) and mixed content."""

from egov_audit.check import Check

from .http_methods import http_methods
from .mixed_content import mixed_content
from .security_txt_expired import security_txt_expired
from .security_txt_missing import security_txt_missing
from .security_txt_no_contact import security_txt_no_contact
from .security_txt_not_https import security_txt_not_https
from .sri_missing import sri_missing
from .third_party_trackers import third_party_trackers

CHECKS: tuple[Check, ...] = (
    http_methods,
    security_txt_missing,
    security_txt_expired,
    security_txt_no_contact,
    security_txt_not_https,
    sri_missing,
    mixed_content,
    third_party_trackers,
)
