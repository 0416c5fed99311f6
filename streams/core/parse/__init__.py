"""Pure cable parser: raw bytes -> text (:func:`decode`) -> :class:`~streams.core.model.Cable` (:func:`parse`).

No Kafka, no Faust. Both functions return a :class:`~streams.core.model.Failure` instead of raising,
with an ``error_type`` from a small fixed vocabulary, so the worker can dead-letter the message.

Accepted texts: the PlusD partial extract (seed), cablegate page text (routing header + body),
older ACP-126 telegrams, and one cables.csv row in the CSV message form (``csvrow.py``).
"""

from __future__ import annotations

import traceback
from pathlib import Path

from streams.core.model import Cable, Failure
from streams.core.parse import csvrow
from streams.core.parse.decode import BINARY, DECODE_ERRORS, EMPTY, NOT_UTF8, TOO_LARGE, decode
from streams.core.parse.parser import NOT_A_CABLE, TRUNCATED, parse_text
from streams.vocab import PARSE

__all__ = [
    "decode", "parse", "DECODE_ERRORS", "PARSE_ERRORS", "EMPTY", "TOO_LARGE", "NOT_UTF8", "BINARY",
    "NOT_A_CABLE", "TRUNCATED", "INTERNAL", "NOT_TEXT", "MAX_TEXT_CHARS",
]

from streams.vocab import INTERNAL, NOT_TEXT  # noqa: E402
# The parse stage's error_type vocabulary (metric label values: keep it small and fixed).
PARSE_ERRORS = (EMPTY, NOT_A_CABLE, TRUNCATED, csvrow.BAD_CSV_ROW, TOO_LARGE, NOT_TEXT, INTERNAL)
# The decode stage already bounds message size (settings.max_cable_bytes, 1 MB); this guards
# direct callers so one text cannot hold a worker (parsing is linear: 10 MB take ~0.4 s).
MAX_TEXT_CHARS = 10_000_000


def parse(text: str) -> Cable | Failure:
    """Parse one cable message (any accepted format) into a :class:`Cable`; never raises."""
    if not isinstance(text, str):
        return Failure(PARSE, NOT_TEXT, f"expected str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        return Failure(PARSE, TOO_LARGE, f"{len(text)} characters > limit {MAX_TEXT_CHARS}")
    if not text.strip():
        return Failure(PARSE, EMPTY, "empty or whitespace-only text")
    try:
        if csvrow.looks_like_row(text):
            return csvrow.parse_row(text, parse_text)
        return parse_text(text)
    except Exception as exc:  # noqa: BLE001 - errors are values: a parser bug must not stop the stream
        # the exception's text may quote the cable: report only its type and where it was raised
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
        return Failure(PARSE, INTERNAL, f"{type(exc).__name__}{where}")
