"""Record counts per topic from the broker's watermarks (no consuming)."""

from __future__ import annotations

import uuid

from confluent_kafka import Consumer, TopicPartition

from streams.kafka.reach import client_config
from streams.settings import Settings
from streams.kafka.topics import all_topics


def topic_counts(settings: Settings, *, end_only: bool = False, timeout: float = 10.0) -> dict[str, int]:
    """Topic -> records held (high minus low watermark), or the sum of end offsets with ``end_only``.

    ``end_only`` counts every record ever written, so differences between two
    calls count what was produced in between even if retention deleted some.
    """
    conf = client_config(settings)
    conf.update({"group.id": f"cables-counts-{uuid.uuid4()}", "enable.auto.commit": False})
    consumer = Consumer(conf)
    try:
        md = consumer.list_topics(timeout=timeout)
        counts: dict[str, int] = {}
        for name in all_topics(settings):
            if name not in md.topics:
                continue
            total = 0
            for p in md.topics[name].partitions:
                low, high = consumer.get_watermark_offsets(TopicPartition(name, p), timeout=timeout)
                total += high if end_only else high - low
            counts[name] = total
        return counts
    finally:
        consumer.close()
