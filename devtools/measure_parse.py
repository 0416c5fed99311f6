"""Measure the cable parser on the dev corpus: field-by-field accuracy and single-core throughput.

    .venv/bin/python devtools/measure_parse.py                 # accuracy + throughput (best of 5)
    .venv/bin/python devtools/measure_parse.py --show          # also print every mismatch
    .venv/bin/python devtools/measure_parse.py --runs 10 --mismatches /tmp/mismatches.txt

Accuracy compares each record's parse of ``raw`` with its ``expected`` metadata, the way the corpus
README says to compare (classification, origin name and date exact; tags as sets of upper-cased
tokens; subject as a whitespace-collapsed prefix, one leading ``(``/``"``/``“``/``[`` dropped when the
plain comparison fails). Two figures per field: over every record, and with the records whose
metadata the README documents as wrong left out (``KNOWN_METADATA_ERRORS``); every mismatch is
written to the mismatches file. Throughput is parse() over every ``raw`` in one process, after a
warm-up pass, best of N runs: cables/s and MB/s (UTF-8 bytes).

The GPLv3 ``cable2graph_locations.list`` is read here (never shipped) to check that every origin
name the parser produces is a name of that list.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streams.core.model import Cable  # noqa: E402
from streams.core.parse import parse  # noqa: E402

SHARED = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data"))
CORPUS = SHARED / "corpus" / "dev-cables.jsonl"
LOCATIONS = SHARED / "cables" / "cable2graph_locations.list"

TARGETS = {"classification": 1.0, "date": 0.995, "origin_name": 0.995, "tags": 0.99, "subject": 0.98, "id": 0.995}
INFORMATIONAL = ("date+hour",)  # measured and listed, no target

# Records whose metadata the corpus README documents as disagreeing with the cable's own text.
# They are reported, never tuned to.
KNOWN_METADATA_ERRORS: dict[str, dict[str, str]] = {
    "classification": {
        "09STATE14577": "text says NOFORN, metadata does not",
        "09STATE81957": "text says NOFORN, metadata does not",
        "09STATE83014": "text says NOFORN, metadata does not",
        "09MEXICO3061": "text says NOFORN, metadata does not",
        "09MEXICO3101": "text says NOFORN, metadata does not",
        "09STATE119085": "text says NOFORN, metadata does not",
        "08LONDON1991": "metadata says NOFORN, caption area does not (subject marked C/NF)",
        "09HAVANA132": "body swap: the body is Moscow's CONFIDENTIAL cable",
        "07PARIS2725": "body swap: the body (captioned SECRET) is 07MOSCOW5154's; header ZNY CCCCC",
    },
    "origin_name": {"09HAVANA132": "body swap: the body is a Moscow cable"},
    "date": {},
    "id": {"09HAVANA132": "body swap: the body is a Moscow cable",
           "07PARIS2725": "body swap: the body (captioned SECRET) is 07MOSCOW5154's"},
    "tags": {
        "07PARIS2725": "body swap: the body is 07MOSCOW5154's",
        "09STATE30049": "tag index splits/glues tags",
        "09STATE34688": "tag index splits/glues tags",
        "09BEIJING1582": "tag index splits/glues tags",
        "09STATE78274": "tag index splits/glues tags",
        "09BEIJING2963": "tag index splits/glues tags",
        "09BEIJING2965": "tag index splits/glues tags",
        "09KABUL3364": "tag index glues EINV,EFIN into EINVEFIN",
        # the text has the misspelt or glued code; the index keeps it as written, the parser
        # normalises it (issue 14 conventions: known misspellings, glued known codes split)
        "05SANAA923": "text 'COUNTER TERRORISM', parser COUNTERTERRORISM",
        "09STATE16285": "text 'SYR', parser SY",
        "09LONDON2222": "text 'POGOV', parser PGOV",
        "09PARIS1267": "text 'EINDETRD', parser EIND ETRD",
        "09KABUL4150": "text 'KDEMAF', parser KDEM AF",
    },
    "date+hour": {
        "09RANGOON378": "metadata 05h vs the DTG's 07h (O 190706Z JUN 09)",
        "09STATE127892": "a repeat: the metadata has the original's 150910Z, quoted in the text",
    },
    "subject": {
        "09LAPAZ96": "title ends with a literal <br>",
        "09KABUL1239": "text has a doubled 'SUBJECT: SUBJECT:'; the title kept the second keyword",
        "10BRUSSELS183": "text has a doubled 'SUBJECT: SUBJECT:'; the title kept the second keyword",
    },
}
_LEADING = "(\"“["
# Independent of the parser: does the text carry a date at all, and what is its first TAGS line?
_DTG_RE = re.compile(r"\b\d{6} ?Z\s+[A-Za-z]{3}\s+\d{2}\b")
_DATELINE_RE = re.compile(r"^\w+day, \d{1,2} \w+ \d{4}, \d\d:\d\d", re.MULTILINE)
_TITLE_RUNS_ON_RE = re.compile(r"(?:\bREF(?:S|TELS)?:|REF:|Classified By:)", re.IGNORECASE)
_TAGS_LINE_RE = re.compile(r"^[ \t¶]*TAGS?\b[:;]?[ \t\u00a0]*(.*)$", re.IGNORECASE | re.MULTILINE)


def derived_metadata_gap(field: str, rec: dict) -> str | None:
    """Why a record cannot be scored on ``field`` from its own text, found from the text itself."""
    if field == "date":
        head = rec["raw"][:20000]
        if not _DTG_RE.search(head) and not _DATELINE_RE.search(head):
            return "the text carries no date-time group or dateline (partial extract)"
    if field == "subject" and _TITLE_RUNS_ON_RE.search(rec["expected"].get("subject_prefix") or ""):
        return ("the site's title runs on into the REF/Classified By line after the subject "
                "(issue 14: the subject stops there)")
    if field == "tags":
        m = _TAGS_LINE_RE.search(rec["body"])
        if m:
            first = tag_tokens(re.split(r"[\s,;]+", m.group(1)))
            want = {t.upper() for t in rec["expected"]["tags"]}
            if first == want and m.end() < len(rec["body"]):
                nxt = rec["body"][m.end() + 1 :].split("\n", 1)[0].strip()
                if nxt and not re.match(r"(?i)SUBJ", nxt):
                    return "the site's tag index kept only the first line of a wrapped TAGS line"
    return None


def tag_tokens(tags: list[str]) -> set[str]:
    """Tags as the site's index has them: upper-cased words, numeric suffixes and initials dropped."""
    out: set[str] = set()
    for tag in tags:
        for word in re.findall(r"[A-Z0-9]+", tag.upper()):
            if len(word) >= 2 and not word.isdigit():
                out.add(word)
    return out


def subject_ok(got: str | None, prefix: str) -> bool:
    """The README's comparison: collapsed whitespace, startswith, one leading punctuation dropped."""
    if got is None:
        return False
    got_c, pre_c = " ".join(got.split()), " ".join(prefix.split())
    if got_c.startswith(pre_c):
        return True
    return bool(got_c) and got_c[0] in _LEADING and got_c[1:].startswith(pre_c)


def compare(rec: dict, cable) -> dict[str, tuple[bool | None, str, str]]:
    """Per field: (ok or None when not scored, got, expected)."""
    exp = rec["expected"]
    if not isinstance(cable, Cable):
        fail = f"FAILURE {cable.error_type}: {cable.message}"
        return {f: (False, fail, str(exp.get(f))) for f in (*TARGETS, *INFORMATIONAL)}
    out: dict[str, tuple[bool | None, str, str]] = {}
    out["classification"] = (cable.classification == exp["classification"], str(cable.classification),
                             exp["classification"])
    out["origin_name"] = (cable.origin_name == exp["origin"], str(cable.origin_name), exp["origin"])
    out["date"] = (cable.date == exp["date"], str(cable.date), exp["date"])
    out["id"] = (cable.id == rec["id"], str(cable.id), rec["id"])
    # informational: the README says only the date and the hour of `datetime` are real
    got_hour = cable.datetime[:13].replace("T", " ") if cable.datetime else None
    out["date+hour"] = (got_hour == exp["datetime"][:13], str(cable.datetime), exp["datetime"])
    got_tags = tag_tokens([t.code for t in cable.tags])
    want_tags = {t.upper() for t in exp["tags"]}
    out["tags"] = (got_tags == want_tags, " ".join(sorted(got_tags)), " ".join(sorted(want_tags)))
    if exp.get("subject_prefix") is None:
        out["subject"] = (None, str(cable.subject), "(no title)")
    else:
        out["subject"] = (subject_ok(cable.subject, exp["subject_prefix"]), str(cable.subject),
                          exp["subject_prefix"])
    return out


def accuracy(records: list[dict], results: list) -> tuple[dict, list[str]]:
    """Scores per field (all records / documented metadata errors left out) and mismatch lines."""
    totals = {f: [0, 0, 0, 0] for f in (*TARGETS, *INFORMATIONAL)}  # ok, scored, ok_adj, scored_adj
    lines: list[str] = []
    locations = set(LOCATIONS.read_text(encoding="utf-8").splitlines()) if LOCATIONS.exists() else set()
    not_in_list: dict[str, int] = {}
    undated = []
    for rec, cable in zip(records, results):
        for field, (ok, got, want) in compare(rec, cable).items():
            if ok is None:
                continue
            known = KNOWN_METADATA_ERRORS[field].get(rec["id"]) or derived_metadata_gap(field, rec)
            if field in ("date+hour", "id"):  # the id's year comes from the date: no date, no id
                known = KNOWN_METADATA_ERRORS[field].get(rec["id"]) or derived_metadata_gap("date", rec)
            t = totals[field]
            t[0] += ok
            t[1] += 1
            if not known:
                t[2] += ok
                t[3] += 1
            if not ok:
                tag = f"  [documented: {known}]" if known else ""
                lines.append(f"{field}\t{rec['id']}\tgot={got!r}\twant={want!r}{tag}")
        if isinstance(cable, Cable):
            if cable.origin_name and locations and cable.origin_name not in locations:
                not_in_list[cable.origin_name] = not_in_list.get(cable.origin_name, 0) + 1
            if cable.date is None:
                undated.append(rec["id"])
    for name, n in sorted(not_in_list.items()):
        lines.append(f"origin_name_not_in_cable2graph_list\t{name}\t{n} cables")
    return {"totals": totals, "undated": undated, "not_in_list": not_in_list}, lines


def throughput(texts: list[str], runs: int) -> tuple[float, float, float]:
    """(best seconds, cables/s, MB/s) of parsing every text, warm, best of ``runs``."""
    for t in texts:  # warm-up: caches (station table), regex compilation, allocator
        parse(t)
    size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = float("inf")
    gc.disable()
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            for t in texts:
                parse(t)
            best = min(best, time.perf_counter() - t0)
    finally:
        gc.enable()
    return best, len(texts) / best, size_mb / best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--runs", type=int, default=5, help="throughput runs; the best is reported")
    ap.add_argument("--show", action="store_true", help="print every mismatch")
    ap.add_argument("--mismatches", type=Path, default=REPO / ".cache" / "measure_parse_mismatches.txt")
    ap.add_argument("--no-throughput", action="store_true")
    args = ap.parse_args(argv)

    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    results = [parse(r["raw"]) for r in records]
    failures = [r["id"] for r, c in zip(records, results) if not isinstance(c, Cable)]
    scores, lines = accuracy(records, results)

    print(f"corpus: {args.corpus} ({len(records)} records)")
    print(f"parse failures: {len(failures)} {failures[:10]}")
    print(f"{'field':<16}{'all records':>22}{'metadata errors/gaps out':>26}{'target':>9}")
    met = True
    for field, (ok, n, ok_a, n_a) in scores["totals"].items():
        pa, pb = ok / n if n else 0.0, ok_a / n_a if n_a else 0.0
        target = TARGETS.get(field)
        met &= target is None or pb >= target
        shown = f"{target:>9.1%}" if target is not None else "     info"
        print(f"{field:<16}{ok:>6}/{n:<5}{pa:>10.2%}{ok_a:>9}/{n_a:<5}{pb:>11.2%}{shown}")
    undated = scores["undated"]
    print(f"cables whose text carries no date-time group or dateline (date=None): {len(undated)}")
    if scores["not_in_list"]:
        print(f"origin names not in cable2graph_locations.list: {scores['not_in_list']}")
    args.mismatches.parent.mkdir(parents=True, exist_ok=True)
    args.mismatches.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"mismatches: {len(lines)} lines in {args.mismatches}")
    if args.show:
        print("\n".join(lines))

    if not args.no_throughput:
        texts = [r["raw"] for r in records]
        best, cps, mbps = throughput(texts, args.runs)
        print(f"throughput: {cps:,.0f} cables/s, {mbps:.1f} MB/s (best of {args.runs}: {best:.3f} s for "
              f"{len(texts)} cables, one process, warm) - target 3,000 cables/s")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
