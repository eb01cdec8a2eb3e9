"""Writing reports: atomic, never through a planted symlink, and duplicate keys refused on input.

Someone who can write into the output directory (a shared CI workspace) plants
``report.html -> ~/.bashrc``. Writing the report must replace the link with a
regular file and leave its target untouched.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.errors import InputError
from egov_audit.model import RunReport
from egov_audit.result_io import dumps
from egov_audit.safe_write import PRIVATE, write_atomic, write_new


def stored(report: RunReport, tmp_path: Path) -> Path:
    result = tmp_path / "result.json"
    result.write_text(dumps(report), encoding="utf-8")
    return result


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_render_replaces_a_planted_symlink_instead_of_writing_through_it(
        report: RunReport, tmp_path: Path) -> None:
    # Given an output directory where report.html and report.md are links to other files
    result = stored(report, tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").symlink_to(victim)
    (out / "report.md").symlink_to(tmp_path / "never-created")
    # When the reports are rendered there
    run = CliRunner().invoke(main, ["render", str(result), "-f", "html,md", "-o", str(out)])
    # Then the links' targets are untouched and the reports are regular files
    assert run.exit_code == 0, run.output
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "never-created").exists()
    for name in ("report.html", "report.md", "result.json"):
        assert not (out / name).is_symlink(), name
        assert (out / name).stat().st_size > 0
    assert "<html" in (out / "report.html").read_text("utf-8")
    assert leftovers(out) == []


def test_md_is_an_alias_for_markdown(report: RunReport, tmp_path: Path) -> None:
    result = stored(report, tmp_path)
    run = CliRunner().invoke(main, ["render", str(result), "-f", "md,markdown",
                                    "-o", str(tmp_path / "o")])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "o" / "report.md").read_text("utf-8").startswith("## ")


def test_written_files_have_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "a.txt", b"one")
        key = write_new(tmp_path / "k.key", b"secret", mode=PRIVATE)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_replacing_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_bytes(b"old")
    inode = target.stat().st_ino
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != inode  # a new file renamed over the old, not rewritten
    assert leftovers(tmp_path) == []


def test_a_directory_in_the_way_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "report.html").mkdir()
    with pytest.raises(InputError, match=r"report\.html"):
        write_atomic(tmp_path / "report.html", b"x")
    assert leftovers(tmp_path) == []


def test_write_new_refuses_anything_at_the_name_even_a_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "k.key").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError, match="refusing to overwrite"):
        write_new(tmp_path / "k.key", b"secret", mode=PRIVATE)
    assert not (tmp_path / "elsewhere").exists()
    assert leftovers(tmp_path) == []


# ---- duplicate keys in inputs ----------------------------------------------------------------

def with_duplicate_findings(report: RunReport, tmp_path: Path) -> Path:
    """The forgery from issue 12: an empty findings list in front of the real one."""
    result = stored(report, tmp_path)
    text = result.read_text("utf-8")
    result.write_text(text.replace("{", '{\n  "findings": [],', 1), encoding="utf-8")
    return result


def test_render_refuses_a_result_with_a_duplicate_key(report: RunReport, tmp_path: Path) -> None:
    result = with_duplicate_findings(report, tmp_path)
    run = CliRunner().invoke(main, ["render", str(result), "-f", "md"])
    assert run.exit_code == 2
    assert str(result) in run.output and "'findings'" in run.output
    assert not (tmp_path / "report.md").exists()


def test_diff_refuses_a_result_with_a_duplicate_key(report: RunReport, tmp_path: Path) -> None:
    result = with_duplicate_findings(report, tmp_path)
    good = tmp_path / "good.json"
    good.write_text(dumps(report), encoding="utf-8")
    run = CliRunner().invoke(main, ["diff", str(good), str(result)])
    assert run.exit_code == 2
    assert str(result) in run.output and "duplicate key 'findings'" in run.output
