"""Integration fixtures: the real local broker (ops/kafka.sh) and real worker processes.

Each test session uses its own topic prefix and app id, so runs never see each
other's records. The broker runs with access control (ops/kafka.sh's default): the tests act as
``admin`` (the operator), each worker connects as ``worker``, and every test prefix gets the ACLs of
streams/kafka/acls.py for the session, removed at the end. The broker must be running (``bash ops/kafka.sh start``; the
test command of the README starts it). Outside CI a missing broker skips these
tests with a clear message; under ``CI=true`` it fails them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from streams.kafka import acls
from streams.settings import Settings
from streams.kafka.topics import ensure_topics, output_topics
from streams.vocab import ADMIN

REPO = Path(__file__).resolve().parents[2]
# The broker: as the settings derive it (CABLES_BOOTSTRAP_SERVERS, else 127.0.0.1:CABLES_KAFKA_PORT).
BOOTSTRAP = os.environ.get("CABLES_BOOTSTRAP_SERVERS") or f"127.0.0.1:{os.environ.get('CABLES_KAFKA_PORT', '9092')}"
# How to reach the broker: passed on to workers and commands (the principal is not: each picks its own).
SECURITY_ENV = ("CABLES_SECURITY_PROTOCOL", "CABLES_SASL_MECHANISM", "CABLES_CREDENTIALS_DIR", "CABLES_SSL_CA_FILE")


def _broker_up(bootstrap: str) -> bool:
    host, port = bootstrap.split(",")[0].rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def kafka() -> str:
    """Bootstrap servers of the real local broker."""
    if not _broker_up(BOOTSTRAP):
        msg = f"no Kafka broker at {BOOTSTRAP}: start it with `bash ops/kafka.sh start`"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return BOOTSTRAP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Worker:
    """A `python -m streams.kafka.worker` (`cables worker`) subprocess with its own topics."""

    settings: Settings
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    def start(self, timeout: float = 90.0) -> "Worker":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams.kafka.worker"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{self.settings.web_port}/metrics"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if b"cables_build_info" in r.read():
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"worker did not serve {url} within {timeout}s; see {self.log_path}")

    def stop(self, sig: str = "TERM", timeout: float = 30.0) -> int:
        """Stop the worker (TERM: clean shutdown; KILL: a crash) and return its exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        (self.proc.terminate if sig == "TERM" else self.proc.kill)()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.settings.web_port}/metrics", timeout=5) as r:
            return r.read().decode()


@pytest.fixture
def make_worker(kafka, tmp_path_factory) -> Iterator:
    """Factory of worker processes; each gets fresh topics unless a prefix is passed."""
    workers: list[Worker] = []

    def make(prefix: str | None = None, **overrides: str) -> Worker:
        prefix = prefix or f"it-{uuid.uuid4().hex[:8]}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CABLES_") or k in SECURITY_ENV}
        env.update(
            CABLES_BOOTSTRAP_SERVERS=kafka,
            CABLES_TOPIC_PREFIX=prefix,
            CABLES_APP_ID=f"cables-{prefix}",
            CABLES_WEB_PORT=str(_free_port()),
            CABLES_DATA_DIR=str(tmp_path_factory.mktemp("worker")),
            CABLES_LOG_FORMAT="json",
            CABLES_PARTITIONS="3",
        )
        env.update({f"CABLES_{k.upper()}": v for k, v in overrides.items()})
        settings = Settings(**{k[len("CABLES_"):].lower(): v for k, v in env.items() if k.startswith("CABLES_")})
        settings = settings.as_principal(ADMIN)  # the test itself is the operator
        ensure_topics(settings)
        if settings.uses_sasl:
            acls.apply(settings)
        w = Worker(settings, env, REPO / ".cache" / "test-logs" / f"worker-{prefix}.log")
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop()
    if workers and workers[0].settings.uses_sasl:
        for settings in {(w.settings.topic_prefix, w.settings.app_id): w.settings for w in workers}.values():
            acls.remove(settings)


def consume_all(settings: Settings, topic: str, timeout: float = 60.0) -> list:
    """Every record of ``topic`` from the beginning up to its current end offsets."""
    conf = settings.kafka_client_config()
    conf.update({"group.id": f"it-read-{uuid.uuid4()}", "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    c = Consumer(conf)
    try:
        md = c.list_topics(topic, timeout=10)
        ends = {}
        for p in md.topics[topic].partitions:
            low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            if high > low:
                ends[p] = high
        c.assign([TopicPartition(topic, p, 0) for p in ends])
        out = []
        deadline = time.monotonic() + timeout
        while ends and time.monotonic() < deadline:
            msg = c.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    raise RuntimeError(str(msg.error()))
                continue
            out.append(msg)
            if msg.offset() + 1 >= ends.get(msg.partition(), 0):
                ends.pop(msg.partition(), None)
        return out
    finally:
        c.close()


def consume_outputs(settings: Settings, expected_total: int, timeout: float = 90.0) -> dict[str, list]:
    """Records of every output topic, once their sum reaches ``expected_total`` (or timeout)."""
    from streams.kafka.offsets import topic_counts

    deadline = time.monotonic() + timeout
    names = list(output_topics(settings).values())
    while time.monotonic() < deadline:
        counts = topic_counts(settings, end_only=True)
        if sum(counts.get(t, 0) for t in names) >= expected_total:
            break
        time.sleep(0.5)
    return {t: consume_all(settings, t) for t in names}


def produce_raw(settings: Settings, values: list[tuple[bytes | None, bytes]]) -> list[tuple[int, int]]:
    """Publish (key, value) pairs to the raw topic (values up to the configured message limit),
    idempotent, waiting for every acknowledgement; each one's (partition, offset), in order."""
    p = Producer({**settings.kafka_client_config(), "enable.idempotence": True, "acks": "all",
                  "message.max.bytes": settings.max_message_bytes, "linger.ms": 5})
    where: dict[int, tuple[int, int]] = {}

    def cb(i):
        def done(err, msg):
            assert err is None, err
            where[i] = (msg.partition(), msg.offset())
        return done

    for i, (key, value) in enumerate(values):
        while True:
            try:
                p.produce(settings.raw_topic, key=key, value=value, on_delivery=cb(i))
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    assert p.flush(60) == 0
    return [where[i] for i in range(len(values))]
