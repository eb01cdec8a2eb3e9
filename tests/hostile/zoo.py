"""The hostile zoo: the registry of behaviours, and one object to start and stop them.

The test suite (tests/hostile/test_hostile_targets.py) and the benchmark
(benchmarks/hostile_bench.py) both use :class:`Zoo`: start a selection
(all by default), read ``urls`` (behaviour name → target URL), count the
off-scope connections afterwards, stop everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from egov_audit.demo.pki import CertificateAuthority

from .behaviours_content import CONTENT
from .behaviours_http import FRAMING
from .behaviours_scope import SCOPE
from .behaviours_tls import TLS
from .lab import Behaviour, Lab

BEHAVIOURS: tuple[Behaviour, ...] = (*FRAMING, *SCOPE, *CONTENT, *TLS)
BY_NAME = {b.name: b for b in BEHAVIOURS}
assert len(BY_NAME) == len(BEHAVIOURS) < 254, "one loopback address per behaviour"


class Zoo:
    """``Zoo(ca, workdir).start()``; ``urls`` maps behaviour name → target URL."""

    def __init__(self, ca: CertificateAuthority, workdir: Path,
                 names: Iterable[str] | None = None) -> None:
        wanted = set(names) if names is not None else set(BY_NAME)
        self.behaviours = [b for b in BEHAVIOURS if b.name in wanted]
        self.ca = ca
        self.workdir = workdir
        self.labs: dict[str, Lab] = {}
        self.urls: dict[str, str] = {}

    def start(self) -> Zoo:
        index = {b.name: i for i, b in enumerate(BEHAVIOURS)}
        try:
            for behaviour in self.behaviours:
                lab = Lab(index[behaviour.name], self.ca, self.workdir)
                self.labs[behaviour.name] = lab
                self.urls[behaviour.name] = behaviour.start(lab)
        except BaseException:
            self.stop()
            raise
        return self

    def offscope_connections(self) -> dict[str, int]:
        return {name: lab.offscope_connections for name, lab in self.labs.items()}

    def stop(self) -> None:
        for lab in self.labs.values():  # every loop told first, so they end together
            lab.signal_stop()
        for lab in self.labs.values():
            lab.stop()

    def __enter__(self) -> Zoo:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
