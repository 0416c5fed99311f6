"""Plain data passed between the pure stages: parse -> enrich -> route.

Nothing here imports Kafka or Faust. Every record type converts to a plain
``dict`` with :func:`as_record`, which is exactly the shape of the Avro record
in ``schemas/cable.avsc`` (field names are the public contract).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One numbered (or unnumbered) paragraph of the body with its portion mark."""

    number: str | None
    marking: str | None  # as written inside the parentheses: "C", "S/NF", "SBU", "U"
    text: str


@dataclass(frozen=True, slots=True)
class Recipient:
    """An addressee of the routing header (TO or INFO)."""

    kind: str  # "to" | "info"
    address: str  # plain-language address as written: "SECSTATE WASHDC"
    routing_indicator: str | None = None  # "RUEHC"
    serial: str | None = None  # trailing number, e.g. "5555"


@dataclass(frozen=True, slots=True)
class Reference:
    """A cable referenced in the REF line: raw text and, where resolvable, its canonical id."""

    letter: str | None
    raw: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A person named in structured header fields (classified by, signer)."""

    name: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Tag:
    """One TAGS code with what the dictionary knows about it (enrichment fills kind/meaning)."""

    code: str
    kind: str = "unknown"  # subject|program|geographic|organization|person|unknown
    meaning: str | None = None
    country: str | None = None  # geographic tags: country name
    iso_code: str | None = None  # geographic tags: ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found in the cable, de-duplicated per cable."""

    type: str  # person|organization|location|date|cable_reference
    text: str  # as first written
    normalized: str
    count: int = 1
    spans: tuple[tuple[int, int], ...] = ()  # offsets into Cable.body
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. {"title": ...,"iso": ...}


@dataclass(frozen=True, slots=True)
class Cable:
    """A parsed cable. Every field is optional except the body; see schemas/cable.avsc for docs."""

    body: str
    id: str | None = None
    origin: str | None = None
    origin_name: str | None = None
    number: str | None = None
    date: str | None = None  # YYYY-MM-DD
    datetime: str | None = None  # YYYY-MM-DDTHH:MM:00Z
    precedence: str | None = None
    classification: str | None = None  # normalized, see streams.core.classification
    caveats: tuple[str, ...] = ()
    handling: tuple[str, ...] = ()
    section: int | None = None
    sections: int | None = None
    partial_extract: bool = False
    recipients: tuple[Recipient, ...] = ()
    executive_order: str | None = None
    declassify_on: str | None = None
    classified_by: Person | None = None
    reasons: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()
    subject: str | None = None
    references: tuple[Reference, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    highest_portion_marking: str | None = None
    signer: str | None = None
    source_format: str = "unknown"  # plusd-extract|cablegate|acp126|csv-row|unknown
    entities: tuple[Entity, ...] = ()
    enriched: bool = False
    # Enrichers (streams.vocab.ENRICHERS) that failed on this cable: their part is missing.
    enrichment_missing: tuple[str, ...] = ()
    # Added by the parser: when the caption, the ZNY line, another classification line of the text
    # or a CLASSIFICATION line (or a cables.csv row's classification) disagree, the highest is kept
    # in `classification` and the markings are listed here ("caption CONFIDENTIAL; ZNY SECRET");
    # None when they agree.
    classification_conflict: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """A stage could not produce a result: the reason travels with the message to the DLQ."""

    stage: str  # a constant from streams.vocab
    error_type: str  # short, bounded vocabulary: "empty", "not_utf8", "too_large", ...
    message: str  # human-readable, never the cable's text


@dataclass(frozen=True, slots=True)
class Route:
    """Where a cable goes: a level's topic, or quarantine with a reason."""

    level: str | None  # a level name from streams.core.route.LEVELS, None when quarantined
    quarantine_reason: str | None = None
    marking_conflict: bool = False
    markings_seen: tuple[str, ...] = ()

    @property
    def quarantined(self) -> bool:
        return self.level is None


def as_record(obj: Any) -> Any:
    """Convert a model object (recursively) into plain dicts/lists for Avro and JSON."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: as_record(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [as_record(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): as_record(v) for k, v in obj.items()}
    return obj
