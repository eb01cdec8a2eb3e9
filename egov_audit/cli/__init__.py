"""The command line: a thin layer over the library, and the only code that prints or exits."""

from __future__ import annotations

import click

from .. import __version__
from .checks_cmd import checks_group
from .demo_cmd import demo
from .diff_cmd import diff
from .policies_cmd import policies_group
from .render_cmd import render
from .scan_cmd import scan
from .sign_cmd import keygen, verify


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="egov-audit")
def main() -> None:
    """Security and data-protection audit of government web endpoints.

    Scans endpoints for TLS, header, exposed-data and personal-data issues, maps
    findings to the controls of UU PDP, BSSN SPBE and international standards,
    and writes reports that never contain the personal data they found.

    Only point egov-audit at systems you are authorised to audit.
    """


main.add_command(scan)
main.add_command(checks_group)
main.add_command(render)
main.add_command(demo)
main.add_command(diff)
main.add_command(policies_group)
main.add_command(keygen)
main.add_command(verify)
