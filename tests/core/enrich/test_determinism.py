"""Entity lists do not depend on hash order: the corpus enriched under two hash seeds is identical.

Python randomizes ``str`` hashes per process (``PYTHONHASHSEED``), so a result that depends on
iterating a set or on hash order can differ from one worker process to the next. The corpus is
enriched in two subprocesses with different seeds and every cable's entities compared exactly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO, require_shared

# Run in a fresh interpreter: parse and enrich every corpus cable, print one JSON line a cable
# with every field of every entity (type, text, normalized, count, spans, attributes).
_DUMP = r"""
import dataclasses, json, sys
from streams.core.enrich import enrich
from streams.core.model import Cable, Failure, Tag
try:
    from streams.core.parse import parse
except ImportError:
    parse = None
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    cable = parse(rec["raw"]) if parse else None
    if cable is None or isinstance(cable, Failure):
        cable = Cable(body=rec["body"], date=rec["expected"].get("date"),
                      tags=tuple(Tag(c) for c in rec["expected"]["tags"]))
    out = [[e.type, e.text, e.normalized, e.count, [list(s) for s in e.spans], sorted(e.attributes.items())]
           for e in enrich(cable).entities]
    print(json.dumps([rec["id"], out]))
"""


def _entities_under_seed(corpus_path: str, seed: str) -> dict[str, list]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    run = subprocess.run([sys.executable, "-c", _DUMP, corpus_path], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=600, check=True)
    return dict(json.loads(line) for line in run.stdout.splitlines())


def test_entities_are_identical_under_two_hash_seeds() -> None:
    """Every corpus cable gets exactly the same entity list under PYTHONHASHSEED 1 and 2."""
    path = str(require_shared("corpus", "dev-cables.jsonl"))
    one = _entities_under_seed(path, "1")
    two = _entities_under_seed(path, "2")
    assert len(one) > 1000 and one.keys() == two.keys()
    differ = sorted(cid for cid in one if one[cid] != two[cid])
    assert not differ, f"{len(differ)} cables differ between hash seeds, e.g. {differ[:10]}"
