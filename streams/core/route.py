"""Routing decision: which topic a parsed cable goes to. Pure, and fails closed.

Policy (also in the README):
- the level is the highest of the header classification, every paragraph's portion mark
  (both from the parser) and every marking the independent reader found in the raw text
  (:mod:`streams.core.markings`); a mark above the header flags ``marking_conflict``;
- an absent or unknown header classification, header markings that contradict each other
  (caption vs transmission line vs a stray classification line), an unrecognised portion mark,
  or a marking the reader cannot read (an unknown spelling, a look-alike letter, a list letter
  such as ``(C)`` after ``(B)`` that would raise the level if it were a mark) send the cable to
  quarantine with the reason; it never goes to a lower topic.
"""

from __future__ import annotations

from streams.core import classification as cls
from streams.core.markings import Reading
from streams.core.model import Cable, Route

from streams.vocab import (
    CONTRADICTORY,
    NO_CLASSIFICATION,
    UNKNOWN_CLASSIFICATION,
    UNKNOWN_MARKING,
    UNKNOWN_PORTION_MARK,
)

_REASON_DETAIL_CHARS = 80  # a quarantine reason names what it saw, briefly


def _seen(cable: Cable, marks: tuple[str, ...], reading: Reading | None) -> tuple[str, ...]:
    """Every marking seen, de-duplicated: header, parser's portion marks, then the reader's marks and notes."""
    seen = ([cable.classification] if cable.classification else []) + list(marks)
    if reading is not None:
        seen += list(reading.marks)
        seen += [f"unreadable marking: {u}" for u in reading.unknown]
        seen += [f"list letter or mark: {c}" for c, _ in reading.ambiguous]
        if reading.removed:
            seen.append(f"{reading.removed} invisible character(s) removed before reading")
    return tuple(dict.fromkeys(seen))


def _header_doubt(cable: Cable) -> str | None:
    """The quarantine reason of the parser's header classification, or None when it is usable."""
    if not cable.classification:
        return NO_CLASSIFICATION
    if cls.level_of(cable.classification) is None:
        return f"{UNKNOWN_CLASSIFICATION}: {cable.classification[:40]}"
    if cable.classification_conflict:
        return f"{CONTRADICTORY}: {cable.classification_conflict[:_REASON_DETAIL_CHARS]}"
    return None


def _reader_doubt(reading: Reading | None, level: str) -> str | None:
    """The quarantine reason of the reader's findings against ``level``, or None."""
    if reading is None:
        return None
    if reading.unknown:
        return f"{UNKNOWN_MARKING}: {'; '.join(reading.unknown)[:_REASON_DETAIL_CHARS]}"
    above = [c for c, lv in reading.ambiguous if cls.RANK[lv] > cls.RANK[level]]
    if above:
        return f"{UNKNOWN_MARKING}: list letter or mark {', '.join(above)[:_REASON_DETAIL_CHARS]}"
    return None


def route(cable: Cable, reading: Reading | None = None) -> Route:
    """Decide the level (or quarantine) for ``cable``; never below any marking it carries.

    ``reading`` is what :func:`streams.core.markings.read_markings` found in the cable's raw
    text (the pipeline always passes it); its level counts like a portion mark."""
    marks = tuple(p.marking for p in cable.paragraphs if p.marking)
    if cable.highest_portion_marking:
        marks = marks + (cable.highest_portion_marking,)
    seen = _seen(cable, marks, reading)
    doubt = _header_doubt(cable)
    if doubt is not None:
        return Route(level=None, quarantine_reason=doubt, markings_seen=seen)
    header = cls.level_of(cable.classification)
    portion_levels = [cls.portion_level(m) for m in marks]
    unknown = sorted({m for m, lv in zip(marks, portion_levels) if lv is None})
    if unknown:
        reason = f"{UNKNOWN_PORTION_MARK}: {', '.join(unknown)[:60]}"
        return Route(level=None, quarantine_reason=reason, markings_seen=seen)
    top = cls.highest([header, *portion_levels, reading.level if reading else None])
    assert top is not None  # header is known
    doubt = _reader_doubt(reading, top)
    if doubt is not None:
        return Route(level=None, quarantine_reason=doubt, markings_seen=seen)
    return Route(level=top, marking_conflict=cls.RANK[top] > cls.RANK[header], markings_seen=seen)
