"""Measure the enrichment stage: geographic-tag recall, gold-set P/R/F1, throughput.

    .venv/bin/python devtools/measure_enrich.py            # all three
    .venv/bin/python devtools/measure_enrich.py --show     # also list the misses
    .venv/bin/python devtools/measure_enrich.py --only gold|geo|speed
    .venv/bin/python devtools/measure_enrich.py --only speed --processes 2   # also N processes
    .venv/bin/python devtools/measure_enrich.py --compare   # hyperscan vs pyahocorasick, side by side
    .venv/bin/python devtools/measure_enrich.py --blind tune [--show]  # blind gold, tuning half
    .venv/bin/python devtools/measure_enrich.py --blind test            # blind gold, test half: totals only

1. Geographic-tag recall on ``shared/data/corpus/dev-cables.jsonl``: of the countries named by a
   cable's geographic TAGS (the site's tag index, ``expected.tags``), the share found among the
   cable's extracted locations (strict: a country mention; any: also a city/region of it).
2. Precision, recall and F1 per entity type on ``tests/data/gold_entities.jsonl`` (the old
   self-written gold: a regression check written by the extractor's author, not the reported figure).
3. Throughput of ``enrich`` on one core, warm, over the corpus cables parsed with
   ``streams.core.parse.parse`` (parsing is not timed); the process is pinned to one CPU. It says which
   gazetteer matcher ran (``CABLES_ENRICH_MATCHER``).

``--blind tune|test`` scores persons, organizations and locations against the blind gold of
``devtools/gold/`` (annotated without seeing any extractor output; zone and matching rules in
``devtools/scoring.py``): the reported figure is the ``test`` half, which prints totals only (no
per-cable listing, no misses), so that nobody tunes on it; ``tune`` may list misses with ``--show``.

``--compare`` measures the two matchers the stage can run side by side in one run (one process per
way, in turn, ROUNDS times, so that the machine's noise falls on all of them alike) and prints
each one's best and median pass and its speed relative to pyahocorasick.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from devtools import scoring  # noqa: E402
from streams.core.enrich import configure, enrich, runtime_info, warm  # noqa: E402
from streams.vocab import ENTITY_TYPES  # noqa: E402
from streams.core.model import Cable, Failure, Tag  # noqa: E402

SHARED = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data"))
CORPUS = SHARED / "corpus" / "dev-cables.jsonl"
GOLD = REPO / "tests" / "data" / "gold_entities.jsonl"
BLIND_GOLD = REPO / "devtools" / "gold"
# Timed passes over the corpus; the best pass is reported (least disturbed by other processes),
# and the median beside it, so that the noise of a shared machine shows.
PASSES = 9
ROUNDS = 2
# (label, CABLES_ENRICH_MATCHER); the baseline (ratio 1.00) comes first
WAYS = (
    ("pyahocorasick", "ahocorasick"),
    ("hyperscan (default where installed)", "hyperscan"),
)


def corpus_cables() -> list[tuple[dict, Cable]]:
    """Each corpus record with the cable enrich sees: parsed, or (if the parser fails) a cable
    built from the record's body, date and tags."""
    try:
        from streams.core.parse import parse
    except ImportError:  # the parser is not there yet
        parse = None
    out = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            cable = parse(rec["raw"]) if parse else None
            if cable is None or isinstance(cable, Failure):
                exp = rec["expected"]
                cable = Cable(body=rec["body"], date=exp.get("date"), tags=tuple(Tag(c) for c in exp["tags"]))
            elif cable.date is None:
                cable = dataclasses.replace(cable, date=rec["expected"].get("date"))
            out.append((rec, cable))
    return out


def measure_geo(cables: list[tuple[dict, Cable]], show: bool) -> scoring.GeoRecall:
    result = scoring.GeoRecall()
    for rec, cable in cables:
        scoring.add_geo(result, rec["id"], rec["expected"]["tags"], enrich(cable).entities)
    print(f"geo-tag recall: {result.recall:.1%} strict (country mention), {result.recall_any:.1%} any "
          f"location of that country; {result.strict}/{result.total} tag-countries in {len(cables)} cables")
    if show:
        for cable_id, code, iso in result.misses:
            print(f"  miss {cable_id} {code} -> {iso}")
    return result


def measure_gold(show: bool) -> scoring.GoldResult:
    records = scoring.load_gold(GOLD)
    result = scoring.score_gold(records)
    print(f"gold set: {len(records)} cables, {sum(len(r['entities']) for r in records)} entities")
    print(f"  {'type':<16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for t in ENTITY_TYPES:
        c = result.counts[t]
        print(f"  {t:<16} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    if show:
        for cid, t, norm in result.false_negatives:
            print(f"  FN {cid} {t}: {norm}")
        for cid, t, text, norm in result.false_positives:
            print(f"  FP {cid} {t}: {text!r} -> {norm}")
    return result


def measure_blind(split: str, show: bool, gold_dir: Path = BLIND_GOLD) -> scoring.GoldResult:
    """P/R/F1 per type on one half of the blind gold; misses only for ``tune`` (``--show``)."""
    records = scoring.load_blind(gold_dir, split)
    if not records:
        raise SystemExit(f"no {split!r} records in {gold_dir}/blind_gold_*.jsonl")
    corpus = {}
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            corpus[rec["id"]] = rec
    result = scoring.score_blind(records, corpus)
    print(f"blind gold, {split} half: {len(records)} cables, {sum(len(r['entities']) for r in records)} entities")
    print(f"  {'type':<16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for t in scoring.BLIND_TYPES:
        c = result.counts[t]
        print(f"  {t:<16} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    if show and split == "tune":
        for cid, t, norm in result.false_negatives:
            print(f"  FN {cid} {t}: {norm}")
        for cid, t, text, norm in result.false_positives:
            print(f"  FP {cid} {t}: {text!r} -> {norm}")
    return result


def measure_speed(cables: list[tuple[dict, Cable]], as_json: bool = False) -> float:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    t0 = time.perf_counter()
    warm()
    build = time.perf_counter() - t0
    only = [c for _, c in cables]
    for c in only[:50]:
        enrich(c)
    passes = []
    for _ in range(PASSES):
        t = time.perf_counter()
        for c in only:
            enrich(c)
        passes.append(time.perf_counter() - t)
    size = sum(len(c.body) for c in only) / len(only)
    rate = len(only) / min(passes)
    median = len(only) / statistics.median(passes)
    how = runtime_info()
    if as_json:
        print(json.dumps({"best": rate, "median": median, **how}))
        return rate
    print(f"throughput: {rate:,.0f} cables/s on one core (best of {PASSES} passes over {len(only)} cables, "
          f"median {median:,.0f}; mean body {size / 1000:.1f} KB, {rate * size / 1e6:.1f} MB/s); "
          f"data load + automata {build:.2f} s")
    print(f"  ran: matcher {how['matcher']}")
    return rate


def compare() -> None:
    """Each way of running the stage, in turn, ROUNDS times (see the module docstring)."""
    import subprocess

    results: dict[str, list[dict]] = {label: [] for label, _ in WAYS}
    for _ in range(ROUNDS):
        for label, matcher in WAYS:
            env = dict(os.environ, CABLES_ENRICH_MATCHER=matcher)
            out = subprocess.run([sys.executable, "-W", "ignore", __file__, "--only", "speed", "--json"],
                                 env=env, capture_output=True, text=True, check=True).stdout
            results[label].append(json.loads(out.strip().splitlines()[-1]))
    base = max(r["best"] for r in results[WAYS[0][0]])
    print(f"side by side, {ROUNDS} rounds of {PASSES} passes each over the corpus, one core:")
    print(f"  {'way':<32} {'best':>7} {'median':>7} {'x best':>7}  ran")
    for label, rows in results.items():
        best = max(r["best"] for r in rows)
        median = statistics.median(r["median"] for r in rows)
        print(f"  {label:<32} {best:7,.0f} {median:7,.0f} {best / base:7.2f}  {rows[-1]['matcher']}")


def _enrich_all(cables: list[Cable]) -> int:
    for c in cables:
        enrich(c)
    return len(cables)


def measure_processes(cables: list[tuple[dict, Cable]], processes: int) -> float:
    """Aggregate throughput of ``processes`` worker processes, each enriching its share (the stage
    is pure, so partitions can be spread over processes)."""
    import multiprocessing as mp

    only = [c for _, c in cables]
    shares = [only[i::processes] for i in range(processes)]
    with mp.get_context("fork").Pool(processes, initializer=warm) as pool:
        pool.map(_enrich_all, [s[:50] for s in shares])  # warm every worker
        best = float("inf")
        for _ in range(PASSES):
            t = time.perf_counter()
            pool.map(_enrich_all, shares)
            best = min(best, time.perf_counter() - t)
    rate = len(only) / best
    print(f"throughput: {rate:,.0f} cables/s with {processes} processes on {os.cpu_count()} cores")
    return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="list misses and false positives")
    ap.add_argument("--only", choices=("gold", "geo", "speed"))
    ap.add_argument("--processes", type=int, default=0,
                    help="also measure the aggregate throughput of N worker processes")
    ap.add_argument("--compare", action="store_true", help="the two matchers, side by side")
    ap.add_argument("--blind", choices=("tune", "test"),
                    help="score the blind gold's tuning or test half (test: totals only)")
    ap.add_argument("--gold-dir", type=Path, default=BLIND_GOLD, help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # --only speed, for --compare
    args = ap.parse_args(argv)
    configure(os.environ.get("CABLES_ENRICH_MATCHER", "auto"))
    if args.compare:
        compare()
        return 0
    if args.blind:
        if args.blind == "test" and args.show:
            ap.error("--show lists misses: tuning half only")
        measure_blind(args.blind, args.show, args.gold_dir)
        return 0
    if args.only in (None, "speed"):
        cables = corpus_cables()
        if args.processes > 1:
            measure_processes(cables, args.processes)
        measure_speed(cables, as_json=args.json)
        if args.json:
            return 0
    if args.only in (None, "gold"):
        measure_gold(args.show)
    if args.only in (None, "geo"):
        measure_geo(corpus_cables() if args.only == "geo" else cables, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
