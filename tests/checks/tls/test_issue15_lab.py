"""Real loopback servers for the misdiagnoses of issue 15, scanned in one audit.

- nginx with static-RSA CBC suites only (no ECDH at all): judged in full,
  with no-forward-secrecy and CBC findings, not an error;
- Python ``ssl`` servers with DH groups loaded by ``load_dh_params``: a
  composite modulus, a DSA-style prime with small subgroups, RFC 7919 ffdhe2048;
- leaves from minted issuers: a missing intermediate the leaf names (AIA), an
  unknown private issuer, and an interception CA (named like Dell's
  DSDTestProvider), each sent without its issuer.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import dsa, rsa

from egov_audit.audit import build_request
from egov_audit.demo.pki import CertificateAuthority, make_key
from egov_audit.model import Severity, Status, Target
from egov_audit.runner import run_audit

from ...conftest import FAST
from .conftest import Lab, _start
from .servers import dh_params_pem, leaf_with_aia, start_nginx

STATIC_RSA = ("ssl_protocols TLSv1.2; ssl_ciphers AES128-SHA:AES256-SHA:AES128-SHA256:"
              "AES256-SHA256:CAMELLIA128-SHA:CAMELLIA256-SHA:@SECLEVEL=0;")
DHE_ONLY = "DHE-RSA-AES128-GCM-SHA256"
NAMES = ["127.0.0.1", "localhost"]


def _dh_file(work: Path, name: str, prime: int, generator: int) -> Path:
    path = work / f"{name}.pem"
    path.write_bytes(dh_params_pem(prime, generator))
    return path


def _ffdhe2048(work: Path) -> Path | str:
    if shutil.which("openssl") is None:
        return "the openssl command is not installed"
    path = work / "ffdhe2048.pem"
    proc = subprocess.run(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt",
                           "group:ffdhe2048", "-out", str(path)],
                          capture_output=True, timeout=30, check=False)
    return path if proc.returncode == 0 else f"openssl has no ffdhe2048: {proc.stderr[:200]!r}"


@pytest.fixture(scope="module")
def lab15(ca: CertificateAuthority, ca_file: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Lab]:
    work = tmp_path_factory.mktemp("tls-lab15")
    lab = Lab()
    nginx_servers = []
    rsa_leaf = ca.issue(NAMES, key=make_key("rsa", 2048))
    cert, key = rsa_leaf.write(work / "certs", "static_rsa")
    nginx = start_nginx(work / "nginx", cert, key, STATIC_RSA)
    if isinstance(nginx, str):
        lab.skipped["static_rsa_nginx"] = nginx
    else:
        nginx_servers.append(nginx)
        url = f"https://127.0.0.1:{nginx.port}/"
        lab.targets["static_rsa_nginx"] = Target(spec=url, host="127.0.0.1", http_url=None,
                                                 https_url=url)
    # DH groups, TLS 1.2 DHE only (TLS 1.3 stays on, with its own groups).
    composite = rsa.generate_private_key(65537, 2048).private_numbers()
    _start(lab, "dh_composite", rsa_leaf, work, ciphers=DHE_ONLY,
           dh_params=_dh_file(work, "composite", composite.p * composite.q, 2))
    group = dsa.generate_parameters(2048).parameter_numbers()
    _start(lab, "dh_small_subgroup", rsa_leaf, work, ciphers=DHE_ONLY,
           dh_params=_dh_file(work, "dsa_style", group.p, group.g))
    ffdhe = _ffdhe2048(work)
    if isinstance(ffdhe, str):
        lab.skipped["dh_ffdhe2048"] = ffdhe
    else:
        _start(lab, "dh_ffdhe2048", rsa_leaf, work, ciphers=DHE_ONLY, dh_params=ffdhe)
    # Issuers, each leaf sent alone.
    good = {"curve": "prime256v1"}
    inter = ca.intermediate("egov-audit Lab15 Intermediate CA")
    _start(lab, "missing_intermediate_aia",
           leaf_with_aia(inter, NAMES, aia="http://ca.example.invalid/lab15.crt"), work,
           include_chain=False, **good)
    private = CertificateAuthority.create("Kantor Dinas Dev CA")
    _start(lab, "unknown_issuer", leaf_with_aia(private, NAMES, aia=None), work, **good)
    interception = CertificateAuthority.create("DSDTestProvider")
    _start(lab, "interception", leaf_with_aia(interception, NAMES, aia=None), work, **good)
    request = build_request([], targets=list(lab.targets.values()), overrides={
        **FAST, "connections": 5, "ca_bundle": str(ca_file), "checks": ("tls",)})
    lab.report = run_audit(request, workdir=work)
    yield lab
    for server in lab.servers.values():
        server.stop()
    for n in nginx_servers:
        n.stop()


def _no_errors(lab: Lab, name: str) -> None:
    spec = lab.target(name)
    assert lab.report is not None
    errors = [(r.check, r.reason) for r in lab.report.results
              if r.target == spec and r.status is Status.ERROR]
    assert errors == []


def test_static_rsa_nginx_is_graded_with_its_real_problems(lab15: Lab) -> None:
    _no_errors(lab15, "static_rsa_nginx")
    (fs,) = lab15.findings("static_rsa_nginx", "tls.no_forward_secrecy")
    assert "no forward-secret suite is offered at all" in fs.evidence.text
    (cbc,) = lab15.findings("static_rsa_nginx", "tls.cbc_suites")
    assert cbc.severity is Severity.MEDIUM
    assert "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA" in cbc.evidence.text
    assert cbc.details["aead_available"] is False
    assert lab15.findings("static_rsa_nginx", "tls.grade")[0].details["grade"] == "B"
    # No ECDH at all: the DH and curve checks pass rather than guess.
    assert lab15.status("static_rsa_nginx", "tls.dh_composite_group")[0] is Status.PASS


def test_composite_dh_modulus(lab15: Lab) -> None:
    _no_errors(lab15, "dh_composite")
    (finding,) = lab15.findings("dh_composite", "tls.dh_composite_group")
    assert finding.severity is Severity.HIGH and finding.details["dh_bits"] == 2048
    assert lab15.findings("dh_composite", "tls.grade")[0].details["grade"] == "F"


def test_dh_group_with_small_subgroups(lab15: Lab) -> None:
    (finding,) = lab15.findings("dh_small_subgroup", "tls.dh_small_subgroup")
    assert finding.severity is Severity.MEDIUM
    assert 2 in finding.details["small_factors"]
    assert not lab15.findings("dh_small_subgroup", "tls.dh_composite_group")


def test_rfc7919_group_is_clean(lab15: Lab) -> None:
    for check in ("tls.dh_composite_group", "tls.dh_small_subgroup", "tls.weak_dh"):
        assert lab15.status("dh_ffdhe2048", check)[0] is Status.PASS, check


def test_leaf_naming_its_issuer_misses_an_intermediate(lab15: Lab) -> None:
    (finding,) = lab15.findings("missing_intermediate_aia", "tls.cert_chain_incomplete")
    assert finding.details["ca_issuers"] == ["http://ca.example.invalid/lab15.crt"]
    assert not lab15.findings("missing_intermediate_aia", "tls.cert_untrusted")


def test_unknown_private_issuer_is_untrusted_not_incomplete(lab15: Lab) -> None:
    assert not lab15.findings("unknown_issuer", "tls.cert_chain_incomplete")
    (finding,) = lab15.findings("unknown_issuer", "tls.cert_untrusted")
    assert finding.severity is Severity.HIGH
    assert finding.details["reason"] == "unknown_issuer"
    assert "CN=Kantor Dinas Dev CA" in finding.evidence.text


def test_interception_ca_is_named(lab15: Lab) -> None:
    assert not lab15.findings("interception", "tls.cert_chain_incomplete")
    (finding,) = lab15.findings("interception", "tls.cert_untrusted")
    assert finding.details["known_ca"] == "dsdtestprovider"
    assert lab15.findings("interception", "tls.grade")[0].details["grade"] == "F"
