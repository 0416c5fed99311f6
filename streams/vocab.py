"""Every word shared between modules, once: stages, outcomes, levels, topic suffixes, reasons,
entity types and enrichers.

Each constant is used verbatim as a metric label, a log field, a dead-letter header value or a
topic-name suffix, so a word means one thing everywhere. Nothing here imports anything.
"""

from __future__ import annotations

from typing import Final

# --- Stages: the metric label ``stage``, the log field and the dead-letter header ``stage``.
DECODE: Final = "decode"  # raw bytes -> text
PARSE: Final = "parse"  # text -> Cable
ENRICH: Final = "enrich"  # Cable -> Cable with tags/entities
ROUTE: Final = "route"  # Cable -> Route
ENCODE: Final = "encode"  # Cable -> Avro bytes
PUBLISH: Final = "publish"  # send to the output topic
STAGES: Final = (DECODE, PARSE, ENRICH, ROUTE, ENCODE, PUBLISH)

# --- Outcomes: every raw message ends in exactly one.
ROUTED: Final = "routed"  # published to its classification level's topic
QUARANTINED: Final = "quarantined"  # parsed, but its classification cannot be trusted
DEAD_LETTER: Final = "dead_letter"  # a stage failed: original bytes sent to the dead-letter topic
OUTCOMES: Final = (ROUTED, QUARANTINED, DEAD_LETTER)

# --- Classification levels, lowest first; each is also the suffix of its output topic.
UNCLASSIFIED: Final = "unclassified"
CONTROLLED: Final = "controlled"  # FOR OFFICIAL USE ONLY, SBU, LIMITED OFFICIAL USE
CONFIDENTIAL: Final = "confidential"
SECRET: Final = "secret"
TOP_SECRET: Final = "top-secret"
LEVELS: Final = (UNCLASSIFIED, CONTROLLED, CONFIDENTIAL, SECRET, TOP_SECRET)

# --- Topic suffixes (the full name is ``Settings.topic(suffix)``: ``<prefix>.<suffix>``).
RAW: Final = "raw"
QUARANTINE: Final = "quarantine"
DLQ: Final = "dlq"
OUTPUT_SUFFIXES: Final = (*LEVELS, QUARANTINE, DLQ)

# --- Kafka principals (SASL user names); what each may do is streams/kafka/acls.py.
BROKER: Final = "broker"  # the local broker's own principal (inter-broker and controller)
ADMIN: Final = "admin"  # super user: topics, ACLs, quarantine, dead letters, replay
FEED: Final = "feed"  # writes the raw topic, nothing else
WORKER: Final = "worker"  # reads raw, writes every output topic
READER_PREFIX: Final = "reader-"  # reader-<level> reads its level's topic and every lower one

# --- Dead-letter error types (the bounded ``error_type`` label).
EMPTY: Final = "empty"
TOO_LARGE: Final = "too_large"
NOT_UTF8: Final = "not_utf8"
BINARY: Final = "binary"
NOT_TEXT: Final = "not_text"
NOT_A_CABLE: Final = "not_a_cable"
TRUNCATED: Final = "truncated"
BAD_CSV_ROW: Final = "bad_csv_row"
INTERNAL: Final = "internal"  # a bug in a stage: counted and dead-lettered, never raised
ENCODE_FAILED: Final = "encode_failed"
ERROR_TYPES: Final = (EMPTY, TOO_LARGE, NOT_UTF8, BINARY, NOT_TEXT, NOT_A_CABLE, TRUNCATED, BAD_CSV_ROW, INTERNAL,
                      ENCODE_FAILED)

# --- Quarantine reasons (the start of ``Route.quarantine_reason``; details may follow a colon).
NO_CLASSIFICATION: Final = "no classification marking found"
UNKNOWN_CLASSIFICATION: Final = "unknown classification"
UNKNOWN_PORTION_MARK: Final = "unknown portion marking"
CONTRADICTORY: Final = "contradictory classification markings"
UNKNOWN_MARKING: Final = "unknown_marking"  # the marking reader saw a marking it cannot read (streams.core.markings)

# --- Entity types (also the ``entity_type`` metric label).
PERSON: Final = "person"
ORGANIZATION: Final = "organization"
LOCATION: Final = "location"
DATE: Final = "date"
CABLE_REFERENCE: Final = "cable_reference"
ENTITY_TYPES: Final = (PERSON, ORGANIZATION, LOCATION, DATE, CABLE_REFERENCE)

# --- Enrichers (named in ``Cable.enrichment_missing`` and the ``enricher`` metric label).
ENRICH_TAGS: Final = "tags"
ENRICH_ENTITIES: Final = "entities"
ENRICHERS: Final = (ENRICH_TAGS, ENRICH_ENTITIES)
