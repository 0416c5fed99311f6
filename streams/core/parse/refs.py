"""The REF list: which cables (and other documents) a cable refers to, as canonical cable ids.

``REF: A. STATE 12345 B. 05 PARIS 123``, ``REFS: (A) LAGOS O1512, (B) LAGOS 01545``, ``Ref(s): A) 08
RIO DE JAN 138``, ``REF: QUITO 4525-91``, ``REF: 870 Ulaanbaatar``, ``REFTEL: BAGHDAD #3565``, lists over
several lines with blank lines between their items. The conventions:

- an id is ``<2-digit year><station as in cable ids><serial without leading zeros>`` (``06STATE109258``);
- the year is the one written (``05 PARIS``, ``2005 PARIS``, ``(99) ROME``, ``09DHAHRAN``, ``4525-91``),
  else the cable's own year;
- ``STATE 41252 AND 44603`` cites two cables of the same station;
- stations take their cable-id form (``HAGUE`` -> ``THEHAGUE``, ``USUN`` -> ``USUNNEWYORK``, ``RIO`` ->
  ``RIODEJANEIRO``), and a misspelt station (``BRASILA``, ``BISHTEK``, ``SANTIAG0``) the nearest known one;
- the cable's own id and things that are no cables (``UNSCR 1737``, ``PARA 3``) are not references.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from functools import lru_cache

from streams.core.model import Reference
from streams.core.parse.header import year_of
from streams.core.parse.stations import SPECIAL_STATIONS, known_station_keys, station_key

# Written station (letters only) -> its form in cable ids.
ID_STATION_ALIASES = {
    "SECSTATE": "STATE", "HAGUE": "THEHAGUE", "UNVIE": "UNVIEVIENNA", "USUN": "USUNNEWYORK",
    "USUNNY": "USUNNEWYORK", "USUNNEWYORKNY": "USUNNEWYORKNY", "RIO": "RIODEJANEIRO", "RIODEJAN": "RIODEJANEIRO",
    "HCMC": "HOCHIMINHCITY", "HOCHIMINH": "HOCHIMINHCITY", "PARISFR": "UNESCOPARISFR",
    "USUNESCOPARISFR": "UNESCOPARISFR", "USUNESCO": "UNESCOPARISFR", "HK": "HONGKONG",
    "USEU": "USEUBRUSSELS", "EMBASSYBAGHDAD": "BAGHDAD", "IRPODUBAI": "RPODUBAI", "IRANRPODUBAI": "RPODUBAI",
}
FUZZY_CUTOFF = 0.85  # BRASILA/BRASILIA 0.93, BISHTEK/BISHKEK 0.86; different posts stay below (LIMA/LOME 0.5)
MIN_FUZZY_LEN = 6  # short keys (KIEV, LIMA, QUITO) are too close to other posts to correct
_NOT_STATIONS = frozenset({
    "PARA", "PARAS", "PARAGRAPH", "SECTION", "REF", "REFS", "REFTEL", "E.O", "EO", "NO", "NUMBER", "PAGE", "OF",
    "AND", "DATED", "AT", "IN", "ON", "THE", "YOUR", "OUR", "EMAIL", "E-MAIL", "LETTER", "MEMO", "TELCON", "FAX",
    "NOTE", "FROM", "SINCE", "SEPTEL", "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
    "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER", "RESOLUTION", "ARTICLE", "LAW", "DECREE", "ANNEX", "UNSCR",
    "UNSC", "UNGA", "RES", "FAM", "FAH", "CFR", "USC", "APPENDIX", "PL", "HR", "TITLE", "CHAPTER", "VOL", "ITEM",
    "THRU", "THROUGH", "TO", "EMAILS", "JAN", "FEB", "MAR", "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT",
    "NOV", "DEC",
})
_TRAILING_WORDS = frozenset({"CABLE", "CABLES", "TEL", "TELS", "TELEGRAM", "TELEGRAMS"})
# A citation: [year] station [,] [#] serial [-yy]. Applied to one upper-cased item of the list.
_CITE_RE = re.compile(
    r"(?<![A-Z0-9])(?:\(?(?P<year>(?:19|20)\d\d|\d\d)\)?[ ]?)?"
    r"(?P<station>[A-Z][A-Z.'-]*[A-Z.'](?: [A-Z](?:[A-Z.'-]*[A-Z.'])?){0,4}?) ?,? ?#?(?P<num>O?\d{1,7})(?![\d/])"
    r"(?:-(?P<yy>\d\d)(?!\d)| ?\((?P<year_after>(?:19|20)?\d\d)\))?"  # "QUITO 4525-91", "STATE 1234 (05)"
)
# "STATE 41252 AND 44603" (not "ALGIERS 1807 AND 08 ALGIERS 0075": a number before a station is a year)
_AND_RE = re.compile(r" ?(?:AND|&) ?(?P<num>\d{2,7})(?![\d/])(?! ?[A-Z])(?: \((?P<year>(?:19|20)\d\d)\))?")
_REVERSED_RE = re.compile(r"(?P<num>\d{2,7}) (?P<station>[A-Z][A-Z]{3,14})[ .,;]*")  # the whole item: "870 ULAANBAATAR"
_LETTER_RE = re.compile(
    r"(?:(?<=[\s,;:])|^)(?:[(\[](?P<a>[A-Za-z]|\d)[)\]]|(?P<b>[A-Za-z])[.):])(?=[\s\dA-Za-z(\[])")
_CONTINUES_RE = re.compile(r"[ \t\u00a0¶-]*(?:[(\[]?[A-Za-z][.):\]]|\(\d{1,2}\))[ \t]*\S")
_DANGLING_MARK_RE = re.compile(r"(?<![A-Za-z])[A-Za-z][.):][ \t\u00a0]*$")  # "... D) " then a blank line
_DANGLING_WORD_RE = re.compile(r"[A-Za-z]{2,}[ \t\u00a0]*$")  # "(B) Rio de Janeiro" then "00723"
_STARTS_DIGIT_RE = re.compile(r"[ \t\u00a0¶-]*\d(?!\d{0,2}[ \t]?\.[ \t])")
_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0]*\n")
# Section and page markers the site's copies leave inside a REF list.
_MARKER_RE = re.compile(r"(?:[A-Z]+ ){1,3}0\d{7} \d{3}(?:\.\d)? OF \d{3}"
                        r"|PAGE \d{2,3} [A-Z]+(?: [A-Z]+)? \d{5,6}(?: \d\d OF \d\d)? \d{6}Z")
_LETTER_ZERO_RE = re.compile(r"(?<=[A-Z]{3})0(?!\d)")  # "SANTIAG0 465"


def ref_block(value: str) -> str:
    """The REF list: the value up to a blank line, continued past blank lines while the list goes on
    (the next block opens with an item letter, or the last one ended in a letter or a station)."""
    chunks = _BLANK_LINE_RE.split(value.lstrip("\n \t\u00a0"))
    kept = [chunks[0]]
    for chunk in chunks[1:]:
        if (_CONTINUES_RE.match(chunk) or _DANGLING_MARK_RE.search(kept[-1])
                or (_DANGLING_WORD_RE.search(kept[-1]) and _STARTS_DIGIT_RE.match(chunk))):
            kept.append(chunk)
        else:
            break
    return "\n".join(kept)


def _items(block: str) -> list[tuple[str | None, str]]:
    """Split a REF block into (letter, raw text) items."""
    marks = list(_LETTER_RE.finditer(block))
    if not marks:
        return [(None, p) for p in re.split(r";|\n(?=\s*\S)", block) if p.strip()]
    items: list[tuple[str | None, str]] = []
    lead = block[: marks[0].start()].strip(" \t\n,;")
    if lead:
        items.append((None, lead))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(block)
        items.append(((m.group("a") or m.group("b")).upper(), block[m.end() : end]))
    return items


@lru_cache(maxsize=4096)
def id_station(station: str) -> str | None:
    """The cable-id form of a cited station (``ST. PETERSBURG`` -> ``STPETERSBURG``, ``A MONTREAL`` ->
    ``MONTREAL``, ``BRASILA`` -> ``BRASILIA``), None when it is no station."""
    words = station.split()
    while words and (words[0] in _NOT_STATIONS or (len(words[0]) == 1 and len(words) > 1)):
        words = words[1:]  # "AND ALGIERS 140", "A MONTREAL 365"
    if not words:
        return None
    known = frozenset(known_station_keys())
    while len(words) > 1 and words[-1] in _TRAILING_WORDS:  # "COLOMBO CABLES 0266"
        words = words[:-1]
    for k in range(len(words)):  # "GUHA MONTREAL": drop a leading word
        key = station_key(" ".join(words[k:]))
        if key in ID_STATION_ALIASES:
            return ID_STATION_ALIASES[key]
        if key in known:
            return key
    key = station_key(station)
    if len(key) >= MIN_FUZZY_LEN:
        close = get_close_matches(key, known_station_keys(), n=1, cutoff=FUZZY_CUTOFF)
        if close:
            return close[0]
    if len(words) == 1 and 4 <= len(key) <= 15 and station.isalpha():
        return key  # a post the table lacks
    return None


def _year(m: re.Match[str], cable_year: int | None) -> int | None:
    written = m.group("year") or m.group("yy") or m.group("year_after")
    return year_of(written) if written else cable_year


def _cites(text: str, cable_year: int | None) -> list[str]:
    """Canonical ids cited in one item's upper-cased text."""
    ids: list[str] = []
    for m in _CITE_RE.finditer(text):
        station = id_station(m.group("station"))
        num = int(m.group("num").replace("O", "0"))
        year = _year(m, cable_year)
        if station is None or year is None or num == 0:
            continue
        ids.append(f"{year % 100:02d}{station}{num}")
        more = _AND_RE.match(text, m.end())
        if more:
            more_year = year_of(more.group("year")) if more.group("year") else year
            ids.append(f"{more_year % 100:02d}{station}{int(more.group('num'))}")
    m = _REVERSED_RE.fullmatch(text) if not ids and cable_year is not None else None
    if m:  # "870 Ulaanbaatar"
        key = station_key(m.group("station"))
        if key in known_station_keys() or key in SPECIAL_STATIONS:
            ids.append(f"{cable_year % 100:02d}{key}{int(m.group('num'))}")
    return ids


def parse_references(value: str, cable_year: int | None, own_id: str | None = None) -> list[Reference]:
    """References of a REF value: one :class:`Reference` per cited cable (letter, raw text, canonical
    id), and one without id for an item citing none (an e-mail, a report)."""
    block = ref_block(value).replace("¶", " ")
    refs: list[Reference] = []
    for letter, raw in _items(block):
        raw_clean = " ".join(raw.split()).strip(" ,;-")
        if not raw_clean:
            continue
        text = _LETTER_ZERO_RE.sub("O", _MARKER_RE.sub(" ", raw_clean.upper()))
        ids = [i for i in dict.fromkeys(_cites(text, cable_year)) if i != own_id]
        if not ids:
            refs.append(Reference(letter=letter, raw=raw_clean, id=None))
        refs.extend(Reference(letter=letter, raw=raw_clean, id=i) for i in ids)
    return refs
