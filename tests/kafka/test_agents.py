"""CableProcessor: one raw message in, exactly one sent output, counted (no broker: send is captured)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from streams.kafka.agents import CableProcessor, build_codecs
from streams.kafka.codec import Codec
from streams.obs.metrics import Metrics
from streams.core.pipeline import Provenance
from streams.settings import Settings


class _Captured(CableProcessor):
    """The processor with every output it returned captured as (topic, key, value, headers)."""

    sent: list

    def handle(self, raw, key, source):
        out = super().handle(raw, key, source)
        self.sent.append((out.topic, out.key, out.value, out.headers))
        return out


def processor(**settings):
    metrics = Metrics(CollectorRegistry())
    proc = _Captured(Settings(**settings), build_codecs(), metrics)
    proc.sent = []
    return proc, proc.sent, metrics


def handle(proc, raw: bytes, offset: int = 0):
    return proc.handle(raw, b"k", Provenance("cables.raw", 0, offset, 1_700_000_000_000)).outcome


def test_seed_is_sent_once_to_its_level_keyed_by_origin_and_counted(seed_cable):
    """The seed goes to cables.confidential as one decodable record, and the counters say so."""
    proc, sent, m = processor()
    outcome = handle(proc, seed_cable.encode())
    [(topic, key, value, _)] = sent
    assert topic == "cables.confidential" and outcome.kind == "routed"
    assert Codec.named("cable").decode(value)["origin"] == "ALMATY"
    assert m.registry.get_sample_value("cables_messages_produced_total", {"topic": "cables.confidential"}) == 1
    assert m.registry.get_sample_value("cables_messages_consumed_total", {"topic": "cables.raw"}) == 1


def test_garbage_is_dead_lettered_with_headers_and_counted():
    """Binary input becomes one dead letter with stage and error type in headers and metrics."""
    proc, sent, m = processor()
    handle(proc, b"\x00\x01\x02")
    [(topic, key, value, headers)] = sent
    h = dict(headers)
    assert topic == "cables.dlq" and key == b"k" and h["stage"] == b"decode" and h["source_offset"] == b"0"
    assert Codec.named("dead_letter").decode(value)["original"] == b"\x00\x01\x02"
    assert m.registry.get_sample_value("cables_dlq_messages_total", {"stage": "decode"}) == 1


def test_encode_failure_is_dead_lettered_without_field_values(seed_cable):
    """A record the schema rejects goes to the DLQ (stage encode) and its reason quotes no cable text."""
    proc, sent, m = processor()

    class Refuses(Codec):
        def encode(self, record):
            raise ValueError(f"{record['subject']} does not match")

    proc.codecs["confidential"] = Refuses(Codec.named("cable").schema_json)
    handle(proc, seed_cable.encode())
    [(topic, _, value, headers)] = sent
    rec = Codec.named("dead_letter").decode(value)
    assert topic == "cables.dlq" and rec["stage"] == "encode" and rec["error_type"] == "schema"
    assert "CANWFZ" not in rec["error_message"] and b"CANWFZ" not in dict(headers)["error_message"]
    assert m.registry.get_sample_value("cables_messages_failed_total", {"stage": "encode", "error_type": "schema"}) == 1


def test_an_output_above_the_message_limit_becomes_a_too_large_dead_letter_without_the_bytes():
    """A cable whose record would exceed max_message_bytes is dead-lettered as too_large with its
    length and SHA-256, and without its bytes when they would not fit either."""
    import hashlib

    body = "1. (U) " + "PARIS AND LONDON AND BERLIN. " * 2000  # 58 KB of text, many entity spans
    raw = ("UNCLASSIFIED\nSUBJECT: SIZE\n\n" + body).encode()
    proc, sent, m = processor(max_message_bytes=60_000)
    outcome = handle(proc, raw, offset=9)
    [(topic, key, value, headers)] = sent
    rec = Codec.named("dead_letter").decode(value)
    assert topic == "cables.dlq" and outcome.kind == "dead_letter" and dict(headers)["error_type"] == b"too_large"
    assert rec["error_type"] == "too_large" and rec["original"] == b""
    assert rec["original_length"] == len(raw) and rec["original_sha256"] == hashlib.sha256(raw).hexdigest()
    assert rec["source"]["offset"] == 9 and len(value) < 60_000
    assert m.registry.get_sample_value("cables_dlq_messages_total", {"stage": "encode"}) == 1


def test_a_dead_letter_keeps_the_original_bytes_when_they_fit():
    """A raw message over the cable limit but within the message limit is dead-lettered with its bytes."""
    raw = b"UNCLASSIFIED " * 1000
    proc, sent, _ = processor(max_cable_bytes=5_000, max_message_bytes=60_000)
    handle(proc, raw)
    [(_, _, value, headers)] = sent
    rec = Codec.named("dead_letter").decode(value)
    assert dict(headers)["error_type"] == b"too_large" and rec["original"] == raw and rec["original_length"] == len(raw)


def test_a_key_too_large_to_carry_is_left_out_of_the_dead_letter():
    """A raw message whose key alone exceeds the message limit is dead-lettered without key or
    bytes (its length and hash stay), so the producer never refuses it."""
    proc = _Captured(Settings(max_message_bytes=60_000), build_codecs(), Metrics(CollectorRegistry()))
    proc.sent = []
    out = proc.handle(b"\x00\x01 binary", b"k" * 70_000, Provenance("cables.raw", 0, 3, 1))
    rec = Codec.named("dead_letter").decode(out.value)
    assert out.topic == "cables.dlq" and out.key is None and len(out.value) < 60_000
    assert rec["original_key"] is None and rec["original"] == b"" and rec["original_length"] == 9
