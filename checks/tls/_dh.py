"""What a server's finite-field Diffie-Hellman group is: well known, prime, safe.

sslyze reports the prime ``p`` and generator ``g`` the server sent in its
ServerKeyExchange. A group is judged once per run (cached), and only as far as
is cheap: primality is tested with Miller-Rabin in pure Python, which costs
about 0.2 s per round at 4096 bits and ten times that at 8192, so unknown
groups above :data:`MAX_TESTED_BITS` are not tested (well-known groups are
recognised by fingerprint and never need it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from egov_audit.datafiles import load_toml
from egov_audit.probes.tls_model import CipherSuite

MAX_TESTED_BITS = 4096
# A hostile server could send a different group with every suite; a few are plenty.
MAX_GROUPS = 4
# Fixed bases: the verdict is the same on every run. A composite found by any
# base is certainly composite; "prime" after all rounds is wrong with
# probability below 4^-len(BASES) for a number nobody crafted.
BASES = (2, 3, 5, 7, 11, 13, 17, 19)
# Trial division of p-1 by the primes below this finds the small factors a
# small-subgroup attack needs.
SMALL_FACTOR_BOUND = 1 << 16


@dataclass(frozen=True)
class KnownGroup:
    id: str
    label: str
    bits: int
    safe_prime: bool
    subgroup_bits: int | None


@lru_cache(maxsize=1)
def _known() -> dict[str, KnownGroup]:
    package = resources.files(__name__.rpartition(".")[0])
    data = load_toml(package.joinpath("data/dh_groups.toml"), "known DH groups").data
    return {g["sha256"]: KnownGroup(g["id"], g["label"], g["bits"], g["safe_prime"],
                                    g.get("subgroup_bits"))
            for g in data["group"]}


def fingerprint(prime: int) -> str:
    return hashlib.sha256(prime.to_bytes((prime.bit_length() + 7) // 8, "big")).hexdigest()


def known_group(prime: int) -> KnownGroup | None:
    return _known().get(fingerprint(prime))


@dataclass(frozen=True)
class GroupVerdict:
    bits: int
    generator: int
    known: KnownGroup | None
    prime: bool | None  # None: not tested (too large)
    safe_prime: bool | None  # (p-1)/2 prime too; None when not tested or p is composite
    small_factors: tuple[int, ...]  # primes below SMALL_FACTOR_BOUND dividing p-1
    smooth_generator: bool  # g's order has only small factors: logs are easy

    @property
    def name(self) -> str:
        return self.known.label if self.known else f"a custom {self.bits}-bit group"

    @property
    def small_subgroups(self) -> bool:
        """p is prime but not safe, and not a documented prime-order-subgroup group:
        p-1 has small factors, so a client can send keys of small order."""
        if self.known is not None:
            return False
        return self.prime is True and self.safe_prime is False


def _probably_prime(n: int) -> bool:
    if n < 2:
        return False
    for small in BASES:
        if n % small == 0:
            return n == small
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for base in BASES:
        x = pow(base, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@lru_cache(maxsize=1)
def _small_primes() -> tuple[int, ...]:
    sieve = bytearray([1]) * SMALL_FACTOR_BOUND
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(SMALL_FACTOR_BOUND ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytearray(len(sieve[i * i::i]))
    return tuple(i for i, flag in enumerate(sieve) if flag)


def _small_part(n: int) -> tuple[tuple[int, ...], int]:
    """The small primes dividing n, and n's largest divisor made only of them."""
    factors: list[int] = []
    smooth = 1
    for q in _small_primes():
        if n % q == 0:
            factors.append(q)
            while n % q == 0:
                n //= q
                smooth *= q
    return tuple(factors), smooth


@lru_cache(maxsize=32)
def analyse(prime: int, generator: int) -> GroupVerdict:
    bits = prime.bit_length()
    known = known_group(prime)
    if known is not None:
        return GroupVerdict(bits, generator, known, True, known.safe_prime, (), False)
    if bits > MAX_TESTED_BITS:
        return GroupVerdict(bits, generator, None, None, None, (), False)
    is_prime = _probably_prime(prime)
    factors, smooth = _small_part(prime - 1) if is_prime else ((), 1)
    safe = _probably_prime((prime - 1) // 2) if is_prime else None
    # g^smooth = 1 means g's order divides the smooth part: every exponent can
    # be recovered factor by factor (Pohlig-Hellman), whatever the group's size.
    smooth_generator = is_prime and (generator % prime in (0, 1, prime - 1)
                                     or pow(generator, smooth, prime) == 1)
    return GroupVerdict(bits, generator, None, is_prime, safe, factors, smooth_generator)


def groups(suites: Iterable[CipherSuite]) -> list[tuple[GroupVerdict, list[CipherSuite]]]:
    """Each distinct DH group the server sent, judged, with the suites that used it."""
    by_group: dict[tuple[int, int], list[CipherSuite]] = {}
    for s in suites:
        if s.dh_prime is not None and s.dh_generator is not None:
            by_group.setdefault((s.dh_prime, s.dh_generator), []).append(s)
    return [(analyse(p, g), used) for (p, g), used in list(by_group.items())[:MAX_GROUPS]]


def untested(suites: Iterable[CipherSuite]) -> bool:
    """DH suites were accepted but the probe did not see their group (a probe
    that reports no key exchange details at all included)."""
    return any((s.ephemeral_type == "DH" or s.kex == "DHE") and s.dh_prime is None
               for s in suites)
