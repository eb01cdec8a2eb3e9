"""Secret rules are data: every file is validated, and a mistake names its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from egov_audit.checks.secrets._patterns import load

from egov_audit.errors import InputError

GOOD = '''title = "A test token is published"
severity = "high"
cwe = [798]
description = "A token."
remediation = "Revoke it."
references = ["https://example.invalid/doc"]
pattern = '\\btok_(?P<secret>[A-Za-z0-9]{24})\\b'

[[examples]]
text = "tok_9fQ2xLm4Rt7Vb1Nc8Zd3Kw6H"
expect = true

[[examples]]
text = "tok_example"
expect = false
'''


def _rules(tmp_path: Path, text: str) -> Path:
    (tmp_path / "test_token.toml").write_text(text)
    return tmp_path


def test_every_built_in_rule_matches_the_schema() -> None:
    rules = load()
    assert len(rules) >= 10
    assert all(r.examples for r in rules)


def test_a_valid_rule_file_loads(tmp_path: Path) -> None:
    (rule,) = load(_rules(tmp_path, GOOD))
    assert rule.name == "test_token" and rule.pattern.search("x tok_9fQ2xLm4Rt7Vb1Nc8Zd3Kw6H")


@pytest.mark.parametrize(("change", "line", "message"), [
    (('severity = "high"', 'severity = "urgent"'), 2, "severity"),
    (('cwe = [798]', 'cwe = ["798"]'), 3, "cwe"),
    (("[[examples]]\ntext", "[[examples]]\nexpect_it = true\ntext"), 10, "expect_it"),
    (("pattern = '", "pattern = '(?P<secret>[a-z]"), 7, "not a valid regular expression"),
    (('cwe = [798]', 'cwe = [798]\nvalidate = "luhn"'), 4, "unknown validator 'luhn'"),
    (('title = "A', 'title = A'), 1, "not valid TOML"),
])
def test_a_broken_rule_names_file_and_line(
        tmp_path: Path, change: tuple[str, str], line: int, message: str) -> None:
    folder = _rules(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(InputError) as caught:
        load(folder)
    error = caught.value
    assert error.source is not None and error.source.endswith("test_token.toml")
    assert error.line == line, str(error)
    assert message in str(error)
