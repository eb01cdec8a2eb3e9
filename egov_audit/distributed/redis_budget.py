"""The per-host request budget of a distributed run, counted in Redis.

Locally one :class:`~egov_audit.probes.budget.RequestBudget` counts a host's
requests for the whole run. Across workers each process has its own, so four
workers auditing targets of one host could together send four budgets; here
the host's total lives in Redis instead, one counter per run and host, and
every worker's ceiling check and increment is one Lua script (atomic, so two
workers never both take the last request). The priorities are unchanged:
each class still compares the shared total with its own ceiling, so the
reserves for discovery and entry pages hold across workers too.

Key ``egov-audit:budget:<run id>:<host>``; it expires a day after the run's
deadline (set on every increment), so a run that dies leaves nothing behind
for long and a late worker of a live run never finds its count gone.

Redis unreachable (or slower than the client's socket timeout): the request
is refused, not sent, with a reason saying so (:func:`unavailable_reason`);
the bound is a promise to the host, and a worker that cannot count must not
guess.
"""

from __future__ import annotations

import time
from typing import Any

from ..probes.budget import BudgetUnavailable, RequestBudget

KEY_PREFIX = "egov-audit:budget:"
KEEP_AFTER_DEADLINE_S = 86400

# KEYS[1] the host's counter; ARGV: most, ttl seconds. 1 when counted, 0 when full.
_TAKE = """
local sent = tonumber(redis.call('GET', KEYS[1]) or '0')
if sent >= tonumber(ARGV[1]) then
  return 0
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""


class RedisRequestBudget(RequestBudget):
    """A :class:`RequestBudget` whose per-host totals are shared through Redis."""

    def __init__(self, client: Any, run_id: str, limit: int, run_deadline: float) -> None:
        """``run_deadline`` is wall-clock time (``time.time()``), as the runner sends it."""
        super().__init__(limit)
        self._client = client
        self._prefix = f"{KEY_PREFIX}{run_id}:"
        self._run_deadline = run_deadline
        self._take = client.register_script(_TAKE)

    def key(self, host: str) -> str:
        return self._prefix + host

    def take(self, key: str, most: int) -> bool:
        ttl = int(max(0.0, self._run_deadline - time.time())) + KEEP_AFTER_DEADLINE_S
        try:
            return bool(self._take(keys=[self.key(key)], args=[most, ttl]))
        except Exception as exc:  # any redis-py failure: refused, timeout, authentication
            raise BudgetUnavailable(f"Redis unreachable: {type(exc).__name__}") from None

    def total(self, host: str) -> int:
        """Requests every worker has counted to ``host`` in this run."""
        return int(self._client.get(self.key(host)) or 0)
