"""The per-host request budget of a distributed run is one budget, not one per worker.

Budgets standing for several worker processes count against a real Redis;
the whole is then checked by a loopback server counting what four real
workers sent to one host.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from egov_audit.distributed.redis_budget import RedisRequestBudget
from egov_audit.model import Status, TargetStatus
from egov_audit.probes.budget import Priority, RequestBudget, ceiling, over_budget
from tests.rawserver import RawServer

from .conftest import RedisServer, Workers, free_port
from .one_host import audit_one_host_with_four_workers

HOST = "127.0.3.20"


def budgets(redis: RedisServer, count: int, limit: int, run: str = "run-1"
            ) -> list[RedisRequestBudget]:
    return [RedisRequestBudget(redis.client(), run, limit, time.time() + 600)
            for _ in range(count)]


def test_workers_spend_one_budget_together(redis_server: RedisServer) -> None:
    # Given four "workers" of one run with a budget of 40 per host
    four = budgets(redis_server, 4, 40)
    # When 16 threads spread over them spend discovery requests until refused
    refusals: list[str] = []

    def spend(budget: RedisRequestBudget) -> None:
        for _ in range(20):
            reason = budget.spend(HOST, Priority.DISCOVERED)
            if reason is not None:
                refusals.append(reason)

    threads = [threading.Thread(target=spend, args=(four[n % 4],)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly the discovery ceiling was sent, all workers together,
    sent = sum(b.by_host()[HOST]["sent"] for b in four)
    assert sent == ceiling(40, Priority.DISCOVERED) == four[0].total(HOST)
    # and each refusal is counted by the worker that refused it, with the reason
    assert sum(b.by_host()[HOST]["over_budget"] for b in four) == 16 * 20 - sent
    assert refusals and all(over_budget(r) and "budget of 40 for host 127.0.3.20 reached" in r
                            for r in refusals)
    # and the entry page's reserve is still there for any worker
    assert four[3].spend(HOST, Priority.ENTRY) is None


def test_the_reserves_hold_across_workers(redis_server: RedisServer) -> None:
    # Given two workers with a budget of 20 per host (guesses may use 15, discovery 19)
    sweeper, crawler = budgets(redis_server, 2, 20)
    # When one sweeps until its guesses are refused
    allowed = sum(sweeper.spend(HOST, Priority.GUESS) is None for _ in range(30))
    # Then it stopped at the guesses' ceiling, and said why,
    assert allowed == 15
    reason = sweeper.spend(HOST, Priority.GUESS)
    assert reason is not None and "guessed paths may use 15 of it" in reason
    # and the other still has discovery's and the entry page's reserve
    assert [crawler.spend(HOST, Priority.DISCOVERED) is None for _ in range(5)] == \
        [True] * 4 + [False]
    assert crawler.spend(HOST, Priority.ENTRY) is None
    assert crawler.spend(HOST, Priority.ENTRY) is not None
    assert sweeper.total(HOST) == 20


def test_runs_and_hosts_have_budgets_of_their_own(redis_server: RedisServer) -> None:
    (first,) = budgets(redis_server, 1, 3, run="run-a")
    (second,) = budgets(redis_server, 1, 3, run="run-b")
    assert [first.spend(HOST, Priority.ENTRY) for _ in range(4)][-1] is not None
    assert second.spend(HOST, Priority.ENTRY) is None  # another run
    assert first.spend("127.0.3.21", Priority.ENTRY) is None  # another host
    # and the counter outlives the run's deadline (600 s here) by a day
    ttl = redis_server.client().ttl(first.key(HOST))
    assert 86400 + 500 < ttl <= 86400 + 600


def test_without_redis_nothing_is_sent_and_the_refusal_says_why() -> None:
    # Given a budget whose Redis is not there (nothing listens on the port)
    import redis

    client = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0",
                                  socket_connect_timeout=2, socket_timeout=2)
    budget = RedisRequestBudget(client, "run-1", 10, time.time() + 60)
    # When a request asks for its turn
    reason = budget.spend(HOST, Priority.ENTRY)
    # Then it is refused as a budget refusal (reported as skipped), saying why
    assert reason is not None and over_budget(reason)
    assert "could not be counted (Redis unreachable: ConnectionError); not sent" in reason
    assert budget.by_host()[HOST] == {"sent": 0, "shared": 0, "over_budget": 1}
    # and no budget means no Redis at all
    assert RedisRequestBudget(client, "run-1", 0, time.time() + 60).spend(
        HOST, Priority.GUESS) is None


def test_the_local_budget_is_still_counted_in_the_process() -> None:
    # Given the local executor's budget, two ports of one host
    budget = RequestBudget(5)
    spent = [budget.spend(f"{HOST}", Priority.GUESS) for _ in range(5)]
    # Then guesses stop at 4 (a quarter of 5, rounded down, is kept for the others)
    assert [r is None for r in spent] == [True] * 4 + [False]
    assert budget.spend(HOST, Priority.ENTRY) is None
    assert budget.spend(HOST, Priority.ENTRY) is not None
    assert budget.by_host()[HOST] == {"sent": 5, "shared": 0, "over_budget": 2}


PAGES = 30


def site(request: bytes, server: RawServer) -> bytes:
    """A portal of 30 linked pages: far more than a budget of 24 lets anyone read."""
    if request.startswith((b"GET / ", b"GET /halaman")):
        links = "".join(f"<a href='/halaman{n}'>Halaman {n}</a>" for n in range(PAGES))
        body = f"<html><head><title>Dinas</title></head><body>{links}</body></html>".encode()
        return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
    return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def test_four_workers_spend_at_most_the_budget_together(
        ca_file: Path, tmp_path: Path, workers: Workers) -> None:
    # Given four sites on four ports of one host, counted together,
    # when four workers audit them with a budget of 24 requests for the host
    run = audit_one_host_with_four_workers(
        site, HOST, workers, ca_file, tmp_path,
        checks=("headers.*", "exposure.*", "disclosure.*"),
        request_budget=24, rate=50.0, connections=4, target_deadline=90.0, deadline=240.0)
    report, counters = run.report, run.counters
    # Then every site was audited (partly: the budget cut them), by more than one worker,
    assert all(o.status in (TargetStatus.OK, TargetStatus.PARTIAL) for o in report.outcomes), \
        [(o.status, o.error) for o in report.outcomes]
    assert all(o.error is None or "request budget of 24" in o.error for o in report.outcomes)
    assert len(run.busy_workers()) >= 2
    # and the host received at most the budget, all workers together (one
    # worker alone would have sent up to 24, four of them up to 96),
    assert 4 <= len(counters.request_starts) <= 24, len(counters.request_starts)
    counted = report.run.requests[HOST]
    assert counted["sent"] <= 24 and counted["over_budget"] > 0, counted
    # and what the budget cut is reported as skipped, with the reason
    cut = [r for r in report.results if r.status is Status.SKIPPED and r.reason
           and "request budget of 24 for host 127.0.3.20 reached" in r.reason]
    assert cut, sorted({(r.check, r.status.value, r.reason) for r in report.results})
