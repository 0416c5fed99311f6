"""Worker benchmark on the real local broker, with the physical limit measured in the same run.

    .venv/bin/python devtools/bench_worker.py [--cables 6000] [--long 20000] [--json .cache/bench/worker.json]

Every CABLES_* setting applies (broker, security, partitions, enrichment, compression, limits, log
level...); each phase uses fresh topics named ``<CABLES_TOPIC_PREFIX>-bench-<run>-<phase>`` and its own
consumer group. Cables are the real ones of ``corpus/dev-cables.jsonl`` (shared data), cycled with
distinct keys to reach N. Phases, all printed in one table and written as JSON:

1. pass-through: a plain confluent-kafka consumer -> producer copying the same raw bytes (idempotent,
   acks=all, the worker's compression): what Kafka and the client allow on this machine;
2. in-process: the worker's per-message work (pipeline, encode, metrics, log line) without Kafka;
3. worker x1 and worker x2: real worker processes draining N pre-published cables (rate from the
   first output to the last; total and per process);
4. latency: one worker fed at half of its measured maximum; end-to-end age of each output = the
   reader's clock when it arrives minus the raw message's timestamp (outputs carry it), p50/p95/p99;
5. memory: one worker over ``--long`` cables; RSS growth per 1,000 cables after the first 2,000.

Needs the broker (``bash ops/kafka.sh start``). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import logging
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition  # noqa: E402
from confluent_kafka.admin import AdminClient, OffsetSpec  # noqa: E402
from prometheus_client import CollectorRegistry  # noqa: E402

from streams.core.pipeline import Provenance  # noqa: E402
from streams.kafka.topics import ensure_topics, output_topics, topic_config  # noqa: E402
from streams.obs.metrics import NAMESPACE, Metrics  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.kafka import acls  # noqa: E402
from streams.vocab import ADMIN  # noqa: E402

CORPUS = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data")) / "corpus" / "dev-cables.jsonl"
WARMUP_CABLES = 2000  # RSS is measured from here on: caches and allocator arenas have settled


def load_cables(n: int) -> list[tuple[bytes, bytes]]:
    """(key, raw) of n real cables, cycling the corpus with distinct keys."""
    raws = [json.loads(line)["raw"].encode() for line in CORPUS.open(encoding="utf-8")]
    return [(f"bench-{i}".encode(), raw) for i, raw in zip(range(n), itertools.cycle(raws))]


def phase_settings(base: Settings, run: str, phase: str) -> Settings:
    """The base settings with this phase's own topics and group (created, with their ACLs on a secured broker)."""
    prefix = f"{base.topic_prefix}-bench-{run}-{phase}"
    s = base.model_copy(update={"topic_prefix": prefix, "app_id": prefix})
    ensure_topics(s)
    if s.uses_sasl:
        acls.apply(s)  # the workers run as `worker`, which may use only the topics of its ACLs
    return s


def env_for(s: Settings, web_port: int, instance: str) -> dict[str, str]:
    env = dict(os.environ)  # every CABLES_* setting of the caller applies, these override
    env.update(CABLES_TOPIC_PREFIX=s.topic_prefix, CABLES_APP_ID=s.app_id, CABLES_WEB_PORT=str(web_port),
               CABLES_INSTANCE_ID=instance, CABLES_LOG_FORMAT="json",
               CABLES_DATA_DIR=str(REPO / ".cache" / "bench" / s.app_id))
    return env


def producer(s: Settings, compress: bool = False) -> Producer:
    """Idempotent, acks=all; compressed like the worker's outputs only when ``compress`` (raw
    messages are published uncompressed, as ``cables publish`` does)."""
    return Producer({**s.kafka_client_config(), "enable.idempotence": True, "acks": "all", "linger.ms": 5,
                     "compression.type": s.compression if compress else "none",
                     "message.max.bytes": s.max_message_bytes})


def publish(s: Settings, cables: list[tuple[bytes, bytes]], rate: float | None = None, p: Producer | None = None) -> float:
    """Publish to the raw topic (at ``rate``/s if given; with producer ``p`` if given); returns the seconds it took."""
    p = p or producer(s)
    t0 = time.perf_counter()
    interval = 1.0 / rate if rate else 0.0
    for i, (key, raw) in enumerate(cables):
        if interval:
            wait = t0 + i * interval - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        while True:
            try:
                p.produce(s.raw_topic, raw, key)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    assert p.flush(60) == 0, "raw messages not acknowledged"
    return time.perf_counter() - t0


class OutputCount:
    """Records written to a phase's output topics so far (the sum of their end offsets), asked of
    the broker in one request by one long-lived admin client. (A new client per look, every 0.1 s,
    meant a SASL/SCRAM handshake, full metadata and 24 sequential watermark requests each time: load
    on the broker and this machine that the workers under measurement had to share.)"""

    def __init__(self, s: Settings) -> None:
        self.admin = AdminClient(s.kafka_client_config())
        self.partitions = [TopicPartition(t, p) for t in output_topics(s).values() for p in range(s.partitions)]

    def __call__(self) -> int:
        futures = self.admin.list_offsets({tp: OffsetSpec.latest() for tp in self.partitions}, request_timeout=10)
        return sum(f.result().offset for f in futures.values())


# --- phases --------------------------------------------------------------------------------------


def pass_through(base: Settings, run: str, cables) -> dict:
    """Consumer -> producer of the raw bytes, offsets committed every 0.5 s, outputs compressed like the worker's."""
    s = phase_settings(base, run, "pass")
    copy_topic = s.topic("unclassified")
    publish(s, cables)
    c = Consumer({**s.kafka_client_config(), "group.id": s.app_id, "enable.auto.commit": False,
                  "auto.offset.reset": "earliest"})
    p = producer(s, compress=True)  # like the worker's outputs
    c.subscribe([s.raw_topic])
    acked = 0

    def done(err, msg):
        nonlocal acked
        acked += err is None

    n, start, next_commit = 0, None, 0.0
    while acked < len(cables):
        for m in c.consume(500, 0.1):
            if m.error():
                continue
            start = start or time.perf_counter()
            while True:
                try:
                    p.produce(copy_topic, m.value(), m.key(), on_delivery=done)
                    break
                except BufferError:
                    p.poll(0.05)
            n += 1
        p.poll(0)
        if time.monotonic() > next_commit:
            c.commit(asynchronous=True)
            next_commit = time.monotonic() + 0.5
    seconds = time.perf_counter() - start
    c.close()
    return {"cables_per_s": len(cables) / seconds, "seconds": seconds}


def in_process(base: Settings, cables) -> dict:
    """The worker's per-message work (CableProcessor.handle) without Kafka, logs to a buffer."""
    from streams.kafka.agents import CableProcessor, build_codecs
    from streams.kafka.worker import freeze_startup_objects
    from streams.obs.logs import configure_logging
    from streams.core import enrich

    configure_logging(base.model_copy(update={"log_format": "json"}), stream=io.StringIO())
    if base.enrich:
        enrich.configure(base.enrich_matcher)
        enrich.warm()
    proc = CableProcessor(base, build_codecs(), Metrics(CollectorRegistry()))
    freeze_startup_objects()  # as the worker does after its start-up
    sample = cables[: min(len(cables), 3000)]
    for key, raw in sample[:50]:  # warm caches
        proc.handle(raw, key, Provenance("bench.raw", 0, 0, 1))
    t0, cpu0 = time.perf_counter(), time.process_time()
    for i, (key, raw) in enumerate(sample):
        proc.handle(raw, key, Provenance("bench.raw", 0, i, 1))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    logging.getLogger().handlers.clear()
    return {"cables_per_s": len(sample) / seconds, "cables": len(sample), "ms_per_cable": 1000 * seconds / len(sample),
            "cables_per_cpu_s": len(sample) / cpu}


class Workers:
    """Worker processes of one phase (python -m streams.kafka.worker)."""

    def __init__(self, s: Settings, count: int, port: int, faust_repo: Path | None = None) -> None:
        self.s, self.procs, self.ports = s, [], []
        cmd = [sys.executable, "-m", "streams.kafka.worker"]
        if faust_repo:  # the Faust worker of an older checkout, for comparison
            cmd = [sys.executable, "-m", "faust", "--quiet", "-A", "streams.kafka.app", "worker", "-l", "info"]
        log_dir = REPO / ".cache" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            env = env_for(s, port + i, f"{s.app_id}-{i}")
            if faust_repo:
                env["PYTHONPATH"] = str(faust_repo)
            log = (log_dir / f"{s.app_id}-{i}.log").open("ab")
            self.procs.append(subprocess.Popen(cmd, cwd=faust_repo or REPO, env=env,
                                               stdout=log, stderr=subprocess.STDOUT))
            self.ports.append(port + i)
        for proc, p in zip(self.procs, self.ports):
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{p}/metrics", timeout=1)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"worker on :{p} did not start; see .cache/bench/")
                    time.sleep(0.2)

    def wait_assigned(self, partitions: int, timeout: float = 60.0) -> None:
        """Until the workers together consume all ``partitions`` raw partitions (their
        ``assigned_partitions`` gauges): a latency measured before would time the group join."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            total = 0.0
            for p in self.ports:
                body = urllib.request.urlopen(f"http://127.0.0.1:{p}/metrics", timeout=2).read().decode()
                total += sum(float(line.split()[-1]) for line in body.splitlines()
                             if line.startswith(f"{NAMESPACE}_assigned_partitions "))
            if total >= partitions:
                return
            time.sleep(0.2)
        raise SystemExit(f"workers not assigned {partitions} partitions after {timeout:.0f} s; see .cache/bench/")

    def cpu_s(self) -> float:
        """CPU seconds (user + system, all threads) used so far by the worker processes."""
        total = 0
        for proc in self.procs:
            with open(f"/proc/{proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        with open(f"/proc/{self.procs[0].pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def drain(base: Settings, run: str, cables, processes: int, port: int, faust_repo: Path | None = None) -> dict:
    """N pre-published cables through ``processes`` workers; rate from first to last output."""
    s = phase_settings(base, run, f"x{processes}" + ("-faust" if faust_repo else ""))
    publish(s, cables)
    workers = Workers(s, processes, port, faust_repo)
    outputs_done = OutputCount(s)
    try:
        start, first = None, 0
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            done = outputs_done()
            if start is None and done:
                start, first, cpu0 = time.perf_counter(), done, workers.cpu_s()
            if done >= len(cables):
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        cpu = workers.cpu_s() - cpu0
    finally:
        workers.stop()
    total = (len(cables) - first) / seconds
    return {"cables_per_s": total, "per_process": total / processes, "processes": processes, "seconds": seconds,
            "cables_per_cpu_s": (len(cables) - first) / cpu}


def latency(base: Settings, run: str, cables, rate: float, seconds: float, port: int) -> dict:
    """Feed one worker at ``rate``/s; end-to-end age of every output as a reader sees it."""
    s = phase_settings(base, run, "latency")
    workers = Workers(s, 1, port)
    n = int(rate * seconds)
    feed = list(itertools.islice(itertools.cycle(cables), n))
    ages: list[float] = []
    c = Consumer({**s.kafka_client_config(), "group.id": f"{s.app_id}-reader", "enable.auto.commit": False,
                  "auto.offset.reset": "earliest", "fetch.wait.max.ms": 5, "fetch.min.bytes": 1})
    c.subscribe(list(output_topics(s).values()))
    stop = threading.Event()

    measured_from_ms = [float("inf")]  # outputs of inputs written before this (the warm-up) are not timed

    def read() -> None:
        while not stop.is_set():
            msgs = c.consume(500, 0) or [c.poll(0.05)]
            for m in msgs:
                if m is not None and not m.error() and m.timestamp()[1] >= measured_from_ms[0]:
                    ages.append(time.time() * 1000 - m.timestamp()[1])

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    workers.wait_assigned(s.partitions)
    time.sleep(3)  # the reader has joined its group and is at the (empty) end
    # The feed's producer connects, authenticates and gets its producer id before the clock starts
    # (else the first cables' age includes that: ~0.8 s measured), and one warm-up cable goes
    # through the worker untimed.
    feed_producer = producer(s)
    feed_producer.produce(s.raw_topic, cables[0][1], b"bench-warmup")
    assert feed_producer.flush(30) == 0, "warm-up cable not acknowledged"
    try:
        time.sleep(0.01)  # the warm-up's timestamp (whole ms) stays below the line, the feed's above it
        measured_from_ms[0] = int(time.time() * 1000) - 1
        publish(s, feed, rate=rate, p=feed_producer)
        deadline = time.monotonic() + 60
        while len(ages) < n and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        reader.join(5)
        c.close()
        workers.stop()
    q = statistics.quantiles(ages, n=100) if len(ages) > 1 else [float("nan")] * 99
    return {"rate": rate, "outputs": len(ages), "expected": n, "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98],
            "max_ms": max(ages) if ages else float("nan")}


def memory(base: Settings, run: str, cables_long, port: int) -> dict:
    """RSS of one worker over a long run: growth per 1,000 cables after the warm-up."""
    s = phase_settings(base, run, "long")
    publish(s, cables_long)
    workers = Workers(s, 1, port)
    outputs_done = OutputCount(s)
    samples: list[tuple[int, float]] = []
    try:
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            done = outputs_done()
            samples.append((done, workers.rss_mb()))
            if done >= len(cables_long):
                break
            time.sleep(0.5)
    finally:
        workers.stop()
    after = [(d, r) for d, r in samples if d >= WARMUP_CABLES]
    (d0, r0), (d1, r1) = after[0], after[-1]
    return {"cables": len(cables_long), "rss_start_mb": r0, "rss_end_mb": r1, "rss_max_mb": max(r for _, r in samples),
            "growth_mb_per_1000": (r1 - r0) / max(1, (d1 - d0)) * 1000, "measured_over": d1 - d0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cables", type=int, default=6000, help="cables per throughput phase")
    ap.add_argument("--long", type=int, default=20000, help="cables of the memory phase (0: skip)")
    ap.add_argument("--latency-seconds", type=float, default=20.0)
    ap.add_argument("--port", type=int, default=int(os.environ.get("CABLES_BENCH_PORT", "6177")), help="first worker HTTP port")
    ap.add_argument("--json", type=Path, default=REPO / ".cache" / "bench" / "worker.json")
    ap.add_argument("--faust-repo", type=Path, help="also drain the cables with the Faust worker of this older checkout")
    ap.add_argument("--skip", default="", help="comma-separated phases to skip: pass,inproc,x1,x2,latency,long")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    base = Settings().as_principal(ADMIN)
    run = uuid.uuid4().hex[:6]
    cables = load_cables(args.cables)
    avg_kb = sum(len(r) for _, r in cables) / len(cables) / 1024
    print(f"bench {run}: {len(cables)} real cables (avg {avg_kb:.1f} KB), broker {base.bootstrap_servers}, "
          f"partitions {base.partitions}, enrich {base.enrich}, compression {base.compression}", flush=True)
    results: dict = {"run": run, "cables": len(cables), "avg_kb": avg_kb, "settings": {
        k: v for k, v in base.masked_dump().items() if k != "sasl_password"}}
    if "pass" not in skip:
        results["pass_through"] = pass_through(base, run, cables)
        print(f"  pass-through      {results['pass_through']['cables_per_s']:8.0f} cables/s", flush=True)
    if "inproc" not in skip:
        results["in_process"] = in_process(base, cables)
        print(f"  in-process        {results['in_process']['cables_per_s']:8.0f} cables/s", flush=True)
    for n in (1, 2):
        if f"x{n}" not in skip:
            results[f"worker_x{n}"] = drain(base, run, cables, n, args.port)
            r = results[f"worker_x{n}"]
            print(f"  worker x{n}         {r['cables_per_s']:8.0f} cables/s ({r['per_process']:.0f} per process)", flush=True)
    if args.faust_repo:
        results["faust_x1"] = drain(base, run, cables, 1, args.port, args.faust_repo.resolve())
        print(f"  Faust worker x1   {results['faust_x1']['cables_per_s']:8.0f} cables/s", flush=True)
    if "latency" not in skip:
        max_rate = results.get("worker_x1", {}).get("cables_per_s", 500.0)
        results["latency"] = latency(base, run, cables, max_rate / 2, args.latency_seconds, args.port)
        lat = results["latency"]
        print(f"  latency @{lat['rate']:.0f}/s    p50 {lat['p50_ms']:.0f} ms, p95 {lat['p95_ms']:.0f} ms, p99 {lat['p99_ms']:.0f} ms", flush=True)
    if args.long and "long" not in skip:
        results["memory"] = memory(base, run, load_cables(args.long), args.port)
        print(f"  memory            {results['memory']['growth_mb_per_1000']:+.2f} MB per 1,000 cables", flush=True)
    print_table(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nJSON: {args.json}")
    return 0


def print_table(r: dict) -> None:
    rows = []
    pt = r.get("pass_through", {}).get("cables_per_s")
    ip = r.get("in_process", {}).get("cables_per_s")
    if pt:
        rows.append(("pass-through (consumer -> producer, raw bytes)", f"{pt:,.0f} cables/s", ""))
    ipc = r.get("in_process", {}).get("cables_per_cpu_s")
    if ip:
        rows.append(("in-process pipeline (CableProcessor.handle)", f"{ip:,.0f} cables/s",
                     f"{r['in_process']['ms_per_cable']:.2f} ms/cable; {ipc:,.0f} cables per CPU-second"))
    for n in (1, 2):
        w = r.get(f"worker_x{n}")
        if w:
            ratio = f"{w['per_process'] / ip:.2f}x in-process (wall)" if ip else ""
            if ipc:
                ratio += f"; {w['cables_per_cpu_s']:,.0f} cables per CPU-second = {w['cables_per_cpu_s'] / ipc:.2f}x in-process"
            rows.append((f"worker, {n} process{'es' if n > 1 else ''}",
                         f"{w['cables_per_s']:,.0f} cables/s ({w['per_process']:,.0f}/process)", ratio))
    fw = r.get("faust_x1")
    if fw:
        note = f"{fw['cables_per_cpu_s']:,.0f} cables per CPU-second"
        if r.get("worker_x1"):
            note += f"; the new worker does {r['worker_x1']['cables_per_cpu_s'] / fw['cables_per_cpu_s']:.2f}x per CPU-second"
        rows.append(("Faust worker (before this change), 1 process", f"{fw['cables_per_s']:,.0f} cables/s", note))
    lat = r.get("latency")
    if lat:
        rows.append((f"end-to-end age at {lat['rate']:,.0f} cables/s (half of max)",
                     f"p50 {lat['p50_ms']:.0f} / p95 {lat['p95_ms']:.0f} / p99 {lat['p99_ms']:.0f} ms",
                     f"{lat['outputs']}/{lat['expected']} outputs"))
    mem = r.get("memory")
    if mem:
        rows.append((f"RSS growth over {mem['measured_over']:,} cables",
                     f"{mem['growth_mb_per_1000']:+.2f} MB per 1,000 cables",
                     f"{mem['rss_start_mb']:.0f} -> {mem['rss_end_mb']:.0f} MB"))
    width = max(len(a) for a, _, _ in rows)
    print(f"\n| {'measure'.ljust(width)} | result | note |\n|{'-' * (width + 2)}|---|---|")
    for a, b, c in rows:
        print(f"| {a.ljust(width)} | {b} | {c} |")


if __name__ == "__main__":
    sys.exit(main())
