"""Maintain the message catalogues: ``python -m egov_audit.reports.i18n_tool [--domain D]``.

* report messages are extracted from the templates and the renderer modules
  (every call of ``_``, ``gettext`` and ``N_`` with a literal string);
* check messages are the title, description and remediation of every check
  in the installed catalogue, so a new check family shows up as untranslated
  entries for the translators without anyone copying strings by hand.

Both are written as ``locale/<domain>.pot`` and merged into each language's
``.po``, keeping existing translations (no fuzzy guessing: a wrong guess in a
security advice is worse than English).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from egov_audit.safe_write import write_atomic

from .i18n import LANGUAGES

PACKAGE = "egov_audit.reports"
_CALL_IN_FSTRING = re.compile(r"(?<![\w.])(?:_|N_|gettext)\((['\"])((?:(?!\1).)+)\1\)")


def package_dir() -> Path:
    return Path(str(resources.files(PACKAGE)))


def report_messages() -> list[str]:
    """Every report message used by the templates and the renderer modules, in order."""
    from babel.messages.extract import extract

    found: dict[str, None] = {}
    base = package_dir()
    sources: list[tuple[str, Path]] = [
        *(("jinja2.ext:babel_extract", p) for p in sorted((base / "templates").glob("*.j2"))),
        *(("python", p) for p in sorted(base.glob("*.py"))),
    ]
    for method, path in sources:
        with path.open("rb") as fh:
            options = {"extensions": "jinja2.ext.i18n"} if method != "python" else {}
            for _lineno, message, _comments, _context in extract(method, fh, options=options):
                if isinstance(message, str) and message:
                    found.setdefault(message, None)
        if method == "python":
            # Python 3.11 tokenises an f-string as one string, hiding the _() calls
            # inside it from babel; a plain pattern finds those.
            for m in _CALL_IN_FSTRING.finditer(path.read_text("utf-8")):
                found.setdefault(m.group(2), None)
    return list(found)


def check_messages() -> list[str]:
    """Title, description and remediation of every installed check, in id order."""
    from egov_audit.registry import load_catalogue

    found: dict[str, None] = {}
    for cid, registered in sorted(load_catalogue().checks.items()):
        meta = registered.check.meta
        for text in (meta.title, meta.description, meta.remediation):
            if text:
                found.setdefault(text, None)
        del cid
    return list(found)


def plan_messages() -> list[str]:
    """Action titles of the remediation catalogue, when prioritisation is installed.

    Read defensively: the plan is another stage's contract and may be absent.
    """
    found: dict[str, None] = {}
    try:
        from egov_audit.prioritise import fixes, plan

        for action in fixes.load_catalogue().actions:
            for text in (action.title, *action.titles.values(), action.summary):
                found.setdefault(text, None)
        containment = getattr(plan, "CONTAINMENT_ACTION", None)
        if isinstance(containment, str):
            found.setdefault(containment, None)
        for template in getattr(plan, "NOTE_TEMPLATES", ()):
            found.setdefault(template, None)
        from egov_audit.prioritise import sla

        for key in getattr(sla, "DEFAULT_SLA", {}):  # the words inside the SLA note
            found.setdefault(key, None)
    except Exception:  # a missing or changed stage must not stop catalogue upkeep
        return []
    return list(found)


def messages(domain: str) -> list[str]:
    if domain == "report":
        return report_messages()
    return list(dict.fromkeys([*check_messages(), *plan_messages()]))


def _catalog(ids: Iterable[str], lang: str | None, domain: str) -> Any:
    from babel.messages.catalog import Catalog

    # A fixed creation date keeps regenerated catalogues free of diff noise.
    catalog = Catalog(locale=lang, domain=domain, project="egov-audit",
                      copyright_holder="egov-audit developers", charset="utf-8", fuzzy=False,
                      creation_date=datetime(2026, 1, 1, tzinfo=UTC),
                      revision_date=datetime(2026, 1, 1, tzinfo=UTC))
    for msgid in ids:
        catalog.add(msgid)
    return catalog


def _write(catalog: Any, path: Path) -> None:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=96, no_location=True, omit_header=False,
             ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, buf.getvalue())


def _fill_header(catalog: Any) -> None:
    """Replace babel's placeholder header values with the project's."""
    team = "egov-audit developers"
    catalog.header_comment = (
        f"# {catalog.locale_identifier or 'Template'} messages of egov-audit reports "
        f"({catalog.domain}).\n# This file is distributed under the same license as egov-audit."
    )
    catalog.last_translator = team
    catalog.language_team = team
    catalog.msgid_bugs_address = ""
    catalog.version = "1"
    catalog.revision_date = datetime(2026, 1, 1, tzinfo=UTC)


def update(domains: Iterable[str] = ("report", "checks")) -> dict[str, tuple[int, int]]:
    """Regenerate .pot files and merge them into every language's .po.

    Returns ``{"<lang>/<domain>": (translated, total)}``.
    """
    from babel.messages.pofile import read_po

    base = package_dir() / "locale"
    coverage: dict[str, tuple[int, int]] = {}
    for domain in domains:
        ids = messages(domain)
        template = _catalog(ids, None, domain)
        _fill_header(template)
        _write(template, base / f"{domain}.pot")
        for lang in LANGUAGES:
            if lang == "en":
                continue
            po_path = base / lang / "LC_MESSAGES" / f"{domain}.po"
            if po_path.is_file():
                with po_path.open("rb") as fh:
                    existing = read_po(fh, locale=lang, domain=domain)
            else:
                existing = _catalog((), lang, domain)
            existing.update(template, no_fuzzy_matching=True)
            _fill_header(existing)
            _write(existing, po_path)
            translated = sum(1 for m in existing if m.id and m.string and not m.fuzzy)
            coverage[f"{lang}/{domain}"] = (translated, len(ids))
    return coverage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", choices=("report", "checks"), action="append")
    args = parser.parse_args(argv)
    for name, (done, total) in update(args.domain or ("report", "checks")).items():
        sys.stdout.write(f"{name}: {done}/{total} translated\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
