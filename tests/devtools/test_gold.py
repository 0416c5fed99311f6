"""The blind entity gold is frozen: its files match the recorded digests and stay well formed."""

from __future__ import annotations

import hashlib
import json

from tests.conftest import REPO

GOLD = REPO / "devtools" / "gold"


def test_gold_files_match_their_frozen_digests() -> None:
    """A gold file changes only together with FROZEN.sha256 and a line in the README's correction log."""
    for line in (GOLD / "FROZEN.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        got = hashlib.sha256((GOLD / name).read_bytes()).hexdigest()
        assert got == digest, f"{name} changed after the freeze: record the correction in devtools/gold/README.md"


def test_gold_has_sixty_cables_split_evenly() -> None:
    """60 annotated cables, 30 in the tuning half and 30 in the test half, each cable once."""
    rows = [json.loads(x) for f in ("blind_gold_a.jsonl", "blind_gold_b.jsonl")
            for x in (GOLD / f).read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len({r["id"] for r in rows}) == len(rows) == 60
    assert sorted(r["split"] for r in rows).count("test") == 30
    assert {e["type"] for r in rows for e in r["entities"]} == {"person", "organization", "location"}
