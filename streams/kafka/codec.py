"""Avro encoding of our records: one small object per schema.

The hot path uses fastavro (schemaless writer/reader). Two wire formats:

- **Confluent** (a schema registry is configured): ``0x00`` + 4-byte big-endian
  schema id + Avro binary. Any Confluent-compatible deserializer reads it.
- **Single-object** (no registry): ``C3 01`` + 8-byte little-endian CRC-64-AVRO
  fingerprint of the schema's canonical form + Avro binary (Avro specification),
  with ``schemas/*.avsc`` as the source of truth.
"""

from __future__ import annotations

import io
import json
import struct
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
CABLE = "cable"
QUARANTINE = "quarantine"
DEAD_LETTER = "dead_letter"

CONFLUENT_MAGIC = b"\x00"
SINGLE_OBJECT_MAGIC = b"\xc3\x01"


class CodecError(ValueError):
    """Bytes that are not a record of this codec's schema."""


@lru_cache(maxsize=None)
def schema_text(name: str) -> str:
    """The JSON text of ``schemas/<name>.avsc``."""
    return (SCHEMAS_DIR / f"{name}.avsc").read_text(encoding="utf-8")


class Codec:
    """Encode and decode records of one Avro schema (Confluent framing when ``schema_id`` is set)."""

    def __init__(self, schema: str | dict, schema_id: int | None = None) -> None:
        self.schema_json: dict = json.loads(schema) if isinstance(schema, str) else schema
        self.parsed = fastavro.parse_schema(self.schema_json)
        canonical = to_parsing_canonical_form(self.schema_json)
        self.fingerprint = bytes.fromhex(fingerprint(canonical, "CRC-64-AVRO"))[::-1]  # little-endian
        self.schema_id = schema_id

    @classmethod
    def named(cls, name: str, schema_id: int | None = None) -> "Codec":
        """Codec for ``schemas/<name>.avsc``."""
        return cls(schema_text(name), schema_id)

    @property
    def header(self) -> bytes:
        if self.schema_id is not None:
            return CONFLUENT_MAGIC + struct.pack(">I", self.schema_id)
        return SINGLE_OBJECT_MAGIC + self.fingerprint

    def encode(self, record: dict[str, Any]) -> bytes:
        """Framed Avro bytes of ``record`` (validated against the schema by fastavro)."""
        buf = io.BytesIO()
        buf.write(self.header)
        fastavro.schemaless_writer(buf, self.parsed, record)
        return buf.getvalue()

    def decode(self, data: bytes) -> dict[str, Any]:
        """The record in ``data``; raises CodecError when the framing is not this schema's."""
        if data[:1] == CONFLUENT_MAGIC and len(data) >= 5:
            (schema_id,) = struct.unpack(">I", data[1:5])
            if self.schema_id is not None and schema_id != self.schema_id:
                raise CodecError(f"schema id {schema_id} is not this codec's ({self.schema_id})")
            body = data[5:]
        elif data[:2] == SINGLE_OBJECT_MAGIC:
            if data[2:10] != self.fingerprint:
                raise CodecError("single-object fingerprint does not match this schema")
            body = data[10:]
        else:
            raise CodecError("not a framed Avro record (neither Confluent nor single-object)")
        return fastavro.schemaless_reader(io.BytesIO(body), self.parsed, self.parsed)
