#!/usr/bin/env python3
"""Validate blind_gold_*.jsonl files in this folder.

Checks: valid JSON per line; keys; id in selection.txt with the right split; no duplicate
ids; annotator given; entity types in {person, organization, location}; non-empty
normalized and forms; every form occurs verbatim in the cable's raw text (after
collapsing runs of whitespace to one space in both); no form is a redaction; no
duplicate forms within an entity; no 2-upper-case-letter
normalized value on a person (warning). Prints per-file counts. Exit code 1 on any error.
"""
import collections
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = "/work/shared/data/corpus/dev-cables.jsonl"
TYPES = {"person", "organization", "location"}
WS = re.compile(r"\s+")


def norm(s: str) -> str:
    return WS.sub(" ", s)


def load_selection():
    sel = {}
    with open(os.path.join(HERE, "selection.txt"), encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            pos, cid, split = line.rstrip("\n").split("\t")
            sel[cid] = (int(pos), split)
    return sel


def main() -> int:
    sel = load_selection()
    raw = {}
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in sel:
                raw[rec["id"]] = norm(rec["raw"])
    errors = 0
    files = sorted(glob.glob(os.path.join(HERE, "blind_gold_*.jsonl")))
    if not files:
        print("no blind_gold_*.jsonl files")
    for path in files:
        seen = set()
        counts = collections.Counter()
        ncables = 0
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{os.path.basename(path)}:{n}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    print(f"{where}: bad JSON: {e}")
                    errors += 1
                    continue
                cid = rec.get("id")
                if cid not in sel:
                    print(f"{where}: id {cid!r} not in selection")
                    errors += 1
                    continue
                if cid in seen:
                    print(f"{where}: duplicate id {cid}")
                    errors += 1
                seen.add(cid)
                ncables += 1
                if rec.get("split") != sel[cid][1]:
                    print(f"{where}: {cid} split {rec.get('split')!r} != {sel[cid][1]!r}")
                    errors += 1
                if not rec.get("annotator"):
                    print(f"{where}: {cid} no annotator")
                    errors += 1
                ents = rec.get("entities")
                if not isinstance(ents, list):
                    print(f"{where}: {cid} entities not a list")
                    errors += 1
                    continue
                keys = collections.Counter()
                for e in ents:
                    t, nm, forms = e.get("type"), e.get("normalized"), e.get("forms")
                    if t not in TYPES:
                        print(f"{where}: {cid} bad type {t!r} ({nm})")
                        errors += 1
                    if not isinstance(nm, str) or not nm.strip():
                        print(f"{where}: {cid} empty normalized ({t})")
                        errors += 1
                        nm = str(nm)
                    if re.fullmatch(r"[A-Z]{2}", nm) and t == "person":
                        print(f"{where}: {cid} warning: 2-letter normalized {nm!r} on person")
                    keys[(t, nm)] += 1
                    if not isinstance(forms, list) or not forms:
                        print(f"{where}: {cid} no forms for {nm!r}")
                        errors += 1
                        continue
                    if len(set(forms)) != len(forms):
                        print(f"{where}: {cid} duplicate forms in {nm!r}")
                        errors += 1
                    for f in forms:
                        if not isinstance(f, str) or not f.strip():
                            print(f"{where}: {cid} empty form in {nm!r}")
                            errors += 1
                        elif "XXXX" in f:
                            print(f"{where}: {cid} redaction used as form {f!r}")
                            errors += 1
                        elif norm(f) not in raw[cid]:
                            print(f"{where}: {cid} form {f!r} ({t} {nm!r}) not in raw text")
                            errors += 1
                    counts[t] += 1
                for k, c in keys.items():
                    if c > 1:
                        print(f"{where}: {cid} duplicate entity {k}")
                        errors += 1
        print(f"{os.path.basename(path)}: {ncables} cables, "
              + ", ".join(f"{t} {counts[t]}" for t in sorted(TYPES))
              + f", total {sum(counts.values())}")
    print("OK" if not errors else f"{errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
