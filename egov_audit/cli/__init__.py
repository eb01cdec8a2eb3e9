"""The command line: a thin layer over the library, and the only code that prints or exits.

Sub-commands are imported when they are run, not when the program starts:
``egov-audit --version`` imports no scanner code at all, and ``scan`` does not
pay for ``demo``, ``diff`` or the policy browser.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .. import __version__

# name → (module, attribute), in the order help lists them.
COMMANDS = {
    "scan": (".scan_cmd", "scan"),
    "run": (".run_cmd", "run"),
    "init": (".init_cmd", "init"),
    "history": (".history_cmd", "history"),
    "serve": (".serve_cmd", "serve"),
    "worker": (".worker_cmd", "worker"),
    "checks": (".checks_cmd", "checks_group"),
    "render": (".render_cmd", "render"),
    "demo": (".demo_cmd", "demo"),
    "diff": (".diff_cmd", "diff"),
    "policies": (".policies_cmd", "policies_group"),
    "keygen": (".sign_cmd", "keygen"),
    "verify": (".sign_cmd", "verify"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported by name when click asks for them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *sorted(set(self.commands) - set(COMMANDS))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command: Any = getattr(importlib.import_module(module, __name__), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        self.add_command(command, cmd_name)
        return command


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="egov-audit")
def main() -> None:
    """Security and data-protection audit of government web endpoints.

    Scans endpoints for TLS, header, exposed-data and personal-data issues, maps
    findings to the controls of UU PDP, BSSN SPBE and international standards,
    and writes reports that never contain the personal data they found.

    Only point egov-audit at systems you are authorised to audit.
    """
