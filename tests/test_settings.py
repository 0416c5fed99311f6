"""Settings read only CABLES_-prefixed variables."""

from __future__ import annotations

import pytest

from streams.settings import KafkaSecurityError, Settings


@pytest.fixture(autouse=True)
def _no_security_env(monkeypatch):
    """The tests set what they need: a shell's CABLES_SASL_*, protocol or ports must not leak in."""
    for name in ("BOOTSTRAP_SERVERS", "WEB_PORT", "PARTITIONS", "SECURITY_PROTOCOL", "SASL_MECHANISM", "SASL_USERNAME", "SASL_PASSWORD", "SASL_PASSWORD_FILE",
                 "SSL_CA_FILE", "CREDENTIALS_DIR"):
        monkeypatch.delenv(f"CABLES_{name}", raising=False)


def test_prefixed_env_is_read(monkeypatch):
    """CABLES_BOOTSTRAP_SERVERS and CABLES_PARTITIONS configure the worker."""
    monkeypatch.setenv("CABLES_BOOTSTRAP_SERVERS", "a:1,b:2")
    monkeypatch.setenv("CABLES_PARTITIONS", "6")
    s = Settings()
    assert s.partitions == 6
    assert s.broker_url == "kafka://a:1;kafka://b:2"


def test_faust_style_unprefixed_env_is_ignored(monkeypatch):
    """BROKER_URL and WEB_PORT (read by Faust itself) do not change our settings."""
    for name in ("CABLES_BOOTSTRAP_SERVERS", "CABLES_KAFKA_PORT", "CABLES_WEB_PORT"):  # a test run's own ports
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BROKER_URL", "kafka://elsewhere:1")
    monkeypatch.setenv("WEB_PORT", "1234")
    for ours in ("CABLES_BOOTSTRAP_SERVERS", "CABLES_WEB_PORT"):  # a developer's own ports must not matter
        monkeypatch.delenv(ours, raising=False)
    s = Settings()
    assert s.bootstrap_servers == "127.0.0.1:9092" and s.web_port == 6066


def test_secrets_are_masked(monkeypatch):
    """The start-up dump never shows the SASL password."""
    monkeypatch.setenv("CABLES_SASL_USERNAME", "team-a")
    monkeypatch.setenv("CABLES_SASL_PASSWORD", "hunter2")
    dump = Settings().masked_dump()
    assert dump["sasl_password"] == "***" and "hunter2" not in repr(dump) and "hunter2" not in repr(Settings())


def test_topic_names():
    """Topics are <prefix>.<suffix>."""
    s = Settings(topic_prefix="t1")
    assert (s.raw_topic, s.dlq_topic, s.topic("secret")) == ("t1.raw", "t1.dlq", "t1.secret")


# --- Kafka security: one place turns the settings into a client config.
def test_sasl_scram_is_the_default_and_the_command_picks_its_principal(tmp_path):
    """Without CABLES_SASL_*, a command's principal and its password file in the credentials folder are used."""
    (tmp_path / "feed.password").write_text("feed-secret\n")
    conf = Settings(credentials_dir=tmp_path).as_principal("feed").kafka_client_config()
    assert conf["security.protocol"] == "SASL_PLAINTEXT" and conf["sasl.mechanism"] == "SCRAM-SHA-512"
    assert (conf["sasl.username"], conf["sasl.password"]) == ("feed", "feed-secret")


def test_a_configured_username_wins_over_the_commands_principal(tmp_path, monkeypatch):
    """CABLES_SASL_USERNAME and CABLES_SASL_PASSWORD_FILE are used as given, whatever the command's default."""
    (tmp_path / "pw").write_text("team-secret")
    monkeypatch.setenv("CABLES_SASL_USERNAME", "reader-secret")
    monkeypatch.setenv("CABLES_SASL_PASSWORD_FILE", str(tmp_path / "pw"))
    conf = Settings(credentials_dir=tmp_path / "none").as_principal("admin").kafka_client_config()
    assert (conf["sasl.username"], conf["sasl.password"]) == ("reader-secret", "team-secret")


def test_password_from_the_environment_beats_the_files(tmp_path):
    """CABLES_SASL_PASSWORD is used before any file."""
    (tmp_path / "worker.password").write_text("from-file")
    s = Settings(credentials_dir=tmp_path, sasl_username="worker", sasl_password="from-env")
    assert s.kafka_client_config()["sasl.password"] == "from-env"


def test_missing_password_is_a_clear_error_not_an_anonymous_client(tmp_path):
    """No password anywhere raises KafkaSecurityError naming the principal and the settings to set."""
    with pytest.raises(KafkaSecurityError, match=r"'reader-secret'.*CABLES_SASL_PASSWORD"):
        Settings(credentials_dir=tmp_path).as_principal("reader-secret").kafka_client_config()


def test_sasl_without_any_principal_is_refused():
    """A SASL client config without a principal (no as_principal, no username) raises instead of connecting."""
    with pytest.raises(KafkaSecurityError, match="CABLES_SASL_USERNAME"):
        Settings().kafka_client_config()


def test_a_password_without_a_username_is_rejected(monkeypatch):
    """CABLES_SASL_PASSWORD alone is ambiguous (each command has its own principal): refused at start."""
    monkeypatch.setenv("CABLES_SASL_PASSWORD", "x")
    with pytest.raises(ValueError, match="CABLES_SASL_USERNAME"):
        Settings()


def test_plaintext_needs_no_credentials_and_warns_once(capsys):
    """CABLES_SECURITY_PROTOCOL=PLAINTEXT gives a config without SASL keys and one loud warning on stderr."""
    s = Settings(security_protocol="PLAINTEXT", bootstrap_servers="plain-warning-test:1").as_principal("admin")
    conf = s.kafka_client_config()
    s.kafka_client_config()
    assert conf == {"bootstrap.servers": "plain-warning-test:1", "security.protocol": "PLAINTEXT"}
    assert capsys.readouterr().err.count("WITHOUT authentication") == 1


def test_tls_passes_the_ca_file(tmp_path):
    """SASL_SSL with CABLES_SSL_CA_FILE makes librdkafka verify the broker against that CA."""
    (tmp_path / "admin.password").write_text("pw")
    s = Settings(security_protocol="SASL_SSL", ssl_ca_file=tmp_path / "ca.pem", credentials_dir=tmp_path)
    conf = s.as_principal("admin").kafka_client_config()
    assert conf["security.protocol"] == "SASL_SSL" and conf["ssl.ca.location"] == str(tmp_path / "ca.pem")
