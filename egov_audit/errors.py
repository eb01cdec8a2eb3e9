"""Typed errors raised by the library, and the exit statuses the CLI maps them to.

Only the CLI turns these into exit codes (see :mod:`egov_audit.cli`); library
code raises and never calls ``sys.exit``.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    """Process exit codes: a public contract for CI pipelines."""

    CLEAN = 0
    FINDINGS = 1  # findings at or above the --fail-on gate
    USAGE = 2  # usage or input error
    INCOMPLETE = 3  # some targets or checks errored; a gate failure wins over this
    INTERRUPTED = 130


class EgovAuditError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_status = ExitStatus.USAGE


class InputError(EgovAuditError):
    """Bad user input: says which file, which line and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        source: str | Path | None = None,
        line: int | None = None,
        expected: str | None = None,
        key: tuple[str, ...] = (),
    ) -> None:
        self.message = message
        self.source = str(source) if source is not None else None
        self.line = line
        self.expected = expected
        # The configuration key the error is about (("sla", "high")): a stage that
        # validates its section from parsed data, which has no line numbers, names
        # the key, and the configuration loader turns it into a line.
        self.key = key
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class RegistryError(EgovAuditError):
    """The check catalogue is inconsistent, e.g. two checks share an id."""


class ResultFormatError(InputError):
    """A stored result does not match the result contract."""
