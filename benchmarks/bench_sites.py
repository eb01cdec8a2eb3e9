"""A fleet of small loopback sites served by one nginx, for the distributed benchmark.

Each site has an address of its own in 127.21.0.0/16 (loopback only: the
kernel routes the whole /8 to ``lo``), a home page linking two pages and a
CSV document, and every second one is served over TLS with a certificate of
its own from a throw-away CA. nginx serves all of them from one process, in C:
a Python server per site (the earlier fleet) spent a noticeable part of the
same two cores the audit runs on, and 1,000 Python servers hold 1,000 accept
threads. nginx's CPU is measured and reported apart from the audit's.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

HOME = ("<!doctype html><html lang='id'><head><title>Dinas Kabupaten</title></head><body>"
        "<h1>Dinas Kabupaten</h1><a href='/layanan'>Layanan</a> <a href='/kontak'>Kontak</a> "
        "<a href='/data/rekap.csv'>Rekap</a><p>" + "isi halaman " * 200 + "</p></body></html>")
PAGE = ("<!doctype html><html lang='id'><head><title>Layanan</title></head><body>"
        "<a href='/'>Beranda</a><p>" + "teks layanan " * 300 + "</p></body></html>")
CSV = "kecamatan,jumlah\n" + "".join(f"Desa {i},{i * 7}\n" for i in range(200))


def address(i: int) -> str:
    """The i-th site's address: 127.21.0.1, …, 127.21.0.250, 127.21.1.1, …"""
    return f"127.21.{i // 250}.{i % 250 + 1}"


@dataclass
class Fleet:
    targets: list[str]
    ca_file: Path
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """nginx's CPU (master and worker, user and system) so far."""
        from distributed_bench import tree_usage  # the benchmark's /proc reader

        return tree_usage(self.process.pid)[1]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def _write_content(root: Path) -> None:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(HOME)
    (root / "layanan").write_text(PAGE)  # extensionless: served as text/html (default_type)
    (root / "kontak").write_text(PAGE)
    (root / "data" / "rekap.csv").write_text(CSV)


def _config(n: int, workdir: Path, certs: Path, root: Path) -> str:
    blocks = []
    for i in range(n):
        host = address(i)
        if i % 2 == 0:
            listen = (f"listen {host}:4443 ssl;\n    ssl_certificate {certs}/s{i}.crt;\n"
                      f"    ssl_certificate_key {certs}/s{i}.key;")
        else:
            listen = f"listen {host}:8000;"
        blocks.append(f"  server {{\n    {listen}\n    server_name {host};\n    root {root};\n"
                      "  }")
    return (f"worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log;\n"
            "worker_rlimit_nofile 16384;\n"
            "events { worker_connections 8192; }\n"
            "http {\n"
            "  types { text/html html; text/csv csv; }\n"
            "  default_type text/html;\n"
            "  access_log off;\n"
            f"  client_body_temp_path {workdir}/tmp;\n"
            "  keepalive_requests 1000;\n"
            "  ssl_session_cache shared:tls:10m;\n"
            + "\n".join(blocks) + "\n}\n")


def start(n: int, workdir: Path) -> Fleet:
    """Write certificates, content and configuration under ``workdir``; start nginx."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from egov_audit.demo.pki import CertificateAuthority

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    ca = CertificateAuthority.create("egov-audit Benchmark Root CA")
    ca_file = ca.write_cert(workdir / "ca.pem")
    certs = workdir / "certs"
    certs.mkdir(parents=True, exist_ok=True)
    for i in range(0, n, 2):
        issued = ca.issue([address(i)])
        (certs / f"s{i}.crt").write_bytes(issued.cert_pem)
        (certs / f"s{i}.key").write_bytes(issued.key_pem)
    root = workdir / "site"
    _write_content(root)
    (workdir / "tmp").mkdir(exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(_config(n, workdir, certs, root))
    process = subprocess.Popen([nginx, "-p", str(workdir), "-c", str(conf),
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    # Non-default ports, so that each target has one entry point (a host name
    # alone, or a default port, makes the audit try both http and https), and
    # ports outside the network family's catalogue, so that nmap sees the web
    # server as it sees one on 80/443: not scanned (version detection on an
    # HTTPS port would cost it 10-20 s per host; see probes/ports.py).
    targets = [f"https://{address(i)}:4443/" if i % 2 == 0 else f"http://{address(i)}:8000/"
               for i in range(n)]
    _wait_listening(process, address(n - 1), 4443 if (n - 1) % 2 == 0 else 8000)
    return Fleet(targets, ca_file, process)


def _wait_listening(process: subprocess.Popen[bytes], host: str, port: int) -> None:
    import socket

    end = time.monotonic() + 30
    while time.monotonic() < end:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"nginx did not start: {err[-2000:]}")
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start listening within 30 s")
