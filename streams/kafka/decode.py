"""Decoding a record of any of our output topics back into a dict: the public API for downstream teams.

Our output records are Avro, in one of two framings (``streams/kafka/codec.py``):

- **single-object encoding** (a worker without a schema registry): ``C3 01`` + the 8-byte CRC-64-AVRO
  fingerprint of the writer's schema + Avro binary. The schema is the one in ``schemas/*.avsc`` with
  that fingerprint: no registry needed;
- **Confluent wire format** (a worker with ``CABLES_SCHEMA_REGISTRY_URL``): ``00`` + 4-byte schema id
  + Avro binary; the writer's schema is fetched from the registry by that id, with confluent-kafka's
  standard ``AvroDeserializer``.

    from streams.kafka.decode import Decoder, decode

    record = decode(msg.value())                              # single-object: schemas/ is enough
    decoder = Decoder(registry_url="http://127.0.0.1:8081/apis/ccompat/v7")
    record = decoder.decode(msg.value(), topic=msg.topic())   # either framing

``Decoder.decode`` raises :class:`DecodeError` (a ``ValueError``) with one line saying why when the
bytes are not one of our records. A team that does not want our package needs only confluent-kafka
and our schema files: the README's "Reading our topics" snippet does the same in 20 lines.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.kafka.codec import CONFLUENT_MAGIC, SCHEMAS_DIR, SINGLE_OBJECT_MAGIC, Codec, CodecError
from streams.kafka.registry import DESERIALIZER_CONF, REQUEST_TIMEOUT_S


class DecodeError(ValueError):
    """Bytes that are not a record of one of our schemas (the message says why, in one line)."""


@lru_cache(maxsize=4)
def _codecs(schemas_dir: Path) -> dict[bytes, Codec]:
    """Fingerprint -> codec of every ``*.avsc`` in ``schemas_dir``."""
    codecs = (Codec(p.read_text(encoding="utf-8")) for p in sorted(schemas_dir.glob("*.avsc")))
    return {c.fingerprint: c for c in codecs}


class Decoder:
    """Decodes records of our topics: single-object with ``schemas_dir``, Confluent with ``registry_url``."""

    def __init__(self, registry_url: str | None = None, schemas_dir: Path | str = SCHEMAS_DIR) -> None:
        self.registry_url = registry_url
        self.by_fingerprint = _codecs(Path(schemas_dir))
        self._avro: Any = None  # the AvroDeserializer, built on the first Confluent-framed record

    def _deserializer(self) -> Any:
        if self._avro is None:
            from confluent_kafka.schema_registry import SchemaRegistryClient
            from confluent_kafka.schema_registry.avro import AvroDeserializer

            client = SchemaRegistryClient({"url": self.registry_url, "timeout": REQUEST_TIMEOUT_S})
            self._avro = AvroDeserializer(client, conf=DESERIALIZER_CONF)
        return self._avro

    def decode(self, value: bytes, topic: str | None = None) -> dict[str, Any]:
        """The record in ``value`` (``topic`` is needed for Confluent-framed records); raises DecodeError."""
        if not value:
            raise DecodeError("empty value (a tombstone?), not a record")
        if value[:2] == SINGLE_OBJECT_MAGIC:
            codec = self.by_fingerprint.get(value[2:10])
            if codec is None:
                raise DecodeError(f"single-object record with schema fingerprint {value[2:10].hex()}, "
                                  f"which no schema in {SCHEMAS_DIR.name}/ has (an older or newer schema?)")
            try:
                return codec.decode(value)
            except (CodecError, EOFError, ValueError, IndexError) as exc:
                raise DecodeError(f"single-object record does not match its schema: {exc}") from None
        if value[:1] == CONFLUENT_MAGIC and len(value) >= 5:
            if not self.registry_url:
                raise DecodeError("Confluent-framed record (schema id "
                                  f"{int.from_bytes(value[1:5], 'big')}): needs a schema registry "
                                  "(CABLES_SCHEMA_REGISTRY_URL / --registry-url)")
            if not topic:
                raise DecodeError("Confluent-framed record: the topic is needed to find its subject")
            from confluent_kafka.serialization import MessageField, SerializationContext

            try:
                return self._deserializer()(value, SerializationContext(topic, MessageField.VALUE))
            except Exception as exc:  # the registry's and the transport's errors share no base class
                raise DecodeError(f"registry decode failed at {self.registry_url}: {exc}") from None
        raise DecodeError(f"not a framed Avro record of ours (starts with {value[:2].hex() or 'nothing'}; "
                          "expected c301 single-object or 00 Confluent framing)")


def decode(value: bytes, *, topic: str | None = None, registry_url: str | None = None) -> dict[str, Any]:
    """The record in ``value`` of one of our topics, as a dict (see :class:`Decoder`); raises DecodeError."""
    return Decoder(registry_url).decode(value, topic)
