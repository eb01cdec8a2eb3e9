"""Exposed files and endpoints: version control, configuration, backups, logs,
debug consoles, admin panels, API documentation, listings, source maps.

Almost every check here is a declarative rule in ``rules/<name>.toml`` that
defines the check ``exposure.<name>`` (file name == check name), judged by the
path-rule engine in ``checks/_pathrules/``; ``_pathrules/rule.schema.json`` is
the format. Only checks that need more than "fetch a path and match its
content" are Python modules (``source_map.py``).
"""

from egov_audit.check import Check

from .._pathrules.checks import rule_checks
from .._pathrules.rules import load_rules
from .source_map import source_map

RULES = load_rules(__name__, "exposure")

CHECKS: tuple[Check, ...] = (*rule_checks(RULES), source_map)
