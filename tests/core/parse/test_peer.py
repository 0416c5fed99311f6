"""The parser against cablemap's own test cases (the development half), one test per case.

The cases are cablemap's offline unit tests on real cable fragments (cablemap: Lars Heuer's parser of
the WikiLeaks cables, BSD licence, ``../shared/data/peer/LICENSE-cablemap.txt``), each wrapped into a
whole cable; they are read from the shared data, never copied here. Scoring follows the data's
README (``devtools/peer.py``). Every case runs: the ones listed below are expected to fail, each
with its reason, and an expected failure that starts passing is reported (``strict``), so the lists
cannot hide a regression or outlive a fix.
"""

from __future__ import annotations

import pytest

from devtools import peer
from streams.core.parse import parse
from tests.conftest import SHARED_DATA, require_shared

CASES_FILE = ("peer", "cablemap_cases_dev.jsonl")

# Expectations judged wrong: the expected value contradicts the cable text it comes with.
WRONG_EXPECTATIONS = {
    "test_reader_tags.py::test_tags#75": "the text has VT (the Holy See's code; the cable is from the Vatican) "
    "only after the first page marker, run onto PREL as 'VTPREL' and alone at the end; the expected list "
    "stops at that marker and leaves VT out, although the line goes on after it and cablemap itself reads "
    "'VTPREL' as VT and PREL elsewhere",
}
# Conventions not (yet) read: a real miss of the parser, not a wrong expectation.
KNOWN_MISSES = {
    "test_reader_references.py::test_parse_references#63": "the three-digit year '094 QUITO 841' is not read",
    "test_reader_references.py::test_parse_references#94": "'PORT A 76' (Port-au-Prince cut to 'PORT A') is "
    "too far from the station to be corrected safely",
}


def _load() -> list[dict]:
    path = SHARED_DATA.joinpath(*CASES_FILE)
    return peer.load_cases(path) if path.exists() else []


def _params() -> list:
    cases = _load()
    if not cases:  # reference data absent: one test that skips (or fails under CI) with the reason
        return [pytest.param(None, id="peer-cases-missing")]
    params = []
    for case in cases:
        marks = []
        flags = [f for f in case.get("flags", ()) if f in peer.FLAGS]
        if case["case"] in WRONG_EXPECTATIONS:
            reason = f"wrong expectation: {WRONG_EXPECTATIONS[case['case']]}"
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        elif case["case"] in KNOWN_MISSES:
            marks.append(pytest.mark.xfail(strict=True, reason=f"known miss: {KNOWN_MISSES[case['case']]}"))
        elif flags:
            marks.append(pytest.mark.xfail(strict=False, reason=f"flagged {flags}: {case.get('flag_notes', '')}"))
        elif case["field"] in peer.NOT_OUR_FIELDS:
            marks.append(pytest.mark.xfail(strict=True, reason="the parser has no summary field"))
        params.append(pytest.param(case, id=case["case"], marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_peer_case(case):
    """The parser's value for the case's field equals cablemap's expectation by the data README's rule."""
    if case is None:
        require_shared(*CASES_FILE)
    result = parse(case["cable"])
    got = result if hasattr(result, "error_type") else peer.field_value(result, case["field"])
    assert peer.case_passes(case, result), (case["field"], case["expected"], got)


def test_the_lists_name_existing_cases():
    """Every case named in the wrong-expectation and known-miss lists exists in the data (no stale entries)."""
    require_shared(*CASES_FILE)
    ids = {c["case"] for c in _load()}
    assert set(WRONG_EXPECTATIONS) | set(KNOWN_MISSES) <= ids


# Floors per field (development half, flagged cases out): cablemap's figure where we reach it, else
# today's figure, so that a regression fails here even when the single case is in a list above.
FLOORS = {"tags": 0.975, "references": 0.80, "subject": 0.98, "classified_by": 0.90, "signer": 0.95,
          "declassify_on": 1.0, "recipients": 0.80, "info_recipients": 0.80, "references_other": 1.0}


def test_per_field_figures(capsys):
    """Per field the pass rate is at least its floor, and overall (summary left out) at least 90%."""
    require_shared(*CASES_FILE)
    table, _, _ = peer.score(_load())
    with capsys.disabled():
        print("\npeer cases: " + ", ".join(f"{f} {ok}/{n}" for f, (ok, n) in sorted(table.items())))
    low = {f: ok / n for f, (ok, n) in table.items() if f in FLOORS and ok / n < FLOORS[f]}
    assert low == {}
    ok, n = peer.overall(table)
    assert ok / n >= peer.OVERALL_TARGET
