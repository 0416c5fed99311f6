"""Replaying dead letters to the raw topic after the cause was fixed.

Reads the dead-letter topic with the consumer group ``<app_id>-replay-dlq``,
which remembers how far earlier replays got, so a dead letter is replayed once.
Each dead letter's original bytes and key go back to the raw topic with a
``replayed_from`` header; a filter (stage, error type) selects which. Dead
letters the filter leaves out are passed over for good by that run (use
``--from-beginning`` to re-read them). ``dry_run`` publishes and commits nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

from streams.kafka.codec import DEAD_LETTER, Codec
from streams.kafka.publish import publish
from streams.settings import Settings


@dataclass
class ReplayReport:
    read: int = 0
    replayed: int = 0
    skipped: int = 0
    acknowledged: int = 0
    by_reason: Counter = field(default_factory=Counter)
    ok: bool = True


def _header(msg, name: str) -> str:
    for k, v in msg.headers() or []:
        if k == name:
            return (v or b"").decode("utf-8", "replace")
    return ""


def read_dead_letters(settings: Settings, *, from_beginning: bool, timeout: float, group: str):
    """Every dead letter after the group's committed offsets, up to the current end; and the consumer."""
    conf = settings.kafka_client_config()
    conf.update({"group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest",
                 "enable.partition.eof": True})
    consumer = Consumer(conf)
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


def replay_dead_letters(
    settings: Settings,
    *,
    error_types: set[str] = frozenset(),
    stages: set[str] = frozenset(),
    dry_run: bool = False,
    from_beginning: bool = False,
    timeout: float = 10.0,
) -> ReplayReport:
    """Re-publish matching dead letters' original bytes to the raw topic; commit what was read."""
    consumer, messages = read_dead_letters(
        settings, from_beginning=from_beginning, timeout=timeout, group=f"{settings.app_id}-replay-dlq"
    )
    report = ReplayReport(read=len(messages))
    chosen = []
    for msg in messages:
        stage, error_type = _header(msg, "stage"), _header(msg, "error_type")
        if (error_types and error_type not in error_types) or (stages and stage not in stages):
            report.skipped += 1
            continue
        report.by_reason[(stage, error_type)] += 1
        origin = f"{msg.topic()}:{msg.partition()}:{msg.offset()}".encode()
        chosen.append((msg.key(), msg.value(), [("replayed_from", origin)]))
    report.replayed = len(chosen)
    try:
        if dry_run or not messages:
            return report
        codec = Codec.named(DEAD_LETTER)  # once: building a codec parses and fingerprints the schema
        chosen = [(k, codec.decode(v)["original"], h) for k, v, h in chosen]
        pub = publish(settings, chosen)
        report.acknowledged = pub.acknowledged
        report.ok = pub.ok
        if pub.ok:  # commit only after every replayed message was acknowledged
            ends = {}
            for msg in messages:
                ends[msg.partition()] = max(ends.get(msg.partition(), -1), msg.offset() + 1)
            consumer.commit(offsets=[TopicPartition(settings.dlq_topic, p, o) for p, o in ends.items()], asynchronous=False)
        return report
    finally:
        consumer.close()

