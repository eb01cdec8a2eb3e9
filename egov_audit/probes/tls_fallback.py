"""The fallback prober: grade an endpoint sslyze cannot handshake with.

sslyze's connectivity test speaks through the local OpenSSL build, so a
server whose protocol versions or suites that build no longer offers (a
tlslite-ng, Java, Go or embedded stack with 3DES, RC4 or static DH only)
fails it, and sslyze reports nothing else. Here the same questions are asked
with hellos built by :mod:`.tls_hello`: which versions the server accepts,
which suites under each (offer all, note the chosen one, offer the rest
again), which certificate chains it sends, whether it honours
TLS_FALLBACK_SCSV and whether it compresses. :mod:`.tls_fallback_snapshot`
turns the answers into the same :class:`TlsScan` the checks read; what the
fallback does not ask (Heartbleed, ROBOT, renegotiation, curves, the Mozilla
profiles) is ``None`` with a reason, so those checks skip and say why.

Politeness: at most :data:`MAX_HANDSHAKES` connections per endpoint, one at
a time, opened with ``socket.create_connection`` so the TLS child's per-host
cap (:mod:`.polite_sockets`) counts them; every read has the deadline in force.
"""

from __future__ import annotations

import ipaddress
import socket

from .. import deadline
from ..options import ScanOptions
from .tls_chain import TrustAnchors
from .tls_fallback_snapshot import VersionEnumeration, to_snapshot
from .tls_hello import (
    DEFLATE,
    INAPPROPRIATE_FALLBACK,
    SSL2,
    SSL3,
    TLS10,
    TLS11,
    TLS12,
    TLS13,
    VERSION_NAMES,
    HelloError,
    Refused,
    ServerAnswer,
    client_hello,
    ssl2_client_hello,
)
from .tls_hello_answer import exchange, exchange_ssl2
from .tls_hello_suites import SSL2_SUITES, is_weak, suites_for
from .tls_model import TlsScan

# Per endpoint. sslyze makes ~580; a server accepting more suites than this
# allows gets partial lists, its weak suites enumerated first.
MAX_HANDSHAKES = 60
MAX_BAD_ANSWERS = 2  # hellos answered with garbage, silence or nonsense: then give up
# Newest first: the versions every check asks about come first if time runs short.
VERSIONS = (TLS12, TLS13, TLS11, TLS10, SSL3)


class _Prober:
    def __init__(self, address: tuple[str, int], server_name: str | None,
                 options: ScanOptions) -> None:
        self.address = address
        self.server_name = server_name
        self.silence = max(1.0, options.timeout)
        self.handshakes = 0
        self.bad_answers = 0
        # sslyze scan command → the answer of a one-hello question, or why none
        self.answers: dict[str, bool] = {}
        self.unanswered: dict[str, str] = {}

    @property
    def exhausted(self) -> bool:
        return self.handshakes >= MAX_HANDSHAKES or self.bad_answers >= MAX_BAD_ANSWERS \
            or deadline.expired()

    def step(self, state: VersionEnumeration, *, weak_only: bool = False) -> None:
        """One hello offering every suite still left for ``state``'s version
        (only the weak ones with ``weak_only``); a refusal ends that round."""
        offer = {code: name for code, name in state.left.items()
                 if not weak_only or is_weak(name)}
        if not offer:
            state.weak_done = True
            state.done = state.done or not weak_only
            return
        self.handshakes += 1
        hello = client_hello(state.version, offer, self.server_name)
        try:
            answer = exchange(self.address, hello, silence=self.silence,
                              full=state.version < TLS13, connect_timeout=self.silence)
        except Refused:  # an alert or a closed connection: nothing (more) accepted
            self._refused(state, weak_only)
            return
        except HelloError as exc:
            self._broken(state, str(exc))
            return
        if answer.version not in VERSION_NAMES or answer.version > state.version:
            self._broken(state, f"the server chose version 0x{answer.version:04x}, not offered")
        elif answer.version < state.version:
            self._refused(state, weak_only)  # this version does not speak these suites
        elif answer.suite not in offer:
            self._broken(state, f"the server chose suite 0x{answer.suite:04x}, not offered")
        else:
            state.accepted = True
            state.chosen.append((state.left.pop(answer.suite), answer))

    def ask_ssl2(self, state: VersionEnumeration) -> None:
        """One SSL 2.0 hello: the server lists every kind it accepts at once.
        Asked last: a TLS-only server may say nothing to it until the silence
        timeout, which is a refusal, not a bad answer."""
        if self.exhausted:
            return
        self.handshakes += 1
        try:
            kinds = exchange_ssl2(self.address, ssl2_client_hello(state.left),
                                  silence=self.silence, connect_timeout=self.silence)
        except Refused:
            kinds = ()
        except HelloError as exc:
            state.problem = str(exc)
            state.done = state.weak_done = True
            return
        for kind in kinds:
            if kind in state.left:
                state.chosen.append((state.left.pop(kind), ServerAnswer(SSL2, kind)))
        state.accepted = bool(state.chosen)
        state.done = state.weak_done = True

    def ask_fallback_scsv(self, states: list[VersionEnumeration]) -> None:
        """A hello at a lower version than the server's best, flagged as a
        fallback (RFC 7507): a server that knows the flag refuses it."""
        spoken = sorted(s.version for s in states if s.accepted)
        lower = [v for v in spoken[:-1] if v <= TLS12]
        if not lower:
            self.unanswered["tls_fallback_scsv"] = ("the server speaks one protocol version "
                                                    "only: there is nothing to fall back to")
        if not lower or self.exhausted:
            return
        self._ask("tls_fallback_scsv", lower[-1], fallback=True)

    def ask_compression(self, states: list[VersionEnumeration]) -> None:
        """A hello offering DEFLATE first (CRIME): does the server choose it?"""
        spoken = [s.version for s in states if s.accepted and s.version <= TLS12]
        if spoken and not self.exhausted:
            self._ask("tls_compression", max(spoken), deflate=True)

    def _ask(self, command: str, version: int, **flags: bool) -> None:
        self.handshakes += 1
        hello = client_hello(version, suites_for(version), self.server_name, **flags)
        try:
            answer = exchange(self.address, hello, silence=self.silence, full=False,
                              connect_timeout=self.silence)
        except Refused as exc:
            if flags.get("fallback"):
                if exc.alert == INAPPROPRIATE_FALLBACK:
                    self.answers[command] = True
                else:
                    self.unanswered[command] = f"the fallback hello was refused ({exc})"
            else:  # a server refusing to talk at all negotiates no compression either
                self.answers[command] = False
            return
        except HelloError as exc:
            self.bad_answers += 1
            self.unanswered[command] = str(exc)
            return
        if flags.get("fallback"):
            self.answers[command] = answer.version != version
        else:
            self.answers[command] = answer.compression == DEFLATE

    @staticmethod
    def _refused(state: VersionEnumeration, weak_only: bool) -> None:
        state.accepted = bool(state.chosen)
        state.weak_done = True
        state.done = state.done or not weak_only

    def _broken(self, state: VersionEnumeration, problem: str) -> None:
        # Garbage, silence or nonsense: nothing more to learn from this version,
        # and after MAX_BAD_ANSWERS of them, from this server.
        self.bad_answers += 1
        state.problem = problem
        state.weak_done = state.done = True


def probe(host: str, port: int, options: ScanOptions, anchors: TrustAnchors, *,
          why: str) -> TlsScan | str:
    """Enumerate ``host:port`` with our own hellos; ``why`` says why sslyze could not.

    Returns the snapshot, or the reason there is none (nothing answered as TLS).
    Runs under the deadline in force; the caller sets it to the endpoint's budget.
    """
    try:
        ip = str(ipaddress.ip_address(host))
        server_name = None
    except ValueError:
        server_name = host
        try:
            ip = str(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0])
        except (OSError, IndexError) as exc:
            return f"cannot resolve {host}: {exc}"
    prober = _Prober((ip, port), server_name, options)
    states = [VersionEnumeration(v, suites_for(v)) for v in VERSIONS]
    # The budget goes first where findings are: one hello per version (which
    # versions are spoken), then every weak suite of each version, then the rest.
    for state in states:
        if not prober.exhausted:
            prober.step(state)
    prober.ask_fallback_scsv(states)
    prober.ask_compression(states)
    for state in states:
        while not state.weak_done and not prober.exhausted:
            prober.step(state, weak_only=True)
    for state in states:
        while not state.done and not prober.exhausted:
            prober.step(state)
    ssl2 = VersionEnumeration(SSL2, dict(SSL2_SUITES))
    prober.ask_ssl2(ssl2)
    states.append(ssl2)
    if not any(s.accepted for s in states):
        problems = "; ".join(f"{s.name}: {s.problem}" for s in states if s.problem)
        return ("the fallback prober found no TLS version either"
                + (f" ({problems})" if problems else ""))
    return to_snapshot(host=host, port=port, ip=ip, server_name=server_name, versions=states,
                       handshakes=prober.handshakes, limit=MAX_HANDSHAKES,
                       answers=prober.answers, unanswered=prober.unanswered,
                       anchors=anchors, custom_ca=bool(options.ca_bundle), why=why)
