"""A newcomer's path, in the README's order, against the real broker and a real worker: start, publish a
folder with two bad files, tail a topic, decode a record with the README snippet, replay the dead letters.

Asserts what a user sees: no traceback anywhere (commands, snippet, worker log) and every error one line.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys

import pytest

from streams import synth
from tests.integration.conftest import REPO, consume_outputs
from tests.kafka.test_readme_snippet import snippet

pytestmark = pytest.mark.integration

SEED = REPO / "streams" / "samples" / "seed-cable.txt"
# A stderr line of ours is a rejection, a one-line error, or one JSON log line.
ONE_LINE_ERROR = re.compile(r"^(rejected \S.*: .+|Error: .+|\{.*\})$")


def cables(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=180)


def assert_clean(step: str, result: subprocess.CompletedProcess) -> None:
    """No traceback, and every stderr line is one whole error (or log) line."""
    both = result.stdout + result.stderr
    assert "Traceback" not in both, f"{step}: {both}"
    for line in result.stderr.splitlines():
        assert ONE_LINE_ERROR.match(line), f"{step}: stderr line is not one whole error: {line!r}\n{result.stderr}"


def newcomer_folder(tmp_path):
    """The seed cable, two generated cables as JSON Lines, a binary file (dead-lettered by the worker),
    and two bad files: JSON Lines with a broken line, a CSV dump with an impossible date."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "seed-cable.txt").write_bytes(SEED.read_bytes())
    cables_ = synth.generate(3, seed=11, levels=["secret"])
    (folder / "good.jsonl").write_text("".join(json.dumps({"raw": c.raw}) + "\n" for c in cables_[:2]), encoding="utf-8")
    (folder / "scan.bin").write_bytes(b"\x00\x01\x02 not a cable")
    (folder / "broken.jsonl").write_text(json.dumps({"raw": cables_[2].raw}) + "\n" + '{"raw": "cut off\n',
                                         encoding="utf-8")
    (folder / "dump.csv").write_text(
        "refid,date,classification,header,body\n"
        '"66BUENOSAIRES2481","13/28/1966 18:48","UNCLASSIFIED","UNCLASSIFIED BUENOS AIRES 2481","1. (U) Text."\n',
        encoding="utf-8")
    return folder


def test_newcomer_path_works_first_time_with_one_line_errors(make_worker, tmp_path):
    """Start, publish (two bad files reported, the rest sent), tail, decode with the README snippet, replay the DLQ: no traceback anywhere."""
    worker = make_worker()
    env, s = worker.env, worker.settings
    worker.start()

    published = cables("publish", str(newcomer_folder(tmp_path)), env=env)
    assert_clean("publish", published)
    assert published.returncode == 1, published.stdout + published.stderr
    rejected = [line for line in published.stderr.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == 2, published.stderr
    assert re.match(r"rejected \S+broken\.jsonl:2: not JSON", rejected[0]), rejected
    assert re.match(r"rejected \S+dump\.csv:2 \(row 2\): date '13/28/1966 18:48' is not a date", rejected[1]), rejected
    assert f"sent 5 to {s.raw_topic}: 5 acknowledged, 0 failed, 2 rejected" in published.stdout, published.stdout

    outputs = consume_outputs(s, expected_total=5)
    assert sum(len(v) for v in outputs.values()) == 5
    assert len(outputs[s.topic("secret")]) == 3 and len(outputs[s.dlq_topic]) == 1

    tailed = cables("tail", "confidential", "--from-beginning", "--limit", "1", "--json", "--timeout", "20", env=env)
    assert_clean("tail", tailed)
    [line] = tailed.stdout.splitlines()
    record = json.loads(line)
    assert record["value"]["origin"] == "ALMATY" and record["key"] == str(tmp_path / "inbox" / "seed-cable.txt")

    code = snippet("decode") + snippet("consume").replace(
        '"127.0.0.1:9092"', repr(s.bootstrap_servers)).replace('"cables.confidential"', repr(s.topic("confidential")))
    read = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert_clean("README snippet", read)
    assert read.returncode == 0 and "CONFIDENTIAL confidential" in read.stdout, read.stdout + read.stderr

    dry = cables("replay-dlq", "--error-type", "not_utf8", "--dry-run", env=env)
    assert_clean("replay-dlq --dry-run", dry)
    assert "would replay 0, skipped 1 (filter)" in dry.stdout and "left 1 dead letter(s)" in dry.stdout, dry.stdout
    replayed = cables("replay-dlq", "--error-type", "binary", env=env)
    assert_clean("replay-dlq", replayed)
    assert replayed.returncode == 0 and "replayed 1, skipped 0 (filter), acknowledged 1" in replayed.stdout, replayed.stdout
    assert "  replayed decode/binary: 1" in replayed.stdout

    worker.stop()
    log = worker.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log


def test_newcomer_with_the_broker_down_gets_one_line(tmp_path):
    """With nothing on the Kafka port, publish exits 1 with one line naming the address, the cause and the fix."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("CABLES_")}
    env["CABLES_KAFKA_PORT"] = str(port)
    result = cables("publish", str(SEED), env=env)
    assert_clean("publish (broker down)", result)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: cannot reach Kafka at 127.0.0.1:{port} (connection refused); is the broker running? "
        "bash ops/kafka.sh start (or set CABLES_BOOTSTRAP_SERVERS / CABLES_KAFKA_PORT)"
    ]
