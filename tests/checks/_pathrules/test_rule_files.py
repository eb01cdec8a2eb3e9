"""Path rules are data: every file matches rule.schema.json, and a mistake in one
names the file, the line and what was expected."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from egov_audit.checks._pathrules.rules import RuleError, load_rule_folder, load_rules
from egov_audit.checks.exposure import RULES as EXPOSURE_RULES
from egov_audit.checks.integrity import RULES as INTEGRITY_RULES

from egov_audit.datafiles import load_toml
from egov_audit.errors import ExitStatus, InputError
from egov_audit.registry import load_catalogue
from tests.engine.test_registry import install_fake_distribution

FAMILIES = {"exposure": EXPOSURE_RULES, "integrity": INTEGRITY_RULES}

GOOD = '''title = "A test file is published"
severity = "high"
cwe = [538]
description = "A file."
remediation = "Remove it."
references = ["https://example.invalid/doc"]
paths = ["/test.txt"]
technologies = ["php"]

[match]
none = ['(?i)<html']
any = ['^secret-marker$']

[[examples]]
path = "/test.txt"
headers = { "Content-Type" = "text/plain" }
body = "secret-marker"
expect = true

[[examples]]
path = "/test.txt"
body = "<html>secret-marker</html>"
expect = false
'''


def _schema() -> dict[str, object]:
    text = resources.files("egov_audit.checks._pathrules").joinpath("rule.schema.json")
    schema: dict[str, object] = json.loads(text.read_text("utf-8"))
    return schema


def _write(tmp_path: Path, text: str, name: str = "test_file") -> Path:
    (tmp_path / f"{name}.toml").write_text(text)
    return tmp_path


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_shipped_rule_file_matches_the_schema(family: str) -> None:
    # Given every rule file a family ships
    folder = resources.files(f"egov_audit.checks.{family}") / "rules"
    files = sorted(e for e in folder.iterdir() if e.name.endswith(".toml"))
    assert files
    validator = jsonschema.Draft202012Validator(_schema())
    for entry in files:
        # Then each one matches the published schema on its own
        errors = list(validator.iter_errors(load_toml(entry, "path rule").data))
        assert not errors, (entry.name, errors[0].message)
    # And the family loaded one rule per file
    assert [r.name for r in FAMILIES[family]] == [e.name.removesuffix(".toml") for e in files]


def test_the_schema_itself_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_loading_through_the_folder_gives_the_same_rules(family: str) -> None:
    # The family's RULES came through load_rules; the folder loader is the same door
    folder = resources.files(f"egov_audit.checks.{family}") / "rules"
    assert load_rule_folder(folder, family) == load_rules(f"egov_audit.checks.{family}", family)


def test_a_valid_rule_file_loads(tmp_path: Path) -> None:
    (rule,) = load_rule_folder(_write(tmp_path, GOOD), "exposure")
    assert rule.id == "exposure.test_file" and rule.technologies == ("php",)
    assert rule.matcher.any[0].search(b"secret-marker")
    assert [e.expect for e in rule.examples] == [True, False]
    assert rule.examples[0].status == 200 and rule.examples[1].headers == ()


def _swap(old: str, new: str) -> tuple[str, str]:
    assert old in GOOD, old
    return old, new


# (what is wrong, the edit, the line the error must name, words of the message,
#  words of what was expected)
BROKEN = [
    ("wrong type", _swap("cwe = [538]", 'cwe = ["538"]'), 3, "cwe/0", "path rule"),
    ("wrong severity", _swap('severity = "high"', 'severity = "urgent"'), 2, "severity",
     "path rule"),
    ("unknown key", _swap('paths = ["/test.txt"]', 'paths = ["/test.txt"]\nsevrity = "low"'), 8,
     "sevrity", "path rule"),
    ("unknown match key", _swap("[match]\n", "[match]\nanny = ['x']\n"), 11, "anny",
     "path rule"),
    ("missing field", _swap('paths = ["/test.txt"]\n', ""), 1, "'paths' is a required",
     "path rule"),
    ("missing example field", _swap('body = "secret-marker"\nexpect = true\n',
                                    'body = "secret-marker"\n'), 14, "'expect' is a required",
     "path rule"),
    ("relative path", _swap('paths = ["/test.txt"]', 'paths = ["test.txt"]'), 7, "paths/0",
     "path rule"),
    ("bad regex", _swap("any = ['^secret-marker$']", "any = ['^secret-(marker$']"), 12,
     "not a valid regular expression", "a Python regular expression"),
    ("bad regex in none", _swap("none = ['(?i)<html']", "none = ['(?i<html']"), 11,
     "match.none", "a Python regular expression"),
    ("no content evidence", _swap("any = ['^secret-marker$']", "min_bytes = 1"), 10,
     "never evidence", "any, magic, json_keys or all"),
    ("body and body_hex", _swap('body = "secret-marker"',
                                'body = "secret-marker"\nbody_hex = "00"'), 14,
     "both body and body_hex", "body or body_hex"),
    ("unknown technology", _swap('technologies = ["php"]', 'technologies = ["php", "cobol"]'),
     8, "'cobol'", "one of"),
    ("unknown extractor", _swap("[match]\n", '[match]\nextract = "zip_listing"\n'), 11,
     "'zip_listing'", "ds_store"),
    ("bad magic", _swap("any = ['^secret-marker$']", 'magic = ["0g"]'), 12, "magic/0",
     "path rule"),
    ("not TOML", _swap("[match]", "[match"), 10, "not valid TOML", "TOML syntax"),
]


@pytest.mark.parametrize(("edit", "line", "message", "expected"),
                         [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_rule_names_file_line_and_expectation(
        tmp_path: Path, edit: tuple[str, str], line: int, message: str, expected: str) -> None:
    # Given a rule file with one mistake
    folder = _write(tmp_path, GOOD.replace(*edit))
    # When the family's rules are loaded
    with pytest.raises(InputError) as caught:
        load_rule_folder(folder, "exposure")
    # Then the error names the file, the line and what was expected, and is input
    # error (the CLI's exit status 2)
    error = caught.value
    assert error.source == str(folder / "test_file.toml")
    assert error.line == line, str(error)
    assert message in error.message, str(error)
    assert error.expected is not None and expected in error.expected, str(error)
    assert str(error).startswith(f"{folder / 'test_file.toml'}:{line}: ")
    assert error.exit_status is ExitStatus.USAGE


def test_a_file_name_that_is_not_a_check_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as caught:
        load_rule_folder(_write(tmp_path, GOOD, name="Test-File"), "exposure")
    assert caught.value.line == 1 and caught.value.expected == "a snake_case file name"


def test_crawl_dirs_alone_needs_no_paths(tmp_path: Path) -> None:
    # Given a rule that judges only the folders the crawl found
    text = GOOD.replace('paths = ["/test.txt"]', "paths = []\ncrawl_dirs = true")
    (rule,) = load_rule_folder(_write(tmp_path, text), "exposure")
    assert rule.paths == () and rule.crawl_dirs
    # But without crawl_dirs an empty path list is refused at its line
    with pytest.raises(RuleError, match="no paths") as caught:
        load_rule_folder(_write(tmp_path, GOOD.replace('["/test.txt"]', "[]")), "exposure")
    assert caught.value.line == 7


PLUGIN = """
    from egov_audit.checks._pathrules.checks import rule_checks
    from egov_audit.checks._pathrules.rules import load_rules

    CHECKS = rule_checks(load_rules(__name__, "{family}"))
"""


def test_a_plugin_family_with_a_broken_rule_is_reported_with_file_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given two plugin families built on the path-rule engine, one rule file broken
    install_fake_distribution(
        tmp_path, "egov-audit-cityfiles",
        {"cityfiles": PLUGIN.format(family="cityfiles"),
         "cityfiles_broken": PLUGIN.format(family="cityfiles_broken")},
        """
        [egov_audit.checks]
        cityfiles = cityfiles:CHECKS
        cityfiles_broken = cityfiles_broken:CHECKS
        """,
    )
    good, broken = tmp_path / "cityfiles" / "rules", tmp_path / "cityfiles_broken" / "rules"
    good.mkdir()
    broken.mkdir()
    _write(good, GOOD)
    _write(broken, GOOD.replace("cwe = [538]", 'cwe = ["538"]'))
    monkeypatch.syspath_prepend(str(tmp_path))
    # When the catalogue loads
    catalogue = load_catalogue()
    # Then the good family's rule is a check like the built-in ones
    assert "cityfiles.test_file" in catalogue.checks
    # and the broken family is skipped and reported with the rule's file and line
    (problem,) = [p for p in catalogue.problems if p.name == "cityfiles_broken"]
    assert f"{broken / 'test_file.toml'}:3: " in problem.error, problem.error
