"""Avro framing: Confluent wire format with a registry id, single-object encoding without."""

from __future__ import annotations

import struct

import pytest

from streams.kafka.codec import Codec, CodecError

RECORD = {
    "stage": "parse", "error_type": "not_a_cable", "error_message": "no header", "original": b"\x00\xffabc",
    "original_length": 5, "original_sha256": "ab" * 32, "original_key": None,
    "source": {"topic": "cables.raw", "partition": 1, "offset": 7, "timestamp_ms": 1},
}


def test_single_object_round_trip_and_header():
    """Without a schema id, records start with C3 01 and the schema's CRC-64-AVRO fingerprint."""
    c = Codec.named("dead_letter")
    data = c.encode(RECORD)
    assert data[:2] == b"\xc3\x01" and data[2:10] == c.fingerprint
    assert c.decode(data) == RECORD


def test_confluent_round_trip_and_header():
    """With a schema id, records start with 0x00 and the big-endian id."""
    c = Codec.named("dead_letter", schema_id=42)
    data = c.encode(RECORD)
    assert data[:5] == b"\x00" + struct.pack(">I", 42)
    assert c.decode(data) == RECORD


def test_foreign_fingerprint_is_rejected():
    """Bytes framed for another schema are refused, not misread."""
    data = Codec.named("dead_letter").encode(RECORD)
    with pytest.raises(CodecError):
        Codec.named("quarantine").decode(data)
    with pytest.raises(CodecError):
        Codec.named("dead_letter").decode(b"plain text")


def test_fingerprint_matches_avro_package():
    """Our fingerprint equals the avro package's CRC-64-AVRO of the same schema."""
    import avro.schema

    from streams.kafka.codec import schema_text

    expected = avro.schema.parse(schema_text("cable")).fingerprint("CRC-64-AVRO")
    assert Codec.named("cable").fingerprint == bytes(expected)[::-1]


def test_invalid_record_raises():
    """A record that violates the schema cannot be encoded."""
    with pytest.raises(Exception):
        Codec.named("dead_letter").encode({**RECORD, "stage": None})
