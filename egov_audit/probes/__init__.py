"""Probes: the only code that touches the network.

Each probe collects one kind of :class:`~egov_audit.check.Snapshot` for a
target, once per run; checks read the snapshots and never send traffic.
"""
