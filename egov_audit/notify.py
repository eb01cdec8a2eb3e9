"""Notifications after a scheduled run: a webhook and e-mail, only when it matters.

Sent when something changed since the previous run (new, regressed or fixed
findings) or a gate failed — or always, or only on a gate failure, as
configured. The message is a summary: the run id and status, open findings
per severity, what changed, why the gate failed, and where the reports are.
It never quotes evidence, a location or any value a target sent, so it cannot
carry a raw identifier to a chat room or a mailbox.

Delivering is best effort by design: :func:`deliver` never raises; each
channel reports ``ok`` or its error, and the run's result and exit code do not
depend on it.

Configuration (``[notifications]``)::

    [notifications]
    when = "changes"            # changes | gate | always

    [notifications.webhook]     # a JSON POST that chat tools accept ({"text": ...})
    url = "https://chat.kota.example.go.id/hooks/audit"

    [notifications.email]       # SMTP, STARTTLS unless starttls = false
    host = "smtp.kota.example.go.id"
    port = 587
    from = "egov-audit@kota.example.go.id"
    to = ["csirt@kota.example.go.id"]
    username = "egov-audit"              # optional
    password_env = "EGOV_AUDIT_SMTP_PASSWORD"   # the password never sits in the file
"""

from __future__ import annotations

import functools
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .model import RunReport, Severity

WHEN = ("changes", "gate", "always")


@dataclass(frozen=True)
class Webhook:
    url: str
    timeout: float = 10.0


@dataclass(frozen=True)
class Email:
    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password_env: str | None = None
    ca_bundle: str | None = None
    timeout: float = 20.0


@dataclass(frozen=True)
class Notifications:
    when: str = "changes"
    webhook: Webhook | None = None
    email: Email | None = None


@dataclass(frozen=True)
class Summary:
    run_id: str
    status: str
    targets: int
    open_by_severity: Mapping[str, int]
    new: int | None  # None: no previous run to compare with
    regressed: int | None
    fixed: int | None
    gate_failed: bool
    gate_reasons: tuple[str, ...] = ()
    reports: str | None = None

    @property
    def changed(self) -> bool:
        if self.new is None:  # the first run: everything it found is news
            return sum(self.open_by_severity.values()) > 0
        return bool(self.new or self.regressed or self.fixed)

    def text(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in self.open_by_severity.items())
        lines = [f"egov-audit run {self.run_id}: {self.status}, {self.targets} target(s)",
                 f"open findings: {counts}"]
        if self.new is not None:
            lines.append(f"since the previous run: {self.new} new, {self.regressed} back, "
                         f"{self.fixed} fixed")
        lines.append("gate: FAILED" if self.gate_failed else "gate: passed")
        lines += [f"  {reason}" for reason in self.gate_reasons]
        if self.reports:
            lines.append(f"reports: {self.reports}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Delivery:
    channel: str
    ok: bool
    error: str | None = None


@dataclass(frozen=True)
class Outcome:
    sent: bool
    deliveries: tuple[Delivery, ...] = field(default_factory=tuple)


def summarise(report: RunReport, *, gate_failed: bool, gate_reasons: Sequence[str] = (),
              reports: str | None = None) -> Summary:
    """The counts a notification carries (suppressed findings are not open)."""
    from .gates import suppressed_ids

    muted = suppressed_ids(report)
    counts = {s.value: 0 for s in Severity}
    for f in report.findings:
        if f.id not in muted:
            counts[f.severity.value] += 1
    history = report.extensions.get("history")
    changes = history if isinstance(history, Mapping) else None
    status = ("interrupted" if report.run.interrupted
              else "incomplete" if report.incomplete else "complete")

    def count(key: str) -> int | None:
        return len(changes.get(key) or ()) if changes is not None else None

    return Summary(run_id=report.run.id, status=status, targets=len(report.outcomes),
                   open_by_severity=counts, new=count("new"), regressed=count("regressed"),
                   fixed=count("fixed"), gate_failed=gate_failed,
                   gate_reasons=tuple(gate_reasons), reports=reports)


def should_send(summary: Summary, when: str) -> bool:
    if when == "always":
        return True
    if when == "gate":
        return summary.gate_failed
    return summary.gate_failed or summary.changed


def deliver(summary: Summary, settings: Notifications) -> Outcome:
    """Send to every configured channel when ``settings.when`` says so; never raises."""
    if not should_send(summary, settings.when):
        return Outcome(sent=False)
    out = []
    if settings.webhook is not None:
        hook = settings.webhook
        # A hook URL usually embeds its secret token: never echo it in an error.
        secrets = (hook.url, urlsplit(hook.url).path)
        out.append(_guard("webhook", functools.partial(_post, summary, hook), secrets,
                          hook.timeout + 5.0))
    if settings.email is not None:
        mail = settings.email
        out.append(_guard("email", functools.partial(_mail, summary, mail), (),
                          mail.timeout * 4))
    return Outcome(sent=True, deliveries=tuple(out))


def _guard(channel: str, send: Callable[[], None], secrets: Sequence[str],
           seconds: float) -> Delivery:
    """Run ``send`` with a total deadline: a receiver that drips its answer or stalls
    the SMTP dialogue (each read within its timeout) cannot hold the run past it."""
    from .workers import DaemonTask

    task = DaemonTask(send, name=f"egov-audit-notify-{channel}")
    try:
        task.future.result(timeout=seconds)
    except FutureTimeout:
        task.abandon()
        return Delivery(channel, False, f"did not finish within {seconds:g} s")
    except Exception as exc:  # a notification must never fail or lose the run
        message = f"{exc.__class__.__name__}: {exc}"
        for secret in secrets:
            if len(secret) > 1:
                message = message.replace(secret, "<hidden>")
        return Delivery(channel, False, message[:300])
    return Delivery(channel, True)


def _post(summary: Summary, hook: Webhook) -> None:
    import requests

    payload = {"text": summary.text(), "egov_audit": asdict(summary)}
    # Our own endpoint, not a target: a POST is fine; redirects are not followed
    # so a moved hook cannot forward the summary somewhere unexpected.
    # stream=True: only the status line and headers are read; the body (which the
    # receiver chooses, of any size) never is.
    answer = requests.post(hook.url, json=payload, timeout=(5.0, hook.timeout),
                           allow_redirects=False, stream=True)
    try:
        if not 200 <= answer.status_code < 300:
            raise RuntimeError(f"webhook answered HTTP {answer.status_code}")
    finally:
        answer.close()


def _mail(summary: Summary, email: Email) -> None:
    message = EmailMessage()
    verdict = "gate FAILED" if summary.gate_failed else "changes"
    message["Subject"] = f"egov-audit: {verdict} in run {summary.run_id[:8]}"
    message["From"] = email.sender
    message["To"] = ", ".join(email.recipients)
    message.set_content(summary.text() + "\n")
    with smtplib.SMTP(email.host, email.port, timeout=email.timeout) as smtp:
        smtp.ehlo()
        if email.starttls:
            if not smtp.has_extn("starttls"):
                # Never fall back to sending the summary in clear text.
                raise RuntimeError("the SMTP server does not offer STARTTLS")
            smtp.starttls(context=ssl.create_default_context(cafile=email.ca_bundle))
            smtp.ehlo()
        if email.username:
            password = os.environ.get(email.password_env or "", "")
            smtp.login(email.username, password)
        smtp.send_message(message)


def settings_from_config(section: Any, source: str | None = None) -> Notifications | None:
    """``[notifications]`` of the configuration, validated (InputError names the key)."""
    if section is None:
        return None

    def bad(key: str, expected: str) -> InputError:
        path = () if key.startswith("(") else tuple(key.split("."))
        return InputError(f"notifications.{key} is not valid", source=source,
                          expected=expected, key=("notifications", *path))

    if not isinstance(section, dict) or set(section) - {"when", "webhook", "email"}:
        raise bad("(section)", "when, [notifications.webhook], [notifications.email]")
    when = section.get("when", "changes")
    if when not in WHEN:
        raise bad("when", "one of " + ", ".join(WHEN))
    webhook = email = None
    if "webhook" in section:
        raw = section["webhook"]
        if not isinstance(raw, dict) or set(raw) - {"url", "timeout"} or \
                not isinstance(raw.get("url"), str) or \
                not raw["url"].startswith(("https://", "http://")):
            raise bad("webhook", 'url = "https://…" (and optionally timeout = 10)')
        webhook = Webhook(url=raw["url"], timeout=float(raw.get("timeout", 10.0)))
    if "email" in section:
        email = _email(section["email"], bad)
    return Notifications(when=when, webhook=webhook, email=email)


def _email(raw: Any, bad: Any) -> Email:
    known = {"host", "port", "from", "to", "starttls", "username", "password_env",
             "ca_bundle", "timeout"}
    expected = 'host, port, from, to = ["…"], starttls, username, password_env, ca_bundle'
    if not isinstance(raw, dict) or set(raw) - known:
        raise bad("email", expected)
    to = raw.get("to")
    if isinstance(to, str):
        to = [to]
    if not isinstance(raw.get("host"), str) or not isinstance(raw.get("from"), str) or \
            not isinstance(to, list) or not to or not all(isinstance(t, str) for t in to):
        raise bad("email", expected)
    port = raw.get("port", 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise bad("email.port", "a port number")
    starttls = raw.get("starttls", True)
    if not isinstance(starttls, bool):
        raise bad("email.starttls", "true or false")
    for key in ("username", "password_env", "ca_bundle"):
        if key in raw and not isinstance(raw[key], str):
            raise bad(f"email.{key}", "a string")
    return Email(host=raw["host"], sender=raw["from"], recipients=tuple(to), port=port,
                 starttls=starttls, username=raw.get("username"),
                 password_env=raw.get("password_env"), ca_bundle=raw.get("ca_bundle"),
                 timeout=float(raw.get("timeout", 20.0)))
