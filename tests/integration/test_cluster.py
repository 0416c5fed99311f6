"""Broker and worker failures on the real three-node cluster (ops/cluster.sh), under a steady stream.

Each test feeds real corpus cables at a fixed rate through two worker processes (replication factor 3,
min.insync.replicas 2), injects one failure mid-stream, and checks that every input ends with an
output (none lost), that repeats are byte-identical, and that the workers that were not killed are
still running. Printed (the README's figures): the longest pause in the output of any raw partition
(gaps between the worker's processed_at_ms of consecutive outputs), how long all output stopped,
the repeats, and the end-to-end age at the worker (processed_at_ms minus the raw message's timestamp).

Not part of the default run (marker ``cluster``): start the cluster, then

    bash ops/cluster.sh start
    CABLES_BOOTSTRAP_SERVERS=$(bash ops/cluster.sh bootstrap) .venv/bin/pytest -m cluster -s tests/integration/test_cluster.py

CABLES_CLUSTER_TEST_CABLES (20000) and CABLES_CLUSTER_TEST_RATE (cables per second, 250) size the stream.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from tests.integration.conftest import REPO

# The confluent-kafka worker's delivery helpers (branch core); without them there is nothing to run.
delivery = pytest.importorskip("tests.integration.test_delivery", reason="needs the confluent-kafka worker")
assert_repeats_identical, outputs_by_source = delivery.assert_repeats_identical, delivery.outputs_by_source
produced, real_cables = delivery.produced, delivery.real_cables

# A stream of minutes plus a failure: more than the suite's 300 s per test.
pytestmark = [pytest.mark.integration, pytest.mark.cluster, pytest.mark.timeout(1200)]

CLUSTER_SH = REPO / "ops" / "cluster.sh"
CABLES = int(os.environ.get("CABLES_CLUSTER_TEST_CABLES", "20000"))
# Well under what two workers sustain on the local cluster here, so the pauses measure the failure, not a
# backlog: at 250/s a backlog doubled them and CI missed 30 s once; at 150/s the workers still ran 12-20 s
# behind (end-to-end age p50) and a broker SIGKILL paused a partition 30.1 s once.
RATE = float(os.environ.get("CABLES_CLUSTER_TEST_RATE", "100"))
# The failure comes once this share of the stream has been produced by the workers, and the broker
# comes back this many seconds later: long enough for leaders to move and the stream to go on.
FAIL_AT = 0.25
DOWN_S = 15.0
# The target for a broker failure; a killed worker's partitions wait for its session (6 s here).
PAUSE_TARGET_S = 30.0
SAMPLE_S = 0.1  # how often the workers' output counters are read for the pause measurement
# The worker's default session (30 s) outlasts a coordinator moving to another broker. With a shorter
# one a static member's session can expire during a broker failure, and librdkafka then reports the
# member fenced by itself, a fatal consumer error (librdkafka issue #3437, seen here with 6 s).
WORKER_SETTINGS = dict(replication_factor="3", min_insync_replicas="2", partitions="6", max_in_flight="1000")
# Killing a worker: its partitions move after its session, so a short one (no broker fails meanwhile).
WORKER_KILL_SETTINGS = dict(WORKER_SETTINGS, session_timeout_s="6")


def cluster(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs ops/cluster.sh with the test's environment (its ports)."""
    return subprocess.run(["bash", str(CLUSTER_SH), *args], capture_output=True, text=True, timeout=180, check=check)


@pytest.fixture(scope="module")
def kafka() -> str:
    """Bootstrap servers of the three-node cluster (overrides the single broker of conftest.py)."""
    if cluster("status", check=False).returncode != 0:
        msg = "the three-node cluster is not running: start it with `bash ops/cluster.sh start`"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return cluster("bootstrap").stdout.strip()


@dataclass
class Feed:
    """Publishes cables to the raw topic at a steady rate in a thread; records where each landed."""

    settings: object
    values: list[tuple[bytes, bytes]]
    rate: float
    where: dict[int, tuple[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    finished_at: float = 0.0

    def start(self) -> "Feed":
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        p = Producer({**self.settings.kafka_client_config(), "enable.idempotence": True, "acks": "all",
                      "linger.ms": 5, "message.timeout.ms": 300_000})
        t0 = time.monotonic()
        for i, (key, value) in enumerate(self.values):
            delay = t0 + i / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            while True:
                try:
                    p.produce(self.settings.raw_topic, key=key, value=value, on_delivery=self._done(i))
                    break
                except BufferError:
                    p.poll(0.05)
            p.poll(0)
        remaining = p.flush(300)
        self.finished_at = time.monotonic()
        if remaining:
            self.errors.append(f"{remaining} raw messages not acknowledged")

    def _done(self, i: int):
        def done(err, msg):
            if err is not None:
                self.errors.append(str(err))
            else:
                self.where[i] = (msg.partition(), msg.offset())
        return done

    def join(self, timeout: float) -> list[tuple[int, int]]:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the feed did not finish"
        assert not self.errors, self.errors[:3]
        return [self.where[i] for i in range(len(self.values))]


class Progress:
    """Samples the workers' output counters; the longest time the total did not grow is the pause."""

    def __init__(self, workers) -> None:
        self.workers = workers
        self.last = {id(w): 0.0 for w in workers}
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            for w in self.workers:
                if w.proc is not None and w.proc.poll() is None:
                    self.last[id(w)] = max(self.last[id(w)], produced(w))
            self.samples.append((time.monotonic(), sum(self.last.values())))
            time.sleep(SAMPLE_S)

    def total(self) -> float:
        return self.samples[-1][1] if self.samples else 0.0

    def wait_total(self, at_least: float, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.total() < at_least and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.total() >= at_least, f"the workers produced {self.total():.0f} of {at_least:.0f}"

    def longest_pause(self, start: float, end: float) -> float:
        """Longest interval in [start, end] in which no output was produced."""
        self.stop.set()
        self.thread.join(5)
        longest, since = 0.0, start
        previous = None
        for t, total in self.samples:
            if t < start:
                previous = total
                continue
            if t > end:
                break
            if previous is not None and total > previous:
                since = t
            previous = total
            longest = max(longest, t - since)
        return longest


def partition_leaders(settings) -> Counter:
    """Node id -> how many partitions of this test's topics it leads."""
    md = AdminClient(settings.kafka_client_config()).list_topics(timeout=10)
    prefix = settings.topic_prefix + "."
    return Counter(p.leader for name, t in md.topics.items() if name.startswith(prefix) for p in t.partitions.values())


def ages_ms(by_source: dict) -> list[int]:
    """End-to-end age of each first output: when the worker produced it minus the raw message's time."""
    ages = []
    for landed in by_source.values():
        msg = landed[0][2]
        headers = dict(msg.headers() or [])
        if "processed_at_ms" in headers:
            ages.append(int(headers["processed_at_ms"]) - msg.timestamp()[1])
    return sorted(ages)


def partition_pause_s(by_source: dict, start_ms: float, end_ms: float) -> float:
    """Longest gap, within [start_ms, end_ms], between consecutive outputs of one raw partition (by the
    worker's processed_at_ms): with input always waiting, that is how long the partition was stuck."""
    times: dict[int, list[int]] = {}
    for (partition, _offset), landed in by_source.items():
        headers = dict(landed[0][2].headers() or [])
        if "processed_at_ms" in headers:
            times.setdefault(partition, []).append(int(headers["processed_at_ms"]))
    longest = 0.0
    for stamps in times.values():
        stamps.sort()
        for before, after in zip(stamps, stamps[1:]):
            if after >= start_ms and before <= end_ms:
                longest = max(longest, (after - before) / 1000)
    return longest


def run_with_failure(make_worker, corpus, tag: str, fail, recover=None, worker_settings=WORKER_SETTINGS) -> dict:
    """Streams CABLES cables at RATE through two workers, calls ``fail(settings, workers)`` a quarter of
    the way, ``recover()`` DOWN_S seconds later; checks nothing is lost and prints the figures."""
    first = make_worker(**worker_settings)
    settings = first.settings
    second = make_worker(prefix=settings.topic_prefix, **worker_settings)
    workers = [first.start(), second.start()]
    progress = Progress(workers)
    feed = Feed(settings.as_principal("admin"), real_cables(corpus, CABLES, tag), RATE).start()
    progress.wait_total(CABLES * FAIL_AT, timeout=CABLES / RATE * 3 + 60)
    t_fail, t_fail_ms = time.monotonic(), time.time() * 1000
    what, survivors = fail(settings, workers)
    if recover is not None:
        time.sleep(DOWN_S)
        recover()
    where = feed.join(timeout=CABLES / RATE * 3 + 300)
    by_source = outputs_by_source(settings, len(where), timeout=300)
    repeats = assert_repeats_identical(by_source, where)
    all_stopped = progress.longest_pause(t_fail - 1.0, feed.finished_at)
    pause = partition_pause_s(by_source, t_fail_ms - 1000, t_fail_ms + (feed.finished_at - t_fail) * 1000)
    ages = ages_ms(by_source)
    exited = [w.proc.returncode for w in survivors if w.proc.poll() is not None]
    figures = {"failure": what, "cables": len(where), "rate": RATE, "pause_s": round(pause, 1),
               "all_outputs_stopped_s": round(all_stopped, 1), "repeats": repeats,
               "age_p50_s": ages[len(ages) // 2] / 1000 if ages else None,
               "age_max_s": ages[-1] / 1000 if ages else None}
    print(f"\ncluster failure: {figures}")
    assert not exited, f"a worker exited with {exited}"
    return figures


def test_topics_get_three_replicas_and_min_isr_two(make_worker):
    """With replication 3 and min ISR 2 in the settings, every topic we create has three replicas on
    three distinct brokers and min.insync.replicas=2 (read back from the brokers)."""
    from confluent_kafka.admin import ConfigResource

    settings = make_worker(**WORKER_SETTINGS).settings.as_principal("admin")
    admin = AdminClient(settings.kafka_client_config())
    md = admin.list_topics(timeout=10)
    ours = [name for name in md.topics if name.startswith(settings.topic_prefix + ".")]
    assert len(ours) >= 8
    for name in ours:
        assert all(len(set(p.replicas)) == 3 for p in md.topics[name].partitions.values()), name
    futures = admin.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, name) for name in ours])
    for resource, future in futures.items():
        assert future.result(10)["min.insync.replicas"].value == "2", resource.name


def test_sigkill_of_the_busiest_broker_loses_nothing_and_pauses_under_30s(make_worker, corpus):
    """SIGKILL of the broker that leads most partitions mid-stream, restarted 15 s later: every input has
    an output, repeats are byte-identical, both workers keep running, output pauses under 30 s."""
    def fail(settings, workers):
        node, led = partition_leaders(settings).most_common(1)[0]
        cluster("kill", str(node))
        fail.node = node
        return f"SIGKILL of node {node} (leader of {led} partitions)", workers

    figures = run_with_failure(make_worker, corpus, "c-kill", fail, lambda: cluster("start", str(fail.node)))
    assert figures["pause_s"] < PAUSE_TARGET_S


def test_clean_stop_of_a_broker_loses_nothing_and_pauses_under_30s(make_worker, corpus):
    """A broker stopped cleanly mid-stream (leadership handed over), started 15 s later: nothing lost,
    repeats byte-identical, both workers keep running, output pauses under 30 s."""
    def fail(settings, workers):
        node, led = partition_leaders(settings).most_common(1)[0]
        cluster("stop", str(node))
        fail.node = node
        return f"clean stop of node {node} (leader of {led} partitions)", workers

    figures = run_with_failure(make_worker, corpus, "c-stop", fail, lambda: cluster("start", str(fail.node)))
    assert figures["pause_s"] < PAUSE_TARGET_S


def test_killing_one_of_two_workers_loses_nothing_and_the_other_takes_over(make_worker, corpus):
    """SIGKILL of one of the two workers mid-stream: the other takes its partitions after the session
    timeout, nothing is lost, repeats are byte-identical, and the survivor keeps running."""
    def fail(settings, workers):
        workers[1].stop("KILL")
        return "SIGKILL of worker 2", workers[:1]

    figures = run_with_failure(make_worker, corpus, "c-worker", fail, worker_settings=WORKER_KILL_SETTINGS)
    assert figures["pause_s"] < PAUSE_TARGET_S
