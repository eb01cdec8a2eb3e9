"""Field-corpus layouts of a fifth batch written after the detector was tuned: forms
with dot leaders, select options, decree attachments with combined columns, data left
in HTML comments, records embedded in inline JavaScript, and GeoJSON for aid maps.

Each layout is ``(builder, index) -> (fmt, text)`` (see benchmarks/pii_field_tables.py).
"""

from __future__ import annotations

import html
import json
from typing import Any

import pii_field_ids as ids
import pii_field_lookalikes as fake
from pii_field_doc import Builder
from pii_field_render import page


def dot_leader_forms(b: Builder, i: int) -> tuple[str, str]:
    """Filled-in forms where dot leaders run from the label to the value."""
    rng = b.rng
    forms = []
    for _ in range(rng.randint(2, 20)):
        p = ids.person(rng)
        fields = [
            ("Nama", p.name),
            ("N I K", b.pos("nik", p.nik)),
            ("No. Kartu Keluarga", b.pos("kk", p.kk)),
            ("No. Telepon/HP", b.pos("phone", ids.phone_printed(rng, ids.mobile(rng)))),
            ("No. Pendaftaran", b.neg("registration", fake.registration_number(rng, p.nik[:6]))),
        ]
        forms.append(
            "FORMULIR PERMOHONAN\n"
            + "\n".join(f"{k} {'.' * (28 - len(k))} : {v}" for k, v in fields)
        )
    return "text", "\n\n".join(forms) + "\n"


def select_options(b: Builder, i: int) -> tuple[str, str]:
    """A search form whose drop-down lists every recipient: the value is the NIK, the
    option text the name (and sometimes the NIK again)."""
    rng = b.rng
    options = []
    for _ in range(rng.randint(30, 200)):
        p = ids.person(rng)
        nik = b.pos("nik", p.nik)
        text = f"{p.name} - {nik}" if rng.random() < 0.4 else p.name
        options.append(f'<option value="{nik}">{html.escape(text)}</option>')
    body = (
        '<form action="/bansos/cek"><label for="nik">Pilih penerima (NIK)</label>'
        f'<select id="nik" name="nik">{"".join(options)}</select></form>'
    )
    return "html", page(rng, "Dinas Sosial", "Cek Penerima", body)


def combined_cells(b: Builder, i: int) -> tuple[str, str]:
    """A decree attachment (lampiran SK): 'NAMA / NIP' and 'NIK / NO. KK' columns, two
    values on two lines of one cell."""
    rng = b.rng
    rows = []
    for n in range(1, rng.randint(20, 90)):
        p = ids.person(rng)
        nip = ids.nip(rng)
        rows.append(
            f"<tr><td>{n}</td><td>{html.escape(p.name)}<br>NIP. {b.pos('nip', nip)}</td>"
            f"<td>{b.pos('nik', p.nik)}<br>{b.pos('kk', p.kk)}</td>"
            f"<td>{rng.choice(('III/a', 'III/b', 'IV/a'))}</td></tr>"
        )
    table = (
        '<table class="table"><thead><tr><th>NO</th><th>NAMA / NIP</th><th>NIK / NO. KK</th>'
        f"<th>GOL</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return "html", page(rng, "BKPSDM", "Lampiran Keputusan", table)


def html_comments(b: Builder, i: int) -> tuple[str, str]:
    """Debug output left in HTML comments: a dumped record per row of a public list."""
    rng = b.rng
    rows = []
    for n in range(1, rng.randint(20, 100)):
        p = ids.person(rng)
        dump = (
            f"<!-- debug: nik={b.pos('nik', p.nik)} no_kk={b.pos('kk', p.kk)} "
            f"hp={b.pos('phone', ids.mobile(rng))} -->"
        )
        rows.append(
            f"<tr><td>{n}</td><td>{html.escape(p.name)}{dump}</td><td>Terverifikasi</td></tr>"
        )
    table = (
        '<table class="table"><thead><tr><th>No</th><th>Nama</th><th>Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return "html", page(rng, "Dinas Sosial", "Status Verifikasi", table)


def inline_script_data(b: Builder, i: int) -> tuple[str, str]:
    """Records rendered into inline JavaScript for a chart or a map; the visible page
    shows only counts."""
    rng = b.rng
    records: list[dict[str, Any]] = []
    for _ in range(rng.randint(30, 200)):
        p = ids.person(rng)
        records.append(
            {
                "nik": b.pos("nik", p.nik),
                "kk": b.pos("kk", p.kk),
                "nama": p.name,
                "hp": b.pos("phone", ids.mobile(rng)),
                "lat": round(rng.uniform(-8, 4), 6),
                "lng": round(rng.uniform(95, 140), 6),
            }
        )
    script = (
        f"<script>\nvar dataPenerima = {json.dumps(records)};\nrenderPeta(dataPenerima);\n</script>"
    )
    body = f'<p>Jumlah penerima: {len(records)} KPM</p><div id="peta"></div>{script}'
    return "html", page(rng, "Dinas Sosial", "Peta Sebaran Penerima", body)


def geojson(b: Builder, i: int) -> tuple[str, str]:
    """A GeoJSON layer of aid recipients: identifiers in each feature's properties."""
    rng = b.rng
    features = []
    for _ in range(rng.randint(20, 150)):
        p = ids.person(rng)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(rng.uniform(95, 140), 6), round(rng.uniform(-8, 4), 6)],
                },
                "properties": {
                    "NIK": b.pos("nik", p.nik),
                    "NO_KK": b.pos("kk", p.kk),
                    "NAMA_KRT": p.name,
                    "ID_BDT": b.neg("household_id", fake.order_number(rng)),
                },
            }
        )
    return "json", json.dumps({"type": "FeatureCollection", "features": features})
