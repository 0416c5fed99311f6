"""Replaying dead letters to the raw topic after the cause was fixed.

Reads the dead-letter topic with the consumer group ``<app_id>-replay-dlq``, which remembers how far
earlier replays got, so a dead letter is replayed once. Each dead letter's original bytes and key go
back to the raw topic with a ``replayed_from`` header; a filter (stages, error types) selects which.

Nothing is passed over silently. In each partition the group's offset is committed up to the first
dead letter the filter left out, never past it, so a later replay (with another filter) still reads
it (``left``). Matching letters after it are replayed all the same, and their offsets are recorded in
the commit's metadata (``replayed:12,15-18``), so a later replay passes over them instead of replaying
them twice. That record is bounded (:data:`METADATA_BUDGET`, under Kafka's 4096-byte default): beyond
it, matching letters after a left one are left too, for a later run. ``skip_and_commit`` passes over
the filtered-out letters for good instead: the offset is committed to the end. Offsets are committed
only once every replayed message was acknowledged; ``dry_run`` publishes and commits nothing.
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
    already: int = 0  # replayed by an earlier run after a letter it left: passed over now
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


METADATA_PREFIX = "replayed:"
# Characters of offsets recorded per partition: well under offset.metadata.max.bytes (4096 by default).
METADATA_BUDGET = 3000


def encode_offsets(offsets: set[int]) -> str:
    """``replayed:3,5-9`` for {3, 5, 6, 7, 8, 9}; empty for no offsets."""
    runs: list[list[int]] = []
    for o in sorted(offsets):
        if runs and o == runs[-1][1] + 1:
            runs[-1][1] = o
        else:
            runs.append([o, o])
    return METADATA_PREFIX + ",".join(f"{a}-{b}" if b > a else str(a) for a, b in runs) if runs else ""


def decode_offsets(metadata: str | None) -> set[int]:
    """The offsets of :func:`encode_offsets`' text; empty for anything else."""
    if not metadata or not metadata.startswith(METADATA_PREFIX):
        return set()
    out: set[int] = set()
    for part in metadata[len(METADATA_PREFIX):].split(","):
        a, _, b = part.partition("-")
        if a.isdigit() and (not b or b.isdigit()):
            out.update(range(int(a), int(b or a) + 1))
    return out


def read_dead_letters(settings: Settings, *, from_beginning: bool, timeout: float, group: str):
    """Every dead letter after the group's committed offsets, up to the current end; the consumer; and
    per partition the offsets an earlier replay recorded as replayed (none with ``from_beginning``)."""
    consumer = Consumer(client_config(settings, **{
        "group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest", "enable.partition.eof": True}))
    md = consumer.list_topics(settings.dlq_topic, timeout=timeout)
    parts = [TopicPartition(settings.dlq_topic, p) for p in md.topics[settings.dlq_topic].partitions]
    replayed_before: dict[int, set[int]] = {}
    if from_beginning:
        parts = [TopicPartition(tp.topic, tp.partition, OFFSET_BEGINNING) for tp in parts]
    else:
        replayed_before = {tp.partition: decode_offsets(tp.metadata) for tp in consumer.committed(parts, timeout=timeout)}
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
    return consumer, messages, replayed_before


def _leave(report: ReplayReport, p: int, offset: int, reason: tuple[str, str]) -> None:
    report.left_from.setdefault(p, offset)
    report.left += 1
    report.left_by_reason[reason] += 1


def select(messages: list, report: ReplayReport, *, error_types: set[str], stages: set[str],
           skip_and_commit: bool, replayed_before: dict[int, set[int]] | None = None,
           ) -> tuple[list, dict[int, tuple[int, str]]]:
    """The dead letters to replay, and per partition the offset and metadata to commit (module doc)."""
    replayed_before = replayed_before or {}
    chosen, done, end = [], {}, {}
    budget: dict[int, int] = {}  # characters of recorded offsets spent after a left letter
    for msg in messages:
        p, offset = msg.partition(), msg.offset()
        reason = (_header(msg, "stage"), _header(msg, "error_type"))
        end[p] = offset + 1
        if offset in replayed_before.get(p, ()):
            report.already += 1
            done.setdefault(p, set()).add(offset)
            continue
        matches = not ((error_types and reason[1] not in error_types) or (stages and reason[0] not in stages))
        report.skipped += not matches
        if not matches and not skip_and_commit:
            _leave(report, p, offset, reason)
            continue
        if p in report.left_from:  # its offset must be recorded: within the budget, or left as well
            budget[p] = budget.get(p, 0) + len(str(offset)) + 1
            if budget[p] > METADATA_BUDGET:
                _leave(report, p, offset, reason)
                continue
        done.setdefault(p, set()).add(offset)
        if matches:
            report.by_reason[reason] += 1
            origin = f"{msg.topic()}:{p}:{offset}".encode()
            chosen.append((msg.key(), msg.value(), [("replayed_from", origin)]))
    commit: dict[int, tuple[int, str]] = {}
    for p, last in end.items():
        first_left = report.left_from.get(p)
        if first_left is None:
            commit[p] = (last, "")
        else:
            commit[p] = (first_left, encode_offsets({o for o in done.get(p, ()) if o > first_left}))
    return chosen, commit


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
    consumer, messages, replayed_before = read_dead_letters(
        settings, from_beginning=from_beginning, timeout=timeout, group=f"{settings.app_id}-replay-dlq"
    )
    report = ReplayReport(read=len(messages))
    chosen, commit_at = select(messages, report, error_types=error_types, stages=stages,
                               skip_and_commit=skip_and_commit, replayed_before=replayed_before)
    report.replayed = len(chosen)
    try:
        if dry_run or not messages:
            return report
        if chosen:
            codec = Codec.named(DEAD_LETTER)  # once: building a codec parses and fingerprints the schema
            pub = publish(settings, [(k, codec.decode(v)["original"], h) for k, v, h in chosen])
            report.acknowledged, report.ok = pub.acknowledged, pub.ok
        if report.ok and commit_at:  # commit only after every replayed message was acknowledged
            consumer.commit(offsets=[TopicPartition(settings.dlq_topic, p, o, metadata=meta)
                                     for p, (o, meta) in commit_at.items()], asynchronous=False)
        return report
    finally:
        consumer.close()
