"""Property: a higher marking written into a low cable, in any spelling, separator, placement,
line-break style or disguise, sends the cable at or above that marking's level, or to
quarantine. Plus the control: the real corpus still routes to its metadata level.

The levels of the injected spellings come from the hand-written catalogue in
``devtools/hostile_markings.py`` and from the construction of the generated marks below,
never from the reader under test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from devtools import hostile_markings as hostile
from streams import synth
from streams.core.classification import level_of
from streams.core.pipeline import process
from streams.vocab import CONFIDENTIAL, CONTROLLED, LEVELS, QUARANTINED, SECRET, TOP_SECRET, UNCLASSIFIED

LOW = (UNCLASSIFIED, CONTROLLED)
SYNTH_LOW = [(c.raw, c.truth.level) for c in synth.generate(40, seed=7, levels=LOW)]
# Per property; each example is one parse + route of a whole cable (~2 ms). Raise it for a deep run.
EXAMPLES = int(os.environ.get("CABLES_PROPERTY_EXAMPLES", "400"))

# Generated marks: a level spelling, then 0-3 controls, joined by any separator, any case.
LEVEL_SPELLINGS = {
    "S": SECRET, "SECRET": SECRET, "TS": TOP_SECRET, "TOP SECRET": TOP_SECRET, "C": CONFIDENTIAL,
    "CONFIDENTIAL": CONFIDENTIAL, "SBU": CONTROLLED, "FOUO": CONTROLLED, "LOU": CONTROLLED,
}
CONTROLS = ("NF", "NOFORN", "REL TO USA, FVEY", "REL TO USA", "ORCON", "SI", "TK", "SCI", "PROPIN", "REL GERMANY")
SEPARATORS = ("/", "//", "-", " ", " // ", " / ", "\\", "|", ", ", "--")


@st.composite
def generated_mark(draw) -> tuple[str, str]:
    """(mark as written inside the parentheses, its level by construction)."""
    word = draw(st.sampled_from(sorted(LEVEL_SPELLINGS)))
    parts = [word] + draw(st.lists(st.sampled_from(CONTROLS), max_size=3))
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + part
    if draw(st.booleans()):
        text = text.lower()
    pad = draw(st.sampled_from(("", " ", "  ")))
    return pad + text + pad, LEVEL_SPELLINGS[word]


@st.composite
def injections(draw) -> hostile.Injection:
    """One higher marking: a catalogue spelling or a generated one, placed and disguised."""
    kind = draw(st.sampled_from(("portion", "generated", "line")))
    if kind == "line":
        spelling, level = draw(st.sampled_from(hostile.LINES))
        place = "line"
    else:
        spelling, level = draw(generated_mark() if kind == "generated" else st.sampled_from(hostile.PORTION_MARKS))
        place = draw(st.sampled_from((*hostile.PARAGRAPH_PLACES, hostile.SUBJECT_PLACE)))
    return hostile.Injection(
        spelling, level, place, draw(st.sampled_from(hostile.LINE_BREAKS)),
        draw(st.sampled_from(hostile.DISGUISES)), draw(st.integers(0, 10)),
    )


@pytest.fixture(scope="module")
def low_corpus(corpus) -> list[tuple[str, str, str]]:
    """(id, level, raw) of the real UNCLASSIFIED and controlled cables of the corpus (36)."""
    low = [(r["id"], level_of(r["expected"]["classification"]), r["raw"]) for r in corpus]
    return [x for x in low if x[1] in LOW]


def assert_at_or_above(raw: str, level: str) -> None:
    out = process(raw.encode("utf-8"), max_bytes=10_000_000, do_enrich=False)
    if out.kind == "routed":
        assert LEVELS.index(out.topic) >= LEVELS.index(level), f"routed to {out.topic} below a {level} marking"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(SYNTH_LOW), inj=injections(), where=st.floats(0, 1))
def test_generated_low_cable_with_a_higher_marking_never_routes_below_it(base, inj, where):
    """A generated UNCLASSIFIED/controlled cable with one higher marking routes at or above it or is quarantined."""
    raw, base_level = base
    assume(LEVELS.index(inj.level) > LEVELS.index(base_level))
    assert_at_or_above(hostile.inject(raw, inj, where), inj.level)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), inj=injections(), where=st.floats(0, 1))
def test_real_low_cable_with_a_higher_marking_never_routes_below_it(low_corpus, data, inj, where):
    """A real UNCLASSIFIED/controlled corpus cable with one higher marking routes at or above it or is quarantined."""
    _, base_level, raw = data.draw(st.sampled_from(low_corpus))
    assume(LEVELS.index(inj.level) > LEVELS.index(base_level))
    assert_at_or_above(hostile.inject(raw, inj, where), inj.level)


# Real cables that do not route to their metadata level, and why (corpus README: known errors).
KNOWN_EXCEPTIONS = {
    "07PARIS2725": "body swap: the SECRET Moscow body under the Paris CONFIDENTIAL header; quarantined (contradictory)",
    "09HAVANA132": "body swap: the body is a CONFIDENTIAL Moscow cable, the metadata says SECRET",
    "09DAMASCUS179": "paragraph 14 is marked (S) in a cable the metadata calls CONFIDENTIAL: routed to secret",
    "10KABUL104": "paragraph 8 is marked (/Rel UK), a mark without a level: quarantined (unknown_marking)",
}
QUARANTINE_SHARE_MAX = 0.01


def corpus_outcomes(corpus: list[dict]) -> dict[str, tuple[str, str | None]]:
    """id -> (where the pipeline sends the cable, its metadata level)."""
    out = {}
    for rec in corpus:
        o = process(rec["raw"].encode("utf-8"), max_bytes=10_000_000, do_enrich=False)
        out[rec["id"]] = (o.topic if o.kind == "routed" else o.kind, level_of(rec["expected"]["classification"]))
    return out


def test_real_corpus_routes_to_its_metadata_level(corpus):
    """Every real cable routes to its metadata level, except the few documented exceptions."""
    outcomes = corpus_outcomes(corpus)
    wrong = {cid: o for cid, o in outcomes.items() if o[0] != o[1]}
    assert set(wrong) <= set(KNOWN_EXCEPTIONS), {c: wrong[c] for c in set(wrong) - set(KNOWN_EXCEPTIONS)}


def test_real_corpus_quarantines_fewer_than_one_percent(corpus):
    """Fewer than 1% of the real cables are quarantined (false quarantines stay rare)."""
    outcomes = corpus_outcomes(corpus)
    quarantined = [cid for cid, (where, _) in outcomes.items() if where == QUARANTINED]
    assert len(quarantined) < QUARANTINE_SHARE_MAX * len(corpus), quarantined
