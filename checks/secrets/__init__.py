"""Secrets in published content: keys, tokens and passwords in pages, scripts,
source maps, documents and exposed files.

Each pattern is data in ``rules/<name>.toml`` defining ``secrets.<name>``
(file name == check name); ``_patterns.py`` documents the schema and the
placeholder/entropy filters. The value found is always masked in findings.
"""

from egov_audit.check import Check

from ._checks import make_check
from ._patterns import load

RULES = load()

CHECKS: tuple[Check, ...] = tuple(make_check(r) for r in RULES)
