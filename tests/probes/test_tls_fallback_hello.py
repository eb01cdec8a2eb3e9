"""The fallback prober's own ClientHellos and suite table, checked against
independent implementations: tlslite-ng parses the hellos, and the code
points, names and key sizes agree with OpenSSL's, sslyze's and tlslite-ng's
tables wherever those know the suite."""

from __future__ import annotations

import ssl
from importlib import import_module
from typing import Any

import pytest

from egov_audit.probes import tls_hello
from egov_audit.probes.tls_hello_suites import (
    LEGACY_SUITES,
    SSL2_SUITES,
    TLS13_SUITES,
    key_bits,
    suites_for,
    tls12_only,
)

VERSIONS = (tls_hello.SSL3, tls_hello.TLS10, tls_hello.TLS11, tls_hello.TLS12, tls_hello.TLS13)
ALL = {**LEGACY_SUITES, **TLS13_SUITES}


def parsed(record: bytes) -> Any:
    pytest.importorskip("tlslite")
    from tlslite.messages import ClientHello
    from tlslite.utils.codec import Parser

    assert record[0] == 22
    assert int.from_bytes(record[3:5], "big") == len(record) - 5
    message = record[5:]
    assert message[0] == 1 and int.from_bytes(message[1:4], "big") == len(message) - 4
    return ClientHello().parse(Parser(bytearray(message[1:])))


@pytest.mark.parametrize("version", VERSIONS)
def test_hellos_are_well_formed(version: int) -> None:
    # Given our hello for a version and its suites
    offered = suites_for(version)
    record = tls_hello.client_hello(version, offered, "portal.example.go.id")
    # When tlslite-ng parses it as a server would
    hello = parsed(record)
    # Then it reads the version, every suite and (from TLS 1.0 on) the server name
    assert tuple(hello.client_version) == (3, min(version, tls_hello.TLS12) & 0xFF)
    assert [c for c in hello.cipher_suites if c != 0x00FF] == list(offered)
    if version >= tls_hello.TLS10:
        assert hello.server_name == bytearray(b"portal.example.go.id")
    else:
        assert hello.extensions is None  # SSL 3.0 stacks may choke on any extension
    if version == tls_hello.TLS13:
        assert hello.getExtension(43).versions == [(3, 4)]
        (share,) = hello.getExtension(51).client_shares
        assert share.group == 29 and len(share.key_exchange) == 32


def test_hellos_avoid_the_256_to_511_byte_range() -> None:
    # Some load balancers hang on hellos in that range (RFC 7685's reason for padding).
    for version in VERSIONS[1:]:
        for count in (1, 10, 40, 80, 200):
            size = len(tls_hello.client_hello(version, list(suites_for(version))[:count], None))
            assert not 256 <= size - 5 < 512, (version, count, size)


def test_no_name_is_sent_for_an_ip_address() -> None:
    hello = parsed(tls_hello.client_hello(tls_hello.TLS12, suites_for(tls_hello.TLS12), None))
    assert hello.server_name == bytearray()


def test_code_points_and_names_agree_with_openssl() -> None:
    # The local OpenSSL knows fewer suites than we offer, but those it knows
    # must have our code point for our name.
    sslyze_table = import_module("sslyze.plugins.openssl_cipher_suites.cipher_suites")
    to_rfc = sslyze_table._TLS_OPENSSL_TO_RFC_NAMES_MAPPING
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    checked = 0
    for cipher in context.get_ciphers():
        code = cipher["id"] & 0xFFFF
        rfc = to_rfc.get(cipher["name"], cipher["name"])
        if code in ALL:
            assert ALL[code] == rfc, (hex(code), cipher["name"])
            checked += 1
    assert checked >= 60


def test_code_points_and_names_agree_with_tlslite() -> None:
    constants = pytest.importorskip("tlslite.constants")
    known = constants.CipherSuite.ietfNames
    common = [code for code in ALL if code in known]
    assert len(common) >= 50
    for code in common:
        assert ALL[code].upper() == known[code].upper(), hex(code)


# Two slips in sslyze's table (its ARIA-128 entry says 256 bits, its AES-256
# one 128); the key size is in the name, and the name is right.
SSLYZE_SLIPS = {"TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CCM_8"}


def test_key_sizes_agree_with_sslyze() -> None:
    sizes = import_module("sslyze.plugins.openssl_cipher_suites.cipher_suites")\
        ._RFC_NAME_TO_KEY_SIZE_MAPPING
    common = [name for name in ALL.values() if name in sizes and name not in SSLYZE_SLIPS]
    assert len(common) >= 120
    for name in common:
        assert key_bits(name) == sizes[name], name


def test_only_tls12_suites_are_kept_out_of_older_hellos() -> None:
    older = suites_for(tls_hello.TLS10)
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in older.values()
    assert not any(tls12_only(name) for name in older.values())
    assert "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" in suites_for(tls_hello.TLS12).values()
    assert set(suites_for(tls_hello.TLS13)) == set(TLS13_SUITES)


def test_fallback_and_deflate_hellos() -> None:
    hello = parsed(tls_hello.client_hello(tls_hello.TLS11, suites_for(tls_hello.TLS11), None,
                                          fallback=True, deflate=True))
    assert hello.cipher_suites[-1] == tls_hello.FALLBACK_SCSV
    assert list(hello.compression_methods) == [tls_hello.DEFLATE, 0]


def test_ssl2_hello_is_well_formed() -> None:
    pytest.importorskip("tlslite")
    from tlslite.messages import ClientHello
    from tlslite.utils.codec import Parser

    record = tls_hello.ssl2_client_hello(SSL2_SUITES)
    assert record[0] & 0x80 and (record[0] & 0x7F) << 8 | record[1] == len(record) - 2
    assert record[2] == 1  # CLIENT-HELLO
    hello = ClientHello(ssl2=True).parse(Parser(bytearray(record[3:])))
    assert tuple(hello.client_version) == (0, 2)
    assert list(hello.cipher_suites) == list(SSL2_SUITES)


def test_ssl2_names_and_key_sizes_agree_with_sslyze() -> None:
    table = import_module("sslyze.plugins.openssl_cipher_suites.cipher_suites")
    names = set(table._SSLV2_OPENSSL_TO_RFC_NAMES_MAPPING.values())
    for name in SSL2_SUITES.values():
        assert name in names
        assert key_bits(name) == table._RFC_NAME_TO_KEY_SIZE_MAPPING[name], name
