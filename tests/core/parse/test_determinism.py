"""Parse results do not depend on hash order: the same texts parsed under two hash seeds give equal records."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO, require_shared

_DIGEST = """
import hashlib, json, sys
from streams.core.parse import parse
h = hashlib.sha256()
for path, key in ((sys.argv[1], "raw"), (sys.argv[2], "cable")):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            h.update(repr(parse(json.loads(line)[key])).encode())
print(h.hexdigest())
"""


def _digest(seed: str, corpus: str, peer: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", _DIGEST, corpus, peer], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True, timeout=300)
    return out.stdout.strip()


def test_records_are_equal_under_two_hash_seeds():
    """Every corpus cable and peer case parses to the same record under PYTHONHASHSEED 1 and 2."""
    corpus = str(require_shared("corpus", "dev-cables.jsonl"))
    peer = str(require_shared("peer", "cablemap_cases_dev.jsonl"))
    assert _digest("1", corpus, peer) == _digest("2", corpus, peer)
