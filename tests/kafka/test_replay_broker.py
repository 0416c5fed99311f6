"""`cables replay-dlq` against the real broker: a filter never makes a later replay miss a dead letter,
and no dead letter is replayed twice."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from confluent_kafka import Producer

from streams.kafka.codec import Codec
from streams.kafka.topics import ensure_topics
from streams.settings import Settings
from tests.integration.conftest import REPO, consume_all, kafka  # noqa: F401 - the real broker fixture

pytestmark = pytest.mark.integration

# In partition 0, in this order: a parse failure, a binary file, another parse failure.
LETTERS = [("parse", "not_a_cable", b"note one"), ("decode", "binary", b"\x00scan"), ("parse", "not_a_cable", b"note two")]


def dead_letter(stage: str, error_type: str, original: bytes) -> bytes:
    return Codec.named("dead_letter").encode({
        "stage": stage, "error_type": error_type, "error_message": "test", "original": original,
        "original_key": None, "source": {"topic": "x.raw", "partition": 0, "offset": 0, "timestamp_ms": None},

    })


def replay(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "streams.cli", "replay-dlq", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stderr, done.stdout + done.stderr
    return done.stdout


def test_filtered_replays_in_any_order_replay_each_dead_letter_exactly_once(kafka, tmp_path):  # noqa: F811
    """--error-type binary replays the binary letter behind a parse letter it leaves; --stage parse then
    replays both parse letters and passes over the binary one; a last replay finds nothing; each lands once."""
    import os

    prefix = f"replay-{uuid.uuid4().hex[:8]}"
    settings = Settings(bootstrap_servers=kafka, topic_prefix=prefix, app_id=prefix)
    ensure_topics(settings)
    producer = Producer(settings.kafka_client_config())
    for stage, error_type, original in LETTERS:
        producer.produce(settings.dlq_topic, dead_letter(stage, error_type, original), partition=0,
                         headers=[("stage", stage.encode()), ("error_type", error_type.encode())])
    assert producer.flush(30) == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("CABLES_")}
    env.update(CABLES_BOOTSTRAP_SERVERS=kafka, CABLES_TOPIC_PREFIX=prefix, CABLES_APP_ID=prefix)

    first = replay(env, "--error-type", "binary")
    assert "replayed 1, skipped 2 (filter), acknowledged 1" in first, first
    assert "left 2 dead letter(s) for a later replay (partition 0 from offset 0)" in first, first
    second = replay(env, "--stage", "parse")
    assert "replayed 2, skipped 0 (filter), acknowledged 2" in second, second
    assert "passed over 1 dead letter(s) that an earlier replay already replayed" in second and "left" not in second
    assert "read 0 dead letter(s)" in replay(env)
    raw = sorted(m.value() for m in consume_all(settings, settings.raw_topic))
    assert raw == sorted(original for _, _, original in LETTERS)
