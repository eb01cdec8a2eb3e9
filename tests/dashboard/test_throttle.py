"""The sign-in throttle, counted on a clock the test moves."""

from __future__ import annotations

from egov_audit.dashboard.auth import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_per_address_and_per_name_block_until_they_age_out() -> None:
    clock = Clock()
    throttle = LoginThrottle(limit=3, window=60.0, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("10.0.0.1", "siti") == 0
        throttle.failed("10.0.0.1", "siti")
    # The name is blocked from any address, the address for any name
    assert throttle.retry_after("10.0.0.2", "siti") > 0
    assert throttle.retry_after("10.0.0.1", "budi") > 0
    assert throttle.retry_after("10.0.0.2", "budi") == 0
    clock.now += 61
    assert throttle.retry_after("10.0.0.1", "siti") == 0


def test_a_success_clears_the_name_but_not_the_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(limit=2, window=60.0, clock=clock)
    throttle.failed("10.0.0.1", "siti")
    throttle.failed("10.0.0.1", "siti")
    throttle.succeeded("10.0.0.1", "siti")
    assert throttle.retry_after("10.0.0.9", "siti") == 0
    assert throttle.retry_after("10.0.0.1", "other") > 0
