"""Target parsing and the configuration file: clear errors naming file, line, expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov_audit.config import load_config
from egov_audit.errors import InputError
from egov_audit.model import Severity
from egov_audit.targets import expand_targets, parse_target


@pytest.mark.parametrize(
    ("spec", "http", "https"),
    [
        ("portal.example.go.id", "http://portal.example.go.id/", "https://portal.example.go.id/"),
        ("https://a.example.go.id/app", "http://a.example.go.id/app", "https://a.example.go.id/app"),
        ("https://a.example.go.id:8443/", None, "https://a.example.go.id:8443/"),
        ("http://127.0.0.1:8080/x?y=1", "http://127.0.0.1:8080/x?y=1", None),
        ("https://[::1]:8443/", None, "https://[::1]:8443/"),
        ("::1", "http://[::1]/", "https://[::1]/"),
        ("127.1.2.3", "http://127.1.2.3/", "https://127.1.2.3/"),  # a bare IPv4 address
    ],
)
def test_target_forms(spec: str, http: str | None, https: str | None) -> None:
    target = parse_target(spec)
    assert (target.http_url, target.https_url) == (http, https)
    assert target.spec == spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("ftp://example.go.id/", "scheme 'ftp' is not audited"),
        ("https://user:pw@example.go.id/", "credentials"),
        ("exa mple.go.id", "not a valid host name"),
        ("example.go.id:8443", "give a URL with a scheme"),
        ("https://example.go.id:99999/", "Port out of range"),
        ("", "empty"),
    ],
)
def test_bad_targets_say_what_was_expected(spec: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_target(spec)
    assert message in str(err.value)
    assert err.value.expected


def test_target_file_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text("# inventory\nportal.example.go.id\n\nhttps://ok.example.go.id/\nbad host\n")
    with pytest.raises(InputError) as err:
        expand_targets([f"@{path}"])
    assert str(err.value).startswith(f"{path}:5: invalid target 'bad host'")


def test_target_file_comments_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text("a.example.go.id  # main portal\na.example.go.id\nb.example.go.id\n")
    assert [t.spec for t in expand_targets([f"@{path}", "b.example.go.id"])] == [
        "a.example.go.id", "b.example.go.id"
    ]


def test_missing_target_file() -> None:
    with pytest.raises(InputError, match="target file not found"):
        expand_targets(["@/nonexistent/targets.txt"])


GOOD_CONFIG = """
[scan]
rate = 2
fail_on = "medium"
checks = ["https"]

[scope]
hosts = ["sso.example.go.id"]

[settings.https]
min_max_age = 15768000

[[services]]
name = "Perizinan Online"
opd = "DPMPTSP"
criticality = "high"
data_classification = "personal"
targets = ["https://perizinan.example.go.id/"]

[[services]]
name = "Perpustakaan"
targets = ["perpustakaan.example.go.id"]
"""


def test_good_config(tmp_path: Path) -> None:
    path = tmp_path / "audit.toml"
    path.write_text(GOOD_CONFIG)
    config = load_config(path)
    assert config.scan["rate"] == 2 and config.scan["fail_on"] is Severity.MEDIUM
    assert config.scope_hosts == ("sso.example.go.id",)
    assert config.settings["https"]["min_max_age"] == 15768000
    first, second = config.targets
    assert first.service.opd == "DPMPTSP" and first.service.criticality == "high"
    assert second.service.criticality == "medium"  # the default
    assert config.service_for("perizinan.example.go.id") == first.service
    assert config.sha256 and len(config.sha256) == 64


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[scan]\nrate = 'fast'\n", 2, "scan.rate has the wrong type"),
        ("[scan]\ntimeout = 5\nworkerz = 3\n", 3, "unknown option scan.workerz"),
        ("[scan]\nrate = \n", 2, "not valid TOML"),
        ("[[services]]\nname = 'A'\ntargets = ['x.example.go.id']\n\n[[services]]\nname = 'B'\n"
         "criticality = 'extreme'\ntargets = ['y.example.go.id']\n", 7,
         "services[1].criticality is 'extreme'"),
        ("[[services]]\nname = 'A'\ntargets = ['bad host']\n", 3, "invalid target 'bad host'"),
        ("[scan]\nfail_on = 'severe'\n", 2, "scan.fail_on is not a severity"),
        ("[bogus]\nx = 1\n", 1, "unknown section 'bogus'"),
    ],
)
def test_config_errors_name_the_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "audit.toml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_config(path)
    assert f"{path}:{line}: " in str(err.value)
    assert fragment in str(err.value)
