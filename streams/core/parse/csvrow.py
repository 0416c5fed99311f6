"""One row of the cables.csv dump as one message, and how such a message is parsed.

The dump (columns ``id, date, refid, origin, classification, references, header, body``; no
header row; ``"``-quoted fields, ``\\"`` or ``""`` for a quote inside a field) becomes one message
per row in this **CSV message form**:

    one RFC 4180 CSV record of the same 8 fields in the same order, every field quoted,
    quotes inside a field doubled, newlines inside a field kept, no trailing newline;
    UTF-8 text like every raw message.

    "1","12/28/1966 18:48","66BUENOSAIRES2481","Embassy Buenos Aires","UNCLASSIFIED","","<header>","<body>"

A message is taken for a CSV row when it starts with a quoted (or bare) integer and a
``M/D/YYYY H:MM`` date (:func:`looks_like_row`). The cable text ``header + "\\n\\n" + body`` is
parsed with the shared grammar; then the row's own metadata fills what the text lacks:
``refid`` gives the id, ``origin`` the origin name, ``date`` the date when the text has no
date-time group, ``references`` (``|`` or ``,`` separated ids) the references when the text
has none. The row's ``classification`` is one more marking: the highest of it and the text's
markings is kept, and a disagreement is recorded in ``classification_conflict`` (fail closed).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re

from streams.core import classification as cls
from streams.core.model import Cable, Failure, Reference
from streams.vocab import PARSE

COLUMNS = ("id", "date", "refid", "origin", "classification", "references", "header", "body")
from streams.vocab import BAD_CSV_ROW  # noqa: E402
_ROW_START_RE = re.compile(r'"?\d{1,9}"?,"?\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}"?,')
_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})")
_ID_RE = re.compile(r"\d{2}[A-Z][A-Z]*\d+")
CSV_FIELD_LIMIT = 64 * 1024 * 1024  # one cable body can exceed the csv module's 128 KB default


def looks_like_row(text: str) -> bool:
    """True when ``text`` is in the CSV message form (starts with an integer and a dump date)."""
    return _ROW_START_RE.match(text[:80]) is not None


def to_message(row: list[str] | tuple[str, ...]) -> str:
    """Serialize one dump row (8 fields) into the CSV message form."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(row)
    return out.getvalue()[:-1]


def read_row(text: str) -> list[str] | None:
    """The 8 fields of a message in the CSV message form; None when it is not one valid record."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        rows = list(csv.reader(io.StringIO(text), escapechar="\\", strict=False))
    except csv.Error:
        return None
    if len(rows) != 1 or len(rows[0]) != len(COLUMNS):
        return None
    return rows[0]


def _iso(date: str) -> tuple[str, str] | None:
    m = _DATE_RE.match(date.strip())
    if not m:
        return None
    mo, d, y, hh, mm = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31 and hh <= 23 and mm <= 59):
        return None
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    return day, f"{day}T{hh:02d}:{mm:02d}:00Z"


def parse_row(text: str, parse_text) -> Cable | Failure:  # noqa: ANN001 - the shared text parser
    """Parse a message in the CSV message form with ``parse_text`` and the row's metadata."""
    row = read_row(text)
    if row is None:
        return Failure(PARSE, BAD_CSV_ROW, f"not one CSV record of {len(COLUMNS)} fields")
    rec = dict(zip(COLUMNS, row))
    cable_text = (rec["header"].rstrip("\n") + "\n\n" + rec["body"]).strip("\n")
    parsed = parse_text(cable_text)
    if isinstance(parsed, Failure):
        return parsed
    changes: dict = {"source_format": "csv-row"}
    refid = rec["refid"].strip().upper()
    if _ID_RE.fullmatch(refid):
        changes["id"] = refid
    if rec["origin"].strip():
        changes["origin_name"] = rec["origin"].strip()
    if parsed.date is None:
        iso = _iso(rec["date"])
        if iso:
            changes["date"], changes["datetime"] = iso
    row_cls = cls.normalize(rec["classification"])
    if row_cls:
        text_cls = parsed.classification
        text_level, row_level = cls.level_of(text_cls), cls.level_of(row_cls)
        if text_cls is None or text_level is None:
            changes["classification"] = row_cls
        elif row_level is not None and row_level != text_level:
            note = f"row {row_cls}; text {text_cls}"
            if parsed.classification_conflict:
                note = parsed.classification_conflict + "; " + note
            changes["classification_conflict"] = note
            if cls.RANK[row_level] > cls.RANK[text_level]:
                changes["classification"] = row_cls
    if not parsed.references and rec["references"].strip():
        ids = [r.strip().upper() for r in re.split(r"[|,]", rec["references"]) if r.strip()]
        changes["references"] = tuple(Reference(letter=None, raw=r, id=r if _ID_RE.fullmatch(r) else None)
                                      for r in ids)
    return dataclasses.replace(parsed, **changes)
