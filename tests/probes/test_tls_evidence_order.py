"""The Mozilla-profile evidence is the same on every run, whatever a set's order."""

from __future__ import annotations

from egov_audit.probes.tls_convert import _ordered_sets
from tests.cpu_clock import cpu_seconds


def test_a_set_in_sslyzes_wording_reads_the_same_in_any_order() -> None:
    # Given the same deviation worded with the set in two orders (two processes)
    one = "Must not support {'TLSv1.1', 'TLSv1'}; curves {'x448', 'prime256v1', 'X25519'}"
    two = "Must not support {'TLSv1', 'TLSv1.1'}; curves {'X25519', 'x448', 'prime256v1'}"
    # Then both read the same, and text without a set is left alone
    assert _ordered_sets(one) == _ordered_sets(two)
    assert _ordered_sets(one) == ("Must not support {'TLSv1', 'TLSv1.1'}; "
                                  "curves {'X25519', 'prime256v1', 'x448'}")
    assert _ordered_sets("no set here: {}") == "no set here: {}"


def test_ordering_stays_linear_on_unbalanced_braces() -> None:
    # Server-influenced text (cipher or group names) must not make it quadratic
    def cost(n: int) -> float:
        text = "{" * n + "a, b" * n
        return cpu_seconds(lambda: _ordered_sets(text))

    small, large = cost(20_000), cost(80_000)
    assert large < max(small, 0.002) * 12, (small, large)
