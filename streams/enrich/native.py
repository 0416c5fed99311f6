"""Whether the enrichment's hot modules run compiled (mypyc) or as their Python sources.

Installing the package (``bash ops/bootstrap.sh``, ``pip install``) compiles the modules of
:data:`COMPILED` with mypyc (``setup.py``): the same code, about 1.5 times faster, which the
stage needs to keep up with the stream (``ops/measure_enrich.py --compare`` measures both). The
sources stay the reference. The build records their SHA-256 in ``compiled.json``; compiled modules
are used only while the sources beside them are the ones compiled. After an edit or a checkout the
sources run (with a warning) until the next install, so a test never runs stale compiled code.
``CABLES_ENRICH_PURE_PYTHON=1`` (:class:`streams.settings.Settings`) runs the sources always, and at
build time skips the compilation.

:func:`choose` is called by ``streams/enrich/__init__.py`` before any compiled module is imported;
when it picks the sources, an import hook loads them in place of the extension modules.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "streams.enrich"
HERE = Path(__file__).resolve().parent
# The modules setup.py compiles (the per-cable hot path), in no particular order.
COMPILED = ("mentions", "resources", "gazetteer", "document", "dates", "references", "persons", "organizations", "places",
            "entities")
# mypyc's group (setup.py: group_name); its shared library is a top-level module.
GROUP = "cablestream_enrich"
GROUP_LIBRARY = f"{GROUP}__mypyc"
RECORD = "compiled.json"


@dataclass(frozen=True)
class Choice:
    """What runs: ``compiled`` or ``source``, and why."""

    mode: str
    reason: str

    def __str__(self) -> str:
        return "compiled with mypyc" if self.mode == "compiled" else f"Python sources ({self.reason})"


def source_digests(directory: Path = HERE) -> dict[str, str]:
    """SHA-256 of each compiled module's source file."""
    return {m: hashlib.sha256((directory / f"{m}.py").read_bytes()).hexdigest() for m in COMPILED}


def decide(pure_python: bool, extensions: set[str], recorded: dict[str, str] | None,
           current: dict[str, str]) -> Choice:
    """The choice, from: the setting, the modules with an extension file, the digests the build
    recorded (None: no record) and the digests of the sources now."""
    if pure_python:
        return Choice("source", "CABLES_ENRICH_PURE_PYTHON=1")
    missing = [m for m in COMPILED if m not in extensions]
    if len(missing) == len(COMPILED):
        return Choice("source", "not compiled: install with `bash ops/bootstrap.sh`")
    if missing or recorded is None:
        return Choice("source", "incomplete build: reinstall with `bash ops/bootstrap.sh`")
    changed = sorted(m for m in COMPILED if recorded.get(m) != current[m])
    if changed:
        return Choice("source", f"sources changed since compiled ({', '.join(changed)}): "
                                "reinstall with `bash ops/bootstrap.sh`")
    return Choice("compiled", "")


def _extensions(directory: Path) -> set[str]:
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return {m for m in COMPILED if any((directory / f"{m}{s}").exists() for s in suffixes)}


def _recorded(directory: Path) -> dict[str, str] | None:
    try:
        return dict(json.loads((directory / RECORD).read_text(encoding="utf-8"))["sources"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Loads the compiled modules' ``.py`` sources instead of their extension files."""

    def __init__(self, directory: Path) -> None:
        self.paths = {f"{PACKAGE}.{m}": directory / f"{m}.py" for m in COMPILED}

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - the finder protocol
        location = self.paths.get(fullname)
        return importlib.util.spec_from_file_location(fullname, location) if location else None


_choice: Choice | None = None


def choose(pure_python: bool) -> Choice:
    """Decide once per process and, for the sources, install the import hook (idempotent)."""
    global _choice
    if _choice is not None:
        return _choice
    choice = decide(pure_python, _extensions(HERE), _recorded(HERE), source_digests(HERE))
    if choice.mode == "compiled":
        try:
            importlib.import_module(GROUP_LIBRARY)
        except ImportError as exc:
            choice = Choice("source", f"compiled library unusable ({exc}): reinstall with `bash ops/bootstrap.sh`")
    if choice.mode == "source":
        sys.meta_path.insert(0, _SourcesFirst(HERE))
        if not pure_python:
            warnings.warn(f"enrichment runs its {choice}; it is slower than compiled", RuntimeWarning, stacklevel=2)
    _choice = choice
    return choice


def current() -> Choice:
    """The choice made for this process (before any import of the stage: not decided yet)."""
    return _choice or Choice("source", "not decided yet")
