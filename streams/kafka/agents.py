"""The worker's per-message adapter: decode, call the pure pipeline, encode, size-check, count, log.

:class:`CableProcessor` holds no Kafka client: :meth:`CableProcessor.process` turns one raw
message into one :class:`Output` (topic, key, value, headers) that the delivery loop in
``streams.kafka.worker`` hands to the producer, and :meth:`CableProcessor.account` counts it and
writes the one ``cable.processed`` line. Tests drive it directly.

Size: an output whose encoded size would exceed ``Settings.max_message_bytes`` (the limit of the
producer, the topics and the broker) becomes a dead letter with error type ``too_large``, without
the original bytes when those would not fit either. No record can stop the worker.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

import structlog

from streams import vocab as stages
from streams.core import pipeline
from streams.core.model import Failure
from streams.core.pipeline import Outcome, Provenance
from streams.kafka.codec import Codec
from streams.kafka.topics import DLQ, OUTPUT_SCHEMAS
from streams.obs.logs import log_cable_processed, mark_sensitive, message_context
from streams.obs.metrics import Metrics
from streams.settings import Settings
from streams.vocab import ENTITY_TYPES, TOO_LARGE

log = structlog.get_logger("streams.kafka.agents")

# Room kept below max_message_bytes for what Kafka adds around a value: the record's key, headers
# and the record and batch framing (a dead letter's headers are the largest, about 300 bytes).
MESSAGE_OVERHEAD_BYTES = 1024


@dataclass(slots=True)
class Output:
    """One record to produce: full topic name, key, Avro value, headers, and the outcome it carries."""

    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    outcome: Outcome


class CableProcessor:
    """Turns one raw message into exactly one output record (never raises for bad input)."""

    def __init__(self, settings: Settings, codecs: dict[str, Codec], metrics: Metrics) -> None:
        self.settings = settings
        self.codecs = codecs  # output suffix -> codec of its schema
        self.metrics = metrics
        self.max_value_bytes = settings.max_message_bytes - MESSAGE_OVERHEAD_BYTES
        self._topics = {suffix: settings.topic(suffix) for suffix in OUTPUT_SCHEMAS}
        self._stage_hist = {stage: metrics.stage_duration.labels(stage=stage) for stage in stages.STAGES}
        self._entity_counters = {t: metrics.entities.labels(entity_type=t) for t in ENTITY_TYPES}

    def process(self, raw: bytes | None, key: bytes | None, source: Provenance) -> Output:
        """The output of one raw message: routed, quarantined or dead-lettered, encoded and within
        the size limit. Marks the cable's text sensitive for the current log context."""
        raw = raw or b""
        outcome = pipeline.process(raw, max_bytes=self.settings.max_cable_bytes, do_enrich=self.settings.enrich)
        if outcome.cable is not None:  # never let cable text reach a log line
            mark_sensitive(outcome.cable.subject, outcome.cable.body)
        hist = self._stage_hist
        for stage, seconds in outcome.durations.items():
            hist[stage].observe(seconds)
        t0 = time.perf_counter()
        output = self._encode(outcome, raw, key, source)
        hist[stages.ENCODE].observe(time.perf_counter() - t0)
        return output

    def _encode(self, outcome: Outcome, raw: bytes, key: bytes | None, source: Provenance) -> Output:
        """Encode the outcome's record; a dead letter instead when the schema refuses it or it is too large."""
        headers: list[tuple[str, bytes]] = []
        if outcome.kind == pipeline.ROUTED:
            record = pipeline.cable_record(outcome.cable, outcome.route, source)
        elif outcome.kind == pipeline.QUARANTINED:
            record = pipeline.quarantine_record(outcome.cable, outcome.route, raw, source)
            headers = [("quarantine_reason", (outcome.route.quarantine_reason or "").encode())]
        else:
            return self._dead_letter(outcome, raw, key, source)
        try:
            value = self.codecs[outcome.topic].encode(record)
        except Exception as exc:  # schema violation: never drop, dead-letter with the reason
            # The exception text may quote field values (cable text), so only its type is kept.
            schema = OUTPUT_SCHEMAS[outcome.topic]
            failure = Failure(stages.ENCODE, "schema", f"{type(exc).__name__}: record does not match {schema}.avsc")
            return self._dead_letter(_as_dead_letter(outcome, failure), raw, key, source)
        out_key = outcome.key.encode() if outcome.key else key
        if len(value) + len(out_key or b"") > self.max_value_bytes:
            failure = Failure(stages.ENCODE, TOO_LARGE,
                              f"{outcome.kind} record of {len(value)} bytes > limit {self.max_value_bytes}")
            return self._dead_letter(_as_dead_letter(outcome, failure), raw, key, source)
        return Output(self._topics[outcome.topic], out_key, value, headers, outcome)

    def _dead_letter(self, outcome: Outcome, raw: bytes, key: bytes | None, source: Provenance) -> Output:
        """The dead letter of ``outcome``: with the original bytes (and key) when they fit, else
        without them (their length and SHA-256 stay); it always fits the message limit."""
        codec = self.codecs[DLQ]
        headers = pipeline.dead_letter_headers(outcome.failure, source)
        # The key travels twice (message key and original_key); 4 KB covers the record's other fields.
        fits = len(raw) + 2 * len(key or b"") <= self.max_value_bytes - 4096
        value = codec.encode(pipeline.dead_letter_record(outcome.failure, raw, key, source, keep_original=fits))
        if len(value) + len(key or b"") > self.max_value_bytes:  # a pathological key: keep only the facts
            key = None
            value = codec.encode(pipeline.dead_letter_record(outcome.failure, raw, None, source, keep_original=False))
        return Output(self._topics[DLQ], key, value, headers, outcome)

    def account(self, output: Output, source: Provenance, seconds: float) -> None:
        """Count the output and write its ``cable.processed`` line (in the message's log context)."""
        outcome = output.outcome
        m = self.metrics
        m.consumed.labels(topic=source.topic).inc()
        m.produced.labels(topic=output.topic).inc()
        fields: dict[str, Any] = {"route": output.topic}
        if outcome.cable is not None:
            fields.update(cable_id=outcome.cable.id, classification=outcome.cable.classification)
            per_type: dict[str, int] = {}
            for entity in outcome.cable.entities:
                per_type[entity.type] = per_type.get(entity.type, 0) + 1
            for entity_type, n in per_type.items():  # one update per type, not per entity
                counter = self._entity_counters.get(entity_type) or m.entities.labels(entity_type=entity_type)
                counter.inc(n)
            for enricher in outcome.cable.enrichment_missing:  # a broken enricher shows, never silently
                m.enrich_failed.labels(enricher=enricher).inc()
                log.warning("enrich.failed", enricher=enricher, cable_id=outcome.cable.id)
            if outcome.cable.enrichment_missing:
                fields["enrichment_missing"] = list(outcome.cable.enrichment_missing)
        if outcome.kind == pipeline.QUARANTINED:
            m.quarantined.inc()
            fields["reason"] = outcome.route.quarantine_reason
        elif outcome.kind == pipeline.DEAD_LETTER:
            f = outcome.failure
            m.failed.labels(stage=f.stage, error_type=f.error_type).inc()
            m.dlq.labels(stage=f.stage).inc()
            fields.update(stage=f.stage, error_type=f.error_type, error=f.message)
        elif outcome.route.marking_conflict:
            m.marking_conflicts.inc()
            fields["marking_conflict"] = True
        log_cable_processed(log, outcome=outcome.kind, duration_seconds=seconds, **fields)

    def handle(self, raw: bytes | None, key: bytes | None, source: Provenance) -> Output:
        """Process and account one message in its own log context (the worker's per-message call)."""
        start = time.perf_counter()
        with message_context(topic=source.topic, partition=source.partition, offset=source.offset, key=_text(key)):
            output = self.process(raw, key, source)
            self.account(output, source, time.perf_counter() - start)
        return output


def _as_dead_letter(outcome: Outcome, failure: Failure) -> Outcome:
    """A dead-letter outcome replacing ``outcome`` (the pipeline's own is not changed)."""
    return dataclasses.replace(outcome, kind=pipeline.DEAD_LETTER, topic=DLQ, failure=failure)


def _text(key: bytes | None) -> str | None:
    return key.decode("utf-8", "replace")[:200] if key else None


def build_codecs(schema_ids: dict[str, int] | None = None) -> dict[str, Codec]:
    """Output suffix -> codec; with registry ids, Confluent framing, else single-object."""
    ids = schema_ids or {}
    return {suffix: Codec.named(name, ids.get(suffix)) for suffix, name in OUTPUT_SCHEMAS.items()}
