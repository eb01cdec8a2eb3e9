"""egov-audit init: a commented starter configuration with a city's 25 services.

Every host is a placeholder under ``example.go.id`` (a name that is never
contacted): the file is a shape to fill in, not a list of real systems.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from ..safe_write import write_atomic
from .common import handle_errors

# (service, OPD, host label, criticality, data classification, exposure)
CITY_SERVICES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Portal Resmi Pemerintah Kota", "Diskominfo", "www", "high", "public", "internet"),
    ("PPID - Informasi Publik", "Diskominfo", "ppid", "medium", "public", "internet"),
    ("Pengaduan Masyarakat (SP4N-LAPOR)", "Diskominfo", "lapor", "medium", "personal",
     "internet"),
    ("Satu Data Kota", "Diskominfo", "data", "medium", "public", "internet"),
    ("Layanan Adminduk Online", "Disdukcapil", "dukcapil", "vital", "personal", "internet"),
    ("Perizinan Online", "DPMPTSP", "perizinan", "high", "personal", "internet"),
    ("E-Pajak Daerah (PBB, BPHTB)", "Bapenda", "pajak", "high", "personal", "internet"),
    ("Sistem Informasi Puskesmas", "Dinas Kesehatan", "simpus", "vital", "specific",
     "internet"),
    ("Pendaftaran Online RSUD", "RSUD", "rsud", "vital", "specific", "internet"),
    ("PPDB Online", "Dinas Pendidikan", "ppdb", "high", "personal", "internet"),
    ("Data Bantuan Sosial", "Dinas Sosial", "bansos", "high", "specific", "internet"),
    ("SIMPEG ASN", "BKPSDM", "simpeg", "high", "personal", "internal"),
    ("E-Planning", "Bappeda", "eplanning", "medium", "internal", "internet"),
    ("E-Musrenbang", "Bappeda", "musrenbang", "low", "internal", "internet"),
    ("LPSE - Pengadaan", "Bagian Pengadaan Barang/Jasa", "lpse", "high", "internal",
     "internet"),
    ("JDIH - Produk Hukum", "Bagian Hukum", "jdih", "low", "public", "internet"),
    ("E-Office Naskah Dinas", "Sekretariat Daerah", "eoffice", "medium", "internal",
     "internal"),
    ("Informasi Kebencanaan", "BPBD", "bpbd", "high", "public", "internet"),
    ("Uji Berkala Kendaraan", "Dinas Perhubungan", "dishub", "medium", "personal",
     "internet"),
    ("Retribusi Persampahan", "Dinas Lingkungan Hidup", "dlh", "low", "personal",
     "internet"),
    ("Kartu Pencari Kerja", "Dinas Ketenagakerjaan", "disnaker", "medium", "personal",
     "internet"),
    ("Whistleblowing System", "Inspektorat", "wbs", "high", "personal", "internet"),
    ("Penertiban dan Ketertiban Umum", "Satpol PP", "satpolpp", "low", "public", "internet"),
    ("Persetujuan Bangunan Gedung", "Dinas Perumahan dan Kawasan Permukiman", "pbg", "medium",
     "personal", "internet"),
    ("Informasi Harga Pangan", "Dinas Ketahanan Pangan", "pangan", "low", "public",
     "internet"),
)

HEADER = """\
# egov-audit configuration: a starter for a city's weekly audit.
#
#   egov-audit run -c {name}       # audit, store in history, write reports
#   egov-audit history -c {name}   # runs and open findings per severity
#   egov-audit diff -c {name}      # new / regressed / fixed since the previous run
#
# Every host below is a PLACEHOLDER (*.kota.example.go.id): replace them with
# the services your unit is authorised to audit before the first run.

[scan]
rate = 2                 # requests per second per host: polite for production systems
connections = 2          # concurrent connections per host
workers = 4              # services audited in parallel
target_deadline = 300    # seconds for one service, all its checks
deadline = 7200          # seconds for the whole run
fail_on = "high"         # exit 1 on findings at or above: critical|high|medium|low|info|none
# checks = ["tls", "https", "headers"]   # only these families (default: all)
# ca_bundle = "ca-pemkot.pem"            # the city's private CA, relative to this file

[scope]
# Hosts besides the services' own that the crawl may follow (e.g. a shared login).
hosts = []
# hosts = ["sso.kota.example.go.id"]

[policy]
# Policy packs evaluated in every report ("egov-audit policies list").
packs = ["uu-pdp-2022", "bssn-4-2021", "iso-27001-2022"]

[sla]
# Days to fix, from the run's start; "none" for no target date.
containment = 1          # exposed personal data: contain within a day (UU PDP Pasal 46)
critical = 3
high = 14
medium = 30
low = 90
"""

SERVICE = """
[[services]]
name = "{name}"
opd = "{opd}"
criticality = "{criticality}"            # low | medium | high | vital
data_classification = "{classification}"   # public | internal | personal | specific
exposure = "{exposure}"             # internet | internal
targets = ["https://{host}.kota.example.go.id/"]
"""

FOOTER = """
[history]
# Every run is stored here (SQLite next to this file); 'egov-audit history' reads it.
path = "egov-audit-history.sqlite"
keep_runs = 104          # two years of weekly runs; older runs are removed
# url = "postgresql+psycopg://audit@db.kota.example.go.id/egov_audit"   # a shared store

[gates]
# CI and scheduled gates (the command-line options add to these).
fail_on_new = false      # true: only findings absent from the last stored run count
fail_on_policy = []      # e.g. ["bssn-4-2021"]: exit 1 when a control of the pack fails

# [suppressions]
# path = "suppressions.toml"   # accepted findings, with justification, approver, expiry

# Only when something changed or a gate failed; never carries an identifier.
# [notifications]
# when = "changes"             # changes | gate | always
# [notifications.webhook]
# url = "https://chat.kota.example.go.id/hooks/REPLACE-ME"
# [notifications.email]
# host = "smtp.kota.example.go.id"
# port = 587                   # STARTTLS required
# from = "egov-audit@kota.example.go.id"
# to = ["csirt@kota.example.go.id"]
# password_env = "EGOV_AUDIT_SMTP_PASSWORD"
"""


def starter_config(name: str = "egov-audit.toml") -> str:
    """The text ``egov-audit init`` writes: valid TOML, every choice commented."""
    services = "".join(
        SERVICE.format(name=n, opd=o, host=h, criticality=c, classification=d, exposure=e)
        for n, o, h, c, d, e in CITY_SERVICES)
    return HEADER.format(name=name) + services + FOOTER


@click.command()
@click.argument("path", default="egov-audit.toml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def init(path: str, force: bool) -> None:
    """Write a commented starter configuration to PATH ('-' for standard output).

    It lists a city's 25 services with placeholder hosts under example.go.id:
    replace them with the services you are authorised to audit.
    """
    if path == "-":
        sys.stdout.write(starter_config())
        return
    target = Path(path)
    if target.exists() and not force:
        raise InputError("the file already exists", source=target,
                         expected="another path, or --force to overwrite it")
    write_atomic(target, starter_config(target.name).encode("utf-8"))
    click.echo(f"wrote {target}: replace the placeholder hosts, then "
               f"'egov-audit run -c {target}'", err=True)
