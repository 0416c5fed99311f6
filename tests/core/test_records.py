"""Record builders of the pure pipeline: lossless paragraph spans, byte-identical records whatever
the process or its hash seed (subprocesses over real corpus cables)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from streams.core import pipeline
from streams.core.parse import parse
from streams.core.pipeline import Provenance

REPO = Path(__file__).resolve().parents[2]
SOURCE = Provenance("cables.raw", 2, 41, 1_700_000_000_000)


def test_paragraphs_are_spans_of_the_body_and_lossless(corpus):
    """Every paragraph of every corpus cable reads back exactly from the record, and nearly all are
    stored as body offsets (no text twice)."""
    spans = total = 0
    for row in corpus:
        cable = parse(row["raw"])
        if not hasattr(cable, "paragraphs"):
            continue
        fields = pipeline.paragraph_fields(cable.paragraphs, cable.body)
        assert [pipeline.paragraph_text(f, cable.body) for f in fields] == [p.text for p in cable.paragraphs]
        spans += sum(f["start"] is not None and f["text"] == "" for f in fields)
        total += len(fields)
    assert total > 1000 and spans / total > 0.9, f"{spans} of {total} paragraphs stored as spans"


def test_a_paragraph_not_in_the_body_keeps_its_text():
    """A paragraph whose text the body does not hold (a page line was cut out) is stored as text."""
    from streams.core.model import Paragraph

    fields = pipeline.paragraph_fields((Paragraph("1", "C", "ALPHA BETA"), Paragraph("2", None, "GAMMA")),
                                       "1. (C) ALPHA\nPAGE 02\nBETA\n\n2. GAMMA")
    assert fields[0] == {"number": "1", "marking": "C", "text": "ALPHA BETA", "start": None, "end": None}
    assert fields[1]["text"] == "" and "1. (C) ALPHA\nPAGE 02\nBETA\n\n2. GAMMA"[fields[1]["start"]:fields[1]["end"]] == "GAMMA"


_DIGEST_SCRIPT = """
import hashlib, json, sys
from prometheus_client import CollectorRegistry
from streams.core.pipeline import Provenance
from streams.kafka.agents import CableProcessor, build_codecs
from streams.obs.metrics import Metrics
from streams.settings import Settings
proc = CableProcessor(Settings(), build_codecs(), Metrics(CollectorRegistry()))
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    raw = json.loads(line)["raw"].encode()
    out = proc.process(raw, b"key", Provenance("cables.raw", 2, i, 1_700_000_000_000))
    print(out.topic, hashlib.sha256(out.value).hexdigest())
"""


def _digests(rows_file: Path, *seeds: str) -> list[list[str]]:
    """Per seed (one subprocess each, run side by side), the topic and SHA-256 of every record."""
    procs = [subprocess.Popen([sys.executable, "-c", _DIGEST_SCRIPT, str(rows_file)], cwd=REPO,
                              env={**os.environ, "PYTHONHASHSEED": seed}, stdout=subprocess.PIPE, text=True)
             for seed in seeds]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    return [out.splitlines() for out in outs]


def _seed_differences(rows: list[dict], tmp_path: Path) -> list[int]:
    rows_file = tmp_path / "cables.jsonl"
    rows_file.write_text("".join(json.dumps({"raw": r["raw"]}) + "\n" for r in rows), encoding="utf-8")
    first, second = _digests(rows_file, "1", "3")
    assert len(first) == len(second) == len(rows)
    return [i for i, (a, b) in enumerate(zip(first, second)) if a != b]


def test_records_are_byte_identical_under_two_hash_seeds(corpus, tmp_path):
    """Every corpus cable gives byte-identical encoded records in two processes with different
    PYTHONHASHSEED values (and at different times: no wall clock in the value)."""
    differ = _seed_differences(corpus, tmp_path)
    assert not differ, f"{len(differ)} records differ between hash seeds, e.g. rows {differ[:5]}"


def test_record_value_has_no_processing_time(seed_cable):
    """The cable record carries no field set from the clock (processing time lives in a header)."""
    outcome = pipeline.process(seed_cable.encode(), max_bytes=1_000_000)
    record = pipeline.cable_record(outcome.cable, outcome.route, SOURCE)
    assert not [k for k in record if k.endswith("_at_ms")]
    assert record["source"] == {"topic": "cables.raw", "partition": 2, "offset": 41, "timestamp_ms": 1_700_000_000_000}
