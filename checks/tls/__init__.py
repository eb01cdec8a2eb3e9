"""TLS: protocols, cipher suites, certificates, known weaknesses, profile and grade.

All checks read one :class:`~egov_audit.probes.tls_model.TlsScan` per endpoint,
collected by the sslyze-based ``tls`` probe.
"""

from egov_audit.check import Check

from .cbc_suites import cbc_suites
from .ccs_injection import ccs_injection
from .cert_chain_incomplete import cert_chain_incomplete
from .cert_expired import cert_expired
from .cert_expiring import cert_expiring
from .cert_hostname_mismatch import cert_hostname_mismatch
from .cert_not_yet_valid import cert_not_yet_valid
from .cert_untrusted import cert_untrusted
from .cert_weak_key import cert_weak_key
from .cert_weak_signature import cert_weak_signature
from .compression import compression
from .dh_composite_group import dh_composite_group
from .dh_small_subgroup import dh_small_subgroup
from .fallback_scsv_missing import fallback_scsv_missing
from .grade import tls_grade
from .heartbleed import heartbleed
from .insecure_renegotiation import insecure_renegotiation
from .legacy_tls_accepted import legacy_tls_accepted
from .mozilla_profile import mozilla_profile
from .no_forward_secrecy import no_forward_secrecy
from .ocsp_stapling_missing import ocsp_stapling_missing
from .robot import robot
from .ssl2_ssl3_accepted import ssl2_ssl3_accepted
from .tls12_unsupported import tls12_unsupported
from .tls13_unsupported import tls13_unsupported
from .weak_cipher_suites import weak_cipher_suites
from .weak_dh import weak_dh

CHECKS: tuple[Check, ...] = (
    ssl2_ssl3_accepted,
    legacy_tls_accepted,
    tls12_unsupported,
    tls13_unsupported,
    weak_cipher_suites,
    no_forward_secrecy,
    weak_dh,
    dh_composite_group,
    dh_small_subgroup,
    cbc_suites,
    cert_expired,
    cert_not_yet_valid,
    cert_expiring,
    cert_untrusted,
    cert_chain_incomplete,
    cert_hostname_mismatch,
    cert_weak_key,
    cert_weak_signature,
    ocsp_stapling_missing,
    heartbleed,
    robot,
    ccs_injection,
    insecure_renegotiation,
    compression,
    fallback_scsv_missing,
    mozilla_profile,
    tls_grade,
)
