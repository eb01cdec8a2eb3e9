"""Personal-data detection: Indonesian identifiers, masking, document text extraction.

The library behind the ``pii`` checks. ``scan_text`` finds identifiers in a
piece of text; :mod:`.extract` turns HTML, JSON, CSV, XLSX, PDF, DOCX and SQL
bodies into labelled text units; :mod:`.analyse` sums a location up. Heavy
libraries (openpyxl, pypdf, python-docx, python-stdnum) load only when used.
"""

from .detect import CONTACT, KIND_NAMES, STRONG, Hit, Scanner, classify, scan_text

__all__ = ["CONTACT", "KIND_NAMES", "STRONG", "Hit", "Scanner", "classify", "scan_text"]
