"""Settings read only CABLES_-prefixed variables."""

from __future__ import annotations

from streams.settings import Settings


def test_prefixed_env_is_read(monkeypatch):
    """CABLES_BOOTSTRAP_SERVERS and CABLES_PARTITIONS configure the worker."""
    monkeypatch.setenv("CABLES_BOOTSTRAP_SERVERS", "a:1,b:2")
    monkeypatch.setenv("CABLES_PARTITIONS", "6")
    s = Settings()
    assert s.partitions == 6
    assert s.broker_url == "kafka://a:1;kafka://b:2"


def test_faust_style_unprefixed_env_is_ignored(monkeypatch):
    """BROKER_URL and WEB_PORT (read by Faust itself) do not change our settings."""
    monkeypatch.setenv("BROKER_URL", "kafka://elsewhere:1")
    monkeypatch.setenv("WEB_PORT", "1234")
    for ours in ("CABLES_BOOTSTRAP_SERVERS", "CABLES_WEB_PORT"):  # a developer's own ports must not matter
        monkeypatch.delenv(ours, raising=False)
    s = Settings()
    assert s.bootstrap_servers == "127.0.0.1:9092" and s.web_port == 6066


def test_secrets_are_masked(monkeypatch):
    """The start-up dump never shows the SASL password."""
    monkeypatch.setenv("CABLES_SASL_PASSWORD", "hunter2")
    dump = Settings().masked_dump()
    assert dump["sasl_password"] == "***" and "hunter2" not in repr(dump)


def test_topic_names():
    """Topics are <prefix>.<suffix>."""
    s = Settings(topic_prefix="t1")
    assert (s.raw_topic, s.dlq_topic, s.topic("secret")) == ("t1.raw", "t1.dlq", "t1.secret")
