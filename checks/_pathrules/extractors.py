"""Named extractors that rules may call to say *what* an exposed file reveals.

An extractor returns None when the file turns out not to be what the matcher
thought (a parse fails), which rejects the hit; otherwise details for the
finding and, optionally, a higher severity (a listing of scanned ID cards is
worse than a listing of icons).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from egov_audit.model import Severity
from egov_audit.probes.http import HttpResponse


@dataclass(frozen=True)
class Extracted:
    details: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None


# .DS_Store records: u32 name length, UTF-16BE name, 4-byte record code.
_DS_CODES = frozenset(
    b"Iloc BKGD ICVO LSVO bwsp cmmt dilc dscl extn fwi0 fwsw fwvh GRP0 icgo icsp icvo icvp "
    b"icvt info logS lg1S lssp lsvo lsvt lsvp lsvC modD moDD phyS ph1S pict vSrn vstl ptbL "
    b"ptbN".split()
)


def ds_store(resp: HttpResponse) -> Extracted | None:
    """The file and folder names a macOS .DS_Store reveals."""
    body = resp.body
    names: list[str] = []
    i = body.find(b"\0\0\0")
    while 0 <= i < len(body) - 8:
        length = body[i + 3]
        end = i + 4 + 2 * length
        if length and body[end : end + 4] in _DS_CODES:
            try:
                name = body[i + 4 : end].decode("utf-16-be")
            except UnicodeDecodeError:
                name = ""
            if name.isprintable() and name and name not in names:
                names.append(name)
        i = body.find(b"\0\0\0", i + 1)
    if not names:
        return None
    return Extracted({"names": names[:100], "names_total": len(names)},
                     Severity.MEDIUM if _sensitive(names) else None)


# "[^<>]" (not "[^>]"): an unclosed "<a " stops at the next tag, so repeated
# ones cost one scan each, not one scan to the end of the listing.
_HREF = re.compile(r"""<a\s[^<>]*href\s*=\s*["']([^"'?#]+)["']""", re.I)
_SENSITIVE_EXT = re.compile(
    r"\.(sql|gz|tgz|zip|rar|7z|bak|old|backup|xlsx?|csv|docx?|pdf|json|env|log|dump|mdb|"
    r"sqlite3?|db|jpe?g|png|php)$", re.I,
)
_DATA_EXT = re.compile(r"\.(sql|gz|tgz|zip|rar|7z|bak|old|backup|env|log|dump|mdb|sqlite3?|db)$",
                       re.I)
# Names that suggest scanned personal documents (KTP = ID card, KK = family card).
_PERSONAL = re.compile(
    r"(?i)(^|[^a-z])(ktp|e-?ktp|kk|kartu[ _-]?keluarga|npwp|ijazah|akta|akte|paspor|passport|"
    r"nik|sim|bpjs|skck|rekening|slip[ _-]?gaji|surat[ _-]?nikah|data[ _-]?pribadi|"
    r"pendaftar|peserta|pegawai|scan)([^a-z]|$)"
)


def _sensitive(names: list[str]) -> list[str]:
    return [n for n in names if _PERSONAL.search(n) or
            (_SENSITIVE_EXT.search(n) and not n.lower().endswith((".jpg", ".jpeg", ".png",
                                                                 ".php")))]


def directory_listing(resp: HttpResponse) -> Extracted | None:
    """The entries of an autoindex page, and whether they look sensitive."""
    entries: list[str] = []
    for href in _HREF.findall(resp.text):
        name = unquote(href.rstrip("/").rsplit("/", 1)[-1])
        if not name or name in ("..", ".") or href.startswith(("http:", "https:", "..")):
            continue
        if name not in entries:
            entries.append(name)
    personal = [n for n in entries if _PERSONAL.search(n)]
    risky = _sensitive(entries)
    # Personal documents or dumps/archives/logs make a listing a data leak, not an
    # information leak; ordinary published PDFs keep the rule's own severity.
    severity = Severity.HIGH if personal or any(_DATA_EXT.search(n) for n in entries) else None
    return Extracted(
        {"entries": entries[:50], "entries_total": len(entries),
         "sensitive_entries": risky[:20]},
        severity,
    )


EXTRACTORS: Mapping[str, Callable[[HttpResponse], Extracted | None]] = {
    "ds_store": ds_store,
    "directory_listing": directory_listing,
}
