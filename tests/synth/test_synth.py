"""The synthetic cable generator: deterministic, covering, and truthful about what it wrote."""

from __future__ import annotations

import re

import pytest

from streams.core import classification as cls
from streams import synth
from streams.synth import world

SAMPLE = 200


@pytest.fixture(scope="module")
def sample() -> list[synth.SynthCable]:
    """A default sample of 200 cables (seed 0), shared by the coverage tests."""
    return synth.generate(SAMPLE, seed=0)


def test_same_seed_same_cables():
    """Two runs with the same seed produce identical raw texts and truths."""
    assert synth.generate(50, seed=42) == synth.generate(50, seed=42)


def test_prefix_stable():
    """The first k cables of a run of n are the run of k (a longer run only appends)."""
    assert synth.generate(40, seed=3)[:15] == synth.generate(15, seed=3)
    assert next(synth.iter_cables(seed=3)) == synth.generate(1, seed=3)[0]


def test_different_seeds_differ():
    """Different seeds give different cables."""
    a = [c.raw for c in synth.generate(20, seed=1)]
    b = [c.raw for c in synth.generate(20, seed=2)]
    assert not set(a) & set(b)


def test_many_seeds_generate_without_error():
    """Thousands of cables over several seeds and every filter combination build without error."""
    for seed in range(4):
        assert len(synth.generate(600, seed=seed)) == 600
    for fmt in synth.FORMATS:
        for level in cls.LEVELS:
            assert len(synth.generate(5, seed=1, levels=[level], formats=[fmt], conflict_rate=0.5)) == 5


def test_every_level_appears(sample):
    """Every routing level appears in a default sample of 200."""
    assert {c.truth.level for c in sample} == set(cls.LEVELS)


def test_every_classification_form_appears(sample):
    """Both controlled forms (FOUO/SBU and LOU), TOP SECRET and the NOFORN variants all appear."""
    seen = {c.truth.classification for c in sample}
    assert {
        "UNCLASSIFIED",
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        "LIMITED OFFICIAL USE",
        "CONFIDENTIAL",
        "CONFIDENTIAL//NOFORN",
        "SECRET",
        "SECRET//NOFORN",
        "TOP SECRET",
    } <= seen
    assert "TOP SECRET//NOFORN" in {c.truth.classification for c in synth.generate(400, seed=0)}


def test_every_format_appears(sample):
    """Every header format appears in a default sample of 200."""
    assert {c.truth.format for c in sample} == set(synth.FORMATS)


def test_features_appear(sample):
    """Multi-section cables, references, person tags, program tags and conflicts all appear."""
    truths = [c.truth for c in sample]
    assert any(t.sections > 1 for t in truths)
    assert any(t.references for t in truths)
    assert any(t.marking_conflict for t in truths)
    assert any(tag.startswith("K") and len(tag) == 4 for t in truths for tag in t.tags)
    assert any(tag.startswith("OVIP (") for t in synth.generate(400, seed=0) for tag in t.truth.tags)


def test_ids_are_canonical(sample):
    """Ids are year + station + number without leading zeros, match the caption, and are unique."""
    ids = [c.truth.id for c in sample]
    assert len(set(ids)) == len(ids)
    for c in sample:
        t = c.truth
        assert re.fullmatch(r"\d{2}[A-Z]+[1-9]\d*", t.id), t.id
        station = world._BY_CODE[re.sub(r"^\d{2}|\d+$", "", t.id)]
        assert t.id == f"{t.date[2:4]}{station.code}{int(t.number)}"
        assert f"{t.origin} {t.number}" in c.raw
        assert station.caption == t.origin


def test_references_are_canonical(sample):
    """Reference ids are canonical, and each one's station and number are written in the REF line."""
    for c in sample:
        for ref in c.truth.references:
            m = re.fullmatch(r"(\d{2})([A-Z]+)([1-9]\d*)", ref)
            assert m, ref
            station = world._BY_CODE[m.group(2)]
            assert re.search(rf"{station.caption} 0*{m.group(3)}\b", c.raw, re.I), (ref, c.truth.id)


def test_truth_fields_are_well_formed(sample):
    """Dates are ISO, levels come from LEVELS, classifications normalize to themselves."""
    for c in sample:
        t = c.truth
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.date)
        assert t.datetime.startswith(t.date + "T") and t.datetime.endswith(":00Z")
        assert t.level in cls.LEVELS
        assert cls.normalize(t.classification) == t.classification
        assert t.tags and t.subject and t.sections >= 1


def test_raw_carries_the_claimed_caption(sample):
    """The raw text contains the caption words of the truth's classification (spaced or plain)."""
    words = {
        "TOP SECRET": ("T O P S E C R E T", "TOP SECRET"),
        "SECRET": ("S E C R E T", "SECRET"),
        "CONFIDENTIAL": ("C O N F I D E N T I A L", "CONFIDENTIAL"),
        "LIMITED OFFICIAL USE": ("LIMITED OFFICIAL USE",),
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY": ("UNCLAS",),
        "UNCLASSIFIED": ("UNCLAS",),
    }
    for c in sample:
        base = c.truth.classification.removesuffix("//NOFORN")
        caption = [ln for ln in c.raw.splitlines() if ln.rstrip().endswith(f"{c.truth.origin} {c.truth.number}")][0]
        assert caption.upper().startswith(words[base]), (caption, c.truth.classification)


def test_raw_carries_sensitive_and_noforn_exactly_when_claimed(sample):
    """SBU cables say SENSITIVE; NOFORN cables say NOFORN and the others never do."""
    for c in sample:
        t = c.truth
        if t.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY":
            assert "SENSITIVE" in c.raw.upper()
        assert ("NOFORN" in c.raw) == t.classification.endswith("//NOFORN"), t.id


def test_level_is_highest_of_caption_and_portion_marks(sample):
    """The level is the caption's unless a written portion mark is higher, which is a conflict."""
    for c in sample:
        t = c.truth
        header = cls.level_of(t.classification)
        if t.highest_portion_marking:
            assert f"({t.highest_portion_marking})" in c.raw.upper()
        if t.marking_conflict:
            assert cls.RANK[t.level] > cls.RANK[header]
            mark_level = world._mark_level(t.highest_portion_marking)
            assert mark_level == t.level
        else:
            assert t.level == header


def test_conflict_cables_show_a_higher_mark_than_the_caption():
    """With conflict_rate=1 every cable of level CONFIDENTIAL or above has a written paragraph mark
    above its caption's level; lower levels never do (an UNCLAS caption over (SBU) is a plain SBU cable)."""
    cables = synth.generate(60, seed=9, conflict_rate=1.0)
    for c in cables:
        assert c.truth.marking_conflict == (cls.RANK[c.truth.level] >= cls.RANK[cls.CONFIDENTIAL])
    for c in cables:
        if not c.truth.marking_conflict:
            continue
        header = cls.RANK[cls.level_of(c.truth.classification)]
        marks = re.findall(r"^¶?\d+ ?\. \(([A-Z/ ]+)\)", c.raw, re.M)
        assert any(cls.RANK[world._mark_level(m)] > header for m in marks), c.truth.id


def test_conflict_rate_zero_means_no_conflicts():
    """With conflict_rate=0 no cable carries a marking conflict."""
    assert not any(c.truth.marking_conflict for c in synth.generate(100, seed=4, conflict_rate=0.0))


def test_levels_and_formats_filters():
    """levels= and formats= restrict the final level and the header format."""
    cables = synth.generate(40, seed=5, levels=["secret", "top-secret"], formats=["page-telegram"])
    assert {c.truth.level for c in cables} <= {"secret", "top-secret"}
    assert {c.truth.format for c in cables} == {"page-telegram"}
    assert all(c.raw.startswith("PAGE 01") for c in cables)


def test_unknown_filter_values_are_rejected():
    """An unknown level or format name raises ValueError instead of generating nothing."""
    with pytest.raises(ValueError):
        synth.generate(1, levels=["cosmic"])
    with pytest.raises(ValueError):
        synth.generate(1, formats=["telex"])


def test_format_markers(sample):
    """Each format starts with its own marker: banner, VZCZC, DTG line, ACTION/INFO block, PAGE 01."""
    starts = {
        "plusd-extract": r"\s*This record is a partial extract",
        "cablegate": r"VZCZC",
        "acp126": r"[OPRZ] \d{6}Z [A-Z]{3} \d{2}\nFM ",
        "state-distribution": r"(ACTION [A-Z]+-00 \n\n)?INFO  LOG-00",
        "page-telegram": r"PAGE 01 ",
    }
    for c in sample:
        assert re.match(starts[c.truth.format], c.raw), c.truth.format
        assert "\x00" not in c.raw  # no internal placeholder left behind


def test_default_sizes_are_realistic(sample):
    """Default sizes stay within 2-16 KB with a median near the real corpus' ~9 KB."""
    sizes = sorted(len(c.raw.encode("utf-8")) for c in sample)
    assert sizes[0] >= 2000 and sizes[-1] <= 16_000
    assert 7000 <= sizes[len(sizes) // 2] <= 11_000


def test_size_option():
    """size=N aims each cable at about N characters; a (low, high) pair bounds them."""
    for c in synth.generate(30, seed=6, size=5000):
        assert 4500 <= len(c.raw) <= 5600
    for c in synth.generate(30, seed=6, size=(3000, 4000)):
        assert 2800 <= len(c.raw) <= 4500


def test_garbage_inputs_are_not_cables():
    """garbage() gives one input per kind, each failing in its own way, deterministically."""
    items = dict(zip(synth.GARBAGE_KINDS, synth.garbage(seed=1), strict=True))
    assert items == dict(zip(synth.GARBAGE_KINDS, synth.garbage(seed=1), strict=True))
    assert b"\x00" in items["binary"]
    for kind in ("binary", "latin1"):
        with pytest.raises(UnicodeDecodeError):
            items[kind].decode("utf-8")
    assert items["empty"] == b""
    assert items["whitespace"] and not items["whitespace"].strip()
    assert items["truncated-header"].startswith(b"VZCZC") and b"SUBJECT" not in items["truncated-header"]
    noise = items["noise"].decode("ascii")
    assert len(noise) > 500 and cls.normalize(noise) is None
    assert not re.search(r"SECRET|CONFIDENTIAL|UNCLAS|VZCZC|SUBJECT|TAGS", noise, re.I)
