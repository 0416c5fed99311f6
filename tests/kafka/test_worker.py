"""The worker's client configuration and its static member id (no broker needed)."""

from __future__ import annotations

import pytest

from streams.kafka.worker import consumer_config, instance_id, producer_config
from streams.settings import Settings


def test_producer_is_idempotent_acks_all_compressed_and_size_limited_by_the_one_setting():
    """The outputs' producer never duplicates on retry, waits for all replicas, compresses, and its
    message limit is CABLES_MAX_MESSAGE_BYTES."""
    conf = producer_config(Settings(max_message_bytes=2_000_000, compression="zstd", security_protocol="PLAINTEXT"), "w-0")
    assert conf["enable.idempotence"] is True and conf["acks"] == "all"
    assert conf["compression.type"] == "zstd" and conf["message.max.bytes"] == 2_000_000


def test_consumer_commits_by_hand_as_a_static_member_of_the_app_group():
    """The raw consumer never auto-commits and joins the app's group with the given instance id."""
    conf = consumer_config(Settings(app_id="cables-x", session_timeout_s=12, security_protocol="PLAINTEXT"), "cables-x-host-3")
    assert conf["enable.auto.commit"] is False and conf["enable.auto.offset.store"] is False
    assert conf["group.id"] == "cables-x" and conf["group.instance.id"] == "cables-x-host-3"
    assert conf["session.timeout.ms"] == 12_000


def test_client_configs_carry_the_connection_settings():
    """Security and bootstrap settings reach both clients (built on Settings.kafka_client_config)."""
    s = Settings(bootstrap_servers="b1:9093", security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512",
                 sasl_username="u", sasl_password="p")
    for conf in (consumer_config(s, "i"), producer_config(s, "i")):
        assert conf["bootstrap.servers"] == "b1:9093" and conf["security.protocol"] == "SASL_SSL"
        assert conf["sasl.username"] == "u" and conf["sasl.password"] == "p"


def test_default_instance_ids_are_distinct_per_live_worker_and_reused_after_one_exits(tmp_path, monkeypatch):
    """Two live workers of one app on one host get different slots; a restarted one gets the freed slot."""
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    s = Settings(app_id="slot-test")
    first, lock1 = instance_id(s)
    second, lock2 = instance_id(s)
    assert first != second and first.endswith("-0") and second.endswith("-1")
    lock1.close()  # the first worker exits (the kernel releases its lock)
    again, lock3 = instance_id(s)
    assert again == first
    lock2.close()
    lock3.close()


def test_an_explicit_instance_id_wins():
    """CABLES_INSTANCE_ID is used as it is, with no slot lock."""
    assert instance_id(Settings(instance_id="worker-a")) == ("worker-a", None)


def test_a_fatal_consumer_error_ends_the_worker_instead_of_hanging():
    """A message error of code _FATAL (librdkafka's fenced static member) raises, so the worker exits for a restart."""
    from confluent_kafka import KafkaError, KafkaException

    from streams.kafka.worker import Worker

    worker = Worker.__new__(Worker)  # only the error policy is exercised: no clients
    with pytest.raises(KafkaException):
        worker._consumer_error(KafkaError(KafkaError._FATAL, "fenced by the group coordinator"))
    worker._consumer_error(KafkaError(KafkaError._TRANSPORT, "broker down"))  # transient: logged, no raise
