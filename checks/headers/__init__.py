"""HTTP security headers: CSP, framing, MIME sniffing, referrer, permissions, isolation, grade."""

from egov_audit.check import Check

from .clickjacking import clickjacking
from .cross_origin_isolation import cross_origin_isolation
from .csp_base_uri import csp_base_uri
from .csp_frame_ancestors import csp_frame_ancestors
from .csp_insecure_sources import csp_insecure_sources
from .csp_meta import csp_meta
from .csp_missing import csp_missing
from .csp_object_src import csp_object_src
from .csp_report_only import csp_report_only
from .csp_unsafe_eval import csp_unsafe_eval
from .csp_unsafe_inline import csp_unsafe_inline
from .grade import grade
from .hsts_preload_ready import hsts_preload_ready
from .nosniff_missing import nosniff_missing
from .permissions_policy_missing import permissions_policy_missing
from .referrer_policy_missing import referrer_policy_missing
from .referrer_policy_unsafe import referrer_policy_unsafe

CHECKS: tuple[Check, ...] = (
    csp_missing,
    csp_report_only,
    csp_unsafe_inline,
    csp_unsafe_eval,
    csp_insecure_sources,
    csp_object_src,
    csp_base_uri,
    csp_frame_ancestors,
    csp_meta,
    clickjacking,
    nosniff_missing,
    referrer_policy_missing,
    referrer_policy_unsafe,
    permissions_policy_missing,
    cross_origin_isolation,
    hsts_preload_ready,
    grade,
)
