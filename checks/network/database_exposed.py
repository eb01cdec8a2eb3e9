"""network.database_exposed"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Severity

from ._catalogue import ports_need
from ._scan import reachable_services


@check(
    id="network.database_exposed",
    title="A database, cache or search engine port is reachable from the scanner",
    severity=Severity.HIGH,
    cwe=(668, 1327, 306),
    needs=(ports_need("database"),),
    remediation="""
        Bind databases and caches to the application network only and block the
        port at the host and network firewall; administrators reach them through
        a jump host (bastion) or VPN, never directly:
          MySQL/MariaDB: bind-address = 127.0.0.1   (my.cnf, [mysqld])
          PostgreSQL:    listen_addresses = 'localhost' and tight pg_hba.conf rules
          Redis:         bind 127.0.0.1 ::1, protected-mode yes, requirepass / ACL users
          MongoDB:       net.bindIp: 127.0.0.1 and security.authorization: enabled
          Elasticsearch: network.host: _local_ and xpack.security.enabled: true
          memcached:     -l 127.0.0.1 (and -U 0 to disable UDP)
          Firewall:      ufw deny 6379/tcp, or iptables -A INPUT -p tcp --dport 6379 -j DROP
        Where unauthenticated access was confirmed, also rotate any data or
        credentials the service held: assume they were read.
    """,
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html",
        "https://redis.io/docs/latest/operate/oss_and_stack/management/security/",
        "https://www.mongodb.com/docs/manual/administration/security-checklist/",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
)
def database_exposed(ctx: CheckContext) -> Iterator[Issue]:
    """A database, cache or search engine reachable from outside its application
    network can be attacked directly (password guessing, unpatched flaws); one
    that answers without credentials hands its data to anyone who connects."""
    yield from reachable_services(ctx, "database")
