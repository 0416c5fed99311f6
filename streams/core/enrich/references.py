"""References to other cables: ``STATE 109258``, ``08 BAGHDAD 3921``, ``09KABUL3364``.

Normalized to the canonical cable id: two-digit year + station key + number without leading
zeros (``05STATE109258``). A reference without a year is taken to be of the cable's own year (the
convention of REF lines; the entity then carries ``{"year": "assumed"}``). The cable's own
caption is skipped, and a reference equal to the cable's own id is dropped. Run-together ids
(``09KABUL3364``) are looked for in the REF block only: a regular expression over the whole
body would cost as much as the rest of the stage.
"""

from __future__ import annotations

import re
from typing import Final

from streams.core.enrich import gazetteer, resources
from streams.core.enrich.document import HEAD_CHARS, Doc
from streams.core.enrich.mentions import CABLE_REFERENCE, Mention
from streams.core.model import Cable

_NUMBER_AFTER: Final = re.compile(r"[ \t]{1,3}(\d{1,6})(?![\d/.]\d|\w)")
_YEAR_BEFORE: Final = re.compile(r"(?<![\w/.])(\d{2})[ \t]{0,2}$")
# (a character class first: the regular expression engine then skips to candidate positions fast)
_COMPACT: Final = re.compile(r"([0-9][0-9])([A-Z]{4,20})(\d{1,6})(?!\w)")


def canonical(year: str | None, key: str, number: str) -> str:
    """``05`` + ``STATE`` + ``109258`` -> ``05STATE109258`` (no year: ``STATE109258``)."""
    return f"{year or ''}{key}{int(number)}"


def _cable_year(cable: Cable) -> str | None:
    if cable.date and len(cable.date) >= 4 and cable.date[:4].isdigit():
        return cable.date[2:4]
    if cable.id and cable.id[:2].isdigit():
        return cable.id[:2]
    return None


def find(doc: Doc, cable: Cable) -> list[Mention]:
    """Every reference to another cable in the body, plus the parser's REF list."""
    own_year = _cable_year(cable)
    found: list[Mention] = []
    text = doc.text
    for m in doc.of_category(gazetteer.STATION):
        hit = m.get(gazetteer.STATION)
        if hit is None:
            continue
        num = _NUMBER_AFTER.match(text, m.end)
        if not num:
            continue
        yr = _YEAR_BEFORE.search(text, max(0, m.start - 6), m.start)
        start = yr.start(1) if yr else m.start
        year = yr.group(1) if yr else own_year
        ref_id = canonical(year, hit.value, num.group(1))
        attrs = {"station": hit.value} | ({} if yr else {"year": "assumed"} if year else {"year": "unknown"})
        found.append(Mention(CABLE_REFERENCE, start, num.end(1), text[start:num.end(1)], ref_id, attrs))
    ref_at = doc.head.find(b"ref")  # the REF block: from "REF" to the next blank line
    ref_end = text.find("\n\n", ref_at) if ref_at >= 0 else -1
    if ref_end < 0:
        ref_end = min(len(text), HEAD_CHARS)
    for c in _COMPACT.finditer(text, ref_at, ref_end) if ref_at >= 0 else ():
        before = text[c.start() - 1] if c.start() else " "
        if before.isalnum() or before in "/_":
            continue
        if c.group(2) in resources.station_keys() and not doc.skipped(c.start()):
            ref_id = canonical(c.group(1), c.group(2), c.group(3))
            found.append(Mention(CABLE_REFERENCE, c.start(), c.end(), c.group(0), ref_id,
                                 {"station": c.group(2)}))
    seen = {f.normalized for f in found}
    for ref in cable.references:
        listed = ref.id or _from_raw(ref.raw, own_year)
        if listed and listed not in seen:
            pos = text.find(ref.raw) if ref.raw else -1
            span = (pos, pos + len(ref.raw)) if pos >= 0 else (-1, -1)
            found.append(Mention(CABLE_REFERENCE, span[0], span[1], ref.raw, listed, {}))
            seen.add(listed)
    return [f for f in found if f.normalized != cable.id]


_RAW: Final = re.compile(r"(?:(\d{2})\s*)?([A-Z][A-Z ]{2,30}?)\s+(\d{1,6})\b")


def _from_raw(raw: str, own_year: str | None) -> str | None:
    m = _COMPACT.search(raw)
    if m and m.group(2) in resources.station_keys():
        return canonical(m.group(1), m.group(2), m.group(3))
    m = _RAW.search(raw or "")
    if not m:
        return None
    key = resources.stations().get(m.group(2).strip())
    return canonical(m.group(1) or own_year, key, m.group(3)) if key else None
