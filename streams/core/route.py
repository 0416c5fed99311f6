"""Routing decision: which topic a parsed cable goes to. Pure, and fails closed.

Policy (also in the README):
- the level is the highest of the header classification and every paragraph's
  portion mark; a portion mark above the header flags ``marking_conflict``;
- an absent or unknown header classification, header markings that contradict
  each other (caption vs transmission line vs a stray classification line), or an
  unrecognised portion mark send the cable to quarantine with the reason; it never
  goes to a lower topic.
"""

from __future__ import annotations

from streams.core import classification as cls
from streams.core.model import Cable, Route

from streams.vocab import CONTRADICTORY, NO_CLASSIFICATION, UNKNOWN_CLASSIFICATION, UNKNOWN_PORTION_MARK


def route(cable: Cable) -> Route:
    """Decide the level (or quarantine) for ``cable``; never below any marking it carries."""
    marks = tuple(p.marking for p in cable.paragraphs if p.marking)
    if cable.highest_portion_marking:
        marks = marks + (cable.highest_portion_marking,)
    seen = tuple(dict.fromkeys(([cable.classification] if cable.classification else []) + list(marks)))

    if not cable.classification:
        return Route(level=None, quarantine_reason=NO_CLASSIFICATION, markings_seen=seen)
    header = cls.level_of(cable.classification)
    if header is None:
        return Route(
            level=None,
            quarantine_reason=f"{UNKNOWN_CLASSIFICATION}: {cable.classification[:40]}",
            markings_seen=seen,
        )
    if cable.classification_conflict:
        return Route(
            level=None, quarantine_reason=f"{CONTRADICTORY}: {cable.classification_conflict[:80]}", markings_seen=seen
        )
    portion_levels = [cls.portion_level(m) for m in marks]
    unknown = sorted({m for m, lv in zip(marks, portion_levels) if lv is None})
    if unknown:
        return Route(
            level=None,
            quarantine_reason=f"{UNKNOWN_PORTION_MARK}: {', '.join(unknown)[:60]}",
            markings_seen=seen,
        )
    top = cls.highest([header, *portion_levels])
    assert top is not None  # header is known
    return Route(level=top, marking_conflict=cls.RANK[top] > cls.RANK[header], markings_seen=seen)
