"""One pass of an Aho-Corasick automaton (pyahocorasick) over a cable: every gazetteer key at once.

Keys are places, organizations, titles, organization head nouns (``Party``, ``Ministry``), month
names, years and station names. The automaton reads the lower-cased text with every separator
turned into a space, and keys are stored as `` key ``, so a key only matches whole words (``UN``
never fires inside ``under``); the case is then checked on the original text. Built once per
process (about 0.2 s) on first use and then shared.

Why an automaton: with ~15,000 keys, one linear scan in C finds every candidate (~0.1-0.2 ms for a
9 KB cable); a blank spaCy pipeline with an ``EntityRuler`` ran at 35-55 cables/s on these cables,
70-110 times slower than an automaton over a country list (see ``README.md`` beside this module).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import ahocorasick

from streams.enrich import resources

PLACE = "place"
ORG = "org"
TITLE = "title"
ORG_HEAD = "org_head"
MONTH = "month"
YEAR = "year"
STATION = "station"
CATEGORIES = ("place", "org", "title", "org_head", "month", "year", "station")
# Years written alone that count as dates.
YEARS = range(1940, 2050)

# Nouns that end an organization's name ("Pakistan People's Party", "Ministry of Oil").
ORG_HEADS = (
    "Party", "Ministry", "Council", "Commission", "Committee", "Organization", "Organisation",
    "Agency", "Bank", "Union", "Front", "Movement", "League", "Assembly", "Parliament", "Court",
    "Congress", "Office", "Department", "Authority", "Service", "Services", "Forces", "Army",
    "Navy", "Police", "Guard", "Guards", "Corporation", "Company", "Institute", "University",
    "Association", "Federation", "Alliance", "Coalition", "Directorate", "Bureau", "Secretariat",
    "Tribunal", "Board", "Administration", "Inquiry", "Brigade", "Brigades", "Cross", "Crescent",
    "Intelligence", "Forum", "Club", "Group", "Foundation", "Center", "Centre", "Academy",
    "Staff", "Cabinet", "Senate", "Chamber", "Command", "Clinic", "Government", "Mission", "cartel",
)
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}


# Every separator becomes a space in the text the automata read (length is kept, so offsets
# carry over), and keys are stored as " key ": a key can then only match whole words. The text
# is mapped through Latin-1 bytes (other characters become "?", then a space): ~15 us a cable,
# where str.translate on a non-ASCII text takes ~250 us.
_SEPARATOR_BYTES = bytes(
    b if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or (b >= 0xC0 and b not in (0xD7, 0xF7))) else 32
    for b in range(256)
)
_SEPARATORS = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\n\r\f\v"
                             "\u00a0\u00b6\u2018\u2019\u201c\u201d\u2013\u2014\u2026"})


@dataclass(frozen=True, slots=True)
class Hit:
    """One reading of a matched key: its category, case rule and payload. ``written`` is kept for
    keys with punctuation (``U.S.``, ``U/S``), which must then match as written."""

    category: str
    case: str  # title | exact | lower
    value: Any
    written: str | None = None


class Match(NamedTuple):
    """A key found in the text at [start, end), with the readings that passed the case check."""

    start: int
    end: int
    hits: tuple[Hit, ...]

    def get(self, category: str) -> Hit | None:
        for h in self.hits:
            if h.category == category:
                return h
        return None


def _is_exact_key(key: str) -> bool:
    """Acronyms and abbreviations (two capitals, no lower-case letter) are matched in exact case."""
    return sum(c.isupper() for c in key) >= 2 and not any(c.islower() for c in key)


def padded(key: str) -> str:
    """A key as stored: separators as single spaces, one space each side."""
    return " " + " ".join(key.translate(_SEPARATORS).split()) + " "


@lru_cache(maxsize=1)
def automaton() -> ahocorasick.Automaton:
    """Every key, lower-cased and padded, in one automaton (built once per process, ~0.2 s)."""
    table: dict[str, list[Hit]] = {}

    def add(key: str, category: str, case: str, value: Any) -> None:
        if case == "exact" or _is_exact_key(key):
            hit = Hit(category, "exact", value, key)
        elif key[:1].islower() and case == "title":  # "al-Qaida", "cartel": written in lower case
            hit = Hit(category, "lower", value, key if key.translate(_SEPARATORS) != key else None)
        else:
            hit = Hit(category, case, value, key if key.translate(_SEPARATORS) != key else None)
        stored = padded(key.lower())
        if stored.strip():
            table.setdefault(stored, []).append(hit)

    for written, case, place in resources.places():
        add(written, PLACE, case, place)
    for written, case, org in resources.organizations():
        add(written, ORG, case, org)
    for written, title, is_lower in resources.titles():
        add(written, TITLE, "lower" if is_lower else "title", title)
    for head in ORG_HEADS:
        add(head, ORG_HEAD, "title", head)
    for name, month in MONTHS.items():
        add(name.capitalize(), MONTH, "title", month)
    for year in YEARS:
        add(str(year), YEAR, "exact", year)
    for written, key in resources.stations().items():
        add(written, STATION, "exact", key)

    a = ahocorasick.Automaton()
    for key, hits in table.items():
        # the readings allowed when the match starts with a lower-case letter: role nouns only
        low_ok = tuple(h for h in hits if h.case == "lower")
        a.add_word(key, (len(key), tuple(hits), low_ok, any(h.written for h in hits),
                         _categories(hits), _categories(low_ok)))
    a.make_automaton()
    return a


def _categories(hits) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.category for h in hits))


def _same_spelling(text: str, start: int, end: int, hit: Hit) -> bool:
    written = hit.written
    if written is None:
        return True
    got = text[start:end]
    if hit.case == "exact":
        return got == written or " ".join(got.split()) == written
    return got.lower() == written.lower() or " ".join(got.split()).lower() == written.lower()


def haystack(text: str, blank: list[tuple[int, int]] = (), raw: bytes | None = None) -> str:
    """``text`` lower-cased with separators as spaces, padded by one space each side; the
    ``blank`` ranges are spaces too (nothing matches there). ``raw``: the text already encoded
    as Latin-1 (with "?" for other characters)."""
    if raw is None:
        raw = text.encode("latin-1", "replace")
    b = bytearray(raw.translate(_SEPARATOR_BYTES))
    for start, end in blank:
        b[start:end] = b" " * (end - start)
    return " " + b.lower().decode("latin-1") + " "


def scan(
    text: str, lowercase_cable: bool, blank: list[tuple[int, int]] = (), raw: bytes | None = None
) -> tuple[list[Match], dict[str, list[Match]]]:
    """Every gazetteer key in ``text`` at word boundaries, leftmost-longest, in text order; and
    the same matches by category.

    Case rules: acronyms match only as written (``UN``, not ``un``); spelled-out names must start
    with a capital (``Turkey``, not ``turkey``) unless ``lowercase_cable`` (the whole cable was
    lower-cased); role nouns (``leader``) match in any case.
    """
    candidates: list[tuple[int, int, tuple[Hit, ...], tuple[str, ...]]] = []
    append = candidates.append
    n = len(text)
    for last, (length, hits, low_ok, check, cats, low_cats) in automaton().iter(haystack(text, blank, raw)):
        start = last - length + 1  # in text coordinates (the leading pad shifts by one)
        if text[start].islower() and not lowercase_cable:
            if not low_ok:
                continue
            hits, cats = low_ok, low_cats
        end = start + length - 2
        if check:
            if end < n and text[end] == "." and any(h.written and h.written.endswith(".") for h in hits):
                end += 1
            kept = tuple(h for h in hits if h.written is None or _same_spelling(text, start, end, h))
            if not kept:
                continue
            if len(kept) != len(hits):
                hits, cats = kept, _categories(kept)
        append((start, end, hits, cats))
    candidates.sort()  # (start, end) is unique per key: the hits are never compared
    found: list[Match] = []
    buckets: dict[str, list[Match]] = {c: [] for c in CATEGORIES}
    make = Match._make
    reach = -1
    last_start = -1
    for start, end, hits, cats in candidates:
        if start == last_start:  # same start, longer key (sorted by end): it wins
            m = make((start, end, hits))
            old = found[-1]
            for c in dict.fromkeys(h.category for h in old.hits):
                buckets[c].pop()
            found[-1] = m
            for c in cats:
                buckets[c].append(m)
            reach = end
            continue
        if start >= reach:
            m = make((start, end, hits))
            found.append(m)
            for c in cats:
                buckets[c].append(m)
            reach = end
            last_start = start
    return found, buckets
