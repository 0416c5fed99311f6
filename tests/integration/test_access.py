"""Access control on the real broker (ops/kafka.sh, SASL/SCRAM + ACLs): who can read and write what.

The expected permissions are written out here from the issue (readers read their level and every
lower one; the feed writes raw only; nobody but admin reads quarantine or dead letters), not taken
from streams/kafka/acls.py, the code under test.
"""

from __future__ import annotations

import stat
import time
import uuid
from pathlib import Path

import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition

from streams.settings import Settings

pytestmark = pytest.mark.integration

# Lowest first, as the issue orders them.
ORDER = ["unclassified", "controlled", "confidential", "secret", "top-secret"]
NEVER_FOR_READERS = ["raw", "quarantine", "dlq"]
DENIED = KafkaError.TOPIC_AUTHORIZATION_FAILED


@pytest.fixture
def topics(make_worker) -> Settings:
    """A fresh prefix with its topics and ACLs, and one record (written by admin) in every topic."""
    settings = make_worker().settings
    if not settings.uses_sasl:
        pytest.skip("the broker runs without access control (CABLES_SECURITY_PROTOCOL=PLAINTEXT)")
    p = Producer(settings.kafka_client_config())
    for suffix in ["raw", *ORDER, "quarantine", "dlq"]:
        p.produce(settings.topic(suffix), key=suffix.encode(), value=f"record of {suffix}".encode())
    assert p.flush(30) == 0
    return settings


def as_user(settings: Settings, user: str, **extra) -> dict:
    """librdkafka config of ``settings`` authenticating as ``user`` (password from the local broker's files)."""
    return Settings(**{**settings.model_dump(), "sasl_username": user, **extra}).kafka_client_config()


def subscribe_and_read(conf: dict, group: str, topic: str, timeout: float = 20.0) -> tuple[bytes | None, KafkaError | None]:
    """The first record of ``topic`` in consumer group ``group``, or the error that refused it."""
    c = Consumer({**conf, "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False})
    try:
        c.subscribe([topic])
        return _first(c, timeout)
    finally:
        c.close()


def assign_and_read(conf: dict, topic: str, partitions: int, timeout: float = 20.0) -> tuple[bytes | None, KafkaError | None]:
    """The first record of ``topic`` read with assigned partitions (None if none came), or an error.

    librdkafka still looks up the (unused) group's coordinator, which a principal without group ACLs is
    refused: that error is not the one under test, so it is passed over. (A topic the principal may not
    read yields no record and, in librdkafka 2.x, no error either: the refusal shows in the metadata.)
    """
    c = Consumer({**conf, "group.id": f"unused-{uuid.uuid4()}", "enable.auto.commit": False})
    try:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
        return _first(c, timeout, ignore=(KafkaError.GROUP_AUTHORIZATION_FAILED,))
    finally:
        c.close()


def _first(c: Consumer, timeout: float, ignore: tuple[int, ...] = ()) -> tuple[bytes | None, KafkaError | None]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = c.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() in (KafkaError._PARTITION_EOF, *ignore):
                continue
            return None, msg.error()
        return msg.value(), None
    return None, None


def write(conf: dict, topic: str) -> KafkaError | None:
    """Produce one forged record to ``topic``; the delivery error, or None if the broker took it."""
    results: list[KafkaError | None] = []
    p = Producer({**conf, "message.timeout.ms": 10_000})
    p.produce(topic, value=b"forged", on_delivery=lambda err, msg: results.append(err))
    p.flush(20)
    assert results, "no delivery report"
    return results[0]


def end_offsets(settings: Settings, topic: str) -> int:
    """Records in ``topic`` (sum of the partitions' high watermarks), read as admin."""
    c = Consumer({**settings.kafka_client_config(), "group.id": f"it-count-{uuid.uuid4()}"})
    try:
        return sum(c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(settings.partitions))
    finally:
        c.close()


@pytest.mark.parametrize("level", ["unclassified", "controlled", "confidential"])
def test_reader_confidential_reads_confidential_and_every_lower_level(topics, level):
    """reader-confidential reads the records of its own level and of each lower level, in its own group."""
    conf = as_user(topics, "reader-confidential")
    value, err = subscribe_and_read(conf, f"reader-confidential-it-{uuid.uuid4()}", topics.topic(level))
    assert err is None and value == f"record of {level}".encode()


@pytest.mark.parametrize("suffix", ["secret", "top-secret", "quarantine", "dlq"])
def test_reader_confidential_is_denied_higher_levels_quarantine_and_dead_letters(topics, suffix):
    """reader-confidential gets TOPIC_AUTHORIZATION_FAILED on secret, top-secret, quarantine and the DLQ."""
    conf = as_user(topics, "reader-confidential")
    value, err = subscribe_and_read(conf, f"reader-confidential-it-{uuid.uuid4()}", topics.topic(suffix))
    assert value is None and err is not None and err.code() == DENIED, err


def test_reader_cannot_use_another_principals_group(topics):
    """reader-confidential is refused a consumer group named after reader-secret (GROUP_AUTHORIZATION_FAILED)."""
    conf = as_user(topics, "reader-confidential")
    value, err = subscribe_and_read(conf, f"reader-secret-it-{uuid.uuid4()}", topics.topic("confidential"))
    assert value is None and err is not None and err.code() == KafkaError.GROUP_AUTHORIZATION_FAILED, err


@pytest.mark.parametrize("reader_level", ORDER)
def test_each_reader_sees_exactly_its_level_and_the_lower_ones(topics, reader_level):
    """The topics a reader-<level> can see (metadata) are its level and the lower ones: no higher level, raw, quarantine or DLQ."""
    conf = as_user(topics, f"reader-{reader_level}")
    c = Consumer({**conf, "group.id": f"reader-{reader_level}-it-{uuid.uuid4()}"})
    try:
        visible = {t for t in c.list_topics(timeout=15).topics if t.startswith(f"{topics.topic_prefix}.")}
    finally:
        c.close()
    expected = {topics.topic(lv) for lv in ORDER[: ORDER.index(reader_level) + 1]}
    assert visible == expected


@pytest.mark.parametrize("suffix", [*ORDER, "quarantine", "dlq"])
def test_feed_cannot_read_an_output_topic(topics, suffix):
    """The feed principal is refused the topic (TOPIC_AUTHORIZATION_FAILED) and reads nothing from it."""
    conf = as_user(topics, "feed")
    c = Consumer({**conf, "group.id": f"feed-it-{uuid.uuid4()}"})
    try:
        error = c.list_topics(topics.topic(suffix), timeout=15).topics[topics.topic(suffix)].error
    finally:
        c.close()
    assert error is not None and error.code() == DENIED, error
    value, _ = assign_and_read(conf, topics.topic(suffix), topics.partitions, timeout=5)
    assert value is None


@pytest.mark.parametrize("suffix", [*ORDER, "quarantine", "dlq"])
def test_feed_cannot_write_an_output_topic(topics, suffix):
    """A forged record from the feed principal is refused (TOPIC_AUTHORIZATION_FAILED) and never lands on an output topic."""
    before = end_offsets(topics, topics.topic(suffix))
    err = write(as_user(topics, "feed"), topics.topic(suffix))
    assert err is not None and err.code() == DENIED, err
    assert end_offsets(topics, topics.topic(suffix)) == before


def test_feed_writes_the_raw_topic(topics):
    """The feed principal's one permission works: its record is acknowledged on the raw topic."""
    before = end_offsets(topics, topics.raw_topic)
    assert write(as_user(topics, "feed"), topics.raw_topic) is None
    assert end_offsets(topics, topics.raw_topic) == before + 1


def test_reader_cannot_write_its_own_level(topics):
    """A reader forging a record into the topic it may read is refused (TOPIC_AUTHORIZATION_FAILED)."""
    err = write(as_user(topics, "reader-confidential"), topics.topic("confidential"))
    assert err is not None and err.code() == DENIED, err


def test_anonymous_client_is_refused(topics):
    """A client without SASL gets no metadata and its record never reaches the raw topic."""
    anonymous = {"bootstrap.servers": topics.bootstrap_servers, "security.protocol": "PLAINTEXT", "log_level": 0}
    c = Consumer({**anonymous, "group.id": f"anon-{uuid.uuid4()}"})
    try:
        with pytest.raises(KafkaException):
            c.list_topics(timeout=5)
    finally:
        c.close()
    before = end_offsets(topics, topics.raw_topic)
    err = write({**anonymous, "message.timeout.ms": 5_000}, topics.raw_topic)
    assert err is not None and err.code() == KafkaError._MSG_TIMED_OUT, err
    assert end_offsets(topics, topics.raw_topic) == before


def test_wrong_password_is_refused(topics):
    """A known principal with a wrong password fails SASL authentication (_AUTHENTICATION) and gets no metadata."""
    errors: list[KafkaError] = []
    conf = {**as_user(topics, "reader-top-secret", sasl_password="not-the-password"), "log_level": 0,
            "error_cb": errors.append}
    c = Consumer({**conf, "group.id": f"reader-top-secret-it-{uuid.uuid4()}"})
    try:
        with pytest.raises(KafkaException):
            c.list_topics(timeout=5)
    finally:
        c.close()
    assert any(e.code() == KafkaError._AUTHENTICATION for e in errors), errors


def test_local_broker_secrets_are_owner_only_and_deny_by_default():
    """ops/kafka.sh keeps passwords and its config owner-only and runs the ACL authorizer with deny-by-default."""
    cache = Path(__file__).resolve().parents[2] / ".cache" / "kafka"
    if not (cache / "server.properties").exists():
        pytest.skip("the broker was not started by this clone's ops/kafka.sh")
    config = (cache / "server.properties").read_text()
    if "sasl.enabled.mechanisms" not in config:
        pytest.skip("the local broker runs in plain mode (CABLES_KAFKA_SECURITY=plain)")
    assert stat.S_IMODE((cache / "server.properties").stat().st_mode) == 0o600
    assert stat.S_IMODE((cache / "credentials").stat().st_mode) == 0o700
    files = list((cache / "credentials").glob("*.password"))
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    settings = dict(line.split("=", 1) for line in config.splitlines() if "=" in line and not line.startswith("#"))
    assert settings["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert settings["allow.everyone.if.no.acl.found"] == "false"
    assert settings["super.users"] == "User:broker;User:admin"


def test_worker_runs_as_worker_and_never_logs_its_password(make_worker):
    """A worker started without CABLES_SASL_USERNAME connects as `worker`; its password appears nowhere in its log."""
    worker = make_worker()
    if not worker.settings.uses_sasl:
        pytest.skip("the broker runs without access control (CABLES_SECURITY_PROTOCOL=PLAINTEXT)")
    worker.start()
    worker.stop()
    log = worker.log_path.read_text(encoding="utf-8", errors="replace")
    password = Settings(credentials_dir=worker.settings.credentials_dir, sasl_username="worker").sasl_secret()
    assert '"sasl_username": "worker"' in log
    assert password not in log
