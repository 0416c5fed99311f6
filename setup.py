"""Build hook: compiles the enrichment's hot modules with mypyc (metadata is in pyproject.toml).

Why: the enrichment stage has to keep up with the stream on one core; compiled, the same Python
runs about 1.5 times faster (``ops/measure_enrich.py --compare``). The sources stay the
reference: ``streams/enrich/native.py`` runs them instead whenever they differ from what was
compiled (the digests recorded here in ``compiled.json``).

``CABLES_ENRICH_PURE_PYTHON=1`` skips the compilation. A compilation that fails (no C compiler,
a type error mypyc refuses) leaves a working install of the sources, with a warning.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "streams" / "enrich"))
import native  # noqa: E402  (the module list and digests; it imports nothing of the package)

sys.path.pop(0)
SOURCES = [f"streams/enrich/{m}.py" for m in native.COMPILED]


def _warn(message: str) -> None:
    print(f"cablestream: {message}; the enrichment will run its Python sources (slower)", file=sys.stderr)


class OptionalBuildExt(build_ext):
    """Builds the mypyc extensions; records the sources' digests only when every one was built."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - a failed build still installs the sources
            _warn(f"mypyc build failed ({exc})")
            return
        record = json.dumps({"sources": native.source_digests(ROOT / "streams" / "enrich")}, indent=1)
        targets = {Path(self.build_lib) / "streams" / "enrich"}
        if self.inplace or getattr(self, "editable_mode", False):
            targets.add(ROOT / "streams" / "enrich")
        for target in targets:
            target.mkdir(parents=True, exist_ok=True)
            (target / native.RECORD).write_text(record + "\n", encoding="utf-8")


def extensions() -> list:
    # the true spellings pydantic accepts for the same setting (Settings.enrich_pure_python)
    if os.environ.get("CABLES_ENRICH_PURE_PYTHON", "").strip().lower() in ("1", "on", "t", "true", "y", "yes"):
        return []
    try:
        from mypyc.build import mypycify

        return mypycify(SOURCES, opt_level="3", group_name=native.GROUP)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - mypyc missing or refusing: install the sources
        _warn(f"mypyc could not compile ({exc})")
        return []


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
