"""Ways a server can point a scanner outside its scope, each aimed at a counting listener.

Every spelling below names (for a URL parser, an HTTP library, or a browser)
an address that is NOT in the audit's scope: another loopback address,
another port of the target's own host, or ``localhost``. The listeners they
point to count accepted connections; a scanner that stays in scope leaves
every count at zero. The numeric forms are the ones ``inet_aton`` (and so
``getaddrinfo``) accepts although ``ipaddress`` does not.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class Aim:
    """Where the tricks point: an off-scope address, and the target itself."""

    off_host: str  # another loopback address, never a target
    off_port: int
    target_host: str
    target_port: int
    other_port: int  # a listener on the target's own host, another port
    localhost_port: int  # a listener on 127.0.0.1 (reached as "localhost")

    @property
    def off(self) -> str:
        return f"{self.off_host}:{self.off_port}"

    @property
    def target(self) -> str:
        return f"{self.target_host}:{self.target_port}"


def _octal(host: str) -> str:
    return ".".join(f"0{int(part):o}" for part in host.split("."))


def _short(host: str) -> str:
    a, b, c, d = (int(part) for part in host.split("."))
    return f"{a}.{(b << 16) | (c << 8) | d}"


def locations(aim: Aim) -> dict[str, str]:
    """Trick name → a Location header value or a link, all off scope."""
    number = int(ipaddress.IPv4Address(aim.off_host))
    port = aim.off_port
    return {
        "absolute": f"http://{aim.off}/",
        "scheme-relative": f"//{aim.off}/",
        "userinfo": f"http://{aim.target}@{aim.off}/",
        "userinfo-backslash": f"http://{aim.off}\\@{aim.target}/",
        "backslash-path": f"/\\{aim.off}/",
        "backslash-scheme": f"http:\\\\{aim.off}\\",
        "scheme-no-slashes": f"http:{aim.off}/",
        "other-port": f"http://{aim.target_host}:{aim.other_port}/",
        "decimal-ipv4": f"http://{number}:{port}/",
        "octal-ipv4": f"http://{_octal(aim.off_host)}:{port}/",
        "hex-ipv4": f"http://0x{number:08x}:{port}/",
        "short-ipv4": f"http://{_short(aim.off_host)}:{port}/",
        "ipv4-mapped-ipv6": f"http://[::ffff:{aim.off_host}]:{port}/",
        "fullwidth-idn": f"http://{aim.off_host.translate(_FULLWIDTH)}:{port}/",
        "tab-in-scheme": f"ht\ttp://{aim.off}/",
        "mixed-case": f"HtTp://{aim.off}/",
        "percent-host": "http://" + "".join(f"%{ord(c):02x}" for c in aim.off_host)
        + f":{port}/",
        "localhost": f"http://localhost:{aim.localhost_port}/",
    }
