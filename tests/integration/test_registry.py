"""Our schemas in the real registry (Apicurio, ops/registry.sh) and our records read by standard tooling.

Each test gets its own topic on the real broker and deletes it, and the subjects it registered,
afterwards. Outside CI a registry that is not running skips these tests with a clear message;
under ``CI=true`` it fails them.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterator

import httpx
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext
from fastavro.schema import to_parsing_canonical_form

from streams.kafka.codec import Codec, schema_text
from streams.kafka.registry import DESERIALIZER_CONF, REQUEST_TIMEOUT_S, codecs_for, register_schemas, subject_for
from streams.settings import Settings
from streams.vocab import ADMIN
from streams.kafka.tail import tail

pytestmark = [pytest.mark.registry, pytest.mark.integration]

REGISTRY_URL = (
    os.environ.get("CABLES_TEST_REGISTRY_URL")
    or os.environ.get("CABLES_SCHEMA_REGISTRY_URL")
    or f"http://127.0.0.1:{os.environ.get('CABLES_REGISTRY_PORT', '8081')}/apis/ccompat/v7"
)

RECORD = {
    "reason": "no classification marking found", "id": "05ALMATY2231", "classification": None,
    "markings_seen": [], "original": b"\x00raw cable text\xff",
    "source": {"topic": "cables.raw", "partition": 2, "offset": 41, "timestamp_ms": 1_700_000_000_000},
}


def evolved_quarantine() -> str:
    """schemas/quarantine.avsc plus an optional field with a default: the one allowed evolution."""
    schema = json.loads(schema_text("quarantine"))
    schema["fields"].append(
        {"name": "reviewer", "type": ["null", "string"], "default": None, "doc": "Who reviewed it (test only)."}
    )
    return json.dumps(schema)


@pytest.fixture(scope="session")
def registry_url() -> str:
    """The Confluent-compatible URL of the real local registry."""
    try:
        httpx.get(f"{REGISTRY_URL}/subjects", timeout=3).raise_for_status()
    except httpx.HTTPError as exc:
        msg = f"no schema registry at {REGISTRY_URL} ({exc}): start it with `bash ops/registry.sh start`"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return REGISTRY_URL


@pytest.fixture
def settings(kafka, registry_url) -> Settings:
    return Settings(bootstrap_servers=kafka, schema_registry_url=registry_url).as_principal(ADMIN)


@pytest.fixture
def client(registry_url) -> SchemaRegistryClient:
    return SchemaRegistryClient({"url": registry_url, "timeout": REQUEST_TIMEOUT_S})


@pytest.fixture
def topic(settings, client) -> Iterator[str]:
    """A fresh one-partition topic; deleted afterwards with its value subject."""
    name = f"it-registry-{uuid.uuid4().hex[:10]}"
    admin = AdminClient(settings.kafka_client_config())
    admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)])[name].result(30)
    yield name
    admin.delete_topics([name])[name].result(30)
    for permanent in (False, True):  # Confluent's API: a soft delete first, then the permanent one
        try:
            client.delete_subject(subject_for(name), permanent=permanent)
        except SchemaRegistryError:
            pass


def produce(settings: Settings, topic: str, values: list[bytes]) -> None:
    producer = Producer(settings.kafka_client_config())
    for value in values:
        producer.produce(topic, key=RECORD["id"], value=value)
    assert producer.flush(30) == 0


def read(settings: Settings, topic: str, count: int, deserializer: AvroDeserializer) -> list[dict]:
    """The first ``count`` records of ``topic``, read the way a downstream team would: a plain Consumer."""
    consumer = Consumer({**settings.kafka_client_config(), "group.id": f"it-{uuid.uuid4()}", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    ctx = SerializationContext(topic, MessageField.VALUE)
    records = []
    try:
        for _ in range(120):
            msg = consumer.poll(0.5)
            if msg is not None and not msg.error():
                records.append(deserializer(msg.value(), ctx))
            if len(records) == count:
                return records
    finally:
        consumer.close()
    raise AssertionError(f"read {len(records)} of {count} records from {topic}")


def test_registration_is_idempotent_and_sets_backward_compatibility(settings, client, topic):
    """Registering twice gives the same id, the registry holds our schema under <topic>-value, BACKWARD."""
    ids = register_schemas(settings, {topic: "quarantine"})
    assert register_schemas(settings, {topic: "quarantine"}) == ids
    latest = client.get_latest_version(subject_for(topic))
    assert (latest.version, latest.schema_id) == (1, ids[topic])
    assert to_parsing_canonical_form(json.loads(latest.schema.schema_str)) == to_parsing_canonical_form(
        json.loads(schema_text("quarantine"))
    )
    assert client.get_compatibility(subject_for(topic)) == "BACKWARD"


def test_our_record_is_read_by_a_plain_consumer_with_the_standard_deserializer(settings, client, topic):
    """A record encoded by our Codec (Confluent framing) decodes with confluent-kafka's AvroDeserializer."""
    codec = codecs_for(settings, {topic: "quarantine"})[topic]
    value = codec.encode(RECORD)
    assert value[:1] == b"\x00" and int.from_bytes(value[1:5], "big") == codec.schema_id
    produce(settings, topic, [value])
    assert read(settings, topic, 1, AvroDeserializer(client, conf=DESERIALIZER_CONF)) == [RECORD]


def test_added_optional_field_is_a_new_version_that_old_and_new_consumers_both_read(settings, client, topic):
    """v2 (an added optional field) gets a new id; consumers pinned to v1 and to v2 read v1 and v2 records."""
    v1_id = register_schemas(settings, {topic: "quarantine"})[topic]
    v2_id = client.register_schema(subject_for(topic), Schema(evolved_quarantine(), "AVRO"))
    assert v2_id != v1_id
    assert client.get_versions(subject_for(topic)) == [1, 2]

    new_record = {**RECORD, "reviewer": "desk officer"}
    produce(settings, topic, [Codec.named("quarantine", v1_id).encode(RECORD), Codec(evolved_quarantine(), v2_id).encode(new_record)])

    old_reader = AvroDeserializer(client, schema_str=schema_text("quarantine"), conf=DESERIALIZER_CONF)
    new_reader = AvroDeserializer(client, schema_str=evolved_quarantine(), conf=DESERIALIZER_CONF)
    assert read(settings, topic, 2, old_reader) == [RECORD, RECORD]
    assert read(settings, topic, 2, new_reader) == [{**RECORD, "reviewer": None}, new_record]


def test_registry_refuses_a_change_that_cannot_read_old_records(settings, client, topic):
    """With the subject at BACKWARD, a new required field (no default) is rejected with 409."""
    register_schemas(settings, {topic: "quarantine"})
    schema = json.loads(schema_text("quarantine"))
    schema["fields"].append({"name": "reviewer", "type": "string", "doc": "Required: breaks old records."})
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema(subject_for(topic), Schema(json.dumps(schema), "AVRO"))
    assert refused.value.http_status_code == 409
    assert client.get_versions(subject_for(topic)) == [1]


def test_tail_decodes_registry_and_single_object_records_as_json(settings, topic):
    """`tail` prints both framings decoded, with key, partition, offset and bytes as base64."""
    codec = codecs_for(settings, {topic: "quarantine"})[topic]
    produce(settings, topic, [codec.encode(RECORD), Codec.named("quarantine").encode(RECORD), b"not avro"])
    out = io.StringIO()
    assert tail(settings, topic, from_beginning=True, limit=3, as_json=True, timeout=30, out=out) == 3
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    expected = {**RECORD, "original": "AHJhdyBjYWJsZSB0ZXh0/w=="}  # base64 of RECORD["original"]
    assert [line["value"] for line in lines[:2]] == [expected, expected]
    assert [(line["key"], line["partition"], line["offset"]) for line in lines] == [
        (RECORD["id"], 0, 0), (RECORD["id"], 0, 1), (RECORD["id"], 0, 2),
    ]
    assert "not a framed Avro record" in lines[2]["error"]


def test_worker_with_registry_writes_confluent_records_read_by_standard_deserializer(make_worker, registry_url):
    """A worker configured with the registry registers <topic>-value and its records decode with AvroDeserializer."""
    from streams import synth
    from tests.integration.conftest import consume_outputs, produce_raw
    from tests.integration.test_worker import truth

    worker = make_worker(schema_registry_url=registry_url)
    s = worker.settings
    cables = synth.generate(20, seed=8)
    produce_raw(s, [(None, c.raw.encode()) for c in cables])
    worker.start()
    outputs = consume_outputs(s, expected_total=len(cables))
    client = SchemaRegistryClient({"url": registry_url, "timeout": REQUEST_TIMEOUT_S})
    deserializer = AvroDeserializer(client, conf=DESERIALIZER_CONF)
    seen = 0
    try:
        for c in cables:
            topic = s.topic(truth(c)["level"])
            assert client.get_latest_version(f"{topic}-value").schema_id is not None
        for topic, messages in outputs.items():
            for msg in messages:
                assert msg.value()[:1] == b"\x00", "Confluent wire format"
                rec = deserializer(msg.value(), SerializationContext(topic, MessageField.VALUE))
                assert rec["level"] == topic.rsplit(".", 1)[1]
                seen += 1
        assert seen == len(cables)
    finally:
        worker.stop()
        for topic in outputs:
            for permanent in (False, True):
                try:
                    client.delete_subject(f"{topic}-value", permanent=permanent)
                except SchemaRegistryError:
                    pass
