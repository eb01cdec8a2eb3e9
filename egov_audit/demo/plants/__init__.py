"""Planted problems, one module per check family.

Each module's ``plant(portal)`` adds services or routes to the demo portal
before it starts. ``base`` comes first: it creates the city's services that
the other modules decorate.
"""

from collections.abc import Callable

from ..portal import DemoPortal
from . import base, exposure, headers, network, pii, tls

PLANTS: tuple[Callable[[DemoPortal], None], ...] = (
    base.plant,
    tls.plant,
    headers.plant,
    exposure.plant,
    pii.plant,
    network.plant,
)
