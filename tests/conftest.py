"""Shared fixtures: where the reference data lives, and how its absence is handled.

The reference data in ``../shared/data`` (beside the repository) is read, never
copied. Outside CI a test that needs it is skipped with a clear message when it is
absent; under ``CI=true`` it is always there, so its absence is a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data"))


def require_shared(*parts: str) -> Path:
    """Path to a file under the shared reference data; skip (or fail under CI) if absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        msg = f"reference data not found: {path} (set CABLES_SHARED_DATA to ../shared/data)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def corpus() -> list[dict]:
    """The ~1,000 real cables of the dev corpus, with their trusted metadata."""
    path = require_shared("corpus", "dev-cables.jsonl")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def seed_cable() -> str:
    """The seed cable (PlusD partial extract), shipped as a package sample."""
    return (REPO / "streams" / "samples" / "seed-cable.txt").read_text(encoding="utf-8")
