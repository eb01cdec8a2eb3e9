"""Personal data (UU PDP): identifiers exposed in pages, APIs and documents, and how
pages that collect personal data treat it (transport, URLs, caching, trackers, notice)."""

from egov_audit.check import Check

from .bulk_exposure import bulk_exposure
from .cacheable_response import cacheable_response
from .document_metadata import document_metadata
from .form_plain_http import form_plain_http
from .identifier_in_url import identifier_in_url
from .identifiers_exposed import identifiers_exposed
from .partially_masked import partially_masked
from .privacy_notice_missing import privacy_notice_missing
from .specific_data_exposed import specific_data_exposed
from .tracker_on_form import tracker_on_form

CHECKS: tuple[Check, ...] = (
    bulk_exposure,
    specific_data_exposed,
    identifiers_exposed,
    partially_masked,
    document_metadata,
    form_plain_http,
    identifier_in_url,
    cacheable_response,
    tracker_on_form,
    privacy_notice_missing,
)
