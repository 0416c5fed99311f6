"""The Faust worker's credentials come from the same settings as every librdkafka client."""

from __future__ import annotations

import ssl

import faust
import pytest
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from streams.kafka.security import faust_credentials, worker_settings
from streams.settings import Settings


@pytest.fixture(autouse=True)
def _no_security_env(monkeypatch):
    """The tests set what they need: a shell's CABLES_SASL_* or protocol must not leak in."""
    for name in ("SECURITY_PROTOCOL", "SASL_MECHANISM", "SASL_USERNAME", "SASL_PASSWORD", "SASL_PASSWORD_FILE",
                 "SSL_CA_FILE", "CREDENTIALS_DIR"):
        monkeypatch.delenv(f"CABLES_{name}", raising=False)


def test_worker_authenticates_as_worker_with_scram(tmp_path):
    """By default the worker connects as `worker` with SCRAM-SHA-512 and the local broker's password file."""
    (tmp_path / "worker.password").write_text("w-secret\n")
    creds = faust_credentials(worker_settings(Settings(credentials_dir=tmp_path)))
    auth = credentials_to_aiokafka_auth(creds)  # what aiokafka receives
    assert auth["security_protocol"] == "SASL_PLAINTEXT" and auth["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (auth["sasl_plain_username"], auth["sasl_plain_password"]) == ("worker", "w-secret")
    assert "w-secret" not in repr(creds)


def test_sasl_ssl_carries_a_verifying_tls_context(tmp_path):
    """SASL_SSL gives aiokafka a TLS context that checks the broker's certificate and host name."""
    s = Settings(security_protocol="SASL_SSL", sasl_username="team", sasl_password="pw")
    auth = credentials_to_aiokafka_auth(faust_credentials(s))
    ctx = auth["ssl_context"]
    assert auth["security_protocol"] == "SASL_SSL" and isinstance(ctx, ssl.SSLContext)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname


def test_tls_without_sasl_uses_ssl_credentials():
    """security_protocol SSL gives faust.SSLCredentials (no SASL user)."""
    assert isinstance(faust_credentials(Settings(security_protocol="SSL")), faust.SSLCredentials)


def test_plaintext_gives_no_credentials():
    """PLAINTEXT (development only) passes no credentials: aiokafka connects in PLAINTEXT."""
    assert faust_credentials(Settings(security_protocol="PLAINTEXT")) is None
