"""Quarantine, marking conflicts and dead-letter replay against the real broker and worker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from streams import synth
from tests.integration.conftest import REPO, consume_outputs
from tests.integration.conftest import produce_raw
from tests.integration.test_worker import decode_outputs, truth

pytestmark = pytest.mark.integration

CONFLICT = """C O N F I D E N T I A L TUNIS 000123

SIPDIS

E.O. 12958: DECL: 03/01/2019
TAGS: PREL PGOV TS
SUBJECT: TUNISIA: A MEETING WITH THE FOREIGN MINISTER

Classified By: Ambassador Robert Godec, reasons 1.4 (b) and (d).

1. (C) The Foreign Minister received the Ambassador on March 2.

2. (S) He then described a sensitive matter in some detail.
"""

UNMARKED = """TUNIS 000124

SUBJECT: A MESSAGE WITH NO CLASSIFICATION AT ALL

1. The text carries no classification marking anywhere.
"""


def test_quarantine_and_marking_conflict_routes(make_worker):
    """An unmarked cable is quarantined with the reason; a (S) paragraph in a CONFIDENTIAL cable routes to SECRET, flagged."""
    worker = make_worker()
    s = worker.settings
    where = produce_raw(s, [(b"conflict", CONFLICT.encode()), (b"unmarked", UNMARKED.encode())])
    worker.start()
    by_source = decode_outputs(s, consume_outputs(s, expected_total=2))
    [(suffix, rec, _)] = by_source[where[0]]
    assert suffix == "secret" and rec["marking_conflict"] and rec["classification"] == "CONFIDENTIAL"
    [(suffix, rec, msg)] = by_source[where[1]]
    assert suffix == "quarantine" and rec["reason"] == "no classification marking found"
    assert rec["original"] == UNMARKED.encode() and dict(msg.headers())["quarantine_reason"]


def cables(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_dead_letter_replayed_after_the_fix_lands_once_on_the_right_topic(make_worker):
    """A cable dead-lettered as too large is replayed after the limit is raised and lands once on its level's topic."""
    big = synth.generate(1, seed=3, levels=["secret"], size=12_000)[0]
    small_limit = make_worker(max_cable_bytes="4000")
    s = small_limit.settings
    where = produce_raw(s, [(b"big", big.raw.encode())])
    small_limit.start()
    by_source = decode_outputs(s, consume_outputs(s, expected_total=1))
    [(suffix, rec, _)] = by_source[where[0]]
    assert suffix == "dlq" and rec["error_type"] == "too_large"
    small_limit.stop()

    fixed = make_worker(prefix=s.topic_prefix)  # same topics and group, default limit: the fix
    env = dict(fixed.env)
    dry = cables("replay-dlq", "--error-type", "too_large", "--dry-run", env=env)
    assert dry.returncode == 0 and "would replay 1" in dry.stdout, dry.stdout + dry.stderr
    other = cables("replay-dlq", "--error-type", "not_utf8", "--dry-run", env=env)
    assert "would replay 0" in other.stdout and "skipped 1" in other.stdout
    done = cables("replay-dlq", "--error-type", "too_large", env=env)
    assert done.returncode == 0 and "replayed 1" in done.stdout and "acknowledged 1" in done.stdout, done.stdout
    again = cables("replay-dlq", "--error-type", "too_large", env=env)
    assert "replayed 0" in again.stdout, "a second replay must not publish the dead letter again"

    fixed.start()
    outputs = consume_outputs(s, expected_total=2)
    level = truth(big)["level"]
    landed = [m for m in outputs[s.topic(level)] if m.key() == truth(big)["id"].encode()]
    assert len(landed) == 1, f"expected the replayed cable once on {level}, found {len(landed)}"
    assert len(outputs[s.dlq_topic]) == 1, "the replay did not create a new dead letter"
