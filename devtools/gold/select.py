#!/usr/bin/env python3
"""Deterministic selection of 60 cables for the blind NER gold standard.

Keeps corpus records whose `raw` is 1,500..12,000 characters (inclusive), sorts
their ids by sha256(id) (hex digest), takes the first 60 and writes
selection.txt: `<position>\t<id>\t<split>` with split alternating tune/test
(position 1 = tune, 2 = test, ...).
"""
import hashlib
import json
import pathlib

CORPUS = pathlib.Path("/work/shared/data/corpus/dev-cables.jsonl")
OUT = pathlib.Path(__file__).resolve().parent / "selection.txt"


def main() -> None:
    ids = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if 1500 <= len(rec["raw"]) <= 12000:
                ids.append(rec["id"])
    ids.sort(key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())
    chosen = ids[:60]
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# position\tid\tsplit\n")
        for pos, cid in enumerate(chosen, 1):
            out.write(f"{pos}\t{cid}\t{'tune' if pos % 2 == 1 else 'test'}\n")
    print(f"{len(ids)} eligible, wrote {len(chosen)} ids to {OUT}")


if __name__ == "__main__":
    main()
