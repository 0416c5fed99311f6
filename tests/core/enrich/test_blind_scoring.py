"""The blind-gold scorer: annotation zone, matching rule, split filter and the test half's totals-only output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools import measure_enrich, scoring
from streams.core.model import Entity

BODY = ("C O N F I D E N T I A L PARIS 000123\nTAGS: PREL, FR\nSUBJECT: TALKS IN PARIS\n"
        "REF: A. PARIS 99 (LYON TALKS)\n\nClassified By: Ambassador Craig Stapleton\n"
        "1. Sarkozy met Putin in Paris.\nPARIS 00000123 002 OF 002\nSarkozy left.\n")


def _entity(etype: str, text: str, normalized: str, *starts: int, **attrs: str) -> Entity:
    return Entity(etype, text, normalized, max(1, len(starts)), tuple((s, s + len(text)) for s in starts), attrs)


def test_zone_starts_at_the_subject_and_leaves_out_ref_block_and_page_headers() -> None:
    """The caption, TAGS, REF block and page-break header are out of the zone; the body is in it."""
    zone = scoring.annotation_zone(BODY)
    assert not scoring.in_zone(BODY.index("PARIS 000123"), zone)
    assert scoring.in_zone(BODY.index("TALKS IN PARIS"), zone)
    assert not scoring.in_zone(BODY.index("LYON"), zone)
    assert not scoring.in_zone(BODY.index("PARIS 00000123"), zone)
    assert scoring.in_zone(BODY.index("Sarkozy left"), zone)


def test_out_of_zone_predictions_are_not_scored_and_any_in_zone_form_matches() -> None:
    """A place only in the REF block is neither TP nor FP; a person matches by a later form; a
    wrong person is a false positive; a missed one a false negative."""
    gold = {"id": "x", "entities": [
        {"type": "person", "normalized": "Sarkozy", "forms": ["Sarkozy"]},
        {"type": "person", "normalized": "Craig Stapleton", "forms": ["Craig Stapleton"]},
        {"type": "location", "normalized": "Paris", "forms": ["PARIS", "Paris"]},
    ]}
    paris = BODY.index("Paris.")
    predicted = (
        _entity("location", "LYON", "Lyon", BODY.index("LYON")),
        _entity("location", "Paris", "Paris", paris),
        Entity("person", "SARKOZY", "Nicolas Sarkozy", 2,
               tuple((s, s + 7) for s in (BODY.index("Sarkozy met"), BODY.index("Sarkozy left"))), {}),
        _entity("person", "Putin", "Putin", BODY.index("Putin")),
    )
    result = scoring.GoldResult()
    scoring.score_blind_cable(gold, BODY, predicted, result)
    people, places = result.counts["person"], result.counts["location"]
    assert (people.tp, people.fp, people.fn) == (1, 1, 1)
    assert (places.tp, places.fp, places.fn) == (1, 0, 0)


def test_load_blind_keeps_only_the_asked_split(tmp_path: Path) -> None:
    """Records of the other split are dropped as the files are read; an unknown split is refused."""
    rows = [{"id": "a", "split": "tune", "entities": []}, {"id": "b", "split": "test", "entities": []}]
    (tmp_path / "blind_gold_a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [r["id"] for r in scoring.load_blind(tmp_path, "tune")] == ["a"]
    assert [r["id"] for r in scoring.load_blind(tmp_path, "test")] == ["b"]
    with pytest.raises(ValueError):
        scoring.load_blind(tmp_path, "all")


def test_test_half_prints_totals_only_and_refuses_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--blind test`` prints per-type totals with no cable id, and ``--show`` is refused for it."""
    corpus = measure_enrich.CORPUS
    if not corpus.exists():
        pytest.skip(f"no corpus at {corpus}")
    first = json.loads(corpus.open(encoding="utf-8").readline())
    row = {"id": first["id"], "split": "test", "entities": [{"type": "location", "normalized": "Nowhere",
                                                              "forms": ["Nowhere"]}]}
    (tmp_path / "blind_gold_b.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert measure_enrich.main(["--blind", "test", "--gold-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "location" in out and first["id"] not in out and "FN" not in out
    with pytest.raises(SystemExit):
        measure_enrich.main(["--blind", "test", "--show", "--gold-dir", str(tmp_path)])
