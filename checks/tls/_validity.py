"""Certificates in the served chain judged against the scan's moment."""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.probes.tls_model import CertificateDeployment, CertificateInfo, TlsScan

from ._common import deployment_key, deployments, served_non_roots


def served(scan: TlsScan) -> Iterator[tuple[int, CertificateDeployment, CertificateInfo]]:
    for index, dep in enumerate(deployments(scan)):
        for cert in served_non_roots(dep):
            yield index, dep, cert


def key_for(scan: TlsScan, index: int, dep: CertificateDeployment, cert: CertificateInfo) -> str:
    base = deployment_key(scan, index)
    return base if cert is dep.leaf else f"{base}|{cert.sha256}"


def role(dep: CertificateDeployment, cert: CertificateInfo) -> str:
    return "leaf certificate" if cert is dep.leaf else "intermediate certificate"
