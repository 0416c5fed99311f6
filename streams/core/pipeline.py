"""One raw message in, exactly one output out: the pure heart of the worker.

``process()`` runs decode -> parse -> enrich -> route over plain data and says
where the message goes and with which record. It imports neither Kafka nor
Faust: the agent in ``streams.kafka.agents`` and the ``cables parse`` command are
both thin wrappers around it, so the offline twin runs the same code.

Every input ends in one of three outcomes:

- ``routed``: the cable record, for the topic of its level;
- ``quarantined``: parsed, but its classification cannot be trusted;
- ``dead_letter``: a stage failed (bad bytes, not a cable, an internal error).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

from streams import vocab as stages
from streams.core.enrich import enrich as enrich_cable
from streams.core.markings import read_markings
from streams.core.model import Cable, Failure, Route, as_record
from streams.core.parse import decode, parse
from streams.core.route import route

from streams.vocab import DEAD_LETTER, INTERNAL, QUARANTINED, ROUTED
from streams.vocab import DLQ as DLQ_TOPIC
from streams.vocab import QUARANTINE as QUARANTINE_TOPIC


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a raw message came from."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The decision for one raw message; ``topic`` is a suffix (a level, ``quarantine`` or ``dlq``)."""

    kind: Literal["routed", "quarantined", "dead_letter"]
    topic: str
    cable: Cable | None = None
    route: Route | None = None
    failure: Failure | None = None
    durations: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str | None:
        """Output key: the cable id (idempotent re-delivery overwrites, never duplicates a cable)."""
        return self.cable.id if self.cable else None


def _timed(durations: dict[str, float], stage: str, fn, *args):
    start = time.perf_counter()
    try:
        return fn(*args)
    finally:
        durations[stage] = time.perf_counter() - start


def _internal(stage: str, exc: BaseException) -> Failure:
    # The message names the exception type and its first line only: exceptions may quote input.
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return Failure(stage=stage, error_type=INTERNAL, message=f"{type(exc).__name__}: {first}")


def _route_text(cable: Cable, text: str) -> Route:
    """Route ``cable`` with the markings read independently from its decoded ``text``."""
    return route(cable, read_markings(text))


def process(raw: bytes, *, max_bytes: int, do_enrich: bool = True) -> Outcome:
    """Decide the output for one raw message. Never raises: failures become dead-letter outcomes."""
    durations: dict[str, float] = {}
    stage = stages.DECODE
    try:
        text = _timed(durations, stage, decode, raw, max_bytes)
        if isinstance(text, Failure):
            return Outcome(DEAD_LETTER, DLQ_TOPIC, failure=text, durations=durations)
        stage = stages.PARSE
        cable = _timed(durations, stage, parse, text)
        if isinstance(cable, Failure):
            return Outcome(DEAD_LETTER, DLQ_TOPIC, failure=cable, durations=durations)
        if do_enrich:
            stage = stages.ENRICH
            cable = _timed(durations, stage, enrich_cable, cable)
        stage = stages.ROUTE
        decision = _timed(durations, stage, _route_text, cable, text)
    except Exception as exc:  # a bug in a stage must not stop the stream: dead-letter it
        return Outcome(DEAD_LETTER, DLQ_TOPIC, failure=_internal(stage, exc), durations=durations)
    if decision.quarantined:
        return Outcome(QUARANTINED, QUARANTINE_TOPIC, cable=cable, route=decision, durations=durations)
    return Outcome(ROUTED, decision.level, cable=cable, route=decision, durations=durations)


def cable_record(cable: Cable, decision: Route, source: Provenance, now_ms: int) -> dict[str, Any]:
    """The Avro record (schemas/cable.avsc) of a routed cable."""
    record = as_record(cable)
    record.update(
        level=decision.level,
        marking_conflict=decision.marking_conflict,
        markings_seen=list(decision.markings_seen),
        source=as_record(source),
        processed_at_ms=now_ms,
    )
    return record


def quarantine_record(
    cable: Cable, decision: Route, raw: bytes, source: Provenance, now_ms: int
) -> dict[str, Any]:
    """The Avro record (schemas/quarantine.avsc) of a quarantined cable."""
    return {
        "reason": decision.quarantine_reason or "unknown",
        "id": cable.id,
        "classification": cable.classification,
        "markings_seen": list(decision.markings_seen),
        "original": raw,
        "source": as_record(source),
        "processed_at_ms": now_ms,
    }


def dead_letter_record(
    failure: Failure, raw: bytes, key: bytes | None, source: Provenance, now_ms: int
) -> dict[str, Any]:
    """The Avro record (schemas/dead_letter.avsc) of a message a stage could not process."""
    return {
        "stage": failure.stage,
        "error_type": failure.error_type,
        "error_message": failure.message,
        "original": raw,
        "original_key": key,
        "source": as_record(source),
        "failed_at_ms": now_ms,
    }


def dead_letter_headers(failure: Failure, source: Provenance) -> list[tuple[str, bytes]]:
    """Kafka headers of a dead letter: the same facts as the record, readable without Avro."""
    return [
        ("stage", failure.stage.encode()),
        ("error_type", failure.error_type.encode()),
        ("error_message", failure.message.encode("utf-8", "replace")),
        ("source_topic", source.topic.encode()),
        ("source_partition", str(source.partition).encode()),
        ("source_offset", str(source.offset).encode()),
        ("source_timestamp_ms", str(source.timestamp_ms or "").encode()),
    ]
