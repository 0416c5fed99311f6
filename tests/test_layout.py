"""The package's layering holds: the pure core imports nothing from the Kafka edge or observability,
and nothing under ``streams/`` imports the development tools."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

STREAMS = Path(__file__).resolve().parents[1] / "streams"
# What the pure core may not import: the edge, observability, the environment, clients, tools.
CORE_FORBIDDEN = ("streams.kafka", "streams.obs", "streams.cli", "streams.synth", "streams.settings", "faust",
                  "aiokafka", "confluent_kafka", "prometheus_client", "structlog", "devtools")


def _imports(path: Path) -> set[str]:
    """Every module name ``path`` imports (absolute; relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(STREAMS.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(STREAMS / "core"), ids=lambda p: str(p.relative_to(STREAMS)))
def test_core_imports_neither_kafka_nor_observability(path: Path) -> None:
    """A module of ``streams.core`` imports no Kafka client, no Faust, and nothing of the edge or obs."""
    bad = sorted(n for n in _imports(path) if any(n == f or n.startswith(f + ".") for f in CORE_FORBIDDEN))
    assert not bad, f"{path.relative_to(STREAMS)} imports {bad}"


@pytest.mark.parametrize("path", _modules(STREAMS), ids=lambda p: str(p.relative_to(STREAMS)))
def test_runtime_never_imports_devtools(path: Path) -> None:
    """Nothing installed with the runtime needs the development tools."""
    assert not any(n == "devtools" or n.startswith("devtools.") for n in _imports(path))


def test_the_import_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself finds an edge import (so the tests above cannot pass vacuously)."""
    probe = STREAMS / "core" / "_probe_for_layout_test.py"
    probe.write_text("from streams.kafka import codec\nimport structlog\n", encoding="utf-8")
    try:
        found = _imports(probe)
        assert {"streams.kafka", "streams.kafka.codec", "structlog"} <= found
        assert any(n.startswith(f) for n in found for f in CORE_FORBIDDEN)
    finally:
        probe.unlink()
