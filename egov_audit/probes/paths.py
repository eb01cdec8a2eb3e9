"""The path sweep: one GET per well-known path, for every path rule at once.

Checks declare the paths they want (``need(PathSweep, "/.git/HEAD", ...)``);
the runner merges them by union, so the host is swept once however many rules
ask. Each answer is kept with the host's not-found fingerprint (the soft-404
profile), because a path rule must never take "200 OK" as evidence: many
government hosts answer 200 for every path.

Item syntax:

* ``/path`` — fetched from the origin's root. ``{host}`` in a path becomes the
  target's host name and ``{name}`` its first label, for backups named after
  the site (``/{host}.zip`` → ``/portal.example.go.id.zip``).
* ``@crawl-dirs`` — also fetch the parent directories of what the crawl found
  (``/uploads/2024/ktp.pdf`` → ``/uploads/2024/``, ``/uploads/``), where
  directory listings full of scanned documents usually live.

Settings (``[settings.paths]``): ``max_bytes`` per answer (default 256 KiB:
enough for a phpinfo page or an archive's header, never a whole dump),
``max_crawl_dirs`` (default 20).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .. import deadline
from ..check import Snapshot
from ..model import Target
from ..workers import DaemonExecutor
from .base import Probe, ProbeError, ProbeSession
from .http import HttpResponse, unanswered
from .soft404 import NotFoundProfile

CRAWL_DIRS = "@crawl-dirs"
DEFAULTS = {"max_bytes": 256 * 1024, "max_crawl_dirs": 20}


def expand(item: str, host: str) -> str:
    """The concrete path for an item, with ``{host}``/``{name}`` filled in."""
    is_address = host.replace(".", "").isdigit() or ":" in host
    name = host if is_address else host.split(".", 1)[0]
    return item.replace("{host}", host).replace("{name}", name)


@dataclass(frozen=True)
class PathResult:
    item: str  # as a rule asked for it (template, or the derived directory)
    path: str  # as requested
    response: HttpResponse
    derived: bool = False  # came from the crawl, not from a rule


@dataclass(frozen=True)
class PathSweep(Snapshot):
    """Every swept path's answer, and how the host answers for missing paths.

    ``profile`` is None only when the sweep had nothing to fetch.
    """

    probe = "http.paths"

    base_url: str
    profile: NotFoundProfile | None
    results: tuple[PathResult, ...]

    def get(self, item: str) -> PathResult | None:
        for result in self.results:
            if result.item == item:
                return result
        return None

    @property
    def derived(self) -> tuple[PathResult, ...]:
        return tuple(r for r in self.results if r.derived)

    def present(self, result: PathResult) -> bool:
        """A 2xx answer that is not this host's not-found page."""
        if self.profile is None:
            return False
        return self.profile.looks_present(result.response)


class PathSweepProbe(Probe):
    name = "http.paths"
    snapshot = PathSweep

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> PathSweep:
        settings = {**DEFAULTS, **session.env.options.settings.get("paths", {})}
        origin = urlsplit(target.primary_url)._replace(path="/", query="", fragment="").geturl()
        wanted: dict[str, tuple[str, bool]] = {}  # path -> (item, derived)
        for item in sorted(i for i in items if i.startswith("/")):
            wanted.setdefault(expand(item, target.host), (item, False))
        if CRAWL_DIRS in items:
            for path in _crawl_dirs(session, origin, int(settings["max_crawl_dirs"])):
                wanted.setdefault(path, (path, True))
        if not wanted:
            return PathSweep(origin, None, ())
        profile = session.get(NotFoundProfile)
        http = session.env.http
        cap = int(settings["max_bytes"])

        def fetch(path: str) -> HttpResponse:
            session.env.check_deadline()
            return http.fetch(urljoin(origin, path), max_bytes=cap)

        paths = list(wanted)
        responses = _sweep(paths, fetch, max(1, session.env.options.connections))
        if len(responses) < len(paths):
            session.env.check_deadline()  # stopped submitting: say whose deadline
        results = tuple(
            PathResult(wanted[p][0], p, r, wanted[p][1]) for p, r in zip(paths, responses,
                                                                         strict=True)
        )
        if not any(r.response.ok for r in results) and results:
            raise unanswered(f"{origin} answered none of {len(results)} swept paths",
                             (r.response for r in results))
        return PathSweep(origin, profile, results)


def _sweep(paths: list[str], fetch: Callable[[str], HttpResponse],
           workers: int) -> list[HttpResponse]:
    """``fetch`` the paths on a small pool, answers in the order asked (fewer
    when the deadline in force passed before all were submitted).

    The pool runs each task in a copy of the caller's context: the deadline in
    force (the target's) then bounds every request of the sweep. The first
    failure (a deadline that passed) cancels what has not started and is
    raised; the shared limiter keeps the per-host rate, threads only overlap
    latency.
    """
    # Daemon threads: if the target is abandoned at its deadline, its sweep must
    # not keep the process alive either.
    pool = DaemonExecutor(max_workers=workers, name="egov-audit-sweep")
    futures: list[Future[HttpResponse]] = []
    try:
        for path in paths:
            if deadline.expired():
                break  # the remaining tasks would only raise
            futures.append(pool.submit(fetch, path))
        return [f.result() for f in futures]
    except BaseException:
        for future in futures:
            future.cancel()  # those not started yet
        raise
    finally:
        pool.shutdown(wait=False)


def _crawl_dirs(session: ProbeSession, origin: str, limit: int) -> list[str]:
    """Parent directories of crawled resources, nearest first, at most ``limit``."""
    from .crawl import Crawl  # the crawl is only needed when a rule asks for its dirs

    try:
        crawl = session.get(Crawl)
    except ProbeError:
        return []
    host = urlsplit(origin).netloc
    dirs: list[str] = []
    for url in (r.final_url for r in crawl.responses):
        parts = urlsplit(url)
        if parts.netloc != host:
            continue
        segments = parts.path.split("/")[1:-1]  # drop the leading "" and the file name
        for depth in range(len(segments), 0, -1):
            path = "/" + "/".join(segments[:depth]) + "/"
            if path not in dirs:
                dirs.append(path)
    return dirs[:limit]
