"""Server configuration snippets for remediation texts (nginx, Apache, IIS).

One function so every check shows the same, correct idiom: nginx needs
``always`` or error pages lose the header, Apache needs ``always`` for the same
reason, IIS takes custom headers in web.config.

Snippets are placed inside the ``remediation=`` text of a check, whose lines
are indented by eight spaces before ``inspect.cleandoc`` removes them; the
continuation lines carry that indentation so the result dedents cleanly.
"""

from __future__ import annotations

_INDENT = " " * 8


def _block(lines: list[str]) -> str:
    return ("\n" + _INDENT).join(lines)


def set_header(name: str, value: str) -> str:
    iis_value = value.replace('"', "&quot;")
    return _block([
        f"  nginx:  add_header {name} \"{value}\" always;",
        f"  Apache: Header always set {name} \"{value}\"",
        "  IIS:    <system.webServer><httpProtocol><customHeaders>",
        f"            <add name=\"{name}\" value=\"{iis_value}\" />",
        "          </customHeaders></httpProtocol></system.webServer>",
    ])


NGINX_INHERITANCE = _block([
    "Note: in nginx an add_header inside a location block drops every add_header",
    "inherited from the server block; repeat them there or use an include file.",
])
