"""Planted personal-data problems (the ``pii`` checks).

* Bansos (Dinas Sosial), HTTPS: a service page links an aid-recipient list
  (XLSX: NIK, No. KK, phone, with the author's name in its metadata), a CSV of
  health-screening results, a JSON API returning resident records without
  ``Cache-Control: no-store`` (called from the page's JavaScript, not linked),
  a "check your status" link carrying a NIK in
  its query string, and an announcement with partially masked NIKs. The
  contact page shows one officer's number: expected, not a finding.
* Pendaftaran Online (Disdukcapil), plain HTTP only: a registration form
  collecting NIK, KK and phone, sent with GET, with a third-party tag-manager
  script on the page and no privacy notice.

Every identifier is synthetic (:mod:`egov_audit.pii.synthetic`, fixed seed):
structurally valid, belonging to nobody. The tracker script points at a
reserved ``.invalid`` host and is never fetched.
"""

from __future__ import annotations

import io
import json

from ...model import Service
from ...pii.synthetic import Synthetic
from ..portal import DemoPortal, DemoService, same_host_https_redirect
from ..server import LocalServer, Response, html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _recipients(n: int) -> list[list[str]]:
    gen = Synthetic(2024)
    rows = [["No", "Nama", "NIK", "No KK", "No HP", "Kelurahan"]]
    for i in range(1, n + 1):
        rows.append([str(i), gen.name(), gen.nik(), gen.kk(), gen.phone(), "Kel. Contoh"])
    return rows


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook  # heavy: only when the demo starts

    wb = Workbook()
    ws = wb.active
    ws.title = "Penerima BLT"
    for row in rows:
        ws.append(row)
    wb.properties.creator = "Rudi Hartono"
    wb.properties.lastModifiedBy = "operator.dinsos"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bansos(portal: DemoPortal) -> None:
    http, https = LocalServer(), portal.tls_server(name="bansos")
    svc = portal.add(DemoService(
        "bansos", Service("Bantuan Sosial (Bansos)", "Dinas Sosial", "high", "specific",
                          "internet"), http, https))
    rows = _recipients(40)
    gen = Synthetic(7)
    residents = [{"nik": gen.nik(), "nama": gen.name(), "tgl_lahir": "1990-01-01",
                  "no_hp": gen.phone(), "email": gen.email(gen.name())} for _ in range(12)]
    screening = ["nama,nik,diagnosa,hasil_lab", *(
        f"{gen.name()},{gen.nik()},Hipertensi,positif" for _ in range(4))]
    partial = ", ".join(gen.nik()[:12] + "****" for _ in range(3))
    https.routes["/"] = html(svc.page("Layanan Bantuan Sosial", (
        '<p><a href="/layanan/blt">Penyaluran BLT 2024</a> · <a href="/kontak">Kontak</a> · '
        '<a href="/pengumuman">Pengumuman</a> · <a href="/kebijakan-privasi">Kebijakan '
        'Privasi</a></p>')), headers=[HSTS])
    https.routes["/layanan/blt"] = html(svc.page("Penyaluran BLT 2024", (
        '<p>Daftar penerima: <a href="/uploads/daftar_penerima_blt_2024.xlsx">unduh (XLSX)'
        '</a>. Hasil skrining kesehatan: <a href="/uploads/skrining.csv">CSV</a>. '
        f'<a href="/cek-status?nik={rows[1][2]}">Cek status penerima</a>. '
        '</p><script>fetch("/api/v1/penduduk").then(r => r.json()).then(show);</script>')),
        headers=[HSTS])
    https.routes["/uploads/daftar_penerima_blt_2024.xlsx"] = Response(
        200, [("Content-Type", XLSX)], _xlsx(rows))
    https.routes["/uploads/skrining.csv"] = Response(
        200, [("Content-Type", "text/csv")], "\n".join(screening))
    https.routes["/api/v1/penduduk"] = Response(
        200, [("Content-Type", "application/json"), ("Cache-Control", "public, max-age=600")],
        json.dumps({"status": "success", "data": residents}))
    https.routes["/cek-status"] = html(svc.page("Status", "<p>Status: terdaftar</p>"))
    https.routes["/pengumuman"] = html(svc.page("Pengumuman", (
        f"<p>Penerima susulan (NIK disamarkan): {partial}. Lainnya: 1271**********01, "
        "3271•••••••••••2.</p>")), headers=[HSTS])
    https.routes["/kontak"] = html(svc.page("Kontak", (
        "<p>Kepala Seksi Bansos: Bpk. Agus, HP 0812-0000-4321, dinsos@kota-contoh.go.id</p>")),
        headers=[HSTS])
    https.routes["/kebijakan-privasi"] = html(svc.page("Kebijakan Privasi", "<p>...</p>"),
                                              headers=[HSTS])
    svc.finalizers.append(same_host_https_redirect)


REGISTRATION = """
<script async src="https://tags.example.invalid/gtag/js?id=G-DEMO"></script>
<form method="get" action="/daftar/simpan">
  <input name="nama" placeholder="Nama lengkap"> <input name="nik" placeholder="NIK">
  <input name="no_kk" placeholder="Nomor KK"> <input name="no_hp" type="tel">
  <button>Daftar</button>
</form>
"""


def _registration(portal: DemoPortal) -> None:
    http = LocalServer()
    svc = portal.add(DemoService(
        "pendaftaran", Service("Pendaftaran Online Adminduk", "Disdukcapil", "high",
                               "personal", "internet"), http, None))
    http.routes["/"] = html(svc.page("Pendaftaran Online Adminduk", REGISTRATION))


def plant(portal: DemoPortal) -> None:
    _bansos(portal)
    _registration(portal)
