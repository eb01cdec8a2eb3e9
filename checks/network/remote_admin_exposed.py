"""network.remote_admin_exposed"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Severity

from ._catalogue import ports_need
from ._scan import reachable_services


@check(
    id="network.remote_admin_exposed",
    title="A remote desktop, container API or administration console is reachable",
    severity=Severity.HIGH,
    cwe=(668, 1327, 284),
    needs=(ports_need("remote_admin"),),
    remediation="""
        Put RDP, VNC, the Docker and Kubernetes APIs and admin consoles (Kibana,
        RabbitMQ management, WebLogic, Webmin) behind a VPN or jump host and allow
        only administrators' addresses at the firewall:
          Docker:     never expose tcp://0.0.0.0:2375; use the Unix socket or TLS (2376)
                      with client certificates (dockerd --tlsverify)
          Kubernetes: restrict the API server (6443) to admin networks; kubelet (10250)
                      with --anonymous-auth=false and --authorization-mode=Webhook
          RDP:        Network Level Authentication on, reachable only through an RD Gateway
          Admin UIs:  nginx:  location / { allow 10.0.0.0/8; deny all; }
                      Apache: Require ip 10.0.0.0/8
                      IIS:    IP Address and Domain Restrictions, deny unspecified clients
    """,
    references=(
        "https://docs.docker.com/engine/security/protect-access/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
        "https://www.cisa.gov/news-events/cybersecurity-advisories/aa20-073a",
    ),
)
def remote_admin_exposed(ctx: CheckContext) -> Iterator[Issue]:
    """Remote desktops, container APIs and admin consoles give whoever logs in
    (or, when unauthenticated, whoever connects) control of the server; they are
    a favourite entry point of ransomware crews."""
    yield from reachable_services(ctx, "remote_admin")
