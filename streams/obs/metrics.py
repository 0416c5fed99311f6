"""Every Prometheus metric of the worker, declared once.

Base units (seconds, bytes), counters end in ``_total``, labels only from
bounded sets (topic, stage, error_type, entity_type, partition). Tests build
their own ``Metrics(CollectorRegistry())``; the worker uses :data:`METRICS` on
the default registry, which also carries process and platform collectors.
"""

from __future__ import annotations

import platform

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, Info

from streams import __version__
from streams import vocab as stages
from streams.vocab import ENRICHERS, ENTITY_TYPES

NAMESPACE = "cables"
# Parsing takes ~0.3 ms, publishing ~1-50 ms, end-to-end age up to minutes under lag.
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
REBALANCE_KINDS = ("assigned", "revoked", "lost")
AGE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)


class Metrics:
    """The worker's metrics on one registry."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.registry = registry
        kw = {"namespace": NAMESPACE, "registry": registry}
        self.consumed = Counter("messages_consumed", "Raw messages consumed.", ["topic"], **kw)
        self.produced = Counter("messages_produced", "Records produced, per output topic.", ["topic"], **kw)
        self.failed = Counter(
            "messages_failed", "Messages a stage could not process.", ["stage", "error_type"], **kw
        )
        self.dlq = Counter("dlq_messages", "Messages sent to the dead-letter topic.", ["stage"], **kw)
        self.quarantined = Counter("quarantined_messages", "Cables sent to quarantine.", **kw)
        self.marking_conflicts = Counter(
            "marking_conflicts", "Cables routed above their header classification.", **kw
        )
        self.stage_duration = Histogram(
            "stage_duration_seconds", "Time spent per stage.", ["stage"], buckets=STAGE_BUCKETS, **kw
        )
        self.event_age = Histogram(
            "event_age_seconds",
            "End-to-end age: raw record timestamp to output produced.",
            buckets=AGE_BUCKETS,
            **kw,
        )
        self.enrich_failed = Counter(
            "enrich_failures", "Cables an enricher failed on (its part of the record is missing).", ["enricher"], **kw)
        self.entities = Counter("entities_extracted", "Entities extracted, per type.", ["entity_type"], **kw)
        self.last_processed = Gauge(
            "last_processed_timestamp_seconds", "Unix time the last message was fully processed.", **kw
        )
        self.lag = Gauge("consumer_lag", "Messages behind the end of each raw partition.", ["topic", "partition"], **kw)
        self.rebalances = Counter(
            "rebalances", "Partition assignment changes of this worker, per kind (assigned, revoked, lost).", ["kind"], **kw)
        self.assigned = Gauge("assigned_partitions", "Raw partitions this worker consumes now.", **kw)
        self.build = Info("build", "Version of the worker.", **kw)
        self.build.info({"version": __version__, "python": platform.python_version()})

    def init_labels(self, topics: list[str]) -> None:
        """Create the known label combinations at zero, so rates exist before the first event."""
        for topic in topics:
            self.produced.labels(topic=topic)
        for stage in stages.STAGES:
            self.stage_duration.labels(stage=stage)
            self.dlq.labels(stage=stage)
        for kind in REBALANCE_KINDS:
            self.rebalances.labels(kind=kind)
        for entity_type in ENTITY_TYPES:
            self.entities.labels(entity_type=entity_type)
        for enricher in ENRICHERS:
            self.enrich_failed.labels(enricher=enricher)


METRICS = Metrics()
