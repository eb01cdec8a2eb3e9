"""Options shared by scan, render and demo."""

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
