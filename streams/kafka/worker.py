"""The worker: one confluent-kafka consumer, one idempotent producer, many outputs in flight.

Run it with ``cables worker`` (or ``python -m streams.kafka.worker``). Why not Faust: see the
README's architecture section (measured: Faust's agent awaits each acknowledgement before the next
cable, and its un-awaited ``send()`` commits past unacknowledged outputs).

The loop, in one thread:

1. ``consume()`` a batch of raw messages; each goes through :class:`CableProcessor` (pure pipeline,
   encode, size check, metrics, one ``cable.processed`` line) and is handed to the producer
   without waiting; :class:`OffsetTracker` records it as in flight.
   Each output carries the input's Kafka timestamp and a ``processed_at_ms`` header.
2. The producer's delivery callbacks (run by ``poll()``) mark outputs acknowledged; every
   ``commit_interval_s`` the acknowledged prefix of each partition is committed. A committed offset
   never covers an input whose output the broker has not acknowledged.
3. When ``max_in_flight`` outputs await acknowledgement the worker stops taking input until
   acknowledgements arrive (back-pressure instead of unbounded memory).
4. A refused output (the producer gave up after ``publish_timeout_s``) ends the worker with exit
   code 75 after committing only the acknowledged prefix: the restarted worker re-delivers it.
5. Rebalance: before partitions are given up, in-flight outputs are flushed and the acknowledged
   prefix committed (cooperative-sticky assignment: partitions that stay are not revoked).
6. SIGTERM/SIGINT: stop taking input, wait up to ``shutdown_timeout_s`` for acknowledgements,
   commit, close, exit 0.

Static group membership (``group.instance.id``, see :func:`instance_id`) lets a restarted worker
take its partitions back at once, without waiting for a rebalance or the session timeout.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import logging
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import structlog
from confluent_kafka import OFFSET_INVALID, TIMESTAMP_NOT_AVAILABLE, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from prometheus_client import start_http_server

from streams.core.pipeline import Provenance
from streams.kafka import topics
from streams.kafka.agents import CableProcessor, Output, build_codecs
from streams.kafka.delivery import OffsetTracker, Partition
from streams.obs.logs import configure_logging
from streams.obs.metrics import METRICS, Metrics
from streams.settings import Settings, get_settings, warn_plaintext
from streams.vocab import WORKER

log = structlog.get_logger("streams.kafka.worker")

EXIT_PUBLISH_FAILED = 75  # EX_TEMPFAIL: an output was refused; restart me and I will retry it
LAG_INTERVAL_S = 5.0  # how often consumer lag is recomputed for /metrics
BATCH = 500  # raw messages taken per consume(): large enough to amortise the call, small for latency
POLL_TIMEOUT_S = 0.1  # an idle consume() returns this often (signals, commits, lag are handled between)
LINGER_MS = 5  # the producer batches outputs for this long: fewer requests, 5 ms more latency at most
MAX_SLOTS = 64  # worker processes of one app on one host that get a default instance id


def instance_id(settings: Settings) -> tuple[str, Any]:
    """(group.instance.id, the lock that reserves it). ``CABLES_INSTANCE_ID`` when set; otherwise
    ``<app_id>-<host>-<slot>`` with the lowest slot no other live worker of this app on this host
    holds (an flock in the temp folder, released by the kernel when the process dies, so a
    restarted worker gets its slot, and so its partitions, back)."""
    if settings.instance_id:
        return settings.instance_id, None
    folder = Path(tempfile.gettempdir()) / "cablestream-slots"
    folder.mkdir(parents=True, exist_ok=True)
    host = socket.gethostname()
    for slot in range(MAX_SLOTS):
        handle = open(folder / f"{settings.app_id}-{slot}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        return f"{settings.app_id}-{host}-{slot}", handle
    raise RuntimeError(f"more than {MAX_SLOTS} workers of {settings.app_id} on this host: set CABLES_INSTANCE_ID")


def consumer_config(settings: Settings, member_id: str) -> dict[str, Any]:
    """The raw topic's consumer: manual commits of acknowledged prefixes, static membership."""
    return {
        **settings.kafka_client_config(),
        "group.id": settings.app_id,
        "group.instance.id": member_id,
        "client.id": member_id,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "partition.assignment.strategy": "cooperative-sticky",
        "session.timeout.ms": int(settings.session_timeout_s * 1000),
        "fetch.max.bytes": max(settings.max_message_bytes, 52_428_800),
        "max.partition.fetch.bytes": settings.max_message_bytes,
        "queued.max.messages.kbytes": 16_384,  # pre-fetched input held per partition: bounded memory
        "logger": logging.getLogger("librdkafka.consumer"),
    }


def producer_config(settings: Settings, member_id: str) -> dict[str, Any]:
    """The outputs' producer: idempotent, acks from all replicas, compressed, size-limited."""
    return {
        **settings.kafka_client_config(),
        "client.id": member_id,
        "enable.idempotence": True,
        "acks": "all",
        "compression.type": settings.compression,
        "linger.ms": LINGER_MS,
        "message.max.bytes": settings.max_message_bytes,
        "batch.size": min(1_000_000, settings.max_message_bytes),
        "message.timeout.ms": int(settings.publish_timeout_s * 1000),
        "logger": logging.getLogger("librdkafka.producer"),
    }


class Worker:
    """The delivery loop around one :class:`CableProcessor`."""

    def __init__(self, settings: Settings, processor: CableProcessor, metrics: Metrics, member_id: str) -> None:
        self.settings = settings
        self.processor = processor
        self.metrics = metrics
        self.member_id = member_id
        self.tracker = OffsetTracker()
        self.consumer = Consumer(consumer_config(settings, member_id))
        self.producer = Producer(producer_config(settings, member_id))
        self.stopping = False
        self._signal: str | None = None
        self.failed: str | None = None  # the first delivery error: the worker exits to be restarted
        self._next_commit = 0.0
        self._next_lag = 0.0
        self._publish = metrics.stage_duration.labels(stage="publish")
        self._know_output_topics()

    def _know_output_topics(self) -> None:
        """Fetch the output topics' metadata now: the first record to a topic the producer has not
        seen waits for a metadata round trip (and its producer id) otherwise."""
        for topic in topics.output_topics(self.settings).values():
            try:
                self.producer.list_topics(topic, timeout=self.settings.connect_timeout_s)
            except KafkaException as exc:  # not fatal: the first produce asks again
                log.warning("producer.metadata_failed", topic=topic, error=str(exc))

    # --- lifecycle -----------------------------------------------------------------------

    def run(self) -> int:
        """Consume until stopped; returns the exit code (0, or 75 after a refused output)."""
        self.consumer.subscribe([self.settings.raw_topic], on_assign=self._on_assign,
                                on_revoke=self._on_revoke, on_lost=self._on_lost)
        log.info("worker.consuming", topic=self.settings.raw_topic, instance_id=self.member_id)
        while not self.stopping and self.failed is None:
            self._step()
        return self._shutdown()

    def stop(self, signum: int | None = None, frame: Any = None) -> None:
        """Stop taking input; the loop then finishes what is in flight (signal handler: sets a flag only)."""
        self.stopping = True
        self._signal = signal.Signals(signum).name if signum else None

    def _shutdown(self) -> int:
        if self.stopping:
            log.info("worker.stopping", signal=self._signal, in_flight=self.tracker.in_flight)
        deadline = time.monotonic() + self.settings.shutdown_timeout_s
        while self.tracker.in_flight and self.failed is None and time.monotonic() < deadline:
            self.producer.poll(0.05)
        self._commit(force=True)
        left = self.tracker.in_flight
        try:
            self.consumer.close()
        except KafkaException as exc:
            log.warning("worker.close_failed", error=str(exc))
        if self.failed is not None:
            log.critical("worker.crash", error=self.failed, unacknowledged=left,
                         hint="an output was refused; exiting for a restart, which re-delivers it")
            return EXIT_PUBLISH_FAILED
        log.info("worker.stopped", unacknowledged=left)
        return 0

    # --- the loop ------------------------------------------------------------------------

    def _step(self) -> None:
        room = self.settings.max_in_flight - self.tracker.in_flight
        if room <= 0:  # back-pressure: wait for acknowledgements, take no input
            self.producer.poll(0.05)
        for msg in self._take(min(BATCH, room)) if room > 0 else ():
            if self.stopping or self.failed is not None:
                break  # the rest of the batch is not committed: the next worker takes it
            if msg.error() is None:
                self._handle(msg)
            elif msg.error().code() != KafkaError._PARTITION_EOF:
                self._consumer_error(msg.error())
            self._tick()  # within a batch too: acknowledgements and commits keep pace with the cables
        self._tick()

    def _tick(self) -> None:
        """Serve delivery callbacks; commit and record lag when their time has come."""
        self.producer.poll(0)
        now = time.monotonic()
        if now >= self._next_commit:
            self._commit()
            self._next_commit = now + self.settings.commit_interval_s
        if now >= self._next_lag:
            self._record_lag()
            self._next_lag = now + LAG_INTERVAL_S

    def _take(self, limit: int) -> list[Any]:
        """What the consumer has already fetched (up to ``limit``), else wait for one message: a
        batch call with a timeout would hold every message of a quiet stream for that long."""
        msgs = self.consumer.consume(limit, 0)
        if msgs:
            return msgs
        msg = self.consumer.poll(POLL_TIMEOUT_S)
        return [msg] if msg is not None else []

    def _handle(self, msg: Any) -> None:
        ts_type, ts = msg.timestamp()
        source = Provenance(msg.topic(), msg.partition(), msg.offset(), ts if ts_type != TIMESTAMP_NOT_AVAILABLE else None)
        output = self.processor.handle(msg.value(), msg.key(), source)
        tp = (source.topic, source.partition)
        self.tracker.started(tp, source.offset)
        on_delivery = functools.partial(self._delivered, tp, source.offset, source.timestamp_ms, time.perf_counter())
        self._produce(output, source.timestamp_ms or 0, on_delivery)

    def _produce(self, output: Output, timestamp_ms: int, on_delivery: Any) -> None:
        """Hand one output to the producer. Its Kafka timestamp is the input's (event time, as
        Kafka Streams does: the end-to-end age is the reader's clock minus it); the processing time
        is the ``processed_at_ms`` header, never part of the value."""
        headers = output.headers + [("processed_at_ms", str(int(time.time() * 1000)).encode())]
        while True:
            try:
                self.producer.produce(output.topic, output.value, output.key, headers=headers,
                                      timestamp=timestamp_ms, on_delivery=on_delivery)
                return
            except BufferError:  # the producer's queue is full: let deliveries drain it
                self.producer.poll(0.05)

    def _delivered(self, tp: Partition, offset: int, ts_ms: int | None, started: float, err: Any, msg: Any) -> None:
        """Delivery callback: acknowledge the input, or remember the failure (no commit passes it)."""
        if err is not None:
            if self.failed is None:
                self.failed = f"{err.name()}: {err.str()} (topic {msg.topic()}, input {tp[0]}[{tp[1]}]@{offset})"
            return
        self.tracker.acked(tp, offset)
        self._publish.observe(time.perf_counter() - started)
        now = time.time()
        if ts_ms:
            self.metrics.event_age.observe(max(0.0, now - ts_ms / 1000))
        self.metrics.last_processed.set(now)

    def _consumer_error(self, err: KafkaError) -> None:
        """A fatal error (e.g. a static member fenced after its session expired) ends the worker for a
        restart; librdkafka reports it as a message error of code _FATAL, not always with fatal() set."""
        if err.fatal() or err.code() == KafkaError._FATAL:
            raise KafkaException(err)
        log.warning("consumer.error", error=err.str(), code=err.name())

    # --- offsets -------------------------------------------------------------------------

    def _commit(self, force: bool = False, only: list[Partition] | None = None) -> None:
        """Commit the acknowledged prefix of each partition (synchronously when ``force``)."""
        positions = self.tracker.to_commit()
        if only is not None:
            positions = {tp: pos for tp, pos in positions.items() if tp in only}
        if not positions:
            return
        offsets = [TopicPartition(t, p, pos) for (t, p), pos in positions.items()]
        try:
            self.consumer.commit(offsets=offsets, asynchronous=not force)
            self.tracker.committed(positions)
        except KafkaException as exc:  # e.g. no longer a member: the next commit covers it
            log.warning("commit.failed", error=str(exc))

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self.metrics.rebalances.labels(kind="assigned").inc()
        self.metrics.assigned.inc(len(partitions))  # incremental (cooperative) assignment
        log.info("partitions.assigned", partitions=[p.partition for p in partitions])

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Before giving partitions up: wait for their outputs, commit their acknowledged prefix."""
        self.metrics.rebalances.labels(kind="revoked").inc()
        tps = [(p.topic, p.partition) for p in partitions]
        deadline = time.monotonic() + self.settings.shutdown_timeout_s
        while any(self.tracker.pending(tp) for tp in tps) and self.failed is None and time.monotonic() < deadline:
            self.producer.poll(0.05)
        if self.failed is None:
            self._commit(force=True, only=tps)
        self.tracker.forget(tps)
        self.metrics.assigned.dec(len(partitions))
        log.info("partitions.revoked", partitions=[p.partition for p in partitions])

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Partitions taken away without a revoke (session lost): nothing can be committed."""
        self.metrics.rebalances.labels(kind="lost").inc()
        self.tracker.forget([(p.topic, p.partition) for p in partitions])
        self.metrics.assigned.dec(len(partitions))
        log.warning("partitions.lost", partitions=[p.partition for p in partitions])

    def _record_lag(self) -> None:
        try:
            assigned = self.consumer.assignment()
            for tp in self.consumer.position(assigned):
                low, high = self.consumer.get_watermark_offsets(tp, cached=True)
                if high is None or high < 0 or tp.offset == OFFSET_INVALID:
                    continue
                self.metrics.lag.labels(topic=tp.topic, partition=str(tp.partition)).set(max(0, high - tp.offset))
            self.metrics.assigned.set(len(assigned))
        except KafkaException:  # between assignments: try again next time
            pass


def prepare(settings: Settings, metrics: Metrics) -> CableProcessor:
    """Start-up work before the first cable: enrichment data, topics, schemas (registry)."""
    if settings.enrich:
        from streams.core import enrich

        enrich.configure(settings.enrich_matcher, keep_compiled_in=settings.data_dir)
        enrich.warm()  # build (or load) the gazetteer automaton now, not on the first cable
        log.info("enrich.ready", **enrich.runtime_info())
    created = topics.ensure_topics(settings)
    log.info("topics.ensured", created=created, partitions=settings.partitions)
    codecs = build_codecs()
    if settings.schema_registry_url:
        from streams.kafka.registry import register_schemas

        outs = topics.output_topics(settings)
        ids = register_schemas(settings, {t: topics.OUTPUT_SCHEMAS[suffix] for suffix, t in outs.items()})
        codecs = build_codecs({suffix: ids[t] for suffix, t in outs.items()})
        log.info("schemas.registered", ids=ids)
    metrics.init_labels(topics.all_topics(settings))
    processor = CableProcessor(settings, codecs, metrics)
    warm_pipeline(settings)
    freeze_startup_objects()
    return processor


WARMUP_CABLES = 20  # generated cables of every format and level run once through the pipeline at start-up


def warm_pipeline(settings: Settings) -> None:
    """Run a few generated cables through the pure pipeline (results thrown away): the parser's and
    enrichers' lazily built tables and caches are ready before the first real cable, whose
    end-to-end age would otherwise carry them (hundreds of ms in the first second measured)."""
    from streams.core.pipeline import process
    from streams.synth.generate import generate

    for cable in generate(WARMUP_CABLES, seed=0):
        process(cable.raw.encode(), max_bytes=settings.max_cable_bytes, do_enrich=settings.enrich)


def freeze_startup_objects() -> None:
    """Move every object alive now (the gazetteer's tables and automaton data: ~290,000 objects)
    out of the garbage collector's reach. They live as long as the process, and each full
    collection walked them all: an ~80 ms pause every few hundred cables, the worker's p99."""
    gc.collect()
    gc.freeze()


def worker_settings(settings: Settings) -> Settings:
    """The settings the worker connects with: as principal ``worker`` unless CABLES_SASL_USERNAME is set
    (every client of the worker is built from them by :meth:`Settings.kafka_client_config`)."""
    return settings.as_principal(WORKER)


def main(settings: Settings | None = None) -> int:
    """Run the worker until SIGTERM/SIGINT; returns the exit code. Every line is JSON (or console)."""
    settings = worker_settings(settings or get_settings())
    configure_logging(settings)
    if not settings.uses_sasl:
        warn_plaintext(settings)
    log.info("worker.starting", settings=settings.masked_dump())
    try:
        member_id, _lock = instance_id(settings)
        processor = prepare(settings, METRICS)
        worker = Worker(settings, processor, METRICS, member_id)
        start_http_server(settings.web_port, addr=settings.web_host)  # after start-up: /metrics means ready
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        return worker.run()
    except Exception as exc:  # one JSON line, no traceback: the orchestrator restarts us
        log.critical("worker.crash", error=f"{type(exc).__name__}: {str(exc)[:300]}")
        return EXIT_PUBLISH_FAILED


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter teardown (librdkafka threads): exit at once with the code
