#!/usr/bin/env python3
"""Annotation helper: read a compact spec on stdin and (re)write that cable's line in
blind_gold_<annotator>.jsonl.

Spec: first line `<cable id>`, then one entity per line `P|O|L <bar> normalized <bar> form1;form2`.
Usage: python3 add.py a < spec
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
T = {"P": "person", "O": "organization", "L": "location"}
ann = sys.argv[1]
lines = [l for l in sys.stdin.read().strip().split("\n") if l.strip()]
cid = lines[0].strip()
sel = {}
for l in open(os.path.join(HERE, "selection.txt")):
    if not l.startswith("#"):
        p = l.rstrip("\n").split("\t")
        sel[p[1]] = p[2]
ents = []
for l in lines[1:]:
    t, n, f = l.split("|")
    ents.append({"type": T[t.strip()], "normalized": n.strip(), "forms": [x for x in f.split(";") if x]})
rec = {"id": cid, "split": sel[cid], "annotator": ann, "entities": ents}
path = os.path.join(HERE, f"blind_gold_{ann}.jsonl")
old = []
if os.path.exists(path):
    old = [l for l in open(path, encoding="utf-8") if l.strip() and json.loads(l)["id"] != cid]
old.append(json.dumps(rec, ensure_ascii=False) + "\n")
order = list(sel)
old.sort(key=lambda l: order.index(json.loads(l)["id"]))
with open(path, "w", encoding="utf-8") as fh:
    fh.writelines(old)
print(f"{cid}: {len(ents)} entities")
