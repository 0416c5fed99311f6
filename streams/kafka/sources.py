"""What ``cables publish`` sends (and ``cables parse`` reads), validated item by item: files, folders, JSON Lines, CSV dumps, stdin.

:func:`iter_items` yields, in input order, one :class:`Item` (key, value, headers) per message to send
or one :class:`Rejected` (where, why) per bad item; a bad item never stops the items after it.

- **A cable file** (any extension but the two below): the whole file is one message. Rejected when
  empty. Bytes that are not UTF-8 are sent as they are (the worker dead-letters them, with the reason).
- **A folder**: every regular file below it, sorted, hidden files and folders skipped, each as above.
- **JSON Lines** (``.jsonl``, ``.ndjson``; stdin starting with ``{``): one message per line, the
  line's ``raw`` field (a non-empty string); an optional ``id`` (a string) is the key. Blank lines
  are skipped. Rejected: a line that is not a JSON object, has no string ``raw``, or an empty one.
- **A cables.csv dump** (``.csv``; stdin that starts like a dump row): one message per row.
  Columns, in this order when there is no header row: ``id`` (integer row number), ``date``
  (``M/D/YYYY H:MM``, e.g. ``12/28/1966 18:48``), ``refid`` (the cable id, e.g. ``66BUENOSAIRES2481``),
  ``origin``, ``classification``, ``references`` (``|`` or ``,`` separated ids), ``header``, ``body``.
  A first row made of column names is a header: columns are then taken by name, in any order;
  ``date``, ``header`` and ``body`` are required, the others may be absent (empty). Fields are
  ``"``-quoted, with ``""`` or ``\\"`` for a quote. Rejected: a header lacking a required column
  (the whole file), a row with the wrong number of fields, a non-integer ``id``, a ``date`` that is
  not a real ``M/D/YYYY H:MM`` date, a row without header and body text.
- ``-``: standard input, sniffed as JSON Lines, a CSV dump or one cable.

Keys, in this order: the JSON Lines ``id``, the CSV ``refid``, the id parsed from the cable's text,
else the item's label (its path, or ``path:line``), which also goes in the ``source`` header of every
message. Where a rejection is: ``path`` for a file, ``path:line`` for JSON Lines, ``path:line (row N)``
for CSV (``line`` where the row starts, ``N`` counting the header row).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from streams.core.parse import csvrow
from streams.core.parse.parser import parse_text

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
CSV_COLUMNS = csvrow.COLUMNS
CSV_REQUIRED = ("date", "header", "body")
CSV_DATE_FORMAT = "%m/%d/%Y %H:%M"
CSV_DATE_EXAMPLE = "12/28/1966 18:48"
# The worker recognises a CSV message by this date shape (streams.core.parse.csvrow.looks_like_row).
_CSV_DATE_RE = re.compile(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}")
LABEL_BYTES = 200  # keys and headers stay short whatever the path


@dataclass(frozen=True)
class Item:
    """One message to send."""

    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    def __iter__(self):  # unpacks as (key, value, headers), the form publish() takes
        return iter((self.key, self.value, self.headers))


@dataclass(frozen=True)
class Rejected:
    """An input item that was not sent: where it is and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def _item(label: str, text: str, key: str | None) -> Item:
    value = text.encode("utf-8", "surrogateescape")
    if not key:
        try:
            key = getattr(parse_text(text), "id", None) or label
        except Exception:  # noqa: BLE001 - a parser bug costs the key, never the message (the worker reports it)
            key = label
    return Item(key.encode("utf-8", "replace")[:LABEL_BYTES], value, [("source", label.encode("utf-8", "replace")[:LABEL_BYTES])])


def cable_text(label: str, text: str) -> Item | Rejected:
    """One whole cable (a file's text, or stdin)."""
    if not text.strip():
        return Rejected(label, "empty: no cable text")
    return _item(label, text, None)


def jsonl_items(lines: Iterator[str], name: str) -> Iterator[Item | Rejected]:
    """One item per non-blank JSON Lines line (see the module doc)."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(where, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(rec, dict):
            yield Rejected(where, f"a JSON {type(rec).__name__}, not an object with a \"raw\" field")
        elif not isinstance(rec.get("raw"), str):
            yield Rejected(where, "no string \"raw\" field (the cable's text)")
        elif not rec["raw"].strip():
            yield Rejected(where, "empty \"raw\" field")
        elif "id" in rec and rec["id"] is not None and not isinstance(rec["id"], str):
            yield Rejected(where, f"\"id\" is a {type(rec['id']).__name__}, not a string")
        else:
            yield _item(where, rec["raw"], rec.get("id"))


def _csv_header(row: list[str]) -> dict[str, int] | None:
    names = [c.strip().lower() for c in row]
    if names and all(n in CSV_COLUMNS for n in names if n) and any(n in CSV_COLUMNS for n in names):
        return {n: i for i, n in enumerate(names) if n}
    return None


def csv_row(fields: dict[str, str]) -> str | None:
    """Why a dump row (by column name) is invalid, or None when it is valid."""
    rid = fields.get("id", "").strip()
    if rid and not rid.isdigit():
        return f"id {rid!r} is not an integer"
    date = fields.get("date", "").strip()
    try:
        if not _CSV_DATE_RE.fullmatch(date):
            raise ValueError
        datetime.strptime(date, CSV_DATE_FORMAT)
    except ValueError:
        return f"date {date!r} is not a date in M/D/YYYY H:MM form (e.g. {CSV_DATE_EXAMPLE})"
    if not (fields.get("header", "").strip() or fields.get("body", "").strip()):
        return "no header or body text"
    return None


def csv_items(stream: io.TextIOBase, name: str) -> Iterator[Item | Rejected]:
    """One item per dump row (see the module doc)."""
    if csv.field_size_limit() < csvrow.CSV_FIELD_LIMIT:
        csv.field_size_limit(csvrow.CSV_FIELD_LIMIT)
    reader = csv.reader(stream, escapechar="\\", strict=False)
    columns: dict[str, int] | None = None
    rowno, line = 0, 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            rowno += 1
            yield Rejected(f"{name}:{line} (row {rowno})", f"not a CSV row ({exc})")
            line = reader.line_num + 1
            continue
        rowno, where, line = rowno + 1, f"{name}:{line} (row {rowno + 1})", reader.line_num + 1
        if not row or all(not f.strip() for f in row):
            continue
        if columns is None:
            columns = _csv_header(row)
            if columns is not None:
                missing = [c for c in CSV_REQUIRED if c not in columns]
                if missing:
                    yield Rejected(where, f"header row lacks column(s) {', '.join(missing)} "
                                          f"(columns: {', '.join(CSV_COLUMNS)}); file skipped")
                    return
                continue
            columns = {c: i for i, c in enumerate(CSV_COLUMNS)}
        if len(row) != max(columns.values()) + 1:
            yield Rejected(where, f"{len(row)} fields, expected {max(columns.values()) + 1} ({', '.join(columns)})")
            continue
        fields = {c: row[i] for c, i in columns.items()}
        reason = csv_row(fields)
        if reason:
            yield Rejected(where, reason)
            continue
        full = [fields.get(c, "") for c in CSV_COLUMNS]
        full[0] = full[0].strip() or str(rowno)
        yield _item(f"{name}:{rowno}", csvrow.to_message(full), fields.get("refid", "").strip().upper() or None)


def files_below(folder: Path) -> Iterator[Path]:
    """Every regular file below ``folder``, sorted, hidden files and folders skipped."""
    for child in sorted(p for p in folder.rglob("*") if p.is_file()):
        if not any(part.startswith(".") for part in child.relative_to(folder).parts):
            yield child


def label_of(item: Item) -> str:
    """Where an item came from (its ``source`` header: the path, ``path:line`` ...)."""
    return next((v.decode("utf-8", "replace") for k, v in item.headers if k == "source"), "")


def _file(path: Path) -> Iterator[Item | Rejected]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open(encoding="utf-8", errors="surrogateescape") as fh:
                yield from jsonl_items(fh, str(path))
        elif suffix in CSV_SUFFIXES:
            with path.open(encoding="utf-8", errors="surrogateescape", newline="") as fh:
                yield from csv_items(fh, str(path))
        else:
            yield cable_text(str(path), path.read_bytes().decode("utf-8", "surrogateescape"))
    except OSError as exc:
        yield Rejected(str(path), f"cannot read ({exc.strerror or exc})")


def _stdin() -> Iterator[Item | Rejected]:
    data = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
    if data.lstrip()[:1] == "{":
        yield from jsonl_items(iter(data.splitlines()), "-")
    elif csvrow.looks_like_row(data.lstrip()):
        yield from csv_items(io.StringIO(data, newline=""), "-")
    else:
        yield cable_text("-", data)


def iter_items(path_or_dash: str | Path) -> Iterator[Item | Rejected]:
    """Every message of a file, a folder, JSON Lines, a CSV dump or ``-``, validated (see the module doc)."""
    if str(path_or_dash) == "-":
        yield from _stdin()
        return
    path = Path(path_or_dash)
    if path.is_dir():
        for child in files_below(path):
            yield from _file(child)
        return
    if not path.exists():
        yield Rejected(str(path), "no such file or folder")
        return
    yield from _file(path)
