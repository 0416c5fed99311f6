"""Each `cables` command connects as the least principal that can do its job (no broker: the Kafka calls are replaced)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from streams import settings as settings_module
from streams.cli import main
from streams.kafka import offsets, publish, reach, tail
from streams.kafka.tail import group_prefix
from streams.settings import Settings


@pytest.fixture
def seen(monkeypatch):
    """The settings each replaced Kafka call received; the shell's CABLES_SASL_* do not leak in."""
    for name in ("SECURITY_PROTOCOL", "SASL_USERNAME", "SASL_PASSWORD", "SASL_PASSWORD_FILE", "TOPIC_PREFIX"):
        monkeypatch.delenv(f"CABLES_{name}", raising=False)
    settings_module.get_settings.cache_clear()
    calls: list[Settings] = []

    def fake_tail(s, name, **kw):
        calls.append(s)
        return 0

    def fake_publish(s, messages, **kw):
        calls.append(s)
        return publish.PublishReport()

    monkeypatch.setattr(tail, "tail", fake_tail)
    monkeypatch.setattr(publish, "publish", fake_publish)
    monkeypatch.setattr(offsets, "topic_counts", lambda s, **kw: calls.append(s) or {})

    class EveryTopic:  # the reachability check's answer: the broker is up and every topic exists
        def __contains__(self, topic: str) -> bool:
            return True

    monkeypatch.setattr(reach, "check_kafka", lambda s: EveryTopic())
    monkeypatch.setattr(reach, "check_registry", lambda s: None)
    yield calls
    settings_module.get_settings.cache_clear()


@pytest.mark.parametrize(("topic", "principal"), [
    ("secret", "reader-secret"), ("top-secret", "reader-top-secret"), ("cables.confidential", "reader-confidential"),
    ("unclassified", "reader-unclassified"), ("quarantine", "admin"), ("dlq", "admin"), ("raw", "admin"),
])
def test_tail_reads_a_level_as_that_levels_reader(seen, topic, principal):
    """`cables tail <level>` connects as reader-<level>; quarantine, dlq and raw only as admin."""
    result = CliRunner().invoke(main, ["tail", topic, "--timeout", "0.01"])
    assert result.exit_code == 0, result.output
    assert seen[-1].sasl_username == principal


def test_a_configured_username_is_used_by_every_command(seen, monkeypatch):
    """With CABLES_SASL_USERNAME set, tail, publish and counts all connect as that principal."""
    monkeypatch.setenv("CABLES_SASL_USERNAME", "team-a")
    runner = CliRunner()
    for args in (["tail", "secret", "--timeout", "0.01"], ["publish", "--with-seed-cable"], ["counts"]):
        runner.invoke(main, args)
    assert [s.sasl_username for s in seen] == ["team-a", "team-a", "team-a"]


def test_publish_is_the_feed_and_counts_is_admin(seen):
    """`cables publish` connects as feed (raw only); `cables counts` as admin."""
    runner = CliRunner()
    runner.invoke(main, ["publish", "--with-seed-cable"])
    runner.invoke(main, ["counts"])
    assert [s.sasl_username for s in seen] == ["feed", "admin"]


def test_tail_groups_start_with_the_principals_name():
    """A tail's throwaway group is '<principal>-tail-...' (the readers' group ACL), 'cables-tail-...' without SASL."""
    assert group_prefix(Settings(sasl_username="reader-secret")) == "reader-secret-tail"
    assert group_prefix(Settings(security_protocol="PLAINTEXT")) == "cables-tail"


def test_a_topic_the_principal_may_not_see_is_named_as_not_authorized(monkeypatch):
    """A reader asking for a higher level's topic hears that it may not use it, not that the topic is missing."""
    for name in ("SECURITY_PROTOCOL", "SASL_USERNAME", "SASL_PASSWORD", "SASL_PASSWORD_FILE", "TOPIC_PREFIX"):
        monkeypatch.delenv(f"CABLES_{name}", raising=False)
    monkeypatch.setenv("CABLES_SASL_USERNAME", "reader-confidential")
    monkeypatch.setenv("CABLES_SASL_PASSWORD", "pw")
    settings_module.get_settings.cache_clear()
    monkeypatch.setattr(reach, "check_kafka", lambda s: {"cables.confidential"})  # what this reader can see
    try:
        result = CliRunner().invoke(main, ["tail", "secret", "--timeout", "0.01"])
    finally:
        settings_module.get_settings.cache_clear()
    assert result.exit_code == 1
    assert "reader-confidential may not use cables.secret" in result.output and "does not exist at" not in result.output
