"""Options shared by scan, render and demo, and the scan's politeness options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .common import LANGUAGES

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--format, --lang, --policy and --sign-key, identical wherever reports are written."""
    decorators: list[Decorator] = [
        click.option("-f", "--format", "formats", multiple=True, default=(),
                     help="Report formats to write besides the JSON result (repeatable, "
                     "comma-separated), e.g. -f html,sarif,md."),
        click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
                     help="Language of report texts (en: English, id: Bahasa Indonesia)."),
        click.option("--policy", "policies", multiple=True,
                     help="Policy pack ids or pack files to evaluate (repeatable); "
                     "default: the built-in selection."),
        click.option("--sign-key", type=click.Path(dir_okay=False),
                     help="Ed25519 private key (see 'egov-audit keygen'): sign the result and "
                     "every rendered file."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def request_budget_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--request-budget: HTTP requests per host for the whole run (passed to the
    scan options as ``request_budget``)."""
    return click.option(
        "--request-budget", "request_budget", type=click.IntRange(min=0), default=None,
        help="HTTP requests per host for the whole run, all targets together, spent by "
        "priority: entry pages, then what the site links, then guessed paths "
        "(default 600; 0: no budget). What it cuts is reported as skipped.")(func)
