"""Where raw cable messages come from: files, folders, JSON Lines, cables.csv dumps, stdin.

:func:`iter_messages` yields ``(label, message_text)`` pairs, one per raw-topic message, in order:

- a raw cable file (any other extension): the whole file is one message; label = the path;
- a folder: every regular file below it (sorted, hidden files skipped), each read as above
  or, by extension, as JSON Lines / CSV dump;
- JSON Lines (``.jsonl``, ``.ndjson``; also stdin whose first line is a JSON object): one
  message per line from its ``raw`` field, other fields ignored, blank lines skipped;
  label = ``path:line`` (plus ``:id`` when the record has an ``id``);
- a cables.csv dump (``.csv``; also stdin that starts like a dump row): one message per row,
  in the CSV message form of :mod:`streams.core.parse.csvrow` (one RFC 4180 record of the 8
  fields ``id, date, refid, origin, classification, references, header, body``, every field
  quoted, quotes doubled, no trailing newline); label = ``path:row:refid``. The dump itself
  is read with ``\\"`` or ``""`` as the quote escape and may have a header row, which is skipped;
- ``-``: standard input, sniffed as JSON Lines, CSV dump or one raw cable.

Files are UTF-8. Bytes that are not UTF-8 are kept as lone surrogates (``surrogateescape``), so
``text.encode("utf-8", "surrogateescape")`` gives back the original bytes for the publisher:
a bad file is published as it is and dead-lettered by the worker, not silently repaired here.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from streams.core.parse import csvrow

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
ENCODING_ERRORS = "surrogateescape"


def _jsonl(lines: Iterator[str], name: str) -> Iterator[tuple[str, str]]:
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{name}:{lineno}: not a JSON object ({exc.msg})") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("raw"), str):
            raise ValueError(f"{name}:{lineno}: no string 'raw' field")
        rid = rec.get("id")
        label = f"{name}:{lineno}:{rid}" if isinstance(rid, str) and rid else f"{name}:{lineno}"
        yield label, rec["raw"]


def _csv_dump(stream: io.TextIOBase, name: str) -> Iterator[tuple[str, str]]:
    if csv.field_size_limit() < csvrow.CSV_FIELD_LIMIT:
        csv.field_size_limit(csvrow.CSV_FIELD_LIMIT)
    reader = csv.reader(stream, escapechar="\\", strict=False)
    for rowno, row in enumerate(reader, start=1):
        if not row or all(not f.strip() for f in row):
            continue
        if rowno == 1 and not row[0].strip().isdigit():
            continue  # a header row ("id,date,refid,...")
        if len(row) != len(csvrow.COLUMNS):
            raise ValueError(f"{name}:{rowno}: {len(row)} fields, expected {len(csvrow.COLUMNS)}")
        yield f"{name}:{rowno}:{row[2]}", csvrow.to_message(row)


def _file(path: Path) -> Iterator[tuple[str, str]]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        with path.open(encoding="utf-8", errors=ENCODING_ERRORS) as fh:
            yield from _jsonl(fh, str(path))
    elif suffix in CSV_SUFFIXES:
        with path.open(encoding="utf-8", errors=ENCODING_ERRORS, newline="") as fh:
            yield from _csv_dump(fh, str(path))
    else:
        yield str(path), path.read_bytes().decode("utf-8", errors=ENCODING_ERRORS)


def _stdin() -> Iterator[tuple[str, str]]:
    data = sys.stdin.buffer.read().decode("utf-8", errors=ENCODING_ERRORS)
    first = data.lstrip()[:1]
    if first == "{":
        yield from _jsonl(iter(data.splitlines()), "-")
    elif csvrow.looks_like_row(data.lstrip()):
        yield from _csv_dump(io.StringIO(data, newline=""), "-")
    else:
        yield "-", data


def files_below(folder: Path) -> Iterator[Path]:
    """Every regular file below ``folder``, sorted, hidden files and folders skipped."""
    for child in sorted(p for p in folder.rglob("*") if p.is_file()):
        if not any(part.startswith(".") for part in child.relative_to(folder).parts):
            yield child


def iter_messages(path_or_dash: str | Path) -> Iterator[tuple[str, str]]:
    """``(label, message_text)`` for every message in a file, a folder, JSON Lines, a CSV dump or ``-``."""
    if str(path_or_dash) == "-":
        yield from _stdin()
        return
    path = Path(path_or_dash)
    if path.is_dir():
        for child in files_below(path):
            yield from _file(child)
        return
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    yield from _file(path)
