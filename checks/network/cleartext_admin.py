"""network.cleartext_admin"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity

from ._catalogue import categories, endpoint, ports_need
from ._scan import host_scan, port_details, ports_of


@check(
    id="network.cleartext_admin",
    title="A cleartext login or file-transfer service (Telnet, FTP, rlogin) is reachable",
    severity=Severity.HIGH,
    cwe=(319, 523),
    needs=(ports_need("cleartext"),),
    remediation="""
        Turn off Telnet, rlogin/rsh and plain FTP; use SSH for administration and
        SFTP (or FTPS with TLS required) for file transfer:
          Debian/Ubuntu: systemctl disable --now inetd telnet.socket vsftpd
          vsftpd (if FTP must stay): ssl_enable=YES, force_local_logins_ssl=YES,
                                     force_local_data_ssl=YES, anonymous_enable=NO
          ProFTPD: TLSRequired on; and no <Anonymous> block
          IIS FTP: SSL Policy "Require SSL connections"; disable Anonymous Authentication
        For POP3/IMAP, require TLS (ports 995/993) or STARTTLS before login.
        Block the ports at the firewall for every network that does not need them.
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc4217",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
        "https://cwe.mitre.org/data/definitions/319.html",
    ),
)
def cleartext_admin(ctx: CheckContext) -> Iterator[Issue]:
    """Telnet, FTP and rlogin send user names, passwords and files unencrypted:
    anyone on the network path can read or replay them; anonymous FTP
    additionally hands its files to anybody."""
    scan = host_scan(ctx)
    lowered = categories()["cleartext"].severity
    for port in ports_of(scan, "cleartext"):
        anonymous = port.script("ftp-anon")
        allowed = bool(anonymous and "anonymous ftp login allowed" in anonymous.lower())
        evidence = f"{scan.host}:{port.port}/tcp open: {port.label}; logins travel in clear text"
        if allowed:
            evidence += (". Anonymous FTP login accepted "
                         f"(nmap ftp-anon: {anonymous_line(anonymous)})")
        override = lowered.get(port.service.lower())
        yield Issue(
            location=endpoint(scan, port.port),
            key=str(port.port),
            evidence=evidence,
            severity=Severity.parse(override) if override and not allowed else None,
            confidence=Confidence.CERTAIN if port.probed else Confidence.FIRM,
            details=port_details(scan, port, anonymous_login=allowed),
        )


def anonymous_line(output: str | None) -> str:
    return (output or "").strip().splitlines()[0] if output else ""
