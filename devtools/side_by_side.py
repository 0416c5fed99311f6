"""Parse and enrich CPU time per cable, for several checkouts of the project, side by side.

    .venv/bin/python devtools/side_by_side.py /tmp/main-checkout .        # base first
    .venv/bin/python devtools/side_by_side.py --rounds 4 --passes 5 A B C

Each checkout (a directory holding ``streams/``, e.g. ``git archive main | tar -x -C /tmp/x``) is
measured in its own process with that directory first on ``sys.path``, in turn, ``--rounds``
times, so that the noise of a shared machine falls on every checkout alike. A process parses the
corpus cables (``shared/data/corpus/dev-cables.jsonl``) and enriches the parsed cables, each
``--passes`` times, and reports the best pass of each stage in CPU time (``time.process_time``:
time spent waiting for the CPU is not counted). Printed: per checkout the best over the rounds in
microseconds per cable, and the ratio to the first checkout (lower is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data"))
CORPUS = SHARED / "corpus" / "dev-cables.jsonl"

# Runs inside the measured checkout (its own code only: nothing from this file is imported there).
_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
try:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
except (AttributeError, OSError):
    pass
from streams.core.parse import parse
from streams.core.enrich import enrich, warm
from streams.core.model import Failure
raws = [json.loads(line)["raw"] for line in open(sys.argv[2], encoding="utf-8")]
warm()
passes = int(sys.argv[3])
best_parse = best_enrich = float("inf")
for _ in range(passes):
    t = time.process_time()
    cables = [parse(r) for r in raws]
    best_parse = min(best_parse, time.process_time() - t)
    cables = [c for c in cables if not isinstance(c, Failure)]
    t = time.process_time()
    for c in cables:
        enrich(c)
    best_enrich = min(best_enrich, time.process_time() - t)
print(json.dumps({"parse_us": 1e6 * best_parse / len(raws), "enrich_us": 1e6 * best_enrich / len(cables),
                  "cables": len(cables), "module": __import__("streams").__file__}))
"""


def run(checkout: Path, passes: int) -> dict:
    """One measurement process for one checkout."""
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", _CHILD, str(checkout), str(CORPUS), str(passes)],
                         capture_output=True, text=True, check=True, cwd=checkout,
                         env={**os.environ, "PYTHONPATH": str(checkout)}).stdout
    got = json.loads(out.strip().splitlines()[-1])
    if not got["module"].startswith(str(checkout)):
        raise SystemExit(f"{checkout}: imported {got['module']} instead")
    return got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkouts", nargs="+", type=Path, help="directories holding streams/ (the first is the base)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=5)
    args = ap.parse_args(argv)
    dirs = [c.resolve() for c in args.checkouts]
    results: dict[Path, list[dict]] = {d: [] for d in dirs}
    for _ in range(args.rounds):
        for d in dirs:
            results[d].append(run(d, args.passes))
    base = dirs[0]
    best = {d: {k: min(r[k] for r in rs) for k in ("parse_us", "enrich_us")} for d, rs in results.items()}
    print(f"best of {args.rounds} rounds x {args.passes} passes, CPU time per cable "
          f"({results[base][0]['cables']} corpus cables), ratio to {base}:")
    print(f"  {'checkout':<40} {'parse us':>9} {'enrich us':>9} {'sum us':>8} {'x enrich':>8} {'x sum':>6}")
    for d in dirs:
        b = best[d]
        total, base_total = b["parse_us"] + b["enrich_us"], best[base]["parse_us"] + best[base]["enrich_us"]
        print(f"  {str(d):<40} {b['parse_us']:9.0f} {b['enrich_us']:9.0f} {total:8.0f} "
              f"{b['enrich_us'] / best[base]['enrich_us']:8.2f} {total / base_total:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
