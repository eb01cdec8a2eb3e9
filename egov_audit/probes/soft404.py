"""Soft-404 fingerprint: how a host answers for paths that do not exist.

Many government sites answer 200 (or redirect home) for every path. Nuclei
leaves this to each template and drowns its users in false positives; here
it is an engine primitive. Before any path-based check judges ``/.env``, the
host is asked for a few random paths, and a response that looks like those
answers is "not found" whatever its status code says.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeSession
from .budget import Priority
from .http import HttpClient, HttpResponse, unanswered
from .site import landing_origin
from .technology import detect

_TOKEN = re.compile(r"[a-z0-9]+")
_DIGITS = re.compile(r"\d+")


def simhash(text: str) -> int:
    """A 64-bit similarity signature over word 3-shingles (Charikar's simhash).

    Numbers are folded to one token so that timestamps, CSRF tokens and
    request ids on an error page do not make two identical pages differ.
    """
    tokens = _TOKEN.findall(_DIGITS.sub("0", text.lower()))
    if len(tokens) < 3:
        tokens = [*tokens, "", ""]
    weights = [0] * 64
    for i in range(len(tokens) - 2):
        shingle = " ".join(tokens[i : i + 3]).encode()
        h = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:32]


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _normalized_text(resp: HttpResponse) -> str:
    """The body with the requested path removed (many 404 pages echo it)."""
    text = resp.text[:200_000]
    path = urlsplit(resp.url).path
    for fragment in {path, path.rsplit("/", 1)[-1]}:
        if len(fragment) > 3:
            text = text.replace(fragment, " ")
    return text


@dataclass(frozen=True)
class NotFoundSample:
    path: str
    status: int | None
    length: int
    content_type: str
    final_url: str
    signature: int
    tokens: int
    digest: str  # of the whitespace-folded, path-free body, for short pages


@dataclass(frozen=True)
class NotFoundProfile(Snapshot):
    """The host's answers for random non-existent paths, and the judgement built on them."""

    probe = "http.not_found"

    base_url: str
    samples: tuple[NotFoundSample, ...]
    # What the error pages reveal (``<center>nginx</center>``, a framework's
    # 404 page): one of the path sweep's technology signals.
    technologies: frozenset[str] = frozenset()

    @property
    def catch_all(self) -> bool:
        """True when the host answers 200 for paths that cannot exist."""
        return any(s.status == 200 for s in self.samples)

    def resembles(self, resp: HttpResponse, *, max_distance: int = 10) -> bool:
        """Is ``resp`` what this host says for a missing path?"""
        if not resp.ok or resp.status in (404, 410):
            return True
        for sample in self.samples:
            if resp.status != sample.status:
                continue
            if resp.redirects and resp.final_url == sample.final_url:
                return True  # e.g. every unknown path redirects to the home page
            if resp.content_type != sample.content_type:
                continue
            text = _normalized_text(resp)
            tokens = len(_TOKEN.findall(text))
            if min(tokens, sample.tokens) < 20:
                # Too short for similarity to mean anything: only identity counts.
                if _digest(text) == sample.digest:
                    return True
                continue
            length = len(resp.body)
            if sample.length >= 256 and abs(length - sample.length) <= sample.length // 50:
                return True
            if hamming(simhash(text), sample.signature) <= max_distance:
                return True
        return False

    def looks_present(self, resp: HttpResponse) -> bool:
        """A 2xx answer that is not the host's not-found page."""
        return resp.ok and resp.status is not None and 200 <= resp.status < 300 and not (
            self.resembles(resp)
        )


class NotFoundProbe(Probe):
    name = "http.not_found"
    snapshot = NotFoundProfile

    # Different shapes, because servers route by extension and by dot-files.
    SHAPES = ("/{t}", "/{t}.html", "/{t}/{u}.php", "/.{t}", "/{t}.zip")

    def collect(
        self, target: Target, items: frozenset[str], session: ProbeSession
    ) -> NotFoundProfile:
        # The origin the entry page lands on: an http:// target redirecting to
        # https:// is profiled (and swept) where its content lives.
        base = landing_origin(target, session)
        profile, answers = sample(session.env.http, base, self.SHAPES)
        if not any(s.status is not None for s in profile.samples):
            raise unanswered(f"{base} did not answer any not-found probe", answers)
        return profile


# Random per process, fixed per base and shape within it: two targets landing on
# one origin ask the same "missing" paths, so the client's shared answers serve
# the second (one request per URL per run), while no two runs ask the same.
_RUN_SALT = secrets.token_bytes(16)


def _token(base: str, shape: str, size: int) -> str:
    digest = hashlib.blake2b(f"{base}\0{shape}".encode(), key=_RUN_SALT, digest_size=16)
    return digest.hexdigest()[:size]


def sample(
    http: HttpClient, base: str, shapes: tuple[str, ...]
) -> tuple[NotFoundProfile, list[HttpResponse]]:
    """Ask ``base`` (an origin, or a directory URL ending in ``/``) for a random
    path of each shape; the profile built on the answers, and the answers.

    The samples are the sweep's baseline, a fixed handful per host or
    directory, so they are spent as discovery, not as guesses: a sweep cut by
    the request budget still has the profile that judges what it did fetch.
    """
    samples = []
    answers = []
    for shape in shapes:
        path = shape.format(t="egov-audit-" + _token(base, shape, 12),
                            u=_token(base, shape + "/", 8))
        resp = http.fetch(urljoin(base, path.lstrip("/")), priority=Priority.DISCOVERED)
        answers.append(resp)
        text = _normalized_text(resp)
        samples.append(
            NotFoundSample(
                path=path,
                status=resp.status,
                length=len(resp.body),
                content_type=resp.content_type,
                final_url=resp.final_url,
                signature=simhash(text),
                tokens=len(_TOKEN.findall(text)),
                digest=_digest(text),
            )
        )
    technologies = detect(answers)
    return NotFoundProfile(base_url=base, samples=tuple(samples),
                           technologies=technologies), answers
