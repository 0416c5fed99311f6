"""Score the parser on the peer cases: cablemap's offline unit tests turned into whole cables.

    .venv/bin/python devtools/peer.py            # per-field table and overall
    .venv/bin/python devtools/peer.py --show     # also list every failing case
    .venv/bin/python devtools/peer.py --field tags --show

The cases come from cablemap (Lars Heuer's parser of the WikiLeaks cables, BSD licence; see
``../shared/data/peer/LICENSE-cablemap.txt``). They are read from the shared data, never copied.
Each case's ``cable`` is fed to :func:`streams.core.parse.parse` and one field of the record is compared
with the case's ``expected`` value by the rules of the data's README (:func:`case_passes`). Cases
flagged ``suspect`` or ``quirk`` are counted apart and stay out of the headline figure.

``summary`` cases are listed, but they are out of the overall figure: the parser has no summary
field (the README's headline list of cablemap's own figures leaves it out too).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streams.core.model import Cable  # noqa: E402
from streams.core.parse import parse  # noqa: E402

SHARED = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data"))
CASES = SHARED / "peer" / "cablemap_cases_dev.jsonl"
FLAGS = ("suspect", "quirk")
NOT_OUR_FIELDS = ("summary",)  # scored and listed, left out of the overall figure
# cablemap's figures the issue sets as the bar, per field (recipients and info share one bar)
TARGETS = {"tags": 0.975, "references": 0.80, "subject": 0.98, "classified_by": 0.90, "signer": 0.95,
           "declassify_on": 1.0, "recipients": 0.80, "info_recipients": 0.80}
OVERALL_TARGET = 0.90
_PORTION_RE = re.compile(r"^\s*\((?:U|C|S|TS|SBU|FOUO|LOU|S/NF|C/NF|S//NF|C//NF|SBU/NF)\)\s*", re.IGNORECASE)
_PARA_NUM_RE = re.compile(r"(?m)^\s*\d{1,3}\s?\.\s*")


def load_cases(path: Path = CASES) -> list[dict]:
    """The cases of one JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _blanks(text: str) -> str:
    return " ".join(text.split())


def _tag_code(code: str) -> str:
    code = _blanks(code.upper())
    if code.startswith("(") and code.endswith(")"):
        code = code[1:-1].strip()
    return code


def _name(name: str) -> str:
    return _blanks(name).strip(" .,;:()'\"").upper()


def _strip_summary(text: str) -> str:
    text = _PARA_NUM_RE.sub(" ", text)
    text = _PORTION_RE.sub("", _blanks(text))
    return re.sub(r"\((?:U|C|S|SBU)\)\s*", "", text).upper()


def _addressees(cable: Cable, kind: str) -> list[tuple[str, str | None]]:
    return [(_blanks(r.address).upper(), r.routing_indicator) for r in cable.recipients if r.kind == kind]


def _recipients_match(cable: Cable, kind: str, expected: list[dict]) -> bool:
    ours = _addressees(cable, kind)
    if {n for n, _ in ours} != {_blanks(e["name"]).upper() for e in expected}:
        return False
    routes = {}
    for n, ri in ours:
        routes.setdefault(n, set()).add(ri)
    return all(e.get("route") is None or e["route"] in routes[_blanks(e["name"]).upper()] for e in expected)


def field_value(cable: Cable, field: str):
    """Our value for a case's field, in the form the comparison uses (for display and comparison)."""
    if field == "tags":
        return sorted({_tag_code(t.code) for t in cable.tags})
    if field in ("references", "references_other"):
        if field == "references":
            return sorted({r.id for r in cable.references if r.id})
        return [r.raw for r in cable.references]
    if field == "subject":
        return cable.subject or ""
    if field == "classified_by":
        return [cable.classified_by.name] if cable.classified_by else []
    if field == "signer":
        return [cable.signer] if cable.signer else []
    if field == "declassify_on":
        return cable.declassify_on
    if field in ("recipients", "info_recipients"):
        return _addressees(cable, "to" if field == "recipients" else "info")
    if field == "summary":
        return getattr(cable, "summary", None)
    raise ValueError(f"unknown field {field!r}")


def matches(cable: Cable, field: str, expected) -> bool:
    """Whether our value for ``field`` equals ``expected`` by the README's rule for that field."""
    got = field_value(cable, field)
    if field == "tags":
        return set(got) == {_tag_code(t) for t in expected}
    if field == "references":
        return set(got) == set(expected)
    if field == "references_other":
        ours = [_blanks(r).upper() for r in got]
        return all(any(_blanks(e["value"]).upper() in r for r in ours) for e in expected)
    if field == "subject":
        def norm(s: str) -> str:
            return _PORTION_RE.sub("", _blanks(s)).upper()
        return norm(got) == norm(expected or "")
    if field in ("classified_by", "signer"):
        return {_name(n) for n in got} == {_name(n) for n in expected}
    if field == "declassify_on":
        if expected is None:
            return got in (None, "", "N/A")
        return got is not None and got[:10] == expected[:10]
    if field in ("recipients", "info_recipients"):
        return _recipients_match(cable, "to" if field == "recipients" else "info", expected)
    if field == "summary":
        return got is not None and _strip_summary(got) == _strip_summary(expected)
    raise ValueError(f"unknown field {field!r}")


def case_passes(case: dict, result) -> bool:
    """Whether the parse result passes the case (its ``expected`` or one of its ``accept_also``)."""
    if not isinstance(result, Cable):
        return False
    return any(matches(result, case["field"], exp) for exp in (case["expected"], *case.get("accept_also", ())))


def score(cases: list[dict]) -> tuple[dict[str, list[int]], list[tuple[dict, object]], list[dict]]:
    """Per field [passed, cases] over the unflagged cases, the failing (case, result) pairs, flagged cases."""
    table: dict[str, list[int]] = {}
    failures: list[tuple[dict, object]] = []
    flagged: list[dict] = []
    for case in cases:
        result = parse(case["cable"])
        ok = case_passes(case, result)
        if any(f in FLAGS for f in case.get("flags", ())):
            flagged.append({**case, "passed": ok})
            continue
        row = table.setdefault(case["field"], [0, 0])
        row[0] += ok
        row[1] += 1
        if not ok:
            failures.append((case, result))
    return table, failures, flagged


def overall(table: dict[str, list[int]]) -> tuple[int, int]:
    """(passed, cases) over every field that is ours (``summary`` left out)."""
    rows = [v for f, v in table.items() if f not in NOT_OUR_FIELDS]
    return sum(r[0] for r in rows), sum(r[1] for r in rows)


def _describe(case: dict, result) -> str:
    got = field_value(result, case["field"]) if isinstance(result, Cable) else f"FAILURE {result.error_type}"
    return (f"{case['case']} [{case['field']}] {case.get('source_cable') or ''}\n"
            f"    want={case['expected']!r}\n    got ={got!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--show", action="store_true", help="list every failing case")
    ap.add_argument("--field", help="only this field")
    args = ap.parse_args(argv)
    if not args.cases.exists():
        print(f"peer cases not found: {args.cases} (set CABLES_SHARED_DATA)", file=sys.stderr)
        return 2
    cases = [c for c in load_cases(args.cases) if args.field in (None, c["field"])]
    table, failures, flagged = score(cases)
    print(f"peer cases: {args.cases} ({len(cases)} cases; cablemap, BSD licence)")
    print(f"{'field':<18}{'cases':>7}{'passed':>8}{'%':>9}{'target':>9}")
    met = True
    for field in sorted(table):
        ok, n = table[field]
        target = TARGETS.get(field)
        met &= target is None or ok / n >= target
        shown = f"{target:>9.1%}" if target is not None else ("  not ours" if field in NOT_OUR_FIELDS else "")
        print(f"{field:<18}{n:>7}{ok:>8}{ok / n:>9.1%}{shown}")
    ok, n = overall(table)
    met &= n == 0 or ok / n >= OVERALL_TARGET
    print(f"{'overall':<18}{n:>7}{ok:>8}{(ok / n if n else 0):>9.1%}{OVERALL_TARGET:>9.1%}   (summary left out)")
    print(f"flagged (suspect/quirk, not in the figures): {len(flagged)}, passed {sum(c['passed'] for c in flagged)}")
    if args.show:
        for case, result in failures:
            print(_describe(case, result))
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
