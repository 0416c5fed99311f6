"""One pass of a multi-literal matcher over a cable: every gazetteer key at once.

Keys are places, organizations, titles, organization head nouns (``Party``, ``Ministry``), month
names, years and station names. The automaton reads the lower-cased text with every separator
turned into a space, and keys are stored as `` key ``, so a key only matches whole words (``UN``
never fires inside ``under``); the case is then checked on the original text. Built once per
process (about 0.2 s) on first use and then shared. Each key's value carries its :class:`Readings`
with what the finders ask of them precomputed, so a hit costs little Python (see :func:`scan`).

Why an automaton: with ~15,000 keys, one linear scan in C finds every candidate (~0.1-0.2 ms for a
9 KB cable); a blank spaCy pipeline with an ``EntityRuler`` ran at 35-55 cables/s on these cables,
70-110 times slower than an automaton over a country list (see ``README.md`` beside this module).

The matcher is Hyperscan (``hyperscan``, its literal compiler) where it has a wheel (x86-64 Linux,
macOS, Windows): the same hits as pyahocorasick's ``iter`` in about half the time on these cables
(~75 against ~140 us a cable inside the running stage, where its tables are no longer in the CPU
cache; ``devtools/measure_enrich.py --compare`` gives the stage's throughput with each). Elsewhere
(Linux on ARM) pyahocorasick does the same job; ``tests/unit/test_enrich_scan.py`` checks both give
the same hits. ``CABLES_ENRICH_MATCHER`` picks one (:func:`select_matcher`).
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Final, Sequence

import ahocorasick  # type: ignore[import-not-found]

try:
    import hyperscan  # type: ignore[import-not-found]

    HAVE_HYPERSCAN = True
except ImportError:  # no wheel for this platform: pyahocorasick finds the same hits
    HAVE_HYPERSCAN = False

from streams.core.enrich import resources

PLACE: Final = "place"
ORG: Final = "org"
TITLE: Final = "title"
ORG_HEAD: Final = "org_head"
MONTH: Final = "month"
YEAR: Final = "year"
STATION: Final = "station"
FACILITY: Final = "facility"
CATEGORIES: Final = ("place", "org", "title", "org_head", "month", "year", "station", "facility")
CATEGORY_BITS: Final = {c: 1 << i for i, c in enumerate(CATEGORIES)}
# Years written alone that count as dates.
YEARS: Final = range(1940, 2050)

# Nouns that end an organization's name ("Pakistan People's Party", "Ministry of Oil").
ORG_HEADS: Final = (
    "Party", "Ministry", "Council", "Commission", "Committee", "Organization", "Organisation",
    "Agency", "Bank", "Union", "Front", "Movement", "League", "Assembly", "Parliament", "Court",
    "Congress", "Office", "Department", "Authority", "Service", "Services", "Forces", "Army",
    "Navy", "Police", "Guard", "Guards", "Corporation", "Company", "Institute", "University",
    "Association", "Federation", "Alliance", "Coalition", "Directorate", "Bureau", "Secretariat",
    "Tribunal", "Board", "Administration", "Inquiry", "Brigade", "Brigades", "Cross", "Crescent",
    "Intelligence", "Forum", "Club", "Group", "Foundation", "Center", "Centre", "Academy",
    "Staff", "Cabinet", "Senate", "Chamber", "Command", "Clinic", "Government", "Mission", "cartel",
    "Airlines", "Airways", "Society", "Hospital", "Church", "Embassy", "Force", "Industries", "Limited",
    # round three: corps, divisions, media names and company suffixes (``Frontier Corps``, ``Wall
    # Street Journal``, ``TOLO TV``, ``Skylife Worldwide Sdn Bhd``)
    "Corps", "Division", "Journal", "Times", "Herald", "Gazette", "Tribune", "News", "TV", "Inc", "Ltd",
    "LLC", "Bhd", "GmbH", "Corp", "Holding", "Holdings", "School", "Unit", "Battalion", "Fleet", "Reconstruction Team", "Watch",
)
# Nouns that name a facility or a natural feature with the capitalized words before them (``Planalto
# Palace``, ``Sangin Valley``, ``Tehran Research Reactor``) or, marked BEFORE, after them
# (``Camp Bastion``, ``River Ibar``): locations by the annotation convention (devtools/gold/GUIDE.md).
# Not here: ``Church``, ``House`` (``Orthodox Church``, ``White House`` are institutions).
FACILITY_AFTER: Final = (
    "Airport", "Air Base", "Airbase", "Base", "Palace", "Reactor", "Valley", "River", "Heights", "Dam",
    "Bridge", "Square", "Prison", "Stadium", "Hotel", "Refinery", "Mountains", "Desert", "Strait",
    "Crossing", "Cathedral", "Mosque",
)
FACILITY_BEFORE: Final = ("Camp", "River", "Lake", "Mount", "Fort")
MONTHS: Final = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}


# Every separator becomes a space in the text the automata read (length is kept, so offsets
# carry over), and keys are stored as " key ": a key can then only match whole words. The text
# is mapped through Latin-1 bytes (other characters become "?", then a space): ~15 us a cable,
# where str.translate on a non-ASCII text takes ~250 us. ASCII capitals are lower-cased by the
# same table (as bytes.lower() would: accented capitals stay as they are).
_SEPARATOR_BYTES: Final = bytes(
    b if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or (b >= 0xC0 and b not in (0xD7, 0xF7))) else 32
    for b in range(256)
)
_HAYSTACK_BYTES: Final = _SEPARATOR_BYTES.lower()
# The case class of each Latin-1 byte: LOWER_ASCII (a-z), LOWER_OTHER (another lower-case letter,
# e.g. an accented one), UPPER_ASCII (A-Z), else 0. One translate of a text gives every character's
# class: the scan asks it whether a match starts in lower case, the document its case profile.
LOWER_ASCII: Final = 1
LOWER_OTHER: Final = 2
UPPER_ASCII: Final = 3
CASE_CLASSES: Final = bytes(
    LOWER_ASCII if 97 <= b <= 122 else LOWER_OTHER if chr(b).islower() else UPPER_ASCII if 65 <= b <= 90 else 0
    for b in range(256)
)
_SEPARATORS: Final = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\n\r\f\v"
                             "\u00a0\u00b6\u2018\u2019\u201c\u201d\u2013\u2014\u2026"})


@dataclass(frozen=True, slots=True)
class Hit:
    """One reading of a matched key: its category, case rule and payload. ``written`` is kept for
    keys with punctuation (``U.S.``, ``U/S``), which must then match as written."""

    category: str
    case: str  # title | exact | lower
    value: Any
    written: str | None = None


class Readings:
    """The readings of one key (or the part of them its spelling lets through), with what the scan
    and the finders ask of them worked out once: shared by every match of the key, read-only.

    One attribute per category holds the first reading of that category (None without one), so
    a finder reads ``m.readings.place`` instead of searching the readings; ``mask`` has one bit
    per category (:data:`CATEGORY_BITS`) and files the match under its categories in the scan.
    """

    # what the scan reads of every hit first, near the object's header (one cache line: the
    # ~15,000 keys' objects do not stay in the CPU cache from one cable to the next)
    __slots__ = ("spelling", "mask", *CATEGORIES, "hits", "title_cased", "title_lower", "last_word", "country",
                 "towns_only", "local_only")
    spelling: _Spelling | None
    mask: int
    place: Hit | None
    org: Hit | None
    title: Hit | None
    org_head: Hit | None
    month: Hit | None
    year: Hit | None
    station: Hit | None
    facility: Hit | None

    def __init__(self, hits: tuple[Hit, ...], last_word: str, spelling: _Spelling | None = None) -> None:
        self.hits = hits
        self.mask = 0
        first = {c: next((h for h in hits if h.category == c), None) for c in CATEGORIES}
        self.place, self.org, self.title = first[PLACE], first[ORG], first[TITLE]
        self.org_head, self.month, self.year, self.station = first[ORG_HEAD], first[MONTH], first[YEAR], first[STATION]
        self.facility = first[FACILITY]
        place = self.place.value if self.place is not None else None
        self.country = place.iso if place is not None and place.kind == "country" else None  # its ISO code
        for h in hits:
            self.mask |= CATEGORY_BITS[h.category]
        titles = [h for h in hits if h.category == TITLE]
        self.title_cased = next((h for h in titles if h.case != "lower"), None)  # "Chairman"
        self.title_lower = next((h for h in titles if h.case == "lower"), None)  # "chairman"
        self.last_word = last_word  # the key's last word, lower-cased ("party")
        self.spelling = spelling  # None: no reading keeps its written form
        # every reading a city or a local place (a town, a small subdivision: often named like people,
        # "Wayne"), and every reading a local place (asked by the person finders, per hit)
        self.towns_only = all(h.category == PLACE and (h.value.kind == "city" or h.value.local) for h in hits)
        self.local_only = all(h.category == PLACE and h.value.local for h in hits)

    def get(self, category: str) -> Hit | None:
        """The first reading of ``category``, or None."""
        return getattr(self, category)


class Match:
    """A key found in the text at [start, end), with the readings that passed the case check.

    A plain class with slots: as cheap to build as a named tuple (whose constructor is a Python
    function too) and read by attribute without a property call."""

    __slots__ = ("start", "end", "readings")

    def __init__(self, start: int, end: int, readings: Readings) -> None:
        self.start = start
        self.end = end
        self.readings = readings

    @property
    def hits(self) -> tuple[Hit, ...]:
        return self.readings.hits

    def get(self, category: str) -> Hit | None:
        return getattr(self.readings, category)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Match) and (self.start, self.end, self.readings) == (
            other.start, other.end, other.readings)

    def __repr__(self) -> str:
        return f"Match({self.start}, {self.end}, {[h.category for h in self.readings.hits]})"


_START = attrgetter("start")  # matches never overlap: their starts order them


_INNER_PUNCTUATION: Final = re.compile(r"[^\w\s][ \t]+\S")


def _is_exact_key(key: str) -> bool:
    """Acronyms and abbreviations (two capitals, no lower-case letter) are matched in exact case."""
    return sum(c.isupper() for c in key) >= 2 and not any(c.islower() for c in key)


def padded(key: str) -> str:
    """A key as stored: separators as single spaces, one space each side."""
    return " " + " ".join(key.translate(_SEPARATORS).split()) + " "


class _Spelling:
    """The spelling checks of a key whose readings keep their written form (``U.S.``, ``UN``,
    ``MOSCOW`` as a station), with the outcome per text seen (a few spellings recur in every
    cable: ``U.S.`` is checked ~6 times a cable, so the outcome is remembered, not recomputed)."""

    __slots__ = ("dot", "checks", "hits", "last_word", "seen")
    # Remembered spellings per key; beyond this (odd spacing in odd cables) they are recomputed.
    MAX_SEEN = 32

    def __init__(self, hits: tuple[Hit, ...], last_word: str) -> None:
        self.dot = any(h.written and h.written.endswith(".") for h in hits)  # "U.S." takes its "."
        # per reading: None (no check: no written form, or digits only, e.g. a year), or
        # (written form, lower-cased unless exact case; exact case)
        self.checks = tuple(
            None if h.written is None or (not self.dot and h.case == "exact" and h.written.isascii()
                                          and h.written.isdigit())
            else (h.written if h.case == "exact" else h.written.lower(), h.case == "exact")
            for h in hits
        )
        self.hits = hits
        self.last_word = last_word
        self.seen: dict[str, Readings | None] = {}

    def needed(self) -> bool:
        return self.dot or any(self.checks)

    def passing(self, got: str) -> Readings | None:
        """The readings written as ``got`` in the text; None if none is."""
        try:
            return self.seen[got]
        except KeyError:
            pass
        kept = tuple(h for h, check in zip(self.hits, self.checks) if check is None or _same_spelling(got, *check))
        out = Readings(kept, self.last_word) if kept else None
        if len(self.seen) < self.MAX_SEEN:
            self.seen[got] = out
        return out


def _same_spelling(got: str, written: str, exact: bool) -> bool:
    """``written`` is lower-cased unless ``exact``; spaces and line breaks may differ."""
    if exact:
        return got == written or " ".join(got.split()) == written
    return got.lower() == written or " ".join(got.split()).lower() == written


def _readings(hits: tuple[Hit, ...], key: str) -> Readings | None:
    """The readings of a stored key with their spelling checks; None when there are none."""
    if not hits:
        return None
    last_word = key.rsplit(None, 1)[-1]
    spelling = _Spelling(hits, last_word)
    return Readings(hits, last_word, spelling if spelling.needed() else None)


# The value of a stored key: (its length, its Readings, the readings allowed when the match starts
# with a lower-case letter: role nouns only, None when there are none).
Value = tuple[int, Readings, "Readings | None"]


@lru_cache(maxsize=1)
def table() -> dict[str, Value]:
    """Every key, lower-cased and padded, with its :data:`Value` (built once per process)."""
    readings: dict[str, list[Hit]] = {}

    def add(key: str, category: str, case: str, value: Any) -> None:
        if case == "exact" or _is_exact_key(key):
            hit = Hit(category, "exact", value, key)
        elif key[:1].islower() and case == "title":  # "al-Qaida", "cartel": written in lower case
            hit = Hit(category, "lower", value, key if key.translate(_SEPARATORS) != key else None)
        else:
            hit = Hit(category, case, value, key if key.translate(_SEPARATORS) != key else None)
        stored = padded(key.lower())
        if stored.strip():
            readings.setdefault(stored, []).append(hit)
            # "U.S. Government", "St. Petersburg": the text reads "u s  government" (the dot and the
            # space are a separator each), so the key is stored that way too
            if _INNER_PUNCTUATION.search(key):
                spaced = " " + key.rstrip(".").lower().translate(_SEPARATORS) + " "
                if spaced != stored:
                    readings.setdefault(spaced, []).append(hit)

    for written, case, place in resources.places():
        add(written, PLACE, case, place)
    for written, case, org in resources.organizations():
        add(written, ORG, case, org)
    for written, title, is_lower in resources.titles():
        add(written, TITLE, "lower" if is_lower else "title", title)
    for head in ORG_HEADS:
        add(head, ORG_HEAD, "title", head)
    for head in dict.fromkeys(FACILITY_AFTER + FACILITY_BEFORE):
        add(head, FACILITY, "title", (head in FACILITY_AFTER, head in FACILITY_BEFORE))
    for name, month in MONTHS.items():
        add(name.capitalize(), MONTH, "title", month)
    for year in YEARS:
        add(str(year), YEAR, "exact", year)
    for written, key in resources.stations().items():
        add(written, STATION, "exact", key)

    out: dict[str, Value] = {}
    for key, hits in readings.items():
        low_ok = tuple(h for h in hits if h.case == "lower")
        out[key] = (len(key), _readings(tuple(hits), key), _readings(low_ok, key))  # type: ignore[assignment]
    return out


@lru_cache(maxsize=8192)  # names and acronyms recur across cables; bounded for a long-running worker
def lookup(phrase: str) -> tuple[Hit, ...]:
    """Every reading of ``phrase`` taken as a whole key, in any case; () when it is no key."""
    found = table().get(padded(phrase.lower()))
    return found[1].hits if found else ()


# A matcher: the haystack (Latin-1 bytes, see :func:`haystack`) -> every key found in it, as
# (the end of the key in the haystack, exclusive; the key's Value), overlapping hits included.
Matcher = Callable[[bytes], "list[tuple[int, Value]]"]


def _hyperscan_matcher(keys: dict[str, Value]) -> Matcher:
    """Hyperscan's literal compiler over the keys (keys that are not Latin-1 can never match)."""
    latin = [(k.encode("latin-1"), v) for k, v in keys.items() if _latin1(k)]
    values = [v for _, v in latin]
    db = _compiled([k for k, _ in latin])

    def find(hay: bytes) -> list[tuple[int, Value]]:
        hits: list[tuple[int, Value]] = []
        append = hits.append
        db.scan(hay, match_event_handler=lambda i, _from, to, _flags, _ctx: append((to, values[i])))
        return hits

    return find


# Where Hyperscan's compiled database is kept between runs (None: nowhere), see keep_compiled().
_COMPILED_DIR: list[Path | None] = [None]
_CHECKSUM_BYTES: Final = 32


def keep_compiled(folder: str | Path | None) -> None:
    """Keep the compiled Hyperscan database in ``folder`` (None: compile every time). Compiling
    takes 2-4 s at each start; loading it back takes about a millisecond, so a restarted worker
    consumes again sooner. The file is named after a digest of the keys and the Hyperscan build,
    holds a SHA-256 of its contents, and is only read back when both match; else it is compiled
    and written again. Call before the matcher is first built (the worker does, from its settings)."""
    _COMPILED_DIR[0] = Path(folder) if folder is not None else None


def _compiled(expressions: list[bytes]) -> Any:
    """The block-mode literal database of ``expressions`` (id = position), from the folder of
    :func:`keep_compiled` when it holds this very database, else compiled (and stored there)."""
    folder = _COMPILED_DIR[0]
    path = None
    if folder is not None:
        digest = hashlib.sha256(b"\0".join([_hyperscan_build().encode(), *expressions])).hexdigest()[:32]
        path = folder / f"gazetteer-{digest}.hsdb"
        db = _load(path)
        if db is not None:
            return db
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions),
               flags=0, literal=True)
    if path is not None:
        _store(path, hyperscan.dumpb(db))
    return db


def _hyperscan_build() -> str:
    from importlib.metadata import version

    return f"hyperscan {version('hyperscan')}"


def _load(path: Path) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = data[_CHECKSUM_BYTES:]
    if hashlib.sha256(body).digest() != data[:_CHECKSUM_BYTES]:
        return None  # truncated or altered: compile again
    try:
        db = hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one (compile makes it)
        return db
    except Exception:  # noqa: BLE001 - e.g. another CPU's database: compile again
        return None


def _store(path: Path, body: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)  # readers see the whole file or none
    except OSError as exc:
        warnings.warn(f"cannot keep the compiled gazetteer in {path.parent} ({exc}); it is compiled at each start",
                      RuntimeWarning, stacklevel=3)


def _ahocorasick_matcher(keys: dict[str, Value]) -> Matcher:
    """pyahocorasick's automaton over the keys (reads str: the haystack is decoded as Latin-1)."""
    a = ahocorasick.Automaton()
    for key, value in keys.items():
        a.add_word(key, value)
    a.make_automaton()
    return lambda hay: [(last + 1, value) for last, value in a.iter(hay.decode("latin-1"))]


def _latin1(key: str) -> bool:
    try:
        key.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


MATCHERS: dict[str, Callable[[dict[str, Value]], Matcher]] = {"ahocorasick": _ahocorasick_matcher}
if HAVE_HYPERSCAN:
    MATCHERS["hyperscan"] = _hyperscan_matcher
DEFAULT_MATCHER: Final = "hyperscan" if HAVE_HYPERSCAN else "ahocorasick"
FALLBACK_MATCHER: Final = "ahocorasick"
# The scan's matcher in this process (select_matcher), and whether it was chosen by "auto".
_selected = [DEFAULT_MATCHER]
_auto = [True]


def select_matcher(name: str) -> str:
    """Make ``name`` (``auto``: :data:`DEFAULT_MATCHER`, ``hyperscan``, ``ahocorasick``) the scan's
    matcher in this process; returns the name chosen. Unknown or uninstalled: ValueError."""
    chosen = DEFAULT_MATCHER if name == "auto" else name
    if chosen not in MATCHERS:
        raise ValueError(f"no matcher {name!r} here (installed: {', '.join(sorted(MATCHERS))})")
    _selected[0] = chosen
    _auto[0] = name == "auto"
    return chosen


def selected_matcher() -> str:
    return _selected[0]


def matcher(name: str | None = None) -> Matcher:
    """The named matcher over every key (default: the selected one; built once per process, ~0.3 s).

    When ``auto`` chose Hyperscan and it cannot build its database here (a CPU it does not support),
    pyahocorasick takes over, with a warning, rather than every cable losing its entities."""
    wanted = name or _selected[0]
    try:
        return _built(wanted)
    except Exception as exc:  # noqa: BLE001 - any failure of the optional engine
        if name is not None or not _auto[0] or wanted == FALLBACK_MATCHER:
            raise
        warnings.warn(f"matcher {wanted} unusable here ({exc!r}); {FALLBACK_MATCHER} finds the same hits",
                      RuntimeWarning, stacklevel=2)
        _selected[0] = FALLBACK_MATCHER
        return _built(FALLBACK_MATCHER)


@lru_cache(maxsize=None)
def _built(name: str) -> Matcher:
    return MATCHERS[name](table())


# Two capitalized words in a row (a particle may stand between them), the anchor of the untitled-name
# finder: where Hyperscan runs, it finds them in the Latin-1 text in one scan (~60 a cable, each
# reported at the second word's second letter with the first word's start), instead of a regular
# expression trying every position of the text (~90 us a cable). "?" stands for a character that
# is not Latin-1 (the right single quote among them): the finder checks each pair
# with its own expression, so this pattern only has to find every pair it would (a superset).
CAPITALIZED_PAIR: Final = (
    rb"[A-Z][a-z][a-zA-Z'?-]*[ \t\n]+(?:(?:bin|ibn|al|el|de|da|del|dos|du|van|von|zu|le|la|di)[ \t]+)?[A-Z][a-z]"
)


@lru_cache(maxsize=1)
def _pair_database() -> Any:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[CAPITALIZED_PAIR], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_SOM_LEFTMOST])
    return db


def capitalized_pairs(raw: bytes) -> list[tuple[int, int]] | None:
    """Every pair of capitalized words in ``raw`` (the text as Latin-1 bytes) as (start of the
    first word, end of the second word's second letter), in order, where the selected matcher is
    Hyperscan; None elsewhere (the caller searches the text itself)."""
    if _selected[0] != "hyperscan":
        return None
    pairs: list[tuple[int, int]] = []
    append = pairs.append
    _pair_database().scan(raw, match_event_handler=lambda _i, start, end, _flags, _ctx: append((start, end)))
    pairs.sort()  # reported by end: nearly sorted already
    return pairs


def haystack(text: str, blank: Sequence[tuple[int, int]] = (), raw: bytes | None = None) -> bytes:
    """``text`` as Latin-1 bytes, lower-cased with separators as spaces, padded by one space each
    side; the ``blank`` ranges are spaces too (nothing matches there). ``raw``: the text already
    encoded as Latin-1 (with "?" for other characters)."""
    if raw is None:
        raw = text.encode("latin-1", "replace")
    mapped = raw.translate(_HAYSTACK_BYTES)
    if blank:
        b = bytearray(mapped)
        for start, end in blank:
            b[start:end] = b" " * (end - start)
        mapped = bytes(b)
    return b" " + mapped + b" "


def scan(
    text: str, lowercase_cable: bool, blank: Sequence[tuple[int, int]] = (), raw: bytes | None = None,
    find: Matcher | None = None, classes: bytes | None = None,
) -> tuple[list[Match], dict[int, list[Match]]]:
    """Every gazetteer key in ``text`` at word boundaries, leftmost-longest, in text order; and
    the same matches filed by their readings' ``mask`` (see :func:`of_category`).

    Case rules: acronyms match only as written (``UN``, not ``un``); spelled-out names must start
    with a capital (``Turkey``, not ``turkey``) unless ``lowercase_cable`` (the whole cable was
    lower-cased); role nouns (``leader``) match in any case.

    The loop runs once per automaton hit (~150 a cable), so it touches as little as it can: the
    readings and their spelling checks are precomputed per key, the lower-case readings are only
    looked at when the text has a lower-case letter there, and matches are filed by mask (one
    look-up) rather than under each category. ``find``: the matcher (default: :func:`matcher`);
    ``raw`` and ``classes``: the text as Latin-1 bytes and its :data:`CASE_CLASSES`, if already known.
    """
    if raw is None:
        raw = text.encode("latin-1", "replace")
    if lowercase_cable:  # every match reads as if capitalized
        classes = bytes(len(raw))
    elif classes is None:
        classes = raw.translate(CASE_CLASSES)
    candidates = _candidates(text, raw, classes, blank, find or matcher())
    candidates.sort()  # (start, end) is unique per key: the readings are never compared
    return _leftmost_longest(candidates)


def _candidates(text: str, raw: bytes, classes: bytes, blank: Sequence[tuple[int, int]],
                find: Matcher) -> list[tuple[int, int, Readings]]:
    """(start, end, readings) of every automaton hit whose case and spelling pass, in hit order."""
    candidates: list[tuple[int, int, Readings]] = []
    append = candidates.append
    n = len(text)
    for stop, value in find(haystack(text, blank, raw)):
        length = value[0]
        start = stop - length  # in text coordinates (the leading pad shifts by one)
        case = classes[start]
        readings = value[2] if case == LOWER_ASCII or case == LOWER_OTHER else value[1]
        if readings is None:
            continue
        end = start + length - 2
        spelling = readings.spelling
        if spelling is not None:
            if spelling.dot and end < n and text[end] == ".":
                end += 1
            passed = spelling.passing(text[start:end])
            if passed is None:
                continue
            readings = passed
        append((start, end, readings))
    return candidates


def _leftmost_longest(candidates: list[tuple[int, int, Readings]]) -> tuple[list[Match], dict[int, list[Match]]]:
    """The non-overlapping matches of sorted candidates, leftmost first and longest at one start, and
    the same matches filed by their readings' mask."""
    found: list[Match] = []
    by_mask: dict[int, list[Match]] = {}
    reach = -1
    last_start = -1
    for c in candidates:
        start = c[0]
        if start == last_start:  # same start, longer key (sorted by end): it wins
            by_mask[found[-1].readings.mask].pop()
            m = found[-1] = Match(start, c[1], c[2])
        elif start >= reach:
            m = Match(start, c[1], c[2])
            found.append(m)
            last_start = start
        else:
            continue
        reach = c[1]
        filed = by_mask.get(c[2].mask)
        if filed is None:
            by_mask[c[2].mask] = [m]
        else:
            filed.append(m)
    return found, by_mask


def of_category(by_mask: dict[int, list[Match]], category: str) -> list[Match]:
    """The matches of :func:`scan` with a reading in ``category``, in text order."""
    bit = CATEGORY_BITS[category]
    lists = [ms for mask, ms in by_mask.items() if mask & bit and ms]
    if len(lists) == 1:
        return lists[0]
    merged: list[Match] = []
    for ms in lists:
        merged += ms
    merged.sort(key=_START)  # sorted runs, merged in C
    return merged
