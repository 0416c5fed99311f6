#!/usr/bin/env python3
"""Print the raw text of the cable at a selection position (annotation helper)."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sel = [l.rstrip("\n").split("\t") for l in open(os.path.join(HERE, "selection.txt")) if not l.startswith("#")]
pos = int(sys.argv[1])
cid = sel[pos - 1][1]
for line in open("/work/shared/data/corpus/dev-cables.jsonl", encoding="utf-8"):
    r = json.loads(line)
    if r["id"] == cid:
        print(f"=== position {pos} {cid} ({sel[pos-1][2]}) ===")
        print(r["raw"])
