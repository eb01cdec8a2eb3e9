"""Reading parsed JSON at a boundary: each field typed once, or an error that names it.

A stored result is user input (``egov-audit render`` reads files people keep,
edit and exchange), so the typed models of its post-run sections (risk, plan,
compliance) parse it here, once, instead of every renderer guessing at every
use. An error names the field by its path in the result
(``extensions.plan.items[2].effort``), says what it found and what was
expected, as an :class:`~egov_audit.errors.InputError` (exit status 2).

Fields a model does not know are ignored, so a result of a later 1.x contract
(which may only add fields) still reads.

The two lenient readers at the end are for documents still read defensively
(history and suppression sections, signature manifests): one place for them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from .errors import InputError

_SHOWN = 40  # characters of a wrong value quoted in a message


_DIGITS_SHOWN = 5  # more digits than this could be an identifier or a phone number


def _describe(value: object) -> str:
    """What was found, briefly: short scalars quoted, anything else by its kind.

    A value holding many digits is described, never quoted: a stored result
    is checked field by field, and a NIK or phone number in a wrong place
    must not reach the console through the error that says so.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if sum(c.isdigit() for c in value[:_SHOWN + 1]) > _DIGITS_SHOWN:
            return f"a string of {len(value)} characters with digits"
        return repr(value) if len(value) <= _SHOWN else "a long string"
    if isinstance(value, int | float):
        return repr(value) if abs(value) < 10 ** _DIGITS_SHOWN else "a large number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def malformed(path: str, value: object, expected: str) -> InputError:
    """The error for a field at ``path`` holding ``value`` instead of ``expected``."""
    return InputError(f"malformed result: {path} is {_describe(value)}", expected=expected)


class JsonFields:
    """One JSON object, read field by field; every error names ``path.key``."""

    __slots__ = ("_data", "path")

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, Mapping):
            raise malformed(path, value, "an object")
        self._data: Mapping[str, Any] = value
        self.path = path

    def at(self, key: str) -> str:
        # Keys are data too (finding ids, pack ids): a huge one must not flood the message.
        shown = key if len(key) <= _SHOWN else key[:_SHOWN] + "…"
        return f"{self.path}.{shown}"

    def has(self, key: str) -> bool:
        return key in self._data

    def names(self) -> Iterator[str]:
        """The object's member names, in their order."""
        return iter(self._data)

    def unknown(self, key: str, expected: str) -> InputError:
        """The error for a member this object may not have (an unknown SLA key...)."""
        return InputError(f"malformed result: {self.at(key)} is not a known key",
                          expected=expected)

    def raw(self, key: str, expected: str) -> object:
        if key not in self._data:
            raise InputError(f"malformed result: {self.at(key)} is missing", expected=expected)
        value: object = self._data[key]
        return value

    def text(self, key: str) -> str:
        value = self.raw(key, "a string")
        if not isinstance(value, str):
            raise malformed(self.at(key), value, "a string")
        return value

    def optional_text(self, key: str) -> str | None:
        """A string or null (the key itself must be there)."""
        value = self.raw(key, "a string or null")
        if value is not None and not isinstance(value, str):
            raise malformed(self.at(key), value, "a string or null")
        return value

    def choice(self, key: str, allowed: Collection[str]) -> str:
        expected = "one of " + ", ".join(allowed)
        value = self.raw(key, expected)
        if not isinstance(value, str) or value not in allowed:
            raise malformed(self.at(key), value, expected)
        return value

    def integer(self, key: str, minimum: int | None = None) -> int:
        expected = "a whole number" + (f" of at least {minimum}" if minimum is not None else "")
        value = self.raw(key, expected)
        if not isinstance(value, int) or isinstance(value, bool) or (
                minimum is not None and value < minimum):
            raise malformed(self.at(key), value, expected)
        return value

    def optional_integer(self, key: str, minimum: int | None = None) -> int | None:
        if self.raw(key, "a whole number or null") is None:
            return None
        return self.integer(key, minimum)

    def number(self, key: str) -> float:
        """A finite number; JSON's 80 and 80.0 are the same number to every reader."""
        value = self.raw(key, "a number")
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(
                value):
            raise malformed(self.at(key), value, "a finite number")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw(key, "true or false")
        if not isinstance(value, bool):
            raise malformed(self.at(key), value, "true or false")
        return value

    def array(self, key: str, expected: str) -> Sequence[object]:
        value = self.raw(key, expected)
        if not isinstance(value, list | tuple):
            raise malformed(self.at(key), value, expected)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        items = self.array(key, "a list of strings")
        for n, item in enumerate(items):
            if not isinstance(item, str):
                raise malformed(f"{self.at(key)}[{n}]", item, "a string")
        return tuple(str(item) for item in items)

    def obj(self, key: str) -> JsonFields:
        return JsonFields(self.raw(key, "an object"), self.at(key))

    def objects(self, key: str) -> tuple[JsonFields, ...]:
        items = self.array(key, "a list of objects")
        return tuple(JsonFields(item, f"{self.at(key)}[{n}]") for n, item in enumerate(items))

    def entries(self) -> Iterator[tuple[str, JsonFields]]:
        """Every member as an object, for sections keyed by id (finding id, pack id)."""
        for key, value in self._data.items():
            yield key, JsonFields(value, self.at(key))

    def mapping(self, key: str) -> Mapping[str, Any]:
        """A member kept as the JSON object it is (for parts the contract leaves open)."""
        value = self.raw(key, "an object")
        if not isinstance(value, Mapping):
            raise malformed(self.at(key), value, "an object")
        return value


# Lenient readers: anything of another shape reads as empty.

def object_or_empty(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def list_or_empty(value: object) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else ()
