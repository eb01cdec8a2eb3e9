"""The audit scope: host and port by default, widened only by the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov_audit.audit import build_request
from egov_audit.config import load_config
from egov_audit.errors import InputError
from egov_audit.scope import Scope
from egov_audit.targets import parse_target


def test_a_url_target_allows_exactly_its_port() -> None:
    scope = Scope.for_targets([parse_target("http://h.example.go.id:8080/app")])
    assert scope.allows("h.example.go.id", 8080)
    assert not scope.allows("h.example.go.id", 80)
    assert not scope.allows("h.example.go.id", 443)
    assert scope.allows_url("http://H.Example.Go.Id:8080/other")
    assert not scope.allows_url("http://h.example.go.id:8081/")
    assert not scope.allows_url("https://h.example.go.id/")


def test_a_host_name_target_allows_ports_80_and_443() -> None:
    scope = Scope.for_targets([parse_target("h.example.go.id")])
    assert sorted(scope.hosts) == ["h.example.go.id:443", "h.example.go.id:80"]
    assert scope.allows_url("http://h.example.go.id/") and scope.allows_url("https://h.example.go.id/")
    assert scope.allows_url("https://h.example.go.id:443/") and scope.allows_url("http://h.example.go.id:80/")
    assert not scope.allows_url("http://h.example.go.id:8080/")
    assert not scope.allows_url("https://other.example.go.id/")


def test_an_https_url_target_also_allows_its_plain_http_side() -> None:
    scope = Scope.for_targets([parse_target("https://h.example.go.id/")])
    assert scope.allows("h.example.go.id", 80) and scope.allows("h.example.go.id", 443)


def test_ipv6_targets_keep_their_port() -> None:
    scope = Scope.for_targets([parse_target("https://[::1]:8443/")])
    assert sorted(scope.hosts) == ["[::1]:8443"]
    assert scope.allows("::1", 8443) and scope.allows("[::1]", 8443)
    assert not scope.allows("::1", 443) and not scope.allows("127.0.0.1", 8443)


def test_extra_entries_widen_the_scope() -> None:
    scope = Scope.for_targets(
        [parse_target("http://127.0.0.1:8080/")],
        extra=["sso.example.go.id", "api.example.go.id:8443"],
    )
    assert scope.allows("sso.example.go.id", 80) and scope.allows("sso.example.go.id", 9999)
    assert scope.allows("api.example.go.id", 8443) and not scope.allows("api.example.go.id", 443)


def test_subdomains_only_when_asked_and_never_for_addresses() -> None:
    narrow = Scope.for_targets([parse_target("example.go.id")])
    wide = Scope.for_targets([parse_target("example.go.id")], include_subdomains=True)
    assert not narrow.allows("www.example.go.id", 443)
    assert wide.allows("www.example.go.id", 443) and not wide.allows("www.example.go.id", 8443)
    assert not wide.allows("badexample.go.id", 443)
    ip = Scope.of(["127.0.0.1"], include_subdomains=True)
    assert not ip.allows("1.127.0.0.1", 80)


def test_of_keeps_meaning_any_port_of_the_hosts() -> None:
    scope = Scope.of(["127.0.0.1", "Portal.Example.Go.Id."])
    assert scope.allows("127.0.0.1", 1) and scope.allows("portal.example.go.id", 8443)
    assert scope.allows_host("portal.example.go.id")


def test_allows_host_names_hosts_on_any_port() -> None:
    scope = Scope.for_targets([parse_target("http://h.example.go.id:8080/")])
    assert scope.allows_host("h.example.go.id") and not scope.allows_host("i.example.go.id")


def test_idn_entries_compare_in_the_form_sent_on_the_wire() -> None:
    scope = Scope.of(["bücher.example.go.id"])
    assert scope.allows("xn--bcher-kva.example.go.id", 443)


def test_configured_scope_reaches_the_audit(tmp_path: Path) -> None:
    config = tmp_path / "audit.toml"
    config.write_text('[scope]\nhosts = ["sso.example.go.id", "api.example.go.id:8443"]\n')
    request = build_request(["http://127.0.0.1:8080/"], config_path=config)
    assert request.scope is not None
    assert sorted(request.scope.hosts) == [
        "127.0.0.1:8080", "api.example.go.id:8443", "sso.example.go.id"
    ]


@pytest.mark.parametrize("entry", ["h.example.go.id:http", "h.example.go.id:0", "[::1]:70000"])
def test_a_scope_entry_with_a_bad_port_is_an_input_error(tmp_path: Path, entry: str) -> None:
    config = tmp_path / "audit.toml"
    config.write_text(f'[scope]\nhosts = ["ok.example.go.id", "{entry}"]\n')
    with pytest.raises(InputError, match="invalid port") as caught:
        load_config(config)
    assert caught.value.line == 2
