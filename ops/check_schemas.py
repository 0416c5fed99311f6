#!/usr/bin/env python3
"""Check that every schema change keeps the contract with downstream consumers (run in CI).

For every ``schemas/*.avsc`` of the working tree:

- it parses as an Avro schema, and it and every field of every record in it has a ``doc``;
- it is compatible with the same file at a git revision (default ``HEAD~1``): in the default
  ``backward`` mode the new schema must read records written with the old one, which is what the
  registry enforces too (subject compatibility BACKWARD). ``forward`` checks that the old schema
  reads new records (consumers that have not upgraded yet), ``full`` both;
- a schema present at the base revision still exists (a removed schema breaks its consumers).

A new file passes the compatibility check. When the base revision does not exist (the first
commit, a shallow clone) there is nothing to compare and the check passes with a message.
Compatibility is decided by the ``avro`` package's ``ReaderWriterCompatibilityChecker``.

    python ops/check_schemas.py                   # against HEAD~1 (CI: the previous commit)
    python ops/check_schemas.py --base HEAD       # before committing: against the last commit
    python ops/check_schemas.py --base origin/main --mode full
    python ops/check_schemas.py --history --mode full   # CI: every committed change, in order

Exit status 0 when everything passes, 1 when a problem was found (each printed on its own line).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
from avro.errors import AvroException

REPO = Path(__file__).resolve().parents[1]
SCHEMAS_DIR = "schemas"
MODES = ("backward", "forward", "full")


@dataclass
class Result:
    """What a check found: problems fail it, notes only inform."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse(text: str) -> avro.schema.Schema:
    return avro.schema.parse(text)


def _field_path(schema: object, location: str) -> str:
    """A checker location such as ``/fields/3/type/items/fields/0`` as field names: ``recipients.kind``."""
    names: list[str] = []
    node, previous = schema, ""
    for step in [s for s in location.split("/") if s]:
        if isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
            if previous == "fields" and isinstance(node, dict):
                names.append(str(node.get("name")))
        elif isinstance(node, dict) and step in ("fields", "type", "items", "values"):
            node = node.get(step)
        else:
            break
        previous = step
    return ".".join(names) or "(top level)"


def compatibility_problems(new: str, old: str, mode: str = "backward") -> list[str]:
    """Why ``new`` is not ``mode``-compatible with ``old`` (both schema JSON texts); empty when it is."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    new_schema, old_schema = _parse(new), _parse(old)
    directions = []
    if mode in ("backward", "full"):
        directions.append(("the new schema cannot read records written with the old one", new, new_schema, old_schema))
    if mode in ("forward", "full"):
        directions.append(("the old schema cannot read records written with the new one", old, old_schema, new_schema))
    problems = []
    for what, reader_text, reader, writer in directions:
        result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
        if result.compatibility is SchemaCompatibilityType.compatible:
            continue
        reader_json = json.loads(reader_text)
        locations = sorted(loc for loc in result.locations if loc != "/") or ["/"]
        where = ", ".join(_field_path(reader_json, loc) for loc in locations)
        kinds = ", ".join(sorted({kind.value for kind in result.incompatibilities}))
        details = "; ".join(sorted(result.messages))
        problems.append(f"{what} ({kinds}: {details}) at {where}")
    return problems


def missing_docs(text: str) -> list[str]:
    """The schema's top level and every record field without a non-empty ``doc``, as dotted paths."""
    schema = json.loads(text)
    missing: list[str] = []
    if not (isinstance(schema, dict) and str(schema.get("doc", "")).strip()):
        missing.append(schema.get("name", "(top level)") if isinstance(schema, dict) else "(top level)")

    def walk(node: object, path: str) -> None:
        if isinstance(node, list):  # a union
            for branch in node:
                walk(branch, path)
        elif isinstance(node, dict):
            if node.get("type") == "record":
                for f in node.get("fields", []):
                    field_path = f"{path}.{f['name']}" if path else f["name"]
                    if not str(f.get("doc", "")).strip():
                        missing.append(field_path)
                    walk(f.get("type"), field_path)
            elif node.get("type") == "array":
                walk(node.get("items"), path)
            elif node.get("type") == "map":
                walk(node.get("values"), path)

    walk(schema, "")
    return missing


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def _base_commit(repo: Path, base: str) -> str | None:
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    return found.stdout.strip() if found.returncode == 0 else None


def check(repo: Path = REPO, base: str = "HEAD~1", mode: str = "backward", schemas_dir: str = SCHEMAS_DIR) -> Result:
    """Check every ``<schemas_dir>/*.avsc`` in ``repo``'s working tree against revision ``base``."""
    result = Result()
    current = {path.name: path for path in sorted((repo / schemas_dir).glob("*.avsc"))}
    if not current:
        result.problems.append(f"no {schemas_dir}/*.avsc found in {repo}")
    for name, path in current.items():
        text = path.read_text(encoding="utf-8")
        try:
            _parse(text)
        except (AvroException, json.JSONDecodeError) as exc:
            result.problems.append(f"{schemas_dir}/{name}: not a valid Avro schema: {exc}")
            continue
        result.problems += [f"{schemas_dir}/{name}: no doc on {where}" for where in missing_docs(text)]

    commit = _base_commit(repo, base)
    if commit is None:
        result.notes.append(f"base revision {base} does not exist (first commit or shallow clone): nothing to compare")
        return result
    listed = _git(repo, "ls-tree", "--name-only", f"{commit}:{schemas_dir}")
    before = {line for line in listed.stdout.splitlines() if line.endswith(".avsc")} if listed.returncode == 0 else set()
    for name in sorted(before - current.keys()):
        result.problems.append(f"{schemas_dir}/{name}: removed, but it existed at {base}")
    for name, path in current.items():
        if name not in before:
            result.notes.append(f"{schemas_dir}/{name}: new since {base}")
            continue
        old = _git(repo, "show", f"{commit}:{schemas_dir}/{name}").stdout
        try:
            problems = compatibility_problems(path.read_text(encoding="utf-8"), old, mode)
        except (AvroException, json.JSONDecodeError) as exc:
            result.notes.append(f"{schemas_dir}/{name}: cannot compare with {base} ({exc})")
            continue
        result.problems += [f"{schemas_dir}/{name}: not {mode} compatible with {base}: {p}" for p in problems]
    result.notes.append(f"compared {len(before & current.keys())} schema(s) with {base} ({commit[:12]}), mode {mode}")
    return result


def check_history(repo: Path = REPO, mode: str = "backward", schemas_dir: str = SCHEMAS_DIR) -> Result:
    """Check every committed change of every schema: each version against the one before it.

    CI sees a submission of several commits at once; comparing only with ``HEAD~1`` would
    miss a breaking change made in an earlier commit and kept since.
    """
    result = Result()
    for path in sorted((repo / schemas_dir).glob("*.avsc")):
        rel = f"{schemas_dir}/{path.name}"
        commits = _git(repo, "log", "--format=%H", "--", rel).stdout.split()[::-1]  # oldest first
        versions = [(c[:12], _git(repo, "show", f"{c}:{rel}").stdout) for c in commits]
        versions.append(("working tree", path.read_text(encoding="utf-8")))
        for (old_rev, old), (new_rev, new) in zip(versions, versions[1:]):
            if not old or old == new:
                continue  # deleted then re-added, or unchanged
            try:
                problems = compatibility_problems(new, old, mode)
            except (AvroException, json.JSONDecodeError) as exc:
                result.problems.append(f"{rel}: {new_rev} cannot be compared with {old_rev} ({exc})")
                continue
            result.problems += [f"{rel}: {new_rev} is not {mode} compatible with {old_rev}: {p}" for p in problems]
        result.notes.append(f"{rel}: {len(versions) - 1} committed version(s) checked in order, mode {mode}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD~1", help="git revision to compare with (default: HEAD~1)")
    parser.add_argument("--mode", choices=MODES, default="backward", help="compatibility to require (default: backward)")
    parser.add_argument("--repo", type=Path, default=REPO, help="repository root (default: this script's)")
    parser.add_argument("--history", action="store_true", help="check every committed version against the one before")
    args = parser.parse_args(argv)
    result = check(args.repo, args.base, args.mode)
    if args.history:
        history = check_history(args.repo, args.mode)
        result.problems += history.problems
        result.notes += history.notes
    for note in result.notes:
        print(f"check_schemas: {note}")
    for problem in result.problems:
        print(f"check_schemas: FAIL {problem}", file=sys.stderr)
    print(f"check_schemas: {'ok' if result.ok else f'{len(result.problems)} problem(s)'}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
