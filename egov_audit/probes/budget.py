"""The per-host request budget, spent by priority, and the run's request ledger.

A government host should not receive more than a few hundred requests from
one audit, however many targets, probes and sweeps point at it. One
:class:`RequestBudget` per run, keyed by host (every port and scheme of a host
share it, like the connection limit), counts the requests that went on the
wire; each request says how much it matters (:class:`Priority`), and a class
may spend only up to its *ceiling*: the budget minus a reserve kept for the
classes above it. So the path sweep's guesses can never eat what the entry
page, robots.txt and the links the site itself publishes still need, even
when a sweep starts first. See docs/scope-and-politeness.md.

What the budget refuses is never silent: the refused fetch carries
:func:`refusal_reason` as its error, and the ledger counts it per host.

One interface, two counters: :class:`RequestBudget` counts the host's total
in this process (the local executor); a distributed run's workers count it
in Redis (:class:`egov_audit.distributed.redis_budget.RedisRequestBudget`),
which overrides only :meth:`RequestBudget.take`, the atomic "count one more
if fewer than the ceiling were sent". The priorities, the refusals and the
ledger are the same code for both.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from enum import IntEnum

from ..scope import normalize_host

DEFAULT_BUDGET = 600
OVER_BUDGET = "skipped: request budget of"  # how every refusal's reason starts


class Priority(IntEnum):
    """How much a request matters; a lower value is spent first and reserved for."""

    ENTRY = 0  # a target's own URL: everything else starts from it
    DISCOVERED = 1  # what the site itself names: links, robots.txt, sitemaps, scripts, APIs
    GUESS = 2  # well-known paths the site never named: the path sweep, soft-404 samples


# Share of the budget each class must leave to the classes above it. Entry
# pages keep 5% (a host listed as several targets needs one entry each);
# guesses keep 25% free for discovery, so a sweep never starves the crawl.
RESERVE_SHARE = {Priority.ENTRY: 0.0, Priority.DISCOVERED: 0.05, Priority.GUESS: 0.25}


def ceiling(budget: int, priority: Priority) -> int:
    """How many requests to a host a request of ``priority`` may find already sent."""
    return budget - int(budget * RESERVE_SHARE[priority])


def refusal_reason(budget: int, host: str, priority: Priority) -> str:
    reason = f"{OVER_BUDGET} {budget} for host {host} reached"
    if priority is Priority.GUESS:
        reason += (f" (guessed paths may use {ceiling(budget, priority)} of it; the rest is "
                   "kept for pages the site links)")
    return reason


def over_budget(error: str | None) -> bool:
    """Was this fetch refused by the request budget (rather than failed)?"""
    return bool(error) and str(error).startswith(OVER_BUDGET)


class BudgetUnavailable(Exception):
    """The shared count of a host's requests could not be read or written."""


def unavailable_reason(budget: int, host: str, why: str) -> str:
    # Starts like every refusal: a request the budget could not vouch for is
    # not sent (the bound is a promise to the host), and is reported as skipped.
    return f"{OVER_BUDGET} {budget} for host {host} could not be counted ({why}); not sent"


class RequestBudget:
    """Per host: requests sent, answered from shared responses, refused.

    ``limit`` 0 means no budget (every request is allowed, and still counted).
    Thread-safe: every target of a run spends from the same budget. The
    ledger (:meth:`by_host`) is always this process's own; the total that the
    ceilings are compared with is :meth:`take`'s.
    """

    def __init__(self, limit: int = DEFAULT_BUDGET) -> None:
        if limit < 0:
            raise ValueError("the request budget cannot be negative")
        self.limit = limit
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = defaultdict(
            lambda: {"sent": 0, "shared": 0, "over_budget": 0})
        self._totals: dict[str, int] = defaultdict(int)

    def spend(self, host: str, priority: Priority) -> str | None:
        """Take one request from ``host``'s budget: None when allowed, else the reason."""
        key = normalize_host(host)
        refusal = None
        if self.limit:
            try:
                if not self.take(key, ceiling(self.limit, priority)):
                    refusal = refusal_reason(self.limit, key, priority)
            except BudgetUnavailable as exc:
                refusal = unavailable_reason(self.limit, key, str(exc))
        with self._lock:
            self._counts[key]["over_budget" if refusal else "sent"] += 1
        return refusal

    def take(self, key: str, most: int) -> bool:
        """Count one request to host ``key`` if fewer than ``most`` were counted
        (atomically: two threads never both take the last one). Raises
        :class:`BudgetUnavailable` when the count cannot be had."""
        with self._lock:
            if self._totals[key] >= most:
                return False
            self._totals[key] += 1
            return True

    def shared(self, host: str) -> None:
        """A request answered by the run's shared responses, never sent."""
        with self._lock:
            self._counts[normalize_host(host)]["shared"] += 1

    def sent(self, host: str) -> int:
        """Requests this process sent to ``host``."""
        with self._lock:
            return self._counts[normalize_host(host)]["sent"]

    def by_host(self) -> dict[str, dict[str, int]]:
        """``{host: {"sent": n, "shared": n, "over_budget": n}}`` (result contract 1.1)."""
        with self._lock:
            return {host: dict(counts) for host, counts in sorted(self._counts.items())}
