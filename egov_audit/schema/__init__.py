"""JSON Schemas of egov-audit's public artifacts (loaded with importlib.resources)."""
