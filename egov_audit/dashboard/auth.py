"""Accounts: argon2id password hashes in the history database, roles, login throttling.

Roles: an *officer* sees every unit; a *viewer* sees one owning unit (OPD)
and nothing of the others, also when typing their URLs (the pages answer 404,
the same as for a page that does not exist, so unit names do not leak).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from ..errors import InputError
from ..history.connect import WRITE
from .queries import ALL, Scope
from .tables import USERS

ROLES = ("viewer", "officer")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 hashes any length; a cap keeps a login request cheap


@dataclass(frozen=True)
class User:
    name: str
    role: str
    opd: str | None

    @property
    def scope(self) -> Scope:
        return ALL if self.role == "officer" else Scope(self.opd or "")


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    return str(PasswordHasher().hash(password))  # argon2id, the library's RFC 9106 defaults


def add_user(engine: sa.Engine, name: str, password: str, role: str,
             opd: str | None) -> User:
    """Create or replace an account (replacing resets its password and role)."""
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise InputError("a user name is 1 to 64 printable characters")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}", expected="viewer or officer")
    if role == "viewer" and not (opd and opd.strip()):
        raise InputError("a viewer sees one unit: give --opd", expected='--opd "Dinas X"')
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError(f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    row = {"name": name, "password_hash": hash_password(password), "role": role,
           "opd": opd.strip() if role == "viewer" and opd else None,
           "created_at": datetime.now(UTC).isoformat(timespec="seconds")}
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        conn.execute(USERS.delete().where(USERS.c.name == name))
        conn.execute(USERS.insert().values(**row))
    return User(name, role, row["opd"])


def has_users(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(USERS.c.name).limit(1)).first() is not None


def find_user(engine: sa.Engine, name: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(USERS.c.name, USERS.c.role, USERS.c.opd)
                           .where(USERS.c.name == name)).first()
    return None if row is None else User(row.name, row.role, row.opd)


# Verified against when the name is unknown, so a login takes as long for a
# name that does not exist as for a wrong password (no user enumeration by time).
_DUMMY: list[str] = []


def check_password(engine: sa.Engine, name: str, password: str) -> User | None:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    if len(password) > MAX_PASSWORD:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(USERS).where(USERS.c.name == name)).mappings().first()
    if not _DUMMY:
        _DUMMY.append(hasher.hash("not a password of anyone"))
    stored = row["password_hash"] if row is not None else _DUMMY[0]
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    return User(row["name"], row["role"], row["opd"])


class LoginThrottle:
    """At most ``limit`` failed logins per client address and per user name in
    ``window`` seconds; then logins are refused (429) until old failures age out.

    In memory, per server process: the dashboard runs as one waitress process.
    """

    def __init__(self, limit: int = 5, window: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def retry_after(self, address: str, name: str) -> int:
        """Seconds until a login may be tried again; 0 when it may now."""
        now = self.clock()
        with self._lock:
            waits = [self.window - (now - t[0]) for key in (f"a:{address}", f"u:{name}")
                     if len(t := self._recent(key, now)) >= self.limit]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, address: str, name: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > 100_000:  # bound memory under a spray of names
                self._failures.clear()
            for key in (f"a:{address}", f"u:{name}"):
                self._recent(key, now).append(now)

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._failures.pop(f"u:{name}", None)
