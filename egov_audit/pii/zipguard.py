"""Look at an XLSX/DOCX container before anything inflates it.

An Office Open XML file is a ZIP archive (ECMA-376 Part 2) of XML parts. Its
central directory declares every member's sizes, so a zip bomb can be refused
from the directory alone: too many members, a member or a total that would
unpack to too much, or a ratio no real spreadsheet reaches (text XML deflates
10-20:1; a bomb 1,000:1). ``zipfile`` then holds each member to its declared
size (it stops at ``file_size`` and checks the CRC), so the declaration is a
real bound. OOXML parts never carry a DTD, and a DTD is what entity-expansion
bombs ("billion laughs") need, so a part whose prolog declares one is refused
before any XML parser sees it.

Everything here reads the archive itself; the XML parsers run afterwards, in
the document child process (:mod:`egov_audit.pii.documents`).
"""

from __future__ import annotations

import io
import struct
import zipfile

MAX_MEMBERS = 2_000
MAX_DIRECTORY_BYTES = 1024 * 1024  # the central directory itself
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # uncompressed, as declared
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
PROLOG_BYTES = 64 * 1024  # how far into an XML part its root element must start
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # all OOXML writers use

_EOCD = b"PK\x05\x06"  # end of central directory record (APPNOTE 4.3.16)
_EOCD64_LOCATOR = b"PK\x06\x07"  # zip64 end of central directory locator (4.3.15)
_EOCD64 = b"PK\x06\x06"  # zip64 end of central directory record (4.3.14)


class Refused(Exception):
    """The container is not read; the message says why, for the report."""


def directory(body: bytes) -> tuple[int, int]:
    """(member count, central directory size) from the end records, before
    ``zipfile`` walks the directory: a lying count or a 30 MB directory of tiny
    members is refused without building a ZipInfo per member."""
    at = body.rfind(_EOCD, max(0, len(body) - 22 - 0xFFFF))
    if at < 0 or len(body) < at + 22:
        raise Refused("not a ZIP archive (no end of central directory)")
    count, size = struct.unpack_from("<HI", body, at + 10)
    locator = at - 20
    if locator >= 0 and body[locator:locator + 4] == _EOCD64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", body, locator + 8)
        if offset + 56 > len(body) or body[offset:offset + 4] != _EOCD64:
            raise Refused("ZIP64 end record missing or misplaced")
        count, size = struct.unpack_from("<QQ", body, offset + 32)
    return count, size


def inspect(body: bytes) -> zipfile.ZipFile:
    """The archive, opened, once its directory is within every cap; else Refused."""
    count, size = directory(body)
    if count > MAX_MEMBERS:
        raise Refused(f"ZIP archive has {count} members (at most {MAX_MEMBERS} are read)")
    if size > MAX_DIRECTORY_BYTES:
        raise Refused(f"ZIP central directory of {size} bytes "
                      f"(at most {MAX_DIRECTORY_BYTES} are read)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise Refused(f"malformed ZIP archive ({exc})") from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Refused(f"ZIP archive has {len(members)} members "
                      f"(at most {MAX_MEMBERS} are read)")
    total = 0
    for info in members:
        _check_member(info)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise Refused(f"ZIP members would unpack to over {MAX_TOTAL_BYTES >> 20} MB")
    return archive


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename[:80]
    if info.flag_bits & 0x1:
        raise Refused(f"ZIP member {name} is encrypted")
    if info.compress_type not in _METHODS:
        raise Refused(f"ZIP member {name} uses compression method {info.compress_type} "
                      "(OOXML uses stored or deflate)")
    if info.file_size > MAX_MEMBER_BYTES:
        raise Refused(f"ZIP member {name} would unpack to {info.file_size >> 20} MB "
                      f"(at most {MAX_MEMBER_BYTES >> 20} MB)")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        raise Refused(f"ZIP member {name} has a compression ratio of {ratio}:1 "
                      f"(a zip bomb; at most {MAX_RATIO}:1 is read)")


def check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse any XML part whose prolog declares a DTD (``<!DOCTYPE``), which is
    where entity declarations live. Only the prolog is read: the XML grammar
    allows a document type declaration nowhere else."""
    for info in archive.infolist():
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                head = part.read(PROLOG_BYTES)
            problem = prolog_problem(head)
            if problem:
                raise Refused(f"XML part {info.filename[:80]} {problem}")


def prolog_problem(head: bytes) -> str | None:
    """Why the start of an XML document is refused, or None when its root element
    begins within ``head`` after nothing but declarations, comments and blanks."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte order mark
        text = head.decode("utf-16-le" if head[1] == 0 else "utf-16-be", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            return None if len(head) < PROLOG_BYTES else "has no root element in its first 64 KB"
        if text.startswith("<?", lt):
            end = text.find("?>", lt + 2)
        elif text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
        elif text[lt + 1:lt + 2] == "!":
            return "declares a DTD (entity expansion is refused)"
        else:
            return None  # the root element: no DTD can follow
        if end < 0:
            return None if len(head) < PROLOG_BYTES else "has a prolog longer than 64 KB"
        pos = end + 2
