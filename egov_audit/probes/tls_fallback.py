"""The fallback prober: grade an endpoint sslyze cannot handshake with.

sslyze's connectivity test speaks through the local OpenSSL build, so a
server whose protocol versions or suites that build no longer offers (a
tlslite-ng, Java, Go or embedded stack with 3DES, RC4 or static DH only)
fails it, and sslyze reports nothing else. Here the same questions are asked
with hellos built by :mod:`.tls_hello`: which versions the server accepts,
which suites under each (offer all, note the chosen one, offer the rest
again), and which certificate chains it sends. The answers fill the same
:class:`TlsScan` the checks read; everything the fallback does not test
(Heartbleed, ROBOT, renegotiation, curves, the Mozilla profiles) is ``None``
with a reason, so those checks skip and say why.

Politeness: at most :data:`MAX_HANDSHAKES` connections per endpoint, one at
a time, opened with ``socket.create_connection`` so the TLS child's per-host
cap (:mod:`.polite_sockets`) counts them; every read has the deadline in force.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import itertools
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from cryptography import x509

from .. import deadline
from ..options import ScanOptions
from .tls_chain import TrustAnchors, describe, judge_chain
from .tls_convert import MOZILLA_PROFILES, kex_of
from .tls_hello import (
    DEFLATE,
    GROUPS,
    INAPPROPRIATE_FALLBACK,
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
)
from .tls_hello_answer import exchange
from .tls_hello_suites import is_weak, suites_for
from .tls_model import PROTOCOLS, CertificateDeployment, CipherSuite, TlsScan

PROBER = "fallback"
MAX_HANDSHAKES = 60  # per endpoint; ~35 servers in 36 accept fewer suites than this
MAX_BAD_ANSWERS = 2  # hellos answered with garbage, silence or nonsense: then give up
MAX_CHAINS = 3  # distinct certificate chains kept (RSA, ECDSA, DSA)
# Newest first: the versions every check asks about come first if time runs short.
VERSIONS = (TLS12, TLS13, TLS11, TLS10, SSL3)
_COMMAND = {"SSL 2.0": "ssl_2_0_cipher_suites", "SSL 3.0": "ssl_3_0_cipher_suites",
            "TLS 1.0": "tls_1_0_cipher_suites", "TLS 1.1": "tls_1_1_cipher_suites",
            "TLS 1.2": "tls_1_2_cipher_suites", "TLS 1.3": "tls_1_3_cipher_suites"}
# sslyze scan commands whose questions the fallback does not ask.
_NOT_ASKED = ("heartbleed", "openssl_ccs_injection", "robot", "session_renegotiation",
              "tls_extended_master_secret", "elliptic_curves", "ssl_2_0_cipher_suites")


@dataclass
class _Version:
    """The enumeration of one protocol version: what is left to offer, what was chosen."""

    version: int
    left: dict[int, str]
    chosen: list[tuple[str, ServerAnswer]] = field(default_factory=list)
    accepted: bool | None = None  # None until a hello got an answer we could read
    problem: str | None = None
    weak_done: bool = False  # every weak suite it accepts is known
    done: bool = False  # every suite it accepts is known (or it cannot be asked again)

    @property
    def name(self) -> str:
        return VERSION_NAMES[self.version]


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

    def step(self, state: _Version, *, weak_only: bool = False) -> None:
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

    def ask_fallback_scsv(self, states: list[_Version]) -> None:
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

    def ask_compression(self, states: list[_Version]) -> None:
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
    def _refused(state: _Version, weak_only: bool) -> None:
        state.accepted = bool(state.chosen)
        state.weak_done = True
        state.done = state.done or not weak_only

    def _broken(self, state: _Version, problem: str) -> None:
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
    states = [_Version(v, suites_for(v)) for v in VERSIONS]
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
    if not any(s.accepted for s in states):
        problems = "; ".join(f"{s.name}: {s.problem}" for s in states if s.problem)
        return ("the fallback prober found no TLS version either"
                + (f" ({problems})" if problems else ""))
    return _snapshot(host, port, ip, server_name, states, prober, anchors, options, why)


def _snapshot(host: str, port: int, ip: str, server_name: str | None,
              states: list[_Version], prober: _Prober, anchors: TrustAnchors,
              options: ScanOptions, why: str) -> TlsScan:
    note = (f"not tested: sslyze could not connect ({why}); the fallback prober "
            "tests protocol versions, cipher suites, certificates, TLS_FALLBACK_SCSV "
            "and compression only")
    errors: dict[str, str] = dict.fromkeys(_NOT_ASKED, note)
    protocols: dict[str, bool | None] = dict.fromkeys(PROTOCOLS)
    suites: list[CipherSuite] = []
    for state in states:
        command = _COMMAND[state.name]
        protocols[state.name] = state.accepted
        if state.accepted is None:
            errors[command] = state.problem or (
                f"not tested: the fallback prober's limit of {MAX_HANDSHAKES} handshakes "
                "or its deadline was reached first")
        elif not state.done:
            errors[command] = (f"partial list: the fallback prober's limit of "
                               f"{MAX_HANDSHAKES} handshakes or its deadline was reached")
        elif state.problem:
            errors[command] = f"partial list: {state.problem}"
        suites.extend(_suite(state.name, name, answer) for name, answer in state.chosen)
    answers = [a for s in states for _, a in s.chosen]
    deployments: list[CertificateDeployment] = []
    for answer in _distinct_chains(answers):
        try:
            deployments.append(_deployment(answer, anchors))
        except Exception as exc:  # a certificate cryptography cannot read
            errors["certificate_info"] = f"the server's certificate could not be read: " \
                f"{type(exc).__name__}: {exc}"[:300]
    if not deployments and "certificate_info" not in errors:
        errors["certificate_info"] = ("no certificate seen: the fallback prober reads "
                                      "certificates from TLS 1.2 and older handshakes only")
    for command in ("tls_fallback_scsv", "tls_compression"):
        if command not in prober.answers:
            errors[command] = prober.unanswered.get(command, note)
    errors["prober"] = (f"graded by egov-audit's fallback prober ({prober.handshakes} "
                        f"handshakes): sslyze could not connect ({why})")
    marker = {"prober": PROBER} if "prober" in {f.name for f in dataclasses.fields(TlsScan)} \
        else {}
    return TlsScan(
        host=host, port=port, sni=server_name or host, ip_address=ip,
        scanned_at=dt.datetime.now(dt.UTC),
        protocols=protocols, suites=tuple(suites), curves=None,
        deployments=tuple(deployments),
        fallback_scsv=prober.answers.get("tls_fallback_scsv"),
        compression=prober.answers.get("tls_compression"),
        custom_ca=bool(options.ca_bundle), errors=errors,
        mozilla={}, mozilla_errors=dict.fromkeys(MOZILLA_PROFILES, note),
        **marker,  # type: ignore[arg-type]
    )


def _suite(protocol: str, name: str, answer: ServerAnswer) -> CipherSuite:
    from .tls_hello_suites import key_bits

    kex = kex_of(name)
    kind: str | None = None
    size: int | None = None
    curve: str | None = None
    dh: dict[str, int | None] = {}
    if kex in ("ECDHE", "TLS13") and answer.group in GROUPS:
        kind, (curve, size) = "ECDH", GROUPS[answer.group]
    elif kex == "DHE" and answer.dh_bits:
        kind, size = "DH", answer.dh_bits
        dh = {"dh_prime": answer.dh_prime, "dh_generator": answer.dh_generator}
    return CipherSuite(
        protocol=protocol, name=name, openssl_name=_openssl_names().get(name, name),
        key_size=key_bits(name), anonymous="_anon_" in name, kex=kex,
        ephemeral_type=kind, ephemeral_size=size, ephemeral_curve=curve, **dh,
    )


@lru_cache(maxsize=1)
def _openssl_names() -> dict[str, str]:
    """IANA → OpenSSL suite names from sslyze's table, when sslyze is there."""
    try:
        table = import_module("sslyze.plugins.openssl_cipher_suites.cipher_suites")
        mapping = getattr(table, "_TLS_OPENSSL_TO_RFC_NAMES_MAPPING", {})
        return {str(rfc): str(openssl) for openssl, rfc in dict(mapping).items()}
    except Exception:  # a cosmetic name: the IANA one serves as well
        return {}


def _distinct_chains(answers: list[ServerAnswer]) -> Iterator[ServerAnswer]:
    seen: set[bytes] = set()
    for answer in answers:
        if answer.certificates and answer.certificates[0] not in seen and \
                len(seen) < MAX_CHAINS:
            seen.add(answer.certificates[0])
            yield answer


def _deployment(answer: ServerAnswer, anchors: TrustAnchors) -> CertificateDeployment:
    received: list[x509.Certificate] = []
    for der in answer.certificates:
        try:
            received.append(x509.load_der_x509_certificate(der))
        except ValueError:
            break  # a chain is judged as far as it parses
    if not received:
        raise ValueError("the leaf certificate is not valid DER")
    verdict = judge_chain(received, anchors)
    return CertificateDeployment(
        received=tuple(describe(c) for c in received),
        path=tuple(describe(c) for c in verdict.path),
        trust=verdict.trust,
        trusted_by=verdict.trusted_by,
        untrusted_reason=verdict.untrusted_reason,
        missing_issuer=verdict.missing_issuer,
        anchor_served=verdict.anchor_served,
        valid_order=all(a.issuer == b.subject for a, b in itertools.pairwise(received)),
        ocsp_stapled=answer.ocsp_response is not None,
        ocsp_status=_ocsp_status(answer.ocsp_response),
        must_staple=_must_staple(received[0]),
    )


def _ocsp_status(der: bytes | None) -> str | None:
    if der is None:
        return None
    from cryptography.x509 import ocsp

    try:
        return ocsp.load_der_ocsp_response(der).response_status.name
    except ValueError:
        return "MALFORMED"


def _must_staple(cert: x509.Certificate) -> bool:
    try:
        features = cert.extensions.get_extension_for_class(x509.TLSFeature).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return x509.TLSFeatureType.status_request in features
