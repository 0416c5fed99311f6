"""Our topics, and their explicit creation (Faust only creates its internal topics).

One raw input topic, one topic per classification level, quarantine and the
dead-letter topic; names and partition counts come from :class:`Settings`.
"""

from __future__ import annotations

from confluent_kafka.admin import AdminClient, NewTopic

from streams.kafka.reach import client_config
from streams.settings import Settings
from streams.vocab import DLQ, LEVELS, QUARANTINE, RAW
# Each output suffix with the schema (schemas/<name>.avsc) of its records.
OUTPUT_SCHEMAS: dict[str, str] = {**{lv: "cable" for lv in LEVELS}, QUARANTINE: "quarantine", DLQ: "dead_letter"}


def all_topics(settings: Settings) -> list[str]:
    """Every topic name we own: raw first, then the outputs."""
    return [settings.topic(RAW)] + [settings.topic(s) for s in OUTPUT_SCHEMAS]


def output_topics(settings: Settings) -> dict[str, str]:
    """Output suffix -> full topic name."""
    return {suffix: settings.topic(suffix) for suffix in OUTPUT_SCHEMAS}


def topic_config(settings: Settings) -> dict[str, str]:
    """Per-topic configuration: the message size limit from the one setting (max_message_bytes), and
    min.insync.replicas (an acks=all write needs that many replicas; the broker's default may be 1)."""
    return {"max.message.bytes": str(settings.max_message_bytes), "min.insync.replicas": str(settings.min_insync_replicas)}


def ensure_topics(settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create any missing topic with the configured partitions; returns the names it created.

    Existing topics are left as they are (their partition count is reported by
    ``cables topics list``, not changed: repartitioning would move keys).
    """
    admin = AdminClient(client_config(settings))
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = [t for t in all_topics(settings) if t not in existing]
    if not missing:
        return []
    futures = admin.create_topics(
        [NewTopic(t, num_partitions=settings.partitions, replication_factor=settings.replication_factor,
                  config=topic_config(settings)) for t in missing],
        operation_timeout=timeout,
    )
    created = []
    for name, fut in futures.items():
        try:
            fut.result(timeout)
            created.append(name)
        except Exception as exc:  # a concurrent creator won the race: fine
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
    return created


def partition_counts(settings: Settings, timeout: float = 10.0) -> dict[str, int]:
    """Topic name -> partition count, for the topics we own that exist."""
    md = AdminClient(client_config(settings)).list_topics(timeout=timeout)
    return {t: len(md.topics[t].partitions) for t in all_topics(settings) if t in md.topics}
