"""The compiled (mypyc) enrichment: when it runs, that it gives what the sources give, and that
the sources keep type-checking (a type error would silently leave the install uncompiled)."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from streams.enrich import enrich, native
from streams.enrich import entities as entities_module

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "gold_entities.jsonl"
DIGESTS = {m: f"sha-{m}" for m in native.COMPILED}


def test_the_sources_run_when_asked() -> None:
    assert native.decide(True, set(native.COMPILED), DIGESTS, DIGESTS).mode == "source"


def test_the_compiled_modules_run_when_built_from_these_sources() -> None:
    assert native.decide(False, set(native.COMPILED), DIGESTS, DIGESTS).mode == "compiled"


def test_the_sources_run_when_nothing_was_compiled() -> None:
    choice = native.decide(False, set(), None, DIGESTS)
    assert choice.mode == "source" and "not compiled" in choice.reason


def test_an_edited_source_is_never_shadowed_by_its_stale_extension() -> None:
    edited = dict(DIGESTS, persons="sha-edited")
    choice = native.decide(False, set(native.COMPILED), DIGESTS, edited)
    assert choice.mode == "source" and "persons" in choice.reason


@pytest.mark.parametrize("extensions, recorded", [
    (set(native.COMPILED) - {"places"}, DIGESTS),  # one extension missing
    (set(native.COMPILED), None),  # built, but the digests were not recorded
])
def test_an_incomplete_build_runs_the_sources(extensions, recorded) -> None:
    assert native.decide(False, extensions, recorded, DIGESTS).mode == "source"


def test_the_install_compiled_the_stage() -> None:
    """Under CI the install (``ops/bootstrap.sh``) must have compiled the stage, so that the
    tests run the code the worker runs; elsewhere a pure-Python install is allowed."""
    choice = native.current()
    if choice.mode != "compiled":
        msg = f"the enrichment runs its {choice}"
        if os.environ.get("CI") == "true" and os.environ.get("CABLES_ENRICH_PURE_PYTHON") != "1":
            pytest.fail(msg)
        pytest.skip(msg)
    assert entities_module.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def enriched_samples() -> list[list]:
    """The gold cables and the seed cable (parsed), enriched: every entity as plain data."""
    from streams.enrich import scoring
    from streams.parse import parse

    cables = [scoring.gold_cable(rec) for rec in scoring.load_gold(GOLD)]
    cables.append(parse((REPO / "streams" / "samples" / "seed-cable.txt").read_text(encoding="utf-8")))
    return [[[e.type, e.text, e.normalized, e.count, [list(s) for s in e.spans], e.attributes]
             for e in enrich(cable).entities] for cable in cables]


def test_sources_and_compiled_modules_give_the_same_entities() -> None:
    """The gold and seed cables, enriched here and by the sources in another process."""
    script = (
        "import json, sys\n"
        "from streams.enrich import native\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_enrich_native import enriched_samples\n"
        "assert native.current().mode == 'source', native.current()\n"
        "print(json.dumps(enriched_samples()))\n"
    )
    env = dict(os.environ, CABLES_ENRICH_PURE_PYTHON="1")
    done = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=True)
    by_sources = json.loads(done.stdout)
    here = json.loads(json.dumps(enriched_samples()))
    assert sum(len(e) for e in here) > 500
    assert here == by_sources


def test_the_compiled_modules_type_check() -> None:
    """mypyc compiles only code that type-checks; a type error would make the install fall back
    to the (slower) sources with no more than a warning."""
    from mypy import api

    stdout, stderr, status = api.run([str(REPO / "streams" / "enrich"), "--config-file", str(REPO / "pyproject.toml")])
    assert status == 0, stdout + stderr


def test_the_fast_entity_constructor_builds_the_same_frozen_entity() -> None:
    import dataclasses

    from streams.enrich.mentions import new_entity
    from streams.model import Entity

    args = ("location", "Kazakhstan", "KZ", 2, ((3, 13), (40, 50)), {"kind": "country", "iso": "KZ"})
    fast, slow = new_entity(*args), Entity(*args)
    assert type(fast) is Entity and fast == slow
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.count = 3  # type: ignore[misc]
