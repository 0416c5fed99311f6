"""Replaying dead letters to the raw topic after the cause was fixed.

Reads the dead-letter topic with the consumer group ``<app_id>-replay-dlq``, which remembers how far
earlier replays got, so a dead letter is replayed once. Each dead letter's original bytes and key go
back to the raw topic with a ``replayed_from`` header; a filter (stages, error types) selects which.

Nothing is passed over silently: in each partition, replay stops at the first dead letter the filter
leaves out, and the group's offset is committed up to that letter, never past it. That letter and
every one after it stay for a later replay (``left``), so a replay with another filter still finds
them. ``skip_and_commit`` passes over the filtered-out letters for good instead: every matching
letter is replayed and the offset committed to the end. Offsets are committed only once every
replayed message was acknowledged; ``dry_run`` publishes and commits nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

from streams.kafka.codec import DEAD_LETTER, Codec
from streams.kafka.publish import publish
from streams.kafka.reach import client_config
from streams.settings import Settings


@dataclass
class ReplayReport:
    """What a replay read, replayed, skipped (filter) and left uncommitted for a later one."""

    read: int = 0
    replayed: int = 0
    skipped: int = 0  # left out by the filter
    left: int = 0  # not replayed and not committed past: a later replay reads them again
    acknowledged: int = 0
    by_reason: Counter = field(default_factory=Counter)  # (stage, error_type) -> replayed
    left_by_reason: Counter = field(default_factory=Counter)  # (stage, error_type) -> left
    left_from: dict[int, int] = field(default_factory=dict)  # partition -> first offset left
    ok: bool = True


def _header(msg, name: str) -> str:
    for k, v in msg.headers() or []:
        if k == name:
            return (v or b"").decode("utf-8", "replace")
    return ""


def read_dead_letters(settings: Settings, *, from_beginning: bool, timeout: float, group: str):
    """Every dead letter after the group's committed offsets, up to the current end; and the consumer."""
    consumer = Consumer(client_config(settings, **{
        "group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest", "enable.partition.eof": True}))
    md = consumer.list_topics(settings.dlq_topic, timeout=timeout)
    parts = [TopicPartition(settings.dlq_topic, p) for p in md.topics[settings.dlq_topic].partitions]
    if from_beginning:
        parts = [TopicPartition(tp.topic, tp.partition, OFFSET_BEGINNING) for tp in parts]
    consumer.assign(parts)
    pending = {tp.partition for tp in parts}
    messages = []
    while pending:
        msg = consumer.poll(timeout)
        if msg is None:
            break  # idle: nothing more within the timeout
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                pending.discard(msg.partition())
                continue
            raise RuntimeError(str(msg.error()))
        messages.append(msg)
    return consumer, messages


def select(messages: list, report: ReplayReport, *, error_types: set[str], stages: set[str],
           skip_and_commit: bool) -> tuple[list, dict[int, int]]:
    """The dead letters to replay and the offset to commit per partition (see the module doc)."""
    chosen, commit_at = [], {}
    for msg in messages:
        p = msg.partition()
        reason = (_header(msg, "stage"), _header(msg, "error_type"))
        matches = not ((error_types and reason[1] not in error_types) or (stages and reason[0] not in stages))
        report.skipped += not matches
        if p in report.left_from or (not matches and not skip_and_commit):
            report.left_from.setdefault(p, msg.offset())
            report.left += 1
            report.left_by_reason[reason] += 1
            continue
        commit_at[p] = msg.offset() + 1
        if matches:
            report.by_reason[reason] += 1
            origin = f"{msg.topic()}:{p}:{msg.offset()}".encode()
            chosen.append((msg.key(), msg.value(), [("replayed_from", origin)]))
    commit_at.update(report.left_from)
    return chosen, commit_at


def replay_dead_letters(
    settings: Settings,
    *,
    error_types: set[str] = frozenset(),
    stages: set[str] = frozenset(),
    dry_run: bool = False,
    from_beginning: bool = False,
    skip_and_commit: bool = False,
    timeout: float = 10.0,
) -> ReplayReport:
    """Re-publish matching dead letters' original bytes to the raw topic; commit what was replayed
    (and, with ``skip_and_commit``, what the filter left out)."""
    consumer, messages = read_dead_letters(
        settings, from_beginning=from_beginning, timeout=timeout, group=f"{settings.app_id}-replay-dlq"
    )
    report = ReplayReport(read=len(messages))
    chosen, commit_at = select(messages, report, error_types=error_types, stages=stages,
                               skip_and_commit=skip_and_commit)
    report.replayed = len(chosen)
    try:
        if dry_run or not messages:
            return report
        if chosen:
            codec = Codec.named(DEAD_LETTER)  # once: building a codec parses and fingerprints the schema
            pub = publish(settings, [(k, codec.decode(v)["original"], h) for k, v, h in chosen])
            report.acknowledged, report.ok = pub.acknowledged, pub.ok
        if report.ok and commit_at:  # commit only after every replayed message was acknowledged
            consumer.commit(offsets=[TopicPartition(settings.dlq_topic, p, o) for p, o in commit_at.items()],
                            asynchronous=False)
        return report
    finally:
        consumer.close()
