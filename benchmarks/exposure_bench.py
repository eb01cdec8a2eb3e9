"""Exposed-file detection: egov-audit's exposure checks versus wapiti, same fixtures.

Six loopback sites with known ground truth: one ordinary site with twenty
planted exposures, one catch-all site (200 for every path) with five real
exposures, and four decoys with none (a clean site, a catch-all, a
redirect-everything site, and one that serves HTML at /.env and /.git/HEAD).
Both tools scan every site; each reported path is matched to the planted set:
recall = planted paths found, false positives = reported paths never planted.

    python benchmarks/exposure_bench.py [--wapiti PATH] [--max-time SECONDS]

wapiti runs its comparable modules (``backup``, ``buster``; ``nikto`` downloads
its database from the Internet at run time and is not run) from a separate
virtual environment, by default ``benchmarks/.work/wapiti-venv`` (install:
``python -m venv benchmarks/.work/wapiti-venv && benchmarks/.work/wapiti-venv/bin/pip
install wapiti3``). Only 127.0.0.1 is contacted; every run is time-bounded.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("EGOV_AUDIT_SALT", "benchmark-salt-0123456789")

from egov_audit.audit import build_request
from egov_audit.demo.server import LocalServer, Response, html, redirect
from egov_audit.runner import run_audit

ROOT = Path(__file__).resolve().parent
TEXT = [("Content-Type", "text/plain")]
HOME = ("<html><head><title>Portal Kota Contoh</title></head><body><h1>Portal</h1>"
        '<p>Layanan publik.</p><a href="/index.php">Beranda</a> <a href="/berita">Berita</a>'
        "</body></html>")


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.php", "<?php echo 1;")
    return buf.getvalue()


EXPOSURES: dict[str, Response] = {
    "/.git/HEAD": Response(200, TEXT, "ref: refs/heads/main\n"),
    "/.git/config": Response(200, TEXT, "[core]\n\trepositoryformatversion = 0\n"),
    "/.svn/entries": Response(200, TEXT, "12\n"),
    "/.env": Response(200, TEXT, "APP_ENV=production\nDB_PASSWORD=Bench-Only-9x7Q\n"),
    "/backup.zip": Response(200, [("Content-Type", "application/zip")], _zip()),
    "/db.sql": Response(200, TEXT, "-- MySQL dump 10.13\nCREATE TABLE `t` (`id` int);\n"),
    "/phpinfo.php": html("<html><head><title>phpinfo()</title></head><body><h1 class=\"p\">"
                         "PHP Version 7.4.3</h1></body></html>"),
    "/.DS_Store": Response(200, [("Content-Type", "application/octet-stream")], bytes.fromhex(
        "000000014275643100000000000000000000000a006200610063006b00750070002e007a00690070"
        "496c6f63")),
    "/uploads/": html("<html><head><title>Index of /uploads/</title></head><body><h1>Index of "
                      '/uploads/</h1><a href="../">../</a><a href="ktp_001.jpg">ktp_001.jpg</a>'
                      "</body></html>"),
    "/server-status": html("<html><head><title>Apache Status</title></head><body><h1>Apache "
                           "Server Status for portal</h1></body></html>"),
    "/wp-config.php.bak": Response(200, TEXT, "<?php define('DB_PASSWORD', 'x9');\n"),
    "/index.php.bak": Response(200, TEXT, "<?php\nrequire 'koneksi.php';\n"),
    "/config.php~": Response(200, TEXT, "<?php\n$pass = 'rahasia';\n"),
    "/.htpasswd": Response(200, TEXT, "admin:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n"),
    "/phpmyadmin/": html("<html><head><title>phpMyAdmin</title></head><body><form><input "
                         'name="pma_username"></form></body></html>'),
    "/adminer.php": html("<html><head><title>Login - Adminer</title></head><body></body></html>"),
    "/swagger.json": Response(200, [("Content-Type", "application/json")],
                              '{"swagger": "2.0", "paths": {}}'),
    "/storage/logs/laravel.log": Response(200, TEXT, "[2024-05-01 10:11:12] production.ERROR: "
                                                     "boom\n"),
    "/error_log": Response(200, TEXT, "[12-Mar-2024 08:15:01 UTC] PHP Warning:  x in /home/a/"
                                      "public_html/i.php on line 3\n"),
    "/actuator/env": Response(200, [("Content-Type", "application/json")],
                              '{"activeProfiles": [], "propertySources": []}'),
}
SOFT_EXPOSED = ("/.git/HEAD", "/.env", "/backup.zip", "/db.sql", "/phpinfo.php")
PAGES = {"/": html(HOME), "/index.php": html(HOME), "/berita": html(HOME.replace("Portal</h1>",
                                                                               "Berita</h1>"))}


def sites() -> dict[str, tuple[LocalServer, set[str]]]:
    """name -> (server, planted paths)."""
    out: dict[str, tuple[LocalServer, set[str]]] = {}
    out["exposed"] = (LocalServer({**PAGES, **EXPOSURES}).start(), set(EXPOSURES))
    out["catch_all_exposed"] = (
        LocalServer({**PAGES, **{p: EXPOSURES[p] for p in SOFT_EXPOSED}},
                    fallback=html(HOME)).start(), set(SOFT_EXPOSED))
    out["clean"] = (LocalServer(dict(PAGES)).start(), set())
    out["catch_all"] = (LocalServer(dict(PAGES), fallback=html(HOME)).start(), set())
    redirecting = LocalServer(dict(PAGES)).start()
    redirecting.fallback = redirect(redirecting.url("/"), 302)
    out["redirect_all"] = (redirecting, set())
    decoy = {**PAGES, **{p: html("<html><body><p>Halaman " + p + "</p></body></html>")
                         for p in ("/.env", "/.git/HEAD", "/backup.zip", "/phpinfo.php")}}
    out["html_decoys"] = (LocalServer(decoy).start(), set())
    return out


def _norm(path: str) -> str:
    if path.startswith("http"):
        path = urlsplit(path).path or "/"
    return path.split("?", 1)[0]


def score(planted: set[str], reported: set[str]) -> dict[str, Any]:
    reported = {_norm(p) for p in reported}
    hits = planted & reported
    return {"planted": len(planted), "found": len(hits), "false_positives": len(reported - planted),
            "missed": sorted(planted - reported), "fp_paths": sorted(reported - planted)[:15]}


def run_egov(targets: dict[str, tuple[LocalServer, set[str]]]) -> tuple[float, dict[str, Any]]:
    urls = {s.url("/"): name for name, (s, _) in targets.items()}
    request = build_request(list(urls), overrides={
        "rate": 200.0, "connections": 8, "timeout": 5.0, "checks": ("exposure",)})
    started = time.monotonic()
    report = run_audit(request)
    elapsed = time.monotonic() - started
    reported: dict[str, set[str]] = {name: set() for name in targets}
    for f in report.findings:
        name = urls[f.target]
        reported[name] |= set(f.details.get("paths") or [urlsplit(f.location).path])
    return elapsed, {n: score(targets[n][1], reported[n]) for n in targets}


def run_wapiti(binary: str, targets: dict[str, tuple[LocalServer, set[str]]],
               max_time: int) -> tuple[float, dict[str, Any], dict[str, float]]:
    results: dict[str, Any] = {}
    times: dict[str, float] = {}
    total = 0.0
    with tempfile.TemporaryDirectory(prefix="wapiti-bench-") as tmp:
        for name, (server, planted) in targets.items():
            out = Path(tmp) / f"{name}.json"
            cmd = [binary, "-u", server.url("/"), "-m", "backup,buster", "--scope", "folder",
                   "-f", "json", "-o", str(out), "--flush-session", "--store-session", tmp,
                   "--store-config", tmp, "--max-scan-time", str(max_time),
                   "--max-attack-time", str(max_time), "--tasks", "16",
                   # Keep wapiti on loopback: no crash-report upload, and its
                   # out-of-band endpoints (unused by these modules) pointed home.
                   "--no-bugreport", "--dns-endpoint", "localhost",
                   "--endpoint", "http://127.0.0.1:9/"]
            started = time.monotonic()
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=max_time * 3 + 60,
                                  check=False)
            times[name] = time.monotonic() - started
            total += times[name]
            if not out.exists():
                results[name] = {"error": (proc.stderr or proc.stdout)[-400:]}
                continue
            data = json.loads(out.read_text())
            reported: set[str] = set()
            for section in ("vulnerabilities", "anomalies", "additionals"):
                for entries in (data.get(section) or {}).values():
                    reported |= {e.get("path", "") for e in entries if e.get("path")}
            results[name] = score(planted, reported)
    return total, results, times


def table(egov: dict[str, Any], wap: dict[str, Any] | None) -> str:
    rows = ["| site | planted | egov-audit found | egov-audit FP | wapiti found | wapiti FP |",
            "|---|---|---|---|---|---|"]
    for name, e in egov.items():
        w = (wap or {}).get(name, {})
        rows.append(f"| {name} | {e['planted']} | {e['found']} | {e['false_positives']} | "
                    f"{w.get('found', '–')} | {w.get('false_positives', w.get('error', '–'))} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wapiti", default=str(ROOT / ".work/wapiti-venv/bin/wapiti"))
    parser.add_argument("--max-time", type=int, default=120,
                        help="wapiti --max-scan-time/--max-attack-time per site (seconds)")
    args = parser.parse_args()
    targets = sites()
    try:
        egov_time, egov = run_egov(targets)
        print(f"egov-audit: {egov_time:.1f} s for {len(targets)} sites (one run)")
        wap: dict[str, Any] | None = None
        if Path(args.wapiti).exists():
            wap_time, wap, per_site = run_wapiti(args.wapiti, targets, args.max_time)
            print(f"wapiti: {wap_time:.1f} s total; per site: "
                  + ", ".join(f"{k} {v:.0f} s" for k, v in per_site.items()))
        else:
            print(f"wapiti not found at {args.wapiti}; egov-audit only", file=sys.stderr)
        print(table(egov, wap))
        results = {"egov_audit": egov, "wapiti": wap, "egov_time_s": round(egov_time, 1)}
        out = ROOT / ".work" / "exposure_results.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2))
        print(f"details: {out}")
    finally:
        for server, _ in targets.values():
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
