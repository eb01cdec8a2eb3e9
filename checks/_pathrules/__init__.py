"""The declarative path-rule engine shared by the exposure and integrity families.

A rule file (``rules/<name>.toml`` inside a family) names the paths to fetch,
what the content must and must not show, and its own positive and negative
examples; :func:`rules.load_rules` reads a family's rules and
:func:`checks.rule_checks` turns each into a registered check. Not a family:
it has no checks of its own.
"""
