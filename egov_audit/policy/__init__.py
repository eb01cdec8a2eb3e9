"""Policy packs: map findings to the controls of laws and standards (issue 8).

Contract with the rest of the tool (the CLI calls exactly this):

    apply_policies(report, selected) -> RunReport

* fills ``Finding.controls`` of every finding with ``"<pack-id>:<control-id>"``
  references from every installed pack;
* adds ``report.extensions["compliance"]``: a mapping pack id → summary of the
  selected packs (``selected=None`` means the default selection).

It must be pure: re-evaluating a stored result gives the same compliance as
the live run did.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import RunReport


def apply_policies(report: RunReport, selected: Sequence[str] | None = None) -> RunReport:
    """Placeholder until the policy engine lands: returns the report unchanged."""
    return report
