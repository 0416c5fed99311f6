"""Calendar dates in the body, normalized to ISO 8601 with the year taken from the cable's date.

Forms: ``June 14``, ``14 June``, ``Jan. 28-29``, ``June 14, 2005``, ``January 2009``, a month
alone (``in October``), a year alone (``in 2008``, ``mid-2008``) and ``2005-06-14``.
Normalized: ``2005-06-14``, a range ``2004-01-28/2004-01-29``, a month ``2005-10``, a year ``2008``.

Year rule: a date written without a year gets the year (the cable's, the one before or the one
after) that puts it closest to the cable's date: ``June 14`` in a cable of 2005-06-15 is
2005-06-14; ``December 18`` in a cable of 2009-01-12 is 2008-12-18 (25 days before, not 11 months
after); ``October`` in a cable of June 2005 is 2005-10. A tie goes to the past. Without a cable
date the year stays unknown: ``--06-14`` / ``--10`` (ISO 8601 truncated forms).
Not extracted: weekdays, relative dates (``last week``), times, the E.O. declassification date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Final

from streams.core.enrich import gazetteer
from streams.core.enrich.document import Doc
from streams.core.enrich.mentions import DATE, Mention

_DAY_AFTER: Final = re.compile(
    r"\.?[ \t]{1,2}(\d{1,2})(?:st|nd|rd|th)?(?:[ \t]*[-\u2013][ \t]*(\d{1,2}))?(?![\d:])"
    r"(?:,?[ \t]{1,2}((?:19|20)\d\d)(?!\d))?"
)
_DAY_BEFORE: Final = re.compile(r"(?<![\d.,])(\d{1,2})(?:[ \t]*[-\u2013][ \t]*(\d{1,2}))?[ \t]{1,2}$")
_YEAR_AFTER: Final = re.compile(r",?[ \t]{1,2}(?:of[ \t]+)?((?:19|20)\d\d)(?!\d)")
_MONTH_ALONE_BEFORE: Final = re.compile(
    r"(?i)(?:\b(?:in|of|since|by|until|till|before|after|during|from|through|to|late|early|"
    r"last|next|this|mid|end|beginning|and)[ \t-]+|-)$"
)
_NOT_BEFORE_YEAR: Final = frozenset("/.,$\u00b6")  # "06/15/2015", "1.2009", "$2009" are not years
_ISO_TAIL: Final = re.compile(r"-(\d\d)-(\d\d)(?!\d)")
_FULL_MONTHS: Final = frozenset(name for name in gazetteer.MONTHS if len(name) > 4 or name in ("may", "june", "july"))
# Month names that are also ordinary words when capitalized at a sentence start.
_AMBIGUOUS_ALONE: Final = {"may", "march"}


# The cable dates, inferred years and ISO forms of a stream repeat: remembered, bounded.
DATE_CACHE: Final = 4096


@lru_cache(maxsize=DATE_CACHE)
def parse_cable_date(value: str | None) -> dt.date | None:
    """The cable's date (``YYYY-MM-DD``), or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@lru_cache(maxsize=DATE_CACHE)
def infer_year(month: int, day: int | None, cable_date: dt.date | None) -> int | None:
    """The year that puts (month, day) closest to the cable's date; a tie goes to the past."""
    if cable_date is None:
        return None
    candidates = []
    for year in (cable_date.year - 1, cable_date.year, cable_date.year + 1):
        try:
            when = dt.date(year, month, day or 15)
        except ValueError:  # February 29 outside a leap year
            continue
        candidates.append((abs((when - cable_date).days), when > cable_date, year))
    return min(candidates)[2] if candidates else None


@lru_cache(maxsize=DATE_CACHE)
def _iso(year: int | None, month: int, day: int | None) -> str | None:
    if day is not None:
        try:
            dt.date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 stays valid
        except ValueError:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """``pos`` is inside one of the spans (a plain loop: the few spans of a cable do not pay for a
    generator expression)."""
    for a, b in spans:
        if a <= pos < b:
            return True
    return False


def find(doc: Doc, cable_date: str | None) -> list[Mention]:
    """Every date in the body, normalized (see the module docstring for the rules)."""
    when = parse_cable_date(cable_date)
    found = [d for m in doc.of_category(gazetteer.MONTH) if (d := _month_date(doc.text, m, when)) is not None]
    taken = [(f.start, f.end) for f in found]
    found += [d for m in doc.of_category(gazetteer.YEAR) if (d := _year_date(doc.text, m, taken)) is not None]
    return found


def _month_date(text: str, m, when) -> Mention | None:
    """The date around a month-name hit (day before or after, year after), or None when it is none."""
    hit = m.get(gazetteer.MONTH)
    if hit is None:
        return None
    month = hit.value
    start, end = m.start, m.end
    day = day2 = year = None
    after = _DAY_AFTER.match(text, end)
    before = None if after else _DAY_BEFORE.search(text, max(0, start - 10), start)
    if after:
        day, day2, year = after.group(1), after.group(2), after.group(3)
        end = after.end()
    else:
        if before:
            day, day2 = before.group(1), before.group(2)
            start = before.start()
        y = _YEAR_AFTER.match(text, end)
        if y:
            year, end = y.group(1), y.end()
        elif not before and not _month_alone_is_a_date(text, m.start, m.end):
            return None
    d1 = int(day) if day else None
    if d1 is not None and not 1 <= d1 <= 31:
        return None
    yr = int(year) if year else infer_year(month, d1, when)
    first = _iso(yr, month, d1)
    if first is None:
        return None
    normalized = first
    if day2 and d1 is not None and d1 < int(day2) <= 31:
        second = _iso(yr, month, int(day2))
        normalized = f"{first}/{second}" if second else first
    return Mention(DATE, start, end, text[start:end], normalized, {})


def _month_alone_is_a_date(text: str, start: int, end: int) -> bool:
    """A month name with no day or year: only a full name ("Jan" alone is not a date), and "May" or
    "March" only after "in", "since", ... (else a verb)."""
    word = text[start:end].lower()
    if word not in _FULL_MONTHS:
        return False
    return word not in _AMBIGUOUS_ALONE or bool(_MONTH_ALONE_BEFORE.search(text, max(0, start - 12), start))


def _year_date(text: str, m, taken: list[tuple[int, int]]) -> Mention | None:
    """A year standing alone (or the start of an ISO date), unless it is part of a number, a slashed
    date or a date already found."""
    s, e = m.start, m.end
    prev = text[s - 1] if s else " "
    nxt = text[e:e + 2]
    if prev in _NOT_BEFORE_YEAR or (prev == "-" and s > 1 and text[s - 2].isdigit()):
        return None
    if nxt[:1] == "/" or (nxt[:1] in ".," and nxt[1:2].isdigit()) or _inside(s, taken):
        return None
    iso = _ISO_TAIL.match(text, e)
    if iso and 1 <= int(iso.group(1)) <= 12:
        full = _iso(m.hits[0].value, int(iso.group(1)), int(iso.group(2)))
        if full:
            return Mention(DATE, s, iso.end(), text[s:iso.end()], full, {})
    return Mention(DATE, s, e, text[s:e], text[s:e], {})
