"""The worker's per-message adapter: decode, call the pure pipeline, count, log, send.

:class:`CableProcessor` holds no Faust import: it is handed a ``send``
coroutine and the message's metadata, so tests can drive it directly. The
Faust agent in ``streams.kafka.app`` feeds it one event at a time (concurrency 1).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from streams import vocab as stages
from streams.core import pipeline
from streams.kafka.codec import Codec
from streams.obs.logs import log_cable_processed, mark_sensitive, message_context
from streams.obs.metrics import Metrics
from streams.core.model import Failure
from streams.core.pipeline import Outcome, Provenance
from streams.settings import Settings
from streams.kafka.topics import DLQ, OUTPUT_SCHEMAS

log = structlog.get_logger("streams.kafka.agents")

# send(topic_name, key, value, headers) -> awaitable that completes when the broker acknowledged.
Send = Callable[[str, bytes | None, bytes, list[tuple[str, bytes]]], Awaitable[Any]]


class CableProcessor:
    """Turns one raw message into exactly one acknowledged output record."""

    def __init__(self, settings: Settings, codecs: dict[str, Codec], metrics: Metrics, send: Send) -> None:
        self.settings = settings
        self.codecs = codecs  # output suffix -> codec of its schema
        self.metrics = metrics
        self.send = send
        self.last_offsets: dict[tuple[str, int], int] = {}

    async def handle(self, raw: bytes | None, key: bytes | None, source: Provenance, headers=None) -> Outcome:
        """Process one message end to end; returns the outcome (already sent and acknowledged)."""
        start = time.perf_counter()
        raw = raw or b""
        m = self.metrics
        m.consumed.labels(topic=source.topic).inc()
        with message_context(topic=source.topic, partition=source.partition, offset=source.offset, key=_text(key)):
            outcome = pipeline.process(
                raw, max_bytes=self.settings.max_cable_bytes, do_enrich=self.settings.enrich
            )
            if outcome.cable is not None:  # never let cable text reach a log line
                mark_sensitive(outcome.cable.subject, outcome.cable.body)
            for stage, seconds in outcome.durations.items():
                m.stage_duration.labels(stage=stage).observe(seconds)
            outcome = await self._emit(outcome, raw, key, source)
            self._account(outcome, source, time.perf_counter() - start)
        return outcome

    async def _emit(self, outcome: Outcome, raw: bytes, key: bytes | None, source: Provenance) -> Outcome:
        """Encode and send the outcome's record; returns what was sent: the pipeline's outcome, or a
        new dead-letter outcome when its record could not be encoded (the pipeline's is not changed)."""
        now_ms = int(time.time() * 1000)
        headers: list[tuple[str, bytes]] = []
        if outcome.kind == pipeline.ROUTED:
            record = pipeline.cable_record(outcome.cable, outcome.route, source, now_ms)
        elif outcome.kind == pipeline.QUARANTINED:
            record = pipeline.quarantine_record(outcome.cable, outcome.route, raw, source, now_ms)
            headers = [("quarantine_reason", (outcome.route.quarantine_reason or "").encode())]
        else:
            record = pipeline.dead_letter_record(outcome.failure, raw, key, source, now_ms)
            headers = pipeline.dead_letter_headers(outcome.failure, source)
        out_key = outcome.key.encode() if outcome.key else key
        t0 = time.perf_counter()
        try:
            value = self.codecs[outcome.topic].encode(record)
        except Exception as exc:  # schema violation: never drop, dead-letter with the reason
            # The exception text may quote field values (cable text), so only its type is kept.
            schema = OUTPUT_SCHEMAS[outcome.topic]
            failure = Failure(stages.ENCODE, "schema", f"{type(exc).__name__}: record does not match {schema}.avsc")
            outcome = dataclasses.replace(outcome, kind=pipeline.DEAD_LETTER, topic=DLQ, failure=failure)
            record = pipeline.dead_letter_record(outcome.failure, raw, key, source, now_ms)
            headers = pipeline.dead_letter_headers(outcome.failure, source)
            value, out_key = self.codecs[DLQ].encode(record), key
        self.metrics.stage_duration.labels(stage=stages.ENCODE).observe(time.perf_counter() - t0)
        t0 = time.perf_counter()
        await self.send(self.settings.topic(outcome.topic), out_key, value, headers)
        self.metrics.stage_duration.labels(stage=stages.PUBLISH).observe(time.perf_counter() - t0)
        return outcome

    def _account(self, outcome: Outcome, source: Provenance, seconds: float) -> None:
        m = self.metrics
        topic = self.settings.topic(outcome.topic)
        m.produced.labels(topic=topic).inc()
        now = time.time()
        if source.timestamp_ms:
            m.event_age.observe(max(0.0, now - source.timestamp_ms / 1000))
        m.last_processed.set(now)
        self.last_offsets[(source.topic, source.partition)] = source.offset
        fields: dict[str, Any] = {"route": topic}
        if outcome.cable is not None:
            fields.update(cable_id=outcome.cable.id, classification=outcome.cable.classification)
            for entity in outcome.cable.entities:
                m.entities.labels(entity_type=entity.type).inc()
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


def _text(key: bytes | None) -> str | None:
    return key.decode("utf-8", "replace")[:200] if key else None


def build_codecs(schema_ids: dict[str, int] | None = None) -> dict[str, Codec]:
    """Output suffix -> codec; with registry ids, Confluent framing, else single-object."""
    ids = schema_ids or {}
    return {suffix: Codec.named(name, ids.get(suffix)) for suffix, name in OUTPUT_SCHEMAS.items()}
