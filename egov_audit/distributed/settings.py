"""Which executor runs the targets: the local threads (default) or Celery workers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError

KINDS = ("local", "celery")
DEFAULT_QUEUE = "egov-audit"
# How often a target may be started before it is given up as killing its
# workers: each start after the first means a worker died holding it.
DEFAULT_MAX_ATTEMPTS = 3
# Seconds an unacknowledged target stays with a worker before Redis hands it
# to another one. Longer than any target may run (its deadline), or a slow
# target would be audited twice; short enough that a dead machine's targets
# come back within the run.
DEFAULT_VISIBILITY_TIMEOUT = 600.0


@dataclass(frozen=True)
class ExecutorSettings:
    kind: str = "local"
    broker: str | None = None  # redis://[:password@]host:port/db or rediss://
    queue: str = DEFAULT_QUEUE
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    @property
    def distributed(self) -> bool:
        return self.kind != "local"

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None,
                    overrides: Mapping[str, Any] | None = None) -> ExecutorSettings:
        """``[executor]`` of the configuration, overridden by command-line values
        (None means "not given"). Raises InputError naming what is wrong."""
        data = {**(section or {}), **{k: v for k, v in (overrides or {}).items()
                                      if v is not None}}
        unknown = set(data) - {"kind", "broker", "queue", "max_attempts"}
        if unknown:
            raise InputError(f"[executor] has unknown keys: {', '.join(sorted(unknown))}",
                             key=("executor", sorted(unknown)[0]))
        kind = str(data.get("kind", "local"))
        if kind not in KINDS:
            raise InputError(f"executor must be one of {', '.join(KINDS)}, not {kind!r}",
                             key=("executor", "kind"))
        broker = data.get("broker")
        if kind == "celery":
            if not broker:
                raise InputError("the celery executor needs a broker: "
                                 "--broker redis://HOST:PORT/DB", key=("executor",))
            check_broker_url(str(broker))
        attempts = data.get("max_attempts", DEFAULT_MAX_ATTEMPTS)
        if not isinstance(attempts, int) or attempts < 1:
            raise InputError("[executor] max_attempts must be a whole number of at least 1",
                             key=("executor", "max_attempts"))
        return cls(kind=kind, broker=str(broker) if broker else None,
                   queue=str(data.get("queue", DEFAULT_QUEUE)), max_attempts=attempts)


def check_broker_url(url: str) -> str:
    """A Redis URL (``redis://`` or, with TLS, ``rediss://``), or InputError."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise InputError(f"the broker must be a redis:// or rediss:// URL, not {redact_url(url)!r}",
                         key=("executor", "broker"))
    return url


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:" if parts.username else ":"
    return parts._replace(netloc=f"{user}***@{netloc}").geturl()
