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
* ``tech:laravel,php:/path`` — fetched only when the host shows one of these
  technologies (:mod:`technology`), so a hardened host is not hammered with
  other stacks' paths. What is left out is listed in ``not_applicable``.
* ``@crawl-dirs`` — also fetch the parent directories of what the crawl found
  (``/uploads/2024/ktp.pdf`` → ``/uploads/2024/``, ``/uploads/``), where
  directory listings full of scanned documents usually live, and the
  directories the site announces (robots.txt, listings, the site map).
* ``@in-dirs:db.sql`` — fetch this name inside every announced directory (a
  robots.txt ``Disallow: /backup/`` holding ``db.sql``). A directory that
  answers 404 is not searched.

The sweep's origin is where the entry page lands (``site.landing_origin``):
an ``http://`` target redirecting to ``https://`` shares its sweep with the
``https://`` target through the client's shared answers. Rule paths are
spent as guesses from the host's request budget, announced directories as
discovery; what the budget cut is named in ``limited``. A 2xx answer inside a
directory is judged against that directory's own not-found answers too (a
directory can have its own catch-all page).

Settings (``[settings.paths]``): ``max_bytes`` per answer (default 256 KiB:
enough for a phpinfo page or an archive's header, never a whole dump),
``max_crawl_dirs`` (default 20), ``max_announced_dirs`` (default 8),
``technologies`` (``"detected"``, or ``"all"`` to sweep every stack's paths).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .. import deadline
from ..check import Snapshot
from ..model import Target
from ..workers import DaemonExecutor
from .base import Probe, ProbeError, ProbeSession
from .budget import Priority
from .crawl import Crawl
from .http import HttpResponse, unanswered
from .site import Site, landing_origin
from .soft404 import NotFoundProfile, sample
from .technology import KNOWN, detect

CRAWL_DIRS = "@crawl-dirs"
IN_DIRS = "@in-dirs:"
TECH = "tech:"
DEFAULTS: dict[str, object] = {"max_bytes": 256 * 1024, "max_crawl_dirs": 20,
                               "max_announced_dirs": 8, "technologies": "detected"}
_MISSING = frozenset({404, 410})


def expand(item: str, host: str) -> str:
    """The concrete path for an item, with ``{host}``/``{name}`` filled in."""
    is_address = host.replace(".", "").isdigit() or ":" in host
    name = host if is_address else host.split(".", 1)[0]
    return item.replace("{host}", host).replace("{name}", name)


def tech_item(path: str, technologies: Iterable[str]) -> str:
    """The sweep item for ``path`` when only these technologies need it."""
    techs = sorted(set(technologies))
    unknown = set(techs) - KNOWN
    if unknown:
        raise ValueError(f"unknown technologies {sorted(unknown)}; known: {sorted(KNOWN)}")
    return f"{TECH}{','.join(techs)}:{path}" if techs else path


def split_item(item: str) -> tuple[frozenset[str], str]:
    """(technologies, path) of a sweep item; no technologies for a generic path."""
    if item.startswith(TECH):
        techs, _, path = item[len(TECH):].partition(":")
        return frozenset(t for t in techs.split(",") if t), path
    return frozenset(), item


def directory_of(path: str) -> str:
    """``/backup/db.sql`` → ``/backup/``; a directory is its own directory."""
    return path[: path.rfind("/") + 1] or "/"


@dataclass(frozen=True)
class PathResult:
    item: str  # as a rule asked for it (template, or the derived directory)
    path: str  # as requested
    response: HttpResponse
    derived: bool = False  # came from the crawl or an announced directory, not a rule


@dataclass(frozen=True)
class PathSweep(Snapshot):
    """Every swept path's answer, and how the host answers for missing paths.

    ``profile`` is None only when the sweep had nothing to fetch.
    """

    probe = "http.paths"

    base_url: str
    profile: NotFoundProfile | None
    results: tuple[PathResult, ...]
    technologies: frozenset[str] = frozenset()  # what the host shows
    not_applicable: tuple[str, ...] = ()  # items left out: their technology is not seen
    announced: tuple[str, ...] = ()  # directories robots.txt and the site map name
    # Not-found answers of directories holding a 2xx answer (their own catch-all).
    dir_profiles: tuple[tuple[str, NotFoundProfile], ...] = ()
    limited: tuple[str, ...] = ()  # what the request budget (or a bound) cut

    def get(self, item: str) -> PathResult | None:
        for result in self.results:
            if result.item == item:
                return result
        return None

    def every(self, item: str) -> tuple[PathResult, ...]:
        """All answers for an item (``@in-dirs:`` items have one per directory)."""
        return tuple(r for r in self.results if r.item == item)

    @property
    def derived(self) -> tuple[PathResult, ...]:
        return tuple(r for r in self.results if r.derived and not r.item.startswith(IN_DIRS))

    def present(self, result: PathResult) -> bool:
        """A 2xx answer that is neither this host's nor its directory's not-found page."""
        if self.profile is None or not self.profile.looks_present(result.response):
            return False
        own = dict(self.dir_profiles).get(directory_of(result.path))
        return own is None or own.looks_present(result.response)


class PathSweepProbe(Probe):
    name = "http.paths"
    snapshot = PathSweep

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> PathSweep:
        settings = {**DEFAULTS, **session.env.options.settings.get("paths", {})}
        origin = landing_origin(target, session)
        host = urlsplit(origin).hostname or target.host
        plan = _Plan()
        technologies: frozenset[str] = frozenset()
        tech_items = [i for i in items if i.startswith(TECH)]
        in_dir_names = sorted(i[len(IN_DIRS):] for i in items if i.startswith(IN_DIRS))
        crawl = _crawl(session) if (tech_items or in_dir_names or CRAWL_DIRS in items) else None
        if tech_items:
            technologies = _technologies(session, crawl)
        everything = str(settings["technologies"]) == "all"
        not_applicable = []
        for item in sorted(i for i in items if i.startswith(("/", TECH))):
            techs, path = split_item(item)
            if techs and not everything and not techs & technologies:
                not_applicable.append(item)
                continue
            plan.add(expand(path, host), item, derived=False, priority=Priority.GUESS)
        announced = _announced_dirs(crawl, origin, int(str(settings["max_announced_dirs"])))
        if CRAWL_DIRS in items or in_dir_names:
            dirs = _crawl_dirs(crawl, origin, int(str(settings["max_crawl_dirs"])))
            for path in [*announced, *dirs]:
                plan.add(path, path, derived=True, priority=Priority.DISCOVERED)
        if not plan.paths:
            return PathSweep(origin, None, (), technologies, tuple(not_applicable))
        profile = session.get(NotFoundProfile)
        technologies |= profile.technologies if tech_items else frozenset()
        cap = int(str(settings["max_bytes"]))
        answers = plan.fetch_all(session, origin, cap)
        # Then the names the rules look for inside announced directories that exist.
        for directory in announced:
            resp = answers.get(directory)
            if resp is None or not resp.ok or resp.status in _MISSING:
                continue
            for name in in_dir_names:
                plan.add(expand(directory + name, host), IN_DIRS + name, derived=True,
                         priority=Priority.GUESS)
        answers.update(plan.fetch_all(session, origin, cap, skip=set(answers)))
        results = plan.results(answers)
        if results and not any(r.response.ok for r in results) and not all(
                r.response.over_budget for r in results):
            raise unanswered(f"{origin} answered none of {len(results)} swept paths",
                             (r.response for r in results))
        sweep = PathSweep(origin, profile, results, technologies, tuple(not_applicable),
                          tuple(announced), (), _limited(results))
        return _with_dir_profiles(sweep, session, origin)


class _Plan:
    """The paths to fetch, in order, each with the items asking for it and its priority."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.items: dict[str, list[tuple[str, bool]]] = {}  # path -> (item, derived)
        self.priority: dict[str, Priority] = {}

    def add(self, path: str, item: str, *, derived: bool, priority: Priority) -> None:
        if path in self.items:
            # One request however many items ask; a path both guessed and
            # announced is spent as what the site named.
            if (item, derived) not in self.items[path]:
                self.items[path].append((item, derived))
            self.priority[path] = min(self.priority[path], priority)
            return
        self.paths.append(path)
        self.items[path] = [(item, derived)]
        self.priority[path] = priority

    def results(self, answers: dict[str, HttpResponse]) -> tuple[PathResult, ...]:
        return tuple(PathResult(item, path, answers[path], derived)
                     for path in self.paths if path in answers
                     for item, derived in self.items[path])

    def fetch_all(self, session: ProbeSession, origin: str, cap: int,
                  skip: set[str] | None = None) -> dict[str, HttpResponse]:
        todo = [p for p in self.paths if not skip or p not in skip]
        # What the site named first: the budget is spent by priority.
        todo.sort(key=lambda p: self.priority[p])
        http = session.env.http

        def fetch(path: str) -> HttpResponse:
            session.env.check_deadline()
            return http.fetch(urljoin(origin, path), max_bytes=cap,
                              priority=self.priority[path])

        responses = _sweep(todo, fetch, max(1, session.env.options.connections))
        if len(responses) < len(todo):
            session.env.check_deadline()  # stopped submitting: say whose deadline
        return dict(zip(todo, responses, strict=False))


def _limited(results: tuple[PathResult, ...]) -> tuple[str, ...]:
    cut = {r.path: r.response for r in results if r.response.over_budget}
    if not cut:
        return ()
    swept = {r.path for r in results}
    return (f"{len(cut)} of {len(swept)} swept paths not requested: "
            f"{next(iter(cut.values())).error}",)


def _with_dir_profiles(sweep: PathSweep, session: ProbeSession, origin: str) -> PathSweep:
    """Profile the directories (other than the root) where a 2xx answer looks
    present by the host's profile: only there can a directory's own catch-all
    fool the judgement, so a clean sweep costs no extra request."""
    shapes: dict[str, tuple[str, ...]] = {}
    for result in sweep.results:
        directory = directory_of(result.path)
        if directory == "/" or directory in shapes or not sweep.present(result):
            continue
        name = result.path[len(directory):]
        ext = name[name.rfind("."):] if "." in name[1:] else ""
        shapes[directory] = tuple(dict.fromkeys(("/{t}" + ext, "/{t}.html", "/{t}/")))
    if not shapes:
        return sweep
    profiles = []
    for directory, dir_shapes in shapes.items():
        session.env.check_deadline()
        profile, _ = sample(session.env.http, urljoin(origin, directory), dir_shapes)
        if any(s.status is not None for s in profile.samples):
            profiles.append((directory, profile))
    return PathSweep(sweep.base_url, sweep.profile, sweep.results, sweep.technologies,
                     sweep.not_applicable, sweep.announced, tuple(profiles), sweep.limited)


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
    if not paths:
        return []
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


def _crawl(session: ProbeSession) -> Crawl | None:
    try:
        return session.get(Crawl)
    except ProbeError:
        return None


def _technologies(session: ProbeSession, crawl: Crawl | None) -> frozenset[str]:
    """What the entry page and the crawled pages show (the not-found answers
    are added once the profile is in)."""
    responses: list[HttpResponse] = []
    with contextlib.suppress(ProbeError):  # no entry page: the other signals still count
        responses.extend(session.get(Site).responses)
    if crawl is not None:
        responses.extend(crawl.pages[:10])
        responses.extend(crawl.errors[:5])
    return detect(responses)


def _crawl_dirs(crawl: Crawl | None, origin: str, limit: int) -> list[str]:
    """Parent directories of crawled resources, nearest first, at most ``limit``."""
    if crawl is None:
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


def _announced_dirs(crawl: Crawl | None, origin: str, limit: int) -> list[str]:
    """Directories the site names itself: robots.txt paths (``Disallow:
    /backup/``, ``/backup`` without an extension, the parents of file paths)
    and the site map's directory entries (listings), at most ``limit``."""
    if crawl is None:
        return []
    netloc = urlsplit(origin).netloc
    named = list(crawl.robots_paths)
    for entry in crawl.site_map:
        if entry.kind == "directory":
            parts = urlsplit(entry.url)
            if parts.netloc == netloc:
                named.append(parts.path or "/")
    dirs: list[str] = []
    for raw in named:
        path = raw.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith("/") or len(path) > 200:
            continue
        last = path.rsplit("/", 1)[-1]
        candidates = [directory_of(path)]
        if last and "." not in last:
            candidates.append(path + "/")  # "Disallow: /backup" names a directory too
        for directory in candidates:
            if directory != "/" and directory not in dirs:
                dirs.append(directory)
    return dirs[:limit]
