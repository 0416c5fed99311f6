"""The worker's Kafka clients authenticate as the `worker` principal, from the same settings as every command."""

from __future__ import annotations

import pytest

from streams.kafka.worker import worker_settings
from streams.settings import Settings


@pytest.fixture(autouse=True)
def _no_security_env(monkeypatch):
    """The tests set what they need: a shell's CABLES_SASL_* or protocol must not leak in."""
    for name in ("SECURITY_PROTOCOL", "SASL_MECHANISM", "SASL_USERNAME", "SASL_PASSWORD", "SASL_PASSWORD_FILE",
                 "SSL_CA_FILE", "CREDENTIALS_DIR"):
        monkeypatch.delenv(f"CABLES_{name}", raising=False)


def test_worker_authenticates_as_worker_with_scram(tmp_path):
    """By default the worker's librdkafka config is SASL/SCRAM-SHA-512 as `worker` with the local password file."""
    (tmp_path / "worker.password").write_text("w-secret\n")
    conf = worker_settings(Settings(credentials_dir=tmp_path)).kafka_client_config()
    assert conf["security.protocol"] == "SASL_PLAINTEXT" and conf["sasl.mechanism"] == "SCRAM-SHA-512"
    assert (conf["sasl.username"], conf["sasl.password"]) == ("worker", "w-secret")


def test_a_configured_principal_wins(tmp_path):
    """CABLES_SASL_USERNAME (a managed cluster's own principal) is used as given."""
    s = worker_settings(Settings(sasl_username="team-worker", sasl_password="pw", security_protocol="SASL_SSL"))
    conf = s.kafka_client_config()
    assert conf["sasl.username"] == "team-worker" and conf["security.protocol"] == "SASL_SSL"


def test_plaintext_has_no_principal():
    """A PLAINTEXT (development) broker gets no SASL settings at all."""
    conf = worker_settings(Settings(security_protocol="PLAINTEXT")).kafka_client_config()
    assert "sasl.username" not in conf and conf["security.protocol"] == "PLAINTEXT"
