"""Network exposure: which services a target's host shows to the scanner (nmap)."""

from egov_audit.check import Check

from .cleartext_admin import cleartext_admin
from .database_exposed import database_exposed
from .eol_service_version import eol_service_version
from .file_sharing_exposed import file_sharing_exposed
from .remote_admin_exposed import remote_admin_exposed
from .ssh_exposed import ssh_exposed
from .unexpected_open_ports import unexpected_open_ports

CHECKS: tuple[Check, ...] = (
    database_exposed,
    cleartext_admin,
    remote_admin_exposed,
    file_sharing_exposed,
    ssh_exposed,
    unexpected_open_ports,
    eol_service_version,
)
