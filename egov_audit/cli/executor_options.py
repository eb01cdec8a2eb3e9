"""--executor, --broker and --queue, for scan and run.

One decorator adds the options and hands the command a single
:class:`ExecutorChoice`; after building the request the command calls::

    request.executor = executor.resolve(request)   # bad values exit 2 now

Command-line values override the configuration's ``[executor]`` section.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..distributed.settings import ExecutorSettings
    from ..runner import AuditRequest


@dataclass(frozen=True)
class ExecutorChoice:
    kind: str | None
    broker: str | None
    queue: str | None

    def resolve(self, request: AuditRequest) -> ExecutorSettings:
        from ..distributed.settings import ExecutorSettings

        return ExecutorSettings.from_config(
            request.config_sections.get("executor"),
            {"kind": self.kind, "broker": self.broker, "queue": self.queue},
        )


def executor_options(func: Callable[..., Any]) -> Callable[..., Any]:
    @click.option("--executor", "executor_kind", type=click.Choice(["local", "celery"]),
                  default=None,
                  help="Where targets run: local threads (default) or Celery workers.")
    @click.option("--broker", "executor_broker", metavar="URL", default=None,
                  help="Redis broker of the Celery workers: redis://HOST:PORT/DB "
                       "(rediss:// for TLS). See docs/distributed.md.")
    @click.option("--queue", "executor_queue", metavar="NAME", default=None,
                  help="Celery queue the targets are sent to (default egov-audit).")
    @functools.wraps(func)
    def wrapper(*args: Any, executor_kind: str | None, executor_broker: str | None,
                executor_queue: str | None, **kwargs: Any) -> Any:
        choice = ExecutorChoice(executor_kind, executor_broker, executor_queue)
        return func(*args, executor=choice, **kwargs)

    return wrapper
