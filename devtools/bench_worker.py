"""End-to-end worker benchmark: cables/s through a real worker on the real local broker.

    .venv/bin/python devtools/bench_worker.py [--cables 2000] [--no-enrich]

Publishes N generated cables to fresh topics first, then starts one worker
process (`faust -A streams.kafka.app worker`) and times how long it takes until every
cable has an output record. Also times the pure pipeline in-process over the
same cables, so the share of Kafka and Faust overhead shows side by side.
Needs the broker (`bash ops/kafka.sh start`). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streams import synth  # noqa: E402
from streams.core import pipeline
from streams.kafka.offsets import topic_counts  # noqa: E402
from streams.kafka.publish import publish  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.kafka import acls  # noqa: E402
from streams.vocab import ADMIN  # noqa: E402
from streams.kafka.topics import ensure_topics, output_topics  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cables", type=int, default=2000)
    ap.add_argument("--no-enrich", action="store_true")
    ap.add_argument("--port", type=int, default=6177)
    args = ap.parse_args()

    cables = synth.generate(args.cables, seed=1234)
    raws = [c.raw.encode() for c in cables]
    mb = sum(map(len, raws)) / 1e6

    t0 = time.perf_counter()
    for raw in raws:
        pipeline.process(raw, max_bytes=1_000_000, do_enrich=not args.no_enrich)
    pure = time.perf_counter() - t0

    prefix = f"bench-{uuid.uuid4().hex[:6]}"
    keep = ("CABLES_BOOTSTRAP_SERVERS", "CABLES_SECURITY_PROTOCOL", "CABLES_CREDENTIALS_DIR", "CABLES_SSL_CA_FILE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CABLES_") or k in keep}  # the worker runs as `worker`
    env.update(CABLES_TOPIC_PREFIX=prefix, CABLES_APP_ID=prefix, CABLES_WEB_PORT=str(args.port),
               CABLES_DATA_DIR=f"/tmp/{prefix}", CABLES_ENRICH=str(not args.no_enrich).lower(), CABLES_LOG_LEVEL="WARNING")
    s = Settings(topic_prefix=prefix, app_id=prefix).as_principal(ADMIN)
    ensure_topics(s)
    if s.uses_sasl:
        acls.apply(s)
    report = publish(s, ((None, r, []) for r in raws))
    assert report.ok, report.errors

    worker = subprocess.Popen([sys.executable, "-m", "faust", "--quiet", "-A", "streams.kafka.app", "worker", "-l", "warn"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:  # wait until the worker serves metrics, then time from its first output
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/metrics", timeout=1)
                break
            except OSError:
                if worker.poll() is not None:
                    sys.exit(f"worker exited: {worker.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        outs = list(output_topics(s).values())
        start = None
        while True:
            done = sum(topic_counts(s, end_only=True).get(t, 0) for t in outs)
            if start is None and done:
                start, first = time.perf_counter(), done
            if done >= len(raws):
                break
            time.sleep(0.2)
        e2e = time.perf_counter() - start
        rate = (len(raws) - first) / e2e
    finally:
        worker.terminate()
        worker.wait(30)
    print(f"cables: {len(raws)} generated, {mb:.1f} MB, enrich={'off' if args.no_enrich else 'on'}")
    print(f"pure pipeline (in-process, one core): {len(raws) / pure:,.0f} cables/s")
    print(f"worker end to end (consume, process, produce, ack): {rate:,.0f} cables/s")
    print(f"kafka+faust share of the worker's time: {1 - (rate / (len(raws) / pure)):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
