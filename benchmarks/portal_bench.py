"""Portal benchmark: requests and wall time per host for a full audit of one
portal-like host at the default politeness limits (issue 13, requirement 6).

Usage:  python benchmarks/portal_bench.py [--source DIR] [--checks '*']

The host (a loopback address of its own, 127.21.0.1) imitates a city portal
built on PHP/Laravel behind nginx: about 40 HTML pages linked from the home
page (some one or two clicks deep), 3 published documents, a JavaScript
bundle that calls a JSON API, robots.txt with a disallowed backup directory,
and a sitemap. It listens on two ports: HTTPS (certificate from a throw-away
CA) and plain HTTP, which redirects every path to HTTPS. Both are targets, as
in the issue's report (an ``http://`` and an ``https://`` target on one host).

The scanner is the real CLI in its own process with every family selected and
no politeness option given (so the defaults apply). ``--source DIR`` runs the
package from another tree (e.g. ``git archive HEAD`` unpacked in /tmp) to
measure an older version with this same host. Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HOST = "127.21.0.1"
PAGES = 40


def _portal_routes(https_origin: str) -> dict[str, object]:
    from egov_audit.demo.server import Response, html

    cookie = [("Set-Cookie", "laravel_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax"),
              ("X-Powered-By", "PHP/8.2.1")]

    def page(title: str, links: list[str]) -> Response:
        items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
        body = (f"<!doctype html><html lang='id'><head><title>{title}</title>"
                "<script src='/js/app.js'></script></head><body>"
                f"<h1>{title}</h1><p>{'Informasi layanan publik kota. ' * 30}</p>"
                f"<ul>{items}</ul></body></html>")
        return html(body, headers=cookie)

    sections = [f"/layanan/{i}" for i in range(1, 11)]
    routes: dict[str, object] = {}
    inner: list[str] = []
    for s_index, section in enumerate(sections):
        children = [f"{section}/info-{j}" for j in range(1, 4)]
        inner.extend(children)
        routes[section] = page(f"Layanan {s_index + 1}", ["/", *children])
    for child in inner:
        routes[child] = page(child, ["/", "/dokumen/laporan-2024.pdf"])
    docs = ["/dokumen/laporan-2024.pdf", "/dokumen/anggaran-2024.xlsx", "/dokumen/perda.docx"]
    home_links = [*sections, "/berita", "/kontak", "/profil", "/pengumuman", "/galeri",
                  "/faq", *docs]
    routes["/"] = page("Portal Kota Contoh", home_links)
    for name in ("/berita", "/kontak", "/profil", "/pengumuman", "/galeri", "/faq"):
        routes[name] = page(name.strip("/").title(), ["/"])
    routes[docs[0]] = Response(200, [("Content-Type", "application/pdf")],
                               b"%PDF-1.4\n% laporan\n" + b"0" * 20_000 + b"\n%%EOF\n")
    routes[docs[1]] = Response(200, [("Content-Type", "application/vnd.openxmlformats-"
                                      "officedocument.spreadsheetml.sheet")],
                               b"PK\x03\x04" + b"\0" * 4000)
    routes[docs[2]] = Response(200, [("Content-Type", "application/vnd.openxmlformats-"
                                      "officedocument.wordprocessingml.document")],
                               b"PK\x03\x04" + b"\0" * 4000)
    routes["/js/app.js"] = Response(
        200, [("Content-Type", "application/javascript")],
        "const API_BASE = '/api/v1';\n"
        "function load(p){ return fetch(API_BASE + '/pengumuman?page=' + p); }\n"
        "axios.get('/api/v1/layanan');\n" + "// bundle\n" * 500)
    routes["/api/v1/pengumuman"] = Response(
        200, [("Content-Type", "application/json")],
        json.dumps({"data": [{"judul": f"Pengumuman {i}"} for i in range(20)]}))
    routes["/api/v1/layanan"] = Response(
        200, [("Content-Type", "application/json")],
        json.dumps({"data": [{"nama": f"Layanan {i}"} for i in range(10)]}))
    routes["/robots.txt"] = Response(
        200, [("Content-Type", "text/plain")],
        "User-agent: *\nDisallow: /backup/\nDisallow: /admin/\n"
        f"Sitemap: {https_origin}/sitemap.xml\n")
    locs = "".join(f"<url><loc>{https_origin}{p}</loc></url>" for p in ["/", *sections])
    routes["/sitemap.xml"] = Response(
        200, [("Content-Type", "application/xml")],
        f"<?xml version='1.0'?><urlset>{locs}</urlset>")
    routes["/admin/"] = Response(403, [("Content-Type", "text/html")], "<h1>403</h1>")
    routes["/backup/"] = Response(403, [("Content-Type", "text/html")], "<h1>403</h1>")
    return routes


def serve(workdir: str) -> None:
    """Child mode: start the portal, print its URLs and CA file, serve until stdin closes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from egov_audit.demo.pki import CertificateAuthority
    from egov_audit.demo.server import LocalServer, redirect, tls_context

    ca = CertificateAuthority.create("Portal Bench Root CA")
    ca_file = ca.write_cert(Path(workdir) / "ca.pem")
    cert, key = ca.issue([HOST]).write(Path(workdir), "portal")
    https = LocalServer(tls=tls_context(str(cert), str(key)), host=HOST).start()
    https.routes.update(_portal_routes(https.origin))  # type: ignore[arg-type]
    plain = LocalServer(host=HOST, fallback=lambda r: redirect(https.url(r.path))).start()
    print(json.dumps({"https": https.url("/"), "http": plain.url("/"), "ca": str(ca_file)}),
          flush=True)
    sys.stdin.read()
    counts = {"https": len(https.requests), "http": len(plain.requests),
              "by_method": dict(Counter(r.method for r in [*https.requests, *plain.requests])),
              "paths": [f"{r.method} {r.path}" for r in [*https.requests, *plain.requests]]}
    print(json.dumps(counts), flush=True)
    https.stop()
    plain.stop()


def measure(source: str | None, checks: str, dump: str | None = None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        child = subprocess.Popen([sys.executable, __file__, "--serve", tmp],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdin is not None
        info = json.loads(child.stdout.readline())
        env = {**os.environ, "EGOV_AUDIT_SALT": "benchmark-salt-000000"}
        if source:
            env["PYTHONPATH"] = source
        out = Path(tmp) / "out"
        started = time.perf_counter()
        scan = subprocess.run(
            [sys.executable, "-m", "egov_audit", "scan", info["https"], info["http"],
             "--checks", checks, "--ca-bundle", info["ca"], "-q", "--fail-on", "none",
             "-o", str(out)],
            env=env, cwd=source or None, check=False)
        wall = time.perf_counter() - started
        child.stdin.close()
        served = json.loads(child.stdout.readline())
        child.wait()
        if dump:
            Path(dump).write_text("\n".join(served["paths"]) + "\n")
        result = json.loads((out / "result.json").read_text())
    run = result["run"]
    return {
        "wall_s": round(wall, 1),
        "exit": scan.returncode,
        "served_https": served["https"],
        "served_http": served["http"],
        "by_method": served["by_method"],
        "repeated": sum(n - 1 for n in Counter(served["paths"]).values()),
        "requests_sent": run["options"].get("requests_sent"),
        "requests": run.get("requests", {}),
        "targets": {t["target"]: t["status"] for t in result["targets"]},
        "statuses": result["summary"].get("by_status", result["summary"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", help="run the package from this tree instead")
    parser.add_argument("--checks", default="*")
    parser.add_argument("--dump", help="write every request the host served to this file")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    print(json.dumps(measure(args.source, args.checks, args.dump), indent=2))


if __name__ == "__main__":
    main()
