"""Accuracy of the parser on the ~1,000 real cables of the dev corpus, against their trusted metadata.

The comparison rules (and the list of records whose metadata the corpus README documents as wrong,
or whose text cannot carry the field) live in ``devtools/measure_parse.py``, which also prints every
mismatch. The excluded sets are bounded here so that they cannot grow to hide a regression.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import require_shared
from streams.core.model import Cable
from streams.core.parse import parse

from devtools import measure_parse as measure

# How many records each field may leave out as metadata errors or gaps (see devtools/measure_parse.py):
# date: 59 partial extracts without any date in their text; tags: ~51 wrapped TAGS lines whose
# continuation the site's index dropped + 8 documented index splits/body swap (some overlap);
# tags also 5 codes the text misspells or glues, which the parser normalises (issue 14);
# subject: 3 documented + 6 site titles that run on into the REF/Classified By line (issue 14);
# id: the 59 undated extracts (no year for the id) + 2 documented body swaps.
MAX_EXCLUDED = {"classification": 9, "date": 59, "origin_name": 1, "tags": 64, "subject": 9, "id": 61}


@pytest.fixture(scope="module")
def parsed(corpus):
    """Every corpus record parsed once for the module."""
    return [parse(rec["raw"]) for rec in corpus]


def test_every_corpus_cable_parses(corpus, parsed):
    """No real cable of the corpus is a parse failure."""
    failures = [(rec["id"], r) for rec, r in zip(corpus, parsed) if not isinstance(r, Cable)]
    assert failures == []


def test_field_accuracy_meets_the_targets(corpus, parsed):
    """Classification 100%, date, origin name and id >= 99.5%, tags >= 99%, subject >= 98%."""
    scores, mismatches = measure.accuracy(corpus, parsed)
    report = []
    for field, (ok, n, ok_adj, n_adj) in scores["totals"].items():
        if field not in measure.TARGETS:
            continue
        excluded = n - n_adj
        assert excluded <= MAX_EXCLUDED[field], f"{field}: {excluded} records left out"
        rate = ok_adj / n_adj
        report.append(f"{field}: {rate:.2%}")
        assert rate >= measure.TARGETS[field], (field, rate, [m for m in mismatches if m.startswith(field)])
    print(", ".join(report))


def test_origin_names_use_the_reference_naming(corpus, parsed):
    """Every origin name produced is a name of the cable2graph locations list (tests only, GPLv3)."""
    names = set(require_shared("cables", "cable2graph_locations.list").read_text(encoding="utf-8").splitlines())
    produced = {c.origin_name for c in parsed if isinstance(c, Cable) and c.origin_name}
    assert produced - names == set()


def test_classification_never_below_the_metadata(corpus, parsed):
    """Where text and metadata disagree the parser's classification is never the lower one (fail closed)."""
    from streams.core import classification as cls

    lower = [rec["id"] for rec, c in zip(corpus, parsed)
             if cls.RANK[cls.level_of(c.classification)] < cls.RANK[cls.level_of(rec["expected"]["classification"])]
             and rec["id"] not in measure.KNOWN_METADATA_ERRORS["classification"]]
    assert lower == []
