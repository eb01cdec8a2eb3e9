"""The identifier-dense tables of the throughput benchmark as real listings write them.

``dense_tables`` gives one plain form per format. Exports and listing pages wrap the
same rows in other syntax: RFC 4180 quoting, DataTables and Bootstrap section tags,
JSON APIs that pretty-print, wrap the list in an envelope or nest an address or the
person in an object (null where absent). Each layout here is rewritten from the plain
form's rows by the format's own writer (``csv``, ``json``, HTML written out), so every
layout holds exactly the plain form's identifiers: the benchmark checks that the probe
finds the same number of each kind in both.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pii_field_corpus import DEFAULT_SEED, dense_tables

__all__ = ["dense_layouts"]


def dense_layouts(seed: int = DEFAULT_SEED) -> dict[str, tuple[str, str, bytes]]:
    """``{layout: (plain set it rewrites, format, body)}``."""
    plain = {fmt: doc.text for fmt, doc in dense_tables(seed).items()}
    out: dict[str, tuple[str, str, bytes]] = {}
    for name, text in _csv_layouts(plain["csv"]).items():
        out[name] = ("dense csv", "csv", text.encode())
    for name, text in _html_layouts(plain["html"]).items():
        out[name] = ("dense html", "html", text.encode())
    for name, text in _json_layouts(plain["json"]).items():
        out[name] = ("dense json", "json", text.encode())
    return out


def _csv_layouts(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    quoted, comma = io.StringIO(), io.StringIO()
    csv.writer(quoted, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)  # "\r\n"
    csv.writer(comma, lineterminator="\n").writerows(rows)
    return {"csv, every field quoted": quoted.getvalue(), "csv, commas, LF": comma.getvalue()}


def _html_layouts(text: str) -> dict[str, str]:
    lines = text.splitlines(keepends=True)
    head, body, tail = lines[1], lines[2:-1], lines[-1]  # <table>, header row, rows, </table>
    sections = ("<table id=\"tabel-penerima\" class=\"table table-striped\">\n<thead>\n"
                + head.replace("<th>", "<th scope=\"col\">") + "</thead>\n<tbody>\n"
                + "".join(body) + "</tbody>\n" + tail)
    numbered = ("<table>\n" + head.replace("<tr>", "<tr><th>No</th>", 1)
                + "".join(row.replace("<tr>", f"<tr><td>{n}.</td>", 1)
                          for n, row in enumerate(body, 1)) + tail)
    page = ("<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
            "<title>Daftar Penerima</title></head><body><nav><ul><li><a href=\"/\">Beranda"
            "</a></li></ul></nav><main><h1>Daftar Penerima Bantuan</h1>\n" + sections
            + "</main><footer>© Pemerintah Kota</footer></body></html>\n")
    return {"html, thead and tbody": sections, "html, numbered rows": numbered,
            "html, in a page (not ASCII)": page}


def _json_layouts(text: str) -> dict[str, str]:
    records: list[dict[str, Any]] = json.loads(text)
    address = {"kelurahan": "Sei Sikambing B", "kecamatan": "Medan Sunggal", "rt": "003"}
    nested = [{"nik": r["nik"], "no_kk": r["no_kk"], "alamat": address,
               "kontak": {"hp": r["hp"]}, "bpjs": r["bpjs"]} for r in records]
    optional = [{**r, "alamat": address if n % 3 else None} for n, r in enumerate(records)]
    person = [{"id": n, "penduduk": r, "verifikasi": n % 2 == 0}
              for n, r in enumerate(records, 1)]
    return {
        "json, indented": json.dumps(records, indent=2),
        "json, in an envelope": json.dumps({"status": "success", "total": len(records),
                                            "data": records}),
        "json, nested objects": json.dumps(nested),
        "json, optional object": json.dumps(optional),
        "json, record in an object": json.dumps({"data": person}),
    }
