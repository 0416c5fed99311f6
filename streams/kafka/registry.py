"""Our schemas in a Confluent-compatible schema registry, and the codecs that use their ids.

At start-up the worker registers the schema of every output topic under the subject
``<topic>-value`` (Confluent's default TopicNameStrategy, so any standard deserializer finds it),
with the subject's compatibility set to BACKWARD so the registry itself refuses a schema that
cannot read the records already in the topic. Registering an unchanged schema again returns the
same id: it is idempotent and safe at every start.

Without ``CABLES_SCHEMA_REGISTRY_URL`` nothing is registered and the codecs use Avro
single-object encoding, with ``schemas/*.avsc`` as the source of truth.

Locally the registry is Apicurio Registry (``bash ops/registry.sh start``), whose Confluent API is
at ``http://127.0.0.1:8081/apis/ccompat/v7``: that whole URL is the setting's value.

    topics = {settings.topic("secret"): CABLE, settings.quarantine_topic: QUARANTINE,
              settings.dlq_topic: DEAD_LETTER}
    codecs = codecs_for(settings, topics)      # {topic: Codec}
    value = codecs[topic].encode(record)        # 0x00 + schema id + Avro binary
"""

from __future__ import annotations

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

from streams.kafka.codec import Codec, schema_text
from streams.settings import Settings

# Without a timeout a registry request that gets no answer blocks its caller forever.
REQUEST_TIMEOUT_S = 10
# Subjects are <topic>-value (TopicNameStrategy). confluent-kafka's default for deserializers
# (ASSOCIATED) first asks for an association API that Apicurio does not have.
DESERIALIZER_CONF = {"subject.name.strategy.type": "TOPIC"}

# Consumers with the new schema can read records written with the previous one: the registry
# refuses any other change (ops/check_schemas.py checks the same in CI before it gets there).
SUBJECT_COMPATIBILITY = "BACKWARD"


class RegistryError(RuntimeError):
    """The registry refused or could not register one of our schemas."""


def subject_for(topic: str) -> str:
    """The subject of a topic's values (Confluent's TopicNameStrategy)."""
    return f"{topic}-value"


def registry_client(settings: Settings) -> SchemaRegistryClient:
    """A client of the configured registry; raises RegistryError when none is configured."""
    if not settings.schema_registry_url:
        raise RegistryError("no schema registry configured (CABLES_SCHEMA_REGISTRY_URL)")
    return SchemaRegistryClient({"url": settings.schema_registry_url, "timeout": REQUEST_TIMEOUT_S})


def register_schemas(settings: Settings, topics: dict[str, str]) -> dict[str, int]:
    """Register ``schemas/<name>.avsc`` under ``<topic>-value`` for each ``{topic: name}``; the schema ids.

    Sets each subject's compatibility to BACKWARD first. Raises RegistryError, naming the topic and
    the schema, when the registry is unreachable or refuses the schema (e.g. not compatible).
    """
    client = registry_client(settings)
    ids: dict[str, int] = {}
    for topic, name in topics.items():
        subject = subject_for(topic)
        try:
            client.set_compatibility(subject, SUBJECT_COMPATIBILITY)
            ids[topic] = client.register_schema(subject, Schema(schema_text(name), "AVRO"))
        # SchemaRegistryError when refused; transport errors come from httpx or httpx2, whichever
        # confluent-kafka found installed, so they share no narrower base class.
        except Exception as exc:
            raise RegistryError(
                f"could not register schemas/{name}.avsc as {subject} at {settings.schema_registry_url}: {exc}"
            ) from exc
    return ids


def codecs_for(settings: Settings, topics: dict[str, str]) -> dict[str, Codec]:
    """A Codec per topic: Confluent framing with the registered id, or single-object without a registry."""
    if not settings.schema_registry_url:
        return {topic: Codec.named(name) for topic, name in topics.items()}
    ids = register_schemas(settings, topics)
    return {topic: Codec.named(name, ids[topic]) for topic, name in topics.items()}
