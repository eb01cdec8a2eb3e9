"""``python -m egov_audit.distributed --broker …``: the worker, without the CLI group."""

from ..cli.worker_cmd import worker

worker(prog_name="egov-audit worker")
