"""TLS benchmark: egov-audit vs the sslyze CLI vs testssl.sh on 20 loopback endpoints.

    python benchmarks/tls_bench.py [--endpoints 20] [--skip-testssl] [--json FILE]
    python benchmarks/tls_bench.py --endpoints 11 --skip-testssl   # issue 15's overhead figure

Starts nginx (Debian package) on 127.0.0.1 with N TLS endpoints in five
configurations (good, legacy TLS 1.0, expired certificate, self-signed,
weak suites + missing intermediate), then, in one run:

1. ``egov-audit scan --checks tls`` (the CLI, as a user runs it);
2. ``sslyze`` CLI with the same scan commands egov-audit's probe queues and
   the Mozilla intermediate check, same CA file, same concurrency;
3. ``testssl`` testing protocols, cipher categories, ciphers per protocol,
   certificate, forward secrecy and vulnerabilities (-p -s -E -S -f -U), one
   process per endpoint, all at once (what its --parallel mode does).

It prints wall time per endpoint, the ratios (of medians, and of the best of
the runs, as issue 15 states its 1.10x goal), the start-up costs (``egov-audit
--version``; the time from launching each tool to its first TCP connection),
and which problems each tool reports per configuration that the other misses. Everything stays on
loopback; nginx is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dh
from cryptography.x509.oid import NameOID

from egov_audit.demo.pki import CertificateAuthority, Issued, _san, make_key
from egov_audit.probes.tls import scan_command_names

GOOD = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")
OAKLEY_1024 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B2251"
    "4A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C"
    "42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFF"
    "FFFFFFFFFF", 16)
PROFILES = ("good", "legacy", "expired", "self_signed", "weak")
NAMES = ["127.0.0.1", "localhost"]

# sslyze scan command → CLI flag.
FLAGS = {"certificate_info": "--certinfo", "ssl_2_0_cipher_suites": "--sslv2",
         "ssl_3_0_cipher_suites": "--sslv3", "tls_1_0_cipher_suites": "--tlsv1",
         "tls_1_1_cipher_suites": "--tlsv1_1", "tls_1_2_cipher_suites": "--tlsv1_2",
         "tls_1_3_cipher_suites": "--tlsv1_3", "tls_compression": "--compression",
         "openssl_ccs_injection": "--openssl_ccs", "tls_fallback_scsv": "--fallback",
         "heartbleed": "--heartbleed", "robot": "--robot", "session_renegotiation": "--reneg",
         "elliptic_curves": "--elliptic_curves", "tls_extended_master_secret": "--ems"}

# Problem categories shared by both tools, for the side-by-side comparison.
EGOV = {
    "tls.ssl2_ssl3_accepted": "SSLv2/3", "tls.legacy_tls_accepted": "TLS 1.0/1.1",
    "tls.tls13_unsupported": "no TLS 1.3", "tls.tls12_unsupported": "no TLS 1.2",
    "tls.weak_cipher_suites": "weak suites", "tls.no_forward_secrecy": "no forward secrecy",
    "tls.weak_dh": "weak DH", "tls.cert_expired": "cert expired",
    "tls.cert_not_yet_valid": "cert not yet valid", "tls.cert_expiring": "cert expiring",
    "tls.cert_untrusted": "cert untrusted", "tls.cert_chain_incomplete": "chain incomplete",
    "tls.cert_hostname_mismatch": "host mismatch", "tls.cert_weak_key": "weak key",
    "tls.cert_weak_signature": "weak signature", "tls.ocsp_stapling_missing": "no OCSP stapling",
    "tls.heartbleed": "Heartbleed", "tls.robot": "ROBOT", "tls.ccs_injection": "CCS injection",
    "tls.insecure_renegotiation": "renegotiation", "tls.compression": "CRIME",
    "tls.fallback_scsv_missing": "no fallback SCSV", "tls.mozilla_profile": "Mozilla profile",
}
TESTSSL = {
    "SSLv2": "SSLv2/3", "SSLv3": "SSLv2/3", "TLS1": "TLS 1.0/1.1", "TLS1_1": "TLS 1.0/1.1",
    "TLS1_3": "no TLS 1.3", "TLS1_2": "no TLS 1.2", "cipherlist_NULL": "weak suites",
    "cipherlist_aNULL": "weak suites", "cipherlist_EXPORT": "weak suites",
    "cipherlist_LOW": "weak suites", "cipherlist_3DES_IDEA": "weak suites",
    "cipher_order": "cipher order", "FS": "no forward secrecy",
    "PFS": "no forward secrecy", "LOGJAM": "weak DH",
    "DH_groups": "weak DH", "LOGJAM-common_primes": "weak DH",
    "cert_expirationStatus": "cert expired", "cert_notAfter": "cert expired",
    "cert_chain_of_trust": "cert untrusted", "cert_trust": "host mismatch",
    "cert_keySize": "weak key", "cert_signatureAlgorithm": "weak signature",
    "OCSP_stapling": "no OCSP stapling", "heartbleed": "Heartbleed", "ROBOT": "ROBOT",
    "CCS": "CCS injection", "secure_renego": "renegotiation",
    "secure_client_renego": "renegotiation", "CRIME_TLS": "CRIME",
    "fallback_SCSV": "no fallback SCSV", "intermediate_cert_badOCSP": "chain incomplete",
    "cert_chain_of_trust_incomplete": "chain incomplete",
}
SERIOUS = {"LOW", "MEDIUM", "HIGH", "CRITICAL", "WARN"}
PROBE_SCRIPT = """
import sys
from egov_audit.options import ScanOptions
from egov_audit.probes.tls import Endpoint, scan_endpoints
from egov_audit.checks.tls import CHECKS
eps = [Endpoint(u.split("//")[1].rsplit(":", 1)[0], int(u.rsplit(":", 1)[1].strip("/")))
       for u in sys.argv[2:]]
results = scan_endpoints(eps, ScanOptions(ca_bundle=sys.argv[1], connections=5, workers=10,
                                          rate=100000.0))
assert all(not isinstance(r, str) for r in results.values()), results
"""


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def self_signed(names: list[str]) -> Issued:
    key = make_key("ec", 256)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=90))
            .add_extension(_san(names), critical=False).sign(key, hashes.SHA256()))
    return Issued(cert, key, ())


def server_block(profile: str, port: int, ca: CertificateAuthority, inter: CertificateAuthority,
                 work: Path, index: int, host: str = "127.0.0.1") -> str:
    now = dt.datetime.now(dt.UTC)
    names = [host, *NAMES[1:]]
    protocols, ciphers, chain, extra = "TLSv1.2 TLSv1.3", GOOD, True, ""
    if profile == "good":
        issued = inter.issue(names)
    elif profile == "legacy":
        issued = ca.issue(names, key=make_key("rsa", 2048))
        protocols = "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"
        ciphers = "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:@SECLEVEL=0"
    elif profile == "expired":
        issued = ca.issue(names, not_before=now - dt.timedelta(days=100),
                          not_after=now - dt.timedelta(days=10))
    elif profile == "self_signed":
        issued = self_signed(names)
    else:  # weak suites, 1024-bit DH, TLS 1.2 only, intermediate not sent
        issued = inter.issue(names, key=make_key("rsa", 2048))
        protocols, chain = "TLSv1.2", False
        ciphers = ("ECDHE-RSA-AES128-GCM-SHA256:NULL-MD5:AECDH-AES128-SHA:AES128-SHA:"
                   "DHE-RSA-AES128-SHA:@SECLEVEL=0")
        extra = f"ssl_dhparam {work / 'dh1024.pem'};"
    cert, key = issued.write(work / "certs", f"ep{index}", include_chain=chain)
    return f"""
    server {{
        listen {host}:{port} ssl;
        ssl_certificate {cert}; ssl_certificate_key {key};
        ssl_protocols {protocols}; ssl_ciphers "{ciphers}"; {extra}
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        location / {{ return 200 "ok\\n"; }}
    }}"""


def start_nginx(work: Path, n: int, distinct_hosts: bool = False
                ) -> tuple[subprocess.Popen[bytes], list[str], list[str], Path]:
    ca = CertificateAuthority.create("egov-audit Bench Root CA")
    inter = ca.intermediate("egov-audit Bench Intermediate CA")
    ca_file = ca.write_cert(work / "ca.pem")
    (work / "dh1024.pem").write_bytes(dh.DHParameterNumbers(OAKLEY_1024, 2).parameters()
                                      .parameter_bytes(serialization.Encoding.PEM,
                                                       serialization.ParameterFormat.PKCS3))
    ports = free_ports(n)
    profiles = [PROFILES[i % len(PROFILES)] for i in range(n)]
    # Distinct hosts: 127.0.0.2, .3, ... (all loopback): each endpoint then is a
    # host of its own, as the government endpoints of a real audit are.
    hosts = [f"127.0.0.{i + 2}" if distinct_hosts else "127.0.0.1" for i in range(n)]
    blocks = "".join(server_block(p, port, ca, inter, work, i, host)
                     for i, (p, port, host) in enumerate(zip(profiles, ports, hosts,
                                                             strict=True)))
    (work / "logs").mkdir(exist_ok=True)
    (work / "nginx.conf").write_text(f"""
worker_processes 2; daemon off; pid {work}/nginx.pid; error_log {work}/logs/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; {blocks}
}}
""")
    proc = subprocess.Popen(["nginx", "-p", str(work), "-c", str(work / "nginx.conf"),
                             "-e", str(work / "logs/error.log")])
    deadline = time.monotonic() + 10
    for host, port in zip(hosts, ports, strict=True):
        while True:
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()
                    raise SystemExit("nginx did not start: "
                                     + (work / "logs/error.log").read_text()[-2000:]) from None
                time.sleep(0.05)
    urls = [f"https://{h}:{p}/" for h, p in zip(hosts, ports, strict=True)]
    return proc, urls, profiles, ca_file


def timed(cmd: list[str], **kw: Any) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   timeout=3600, **kw)
    return time.perf_counter() - started


def installed(name: str) -> str:
    """The installed script beside this interpreter when there is one: a version
    manager's shim on PATH (pyenv's is a shell script) would add its own start-up
    to both tools' figures."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def first_connection(cmd: list[str]) -> float:
    """Seconds from launching ``cmd`` to its first TCP connection to a loopback
    listener; ``PORT`` in the command is replaced by that listener's port. The
    listener accepts and closes, so the tool then fails fast and is killed."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(60)
        port = str(listener.getsockname()[1])
        started = time.perf_counter()
        proc = subprocess.Popen([a.replace("PORT", port) for a in cmd],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            conn, _ = listener.accept()
            elapsed = time.perf_counter() - started
            conn.close()
        finally:
            proc.kill()
            proc.wait(timeout=30)
    return elapsed


def egov_problems(result: Path) -> dict[str, set[str]]:
    data = json.loads(result.read_text())
    out: dict[str, set[str]] = {}
    for f in data["findings"]:
        if f["check"] in EGOV and f["severity"] != "info":
            out.setdefault(f["target"], set()).add(EGOV[f["check"]])
    return out


def testssl_problems(directory: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for file in directory.glob("*.json"):
        try:
            data = json.loads(file.read_text())
        except ValueError:
            continue
        for result in data.get("scanResult", []):
            url = f"https://127.0.0.1:{result.get('port')}/"  # without --distinct-hosts
            found = out.setdefault(url, set())
            for section in result.values():
                if not isinstance(section, list):
                    continue
                for item in section:
                    if item.get("severity") not in SERIOUS:
                        continue
                    ident = item["id"]
                    if ident.startswith("cipher-"):  # one entry per weak suite offered
                        found.add("weak suites")
                    else:
                        found.add(TESTSSL.get(ident, f"({ident})"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", type=int, default=20)
    parser.add_argument("--skip-testssl", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of egov-audit and sslyze")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    parser.add_argument("--distinct-hosts", action="store_true",
                        help="one loopback address per endpoint (127.0.0.2, .3, ...): "
                        "egov-audit's per-host bound then does not serialise the scans")
    args = parser.parse_args()
    for tool in ("nginx", "sslyze", "egov-audit") + (() if args.skip_testssl else ("testssl",)):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed")
    work = Path(tempfile.mkdtemp(prefix="egov-tls-bench-"))
    proc, urls, profiles, ca_file = start_nginx(work, args.endpoints, args.distinct_hosts)
    n = len(urls)
    try:
        # The per-host bounds hold for sslyze's connections too: every endpoint
        # here shares 127.0.0.1, so egov-audit scans them one after another with
        # at most 5 connections in all, where the sslyze CLI opens 5 per endpoint
        # at once. The rate is lifted: at 10/s (the default) one endpoint's ~580
        # handshakes take a minute, which would measure only the politeness.
        egov_cmd = [installed("egov-audit"), "scan", "--checks", "tls.*", "-q", "--fail-on", "none",
                    "--ca-bundle", str(ca_file), "--connections", "5", "--workers", "10",
                    "--rate", "100000",
                    "-o", str(work / "egov"), *urls]
        sslyze_cmd = [installed("sslyze"), "--quiet", *(FLAGS[c] for c in scan_command_names()),
                      f"--certinfo_ca_file={ca_file}", "--mozilla_config=intermediate",
                      f"--json_out={work / 'sslyze.json'}",
                      *(u.removeprefix("https://").rstrip("/") for u in urls)]
        # The probe alone, in a fresh interpreter (as the sslyze CLI starts one):
        # the TLS work without the CLI's fixed costs (plugin catalogue, policies,
        # report rendering), which do not grow with the number of endpoints.
        probe_cmd = [sys.executable, "-c", PROBE_SCRIPT, str(ca_file), *urls]
        # Alternate the tools and keep medians: on a small machine one run's
        # noise is larger than the difference being measured.
        egov_runs, probe_runs, sslyze_runs = [], [], []
        for _ in range(args.repeat):
            egov_runs.append(timed(egov_cmd))
            probe_runs.append(timed(probe_cmd))
            sslyze_runs.append(timed(sslyze_cmd))
        egov, sslyze = statistics.median(egov_runs), statistics.median(sslyze_runs)
        probe = statistics.median(probe_runs)
        # Start-up, best of the runs: what a user waits before anything happens.
        startup = {
            "version_s": min(timed([installed("egov-audit"), "--version"])
                             for _ in range(args.repeat)),
            "egov_first_connection_s": min(first_connection(
                [installed("egov-audit"), "scan", "--checks", "tls.*", "-q", "--fail-on", "none",
                 "-o", str(work / "egov-fp"), "https://127.0.0.1:PORT/"])
                for _ in range(args.repeat)),
            "sslyze_first_connection_s": min(first_connection(
                [installed("sslyze"), "--quiet", "--certinfo", "127.0.0.1:PORT"])
                for _ in range(args.repeat)),
        }
        testssl = None
        if not args.skip_testssl:
            (work / "testssl").mkdir()
            # One testssl process per endpoint, all at once: what its --parallel
            # mass mode does, but Debian's 3.0.8 writes only JSON fragments there.
            started = time.perf_counter()
            procs = [subprocess.Popen(
                ["testssl", "--quiet", "--warnings", "off", "--add-ca", str(ca_file),
                 "-p", "-s", "-E", "-S", "-f", "-U", "--jsonfile-pretty",
                 str(work / "testssl" / f"ep{i}.json"), u],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for i, u in enumerate(urls)]
            for p in procs:
                p.wait(timeout=3600)
            testssl = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    figures = {"endpoints": n, "distinct_hosts": args.distinct_hosts,
               "cpus": len(__import__("os").sched_getaffinity(0)),
               "egov_audit_s": round(egov, 2), "sslyze_cli_s": round(sslyze, 2),
               "testssl_s": round(testssl, 2) if testssl else None,
               "egov_probe_s": round(probe, 2),
               "overhead_vs_sslyze_pct": round((egov / sslyze - 1) * 100, 1),
               "best_egov_over_sslyze": round(min(egov_runs) / min(sslyze_runs), 3),
               **{k: round(v, 3) for k, v in startup.items()},
               "probe_overhead_vs_sslyze_pct": round((probe / sslyze - 1) * 100, 1),
               "egov_probe_runs_s": [round(x, 2) for x in probe_runs],
               "egov_audit_runs_s": [round(x, 2) for x in egov_runs],
               "sslyze_cli_runs_s": [round(x, 2) for x in sslyze_runs]}
    if testssl:
        figures["testssl_over_egov_ratio"] = round(testssl / egov, 1)
    # Sanity: a fast run that scanned nothing would be a meaningless figure.
    result = json.loads((work / "egov" / "result.json").read_text())
    figures["egov_targets_ok"] = sum(t["status"] == "ok" for t in result["targets"])
    figures["egov_findings"] = len(result["findings"])
    scanned = json.loads((work / "sslyze.json").read_text())["server_scan_results"]
    figures["sslyze_completed"] = sum(r["scan_status"] == "COMPLETED" for r in scanned)
    print(f"{n} endpoints: egov-audit {egov:.1f} s ({egov / n:.2f} s/endpoint), "
          f"egov-audit TLS probe {probe:.1f} s ({probe / n:.2f} s/endpoint), "
          f"sslyze CLI {sslyze:.1f} s ({sslyze / n:.2f} s/endpoint)"
          + (f", testssl.sh {testssl:.1f} s ({testssl / n:.2f} s/endpoint)" if testssl else ""))
    print(json.dumps(figures, indent=2))
    if testssl:
        ours, theirs = egov_problems(work / "egov" / "result.json"), testssl_problems(
            work / "testssl")
        print("\n| configuration | both | only egov-audit | only testssl.sh |\n|---|---|---|---|")
        comparison = {}
        for profile in PROFILES:
            url = urls[profiles.index(profile)]
            a, b = ours.get(url, set()), theirs.get(url, set())
            comparison[profile] = {"both": sorted(a & b), "only_egov": sorted(a - b),
                                   "only_testssl": sorted(b - a)}
            print(f"| {profile} | {', '.join(sorted(a & b)) or '—'} | "
                  f"{', '.join(sorted(a - b)) or '—'} | {', '.join(sorted(b - a)) or '—'} |")
        figures["comparison"] = comparison
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
