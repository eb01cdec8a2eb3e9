"""Loopback TLS servers built on stacks other than OpenSSL, started by the tests."""
