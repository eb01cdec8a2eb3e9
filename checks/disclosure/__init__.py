"""Disclosure: do headers and markup name the software and versions behind the service?"""

from egov_audit.check import Check

from .aspnet_version import aspnet_version
from .meta_generator import meta_generator
from .server_version import server_version
from .x_generator import x_generator
from .x_powered_by import x_powered_by

CHECKS: tuple[Check, ...] = (
    server_version,
    x_powered_by,
    aspnet_version,
    x_generator,
    meta_generator,
)
