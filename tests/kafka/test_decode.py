"""The public decoder: records of any output topic back to dicts, or one line saying why not."""

from __future__ import annotations

import struct

import pytest

from streams.kafka.codec import Codec
from streams.kafka.decode import DecodeError, Decoder, decode

DEAD = {
    "stage": "parse", "error_type": "not_a_cable", "error_message": "no header", "original": b"\x00\xffabc",
    "original_length": None, "original_sha256": None, "original_key": None,
    "source": {"topic": "cables.raw", "partition": 1, "offset": 7, "timestamp_ms": 1},
}
QUARANTINED = {
    "reason": "no classification marking found", "id": None, "classification": None, "markings_seen": [],
    "original": b"text", "source": {"topic": "cables.raw", "partition": 0, "offset": 1, "timestamp_ms": None},
}


@pytest.mark.parametrize(("schema", "record"), [("dead_letter", DEAD), ("quarantine", QUARANTINED)])
def test_single_object_records_of_each_schema_decode_without_a_registry(schema, record):
    """A single-object record is decoded with the schema in schemas/ whose fingerprint it carries."""
    assert decode(Codec.named(schema).encode(record)) == record


def test_unknown_fingerprint_is_one_line():
    """A single-object record of a schema we do not ship is refused with its fingerprint named."""
    value = b"\xc3\x01" + b"\x01" * 8 + b"\x00"
    with pytest.raises(DecodeError, match="fingerprint 0101010101010101"):
        decode(value)


def test_confluent_record_without_registry_says_what_is_needed():
    """A Confluent-framed record without a registry names the schema id and the setting to give."""
    value = b"\x00" + struct.pack(">I", 42) + b"\x00"
    with pytest.raises(DecodeError, match="schema id 42.*CABLES_SCHEMA_REGISTRY_URL"):
        Decoder().decode(value, "cables.secret")


@pytest.mark.parametrize("value", [b"", b"hello", b"\xc3\x01" + Codec.named("cable").fingerprint + b"\xff"])
def test_garbage_is_a_decode_error_never_another_exception(value):
    """Empty, unframed and truncated bytes all raise DecodeError (a ValueError) with a one-line message."""
    with pytest.raises(DecodeError) as info:
        decode(value)
    assert "\n" not in str(info.value)
