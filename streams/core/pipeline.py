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

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from streams import vocab as stages
from streams.core.enrich import enrich as enrich_cable
from streams.core.markings import read_markings
from streams.core.model import Cable, Entity, Failure, Paragraph, Route
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


def cable_record(cable: Cable, decision: Route, source: Provenance) -> dict[str, Any]:
    """The Avro record (schemas/cable.avsc) of a routed cable: a function of the input alone (no
    wall clock), built field by field rather than by walking the dataclasses."""
    record = cable_fields(cable)
    record["level"] = decision.level
    record["marking_conflict"] = decision.marking_conflict
    record["markings_seen"] = list(decision.markings_seen)
    record["source"] = source_fields(source)
    return record


def cable_fields(cable: Cable) -> dict[str, Any]:
    """The cable's part of the record; paragraphs as spans of the body where the text is there."""
    return {
        "id": cable.id, "origin": cable.origin, "origin_name": cable.origin_name, "number": cable.number,
        "date": cable.date, "datetime": cable.datetime, "precedence": cable.precedence,
        "classification": cable.classification, "classification_conflict": cable.classification_conflict,
        "caveats": cable.caveats, "handling": cable.handling, "section": cable.section,
        "sections": cable.sections, "partial_extract": cable.partial_extract,
        "recipients": [
            {"kind": r.kind, "address": r.address, "routing_indicator": r.routing_indicator, "serial": r.serial}
            for r in cable.recipients
        ],
        "executive_order": cable.executive_order, "declassify_on": cable.declassify_on,
        "classified_by": (
            {"name": cable.classified_by.name, "title": cable.classified_by.title} if cable.classified_by else None
        ),
        "reasons": cable.reasons,
        "tags": [
            {"code": t.code, "kind": t.kind, "meaning": t.meaning, "country": t.country, "iso_code": t.iso_code}
            for t in cable.tags
        ],
        "subject": cable.subject,
        "references": [{"letter": r.letter, "raw": r.raw, "id": r.id} for r in cable.references],
        "paragraphs": paragraph_fields(cable.paragraphs, cable.body),
        "highest_portion_marking": cable.highest_portion_marking, "signer": cable.signer,
        "body": cable.body, "source_format": cable.source_format,
        "entities": [entity_fields(e) for e in cable.entities],
        "enriched": cable.enriched, "enrichment_missing": cable.enrichment_missing,
    }


def entity_fields(e: Entity) -> dict[str, Any]:
    """One entity of the record; attributes in key order, so the bytes never depend on how the
    enricher happened to fill the dict."""
    attrs = e.attributes
    if len(attrs) > 1:
        attrs = dict(sorted(attrs.items()))
    return {"type": e.type, "text": e.text, "normalized": e.normalized, "count": e.count,
            "spans": e.spans, "attributes": attrs}


def paragraph_fields(paragraphs: tuple[Paragraph, ...], body: str) -> list[dict[str, Any]]:
    """Paragraphs as ``start``/``end`` offsets into ``body`` (text empty) wherever the paragraph's
    text is found there in order, with line breaks read as spaces (the parser joins wrapped
    lines that way); otherwise (a page line was cut out of it) the text itself. Lossless."""
    flat = body.replace("\n", " ") if "\n" in body else body  # same length: offsets carry over
    out: list[dict[str, Any]] = []
    cursor = 0
    for p in paragraphs:
        text = p.text
        at = flat.find(text, cursor) if text else -1
        if at < 0:
            out.append({"number": p.number, "marking": p.marking, "text": text, "start": None, "end": None})
            continue
        cursor = at + len(text)
        out.append({"number": p.number, "marking": p.marking, "text": "", "start": at, "end": cursor})
    return out


def paragraph_text(paragraph: dict[str, Any], body: str) -> str:
    """The text of one paragraph of a record (the inverse of :func:`paragraph_fields`)."""
    if paragraph.get("start") is None:
        return paragraph["text"]
    return body[paragraph["start"] : paragraph["end"]].replace("\n", " ")


def source_fields(source: Provenance) -> dict[str, Any]:
    """The record's ``source`` (provenance) part."""
    return {"topic": source.topic, "partition": source.partition, "offset": source.offset,
            "timestamp_ms": source.timestamp_ms}


def quarantine_record(cable: Cable, decision: Route, raw: bytes, source: Provenance) -> dict[str, Any]:
    """The Avro record (schemas/quarantine.avsc) of a quarantined cable."""
    return {
        "reason": decision.quarantine_reason or "unknown",
        "id": cable.id,
        "classification": cable.classification,
        "markings_seen": list(decision.markings_seen),
        "original": raw,
        "source": source_fields(source),
    }


def dead_letter_record(
    failure: Failure, raw: bytes, key: bytes | None, source: Provenance, *, keep_original: bool = True
) -> dict[str, Any]:
    """The Avro record (schemas/dead_letter.avsc) of a message a stage could not process; with
    ``keep_original=False`` (it would not fit) the original bytes are left out, their length and
    SHA-256 stay."""
    return {
        "stage": failure.stage,
        "error_type": failure.error_type,
        "error_message": failure.message,
        "original": raw if keep_original else b"",
        "original_length": len(raw),
        "original_sha256": hashlib.sha256(raw).hexdigest(),
        "original_key": key,
        "source": source_fields(source),
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
