"""Error disclosure on benign requests: stack traces, SQL errors, debug pages,
absolute paths. Signatures are data in ``data/signatures.toml``."""

from egov_audit.check import Check

from .debug_page import debug_page
from .path_disclosure import path_disclosure
from .sql_error import sql_error
from .stack_trace import stack_trace

CHECKS: tuple[Check, ...] = (stack_trace, sql_error, debug_page, path_disclosure)
