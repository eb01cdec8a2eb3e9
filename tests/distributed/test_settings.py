"""Choosing the executor: configuration, command line, and what is refused."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from egov_audit.cli.executor_options import ExecutorChoice, executor_options
from egov_audit.distributed.codec import outcome_from_dict, outcome_to_dict
from egov_audit.distributed.settings import ExecutorSettings, redact_url
from egov_audit.errors import InputError
from egov_audit.model import (
    CheckResult,
    ProbeRecord,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)


def test_the_command_line_overrides_the_configuration() -> None:
    section = {"kind": "celery", "broker": "redis://127.0.0.1:6379/0", "max_attempts": 5}
    settings = ExecutorSettings.from_config(section, {"queue": "zone-a", "kind": None})
    assert settings == ExecutorSettings("celery", "redis://127.0.0.1:6379/0", "zone-a", 5)
    assert not ExecutorSettings.from_config(None).distributed


@pytest.mark.parametrize("section, says", [
    ({"kind": "celery"}, "needs a broker"),
    ({"kind": "celery", "broker": "amqp://127.0.0.1/"}, "redis:// or rediss://"),
    ({"kind": "spark"}, "executor must be one of"),
    ({"kind": "celery", "broker": "redis://127.0.0.1/0", "max_attempts": 0}, "max_attempts"),
    ({"brokr": "redis://127.0.0.1/0"}, "unknown keys: brokr"),
])
def test_bad_executor_settings_are_input_errors(section: dict[str, object], says: str) -> None:
    with pytest.raises(InputError, match=says):
        ExecutorSettings.from_config(section)


def test_a_broker_password_is_never_repeated() -> None:
    url = "rediss://:s3cret-pass@127.0.0.1:6380/0"
    assert "s3cret" not in redact_url(url)
    with pytest.raises(InputError) as caught:
        ExecutorSettings.from_config({"kind": "celery", "broker": "http://:s3cret@127.0.0.1/"})
    assert "s3cret" not in str(caught.value)


def test_the_decorator_hands_the_command_one_choice() -> None:
    seen: list[ExecutorChoice] = []

    @click.command()
    @executor_options
    def cmd(executor: ExecutorChoice) -> None:
        seen.append(executor)

    result = CliRunner().invoke(cmd, ["--executor", "celery", "--broker",
                                      "redis://127.0.0.1:1/0", "--queue", "q"])
    assert result.exit_code == 0, result.output
    assert seen == [ExecutorChoice("celery", "redis://127.0.0.1:1/0", "q")]


def test_an_outcome_survives_the_trip_through_json() -> None:
    target = Target("https://127.0.0.1:8443/", "127.0.0.1", None, "https://127.0.0.1:8443/")
    outcome = TargetOutcome(target, TargetStatus.PARTIAL, "tls: timed out",
                            (ProbeRecord("tls", False, "timed out", 3.5),),
                            (CheckResult("tls.x", target.spec, Status.ERROR, "probe tls failed"),),
                            ())
    assert outcome_from_dict(outcome_to_dict(outcome)) == outcome


def test_the_worker_command_starts_without_the_cli_group() -> None:
    out = subprocess.run([sys.executable, "-m", "egov_audit.distributed", "--help"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "--visibility-timeout" in out.stdout and "--pool" in out.stdout


def test_an_unreachable_broker_is_an_input_error(tmp_path: object) -> None:
    from egov_audit.audit import build_request
    from egov_audit.runner import run_audit

    from .conftest import free_port

    # Given a broker URL where nothing listens
    request = build_request(["http://127.0.0.1:9/"], overrides={"checks": ("headers.*",)})
    request.executor = ExecutorSettings("celery", f"redis://:pw-xyz@127.0.0.1:{free_port()}/0")
    # Then the run stops before it starts, naming the broker without its password
    with pytest.raises(InputError, match="cannot reach the broker") as caught:
        run_audit(request)
    assert "pw-xyz" not in str(caught.value)
