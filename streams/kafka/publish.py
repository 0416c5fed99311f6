"""Publishing raw cables to the raw topic, with validation and acknowledgement counting.

Used by ``cables publish`` (files, folders, JSON Lines, CSV dumps, synthetic
cables) and by ``cables replay-dlq``. The producer is idempotent with
``acks=all``: a message counts as accepted only when the broker acknowledged it.

Inputs are validated item by item before anything is sent (:mod:`streams.kafka.sources`): a bad
item arrives here as a :class:`~streams.kafka.sources.Rejected` (where and why), is counted and
reported, and the rest still goes. The report says sent / acknowledged / failed / rejected.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from confluent_kafka import KafkaError, Producer

from streams.kafka.reach import client_config
from streams.kafka.sources import Rejected
from streams.settings import Settings

# librdkafka's local queue: when full we poll until deliveries free room.
QUEUE_FULL_BACKOFF_S = 0.05


@dataclass
class PublishReport:
    """What happened to the messages handed to :func:`publish`."""

    sent: int = 0
    acknowledged: int = 0
    failed: int = 0
    rejected: int = 0  # invalid inputs, never sent
    errors: list[str] = field(default_factory=list)
    rejections: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every valid input acknowledged and no input rejected."""
        return self.failed == 0 and self.acknowledged == self.sent and self.rejected == 0


class RateLimiter:
    """Spaces calls evenly at ``rate`` per second (None: no limit)."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def make_producer(settings: Settings) -> Producer:
    """An idempotent producer (acks=all): retries never duplicate, accepted means replicated."""
    return Producer(client_config(
        settings, **{"enable.idempotence": True, "acks": "all", "linger.ms": 5, "message.max.bytes": 10_000_000}))


def publish(
    settings: Settings,
    messages: Iterable[tuple[bytes | None, bytes, list[tuple[str, bytes]]] | Rejected],
    *,
    topic: str | None = None,
    rate: float | None = None,
    limit: int | None = None,
    progress: bool = False,
    flush_timeout: float = 60.0,
    on_reject: Callable[[Rejected], None] | None = None,
) -> PublishReport:
    """Send ``(key, value, headers)`` messages to ``topic`` (default: the raw topic) and count acks.

    A :class:`Rejected` among ``messages`` is counted (and handed to ``on_reject`` at once), not sent;
    ``limit`` counts sent messages only.
    """
    topic = topic or settings.raw_topic
    producer = make_producer(settings)
    report = PublishReport()
    limiter = RateLimiter(rate)
    started = time.monotonic()

    def delivered(err: KafkaError | None, _msg) -> None:
        if err is None:
            report.acknowledged += 1
        else:
            report.failed += 1
            if len(report.errors) < 10:
                report.errors.append(str(err))

    for message in messages:
        if limit is not None and report.sent >= limit:
            break
        if isinstance(message, Rejected):
            report.rejected += 1
            report.rejections.append(message)
            if on_reject is not None:
                on_reject(message)
            continue
        key, value, headers = message
        limiter.wait()
        while True:
            try:
                producer.produce(topic, value=value, key=key, headers=headers, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(QUEUE_FULL_BACKOFF_S)
        report.sent += 1
        producer.poll(0)
        if progress and report.sent % 25 == 0:
            _progress(report, started)
    remaining = producer.flush(flush_timeout)
    if remaining:
        report.failed += remaining
        report.errors.append(
            f"{remaining} message(s) not acknowledged by Kafka at {settings.bootstrap_servers} within {flush_timeout:.0f}s")
    report.seconds = time.monotonic() - started
    if progress:
        _progress(report, started, final=True)
    return report


def _progress(report: PublishReport, started: float, final: bool = False) -> None:
    elapsed = max(time.monotonic() - started, 1e-9)
    line = (
        f"\rsent {report.sent}  acknowledged {report.acknowledged}  failed {report.failed}  rejected {report.rejected}"
        f"  {report.sent / elapsed:,.0f} msg/s"
    )
    sys.stderr.write(line + ("\n" if final else ""))
    sys.stderr.flush()
