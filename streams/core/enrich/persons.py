"""People: titled names in the body, the header's people, person tags, and later bare surnames.

A name is found where a title or role introduces it (``FM Tokayev``, ``Ambassador John Ordway``,
``UK Ambassador James Sharp``, ``Ambassador to the UN Yerzhan Kazykhanov``, ``PML-N leader Nawaz
Sharif``, ``Ambassadors Sharp and Ordway``, ``The OAS Secretary General, Jose Miguel Insulza,``).
The title is normalized from a data file (``FM`` -> ``Foreign Minister``). The header adds the
``Classified By`` person and the signer; ``OVIP (CLINTON, HILLARY)`` tags add their person.
Once a person is known, every later capitalized mention of the surname counts (``Tokayev said``)
unless two people of the cable share it. Names with no title anywhere in the cable are not found
(a statistical model would; see the README for why none runs by default).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, Iterator

from streams.core.enrich import gazetteer, resources
from streams.core.enrich.document import TAKEN, Doc, claimed
from streams.core.enrich.mentions import PERSON, Mention
from streams.core.model import Cable

_WS: Final = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_PARTICLES_RE: Final = r"(?:bin|bint|ibn|al|el|de|da|del|della|dos|das|du|van|von|der|den|la|le|di|abu|ben|y)"
_MIXED_TOKEN: Final = r"(?:[A-Z]\.|(?:[a-z]{1,3}-)?[A-Z][a-zA-Z'\u2019]*(?:-[A-Za-z][a-zA-Z'\u2019]*)*)"
_UPPER_TOKEN: Final = r"(?:[A-Z]\.|[A-Z][A-Z'\u2019]*(?:-[A-Z][A-Z'\u2019]*)*)"
_NAME_MIXED: Final = re.compile(
    rf"(,?){_WS}({_MIXED_TOKEN}(?:{_WS}(?:{_PARTICLES_RE}{_WS})*{_MIXED_TOKEN}){{0,4}})"
)
_NAME_UPPER: Final = re.compile(
    rf"(,?){_WS}({_UPPER_TOKEN}(?:{_WS}(?:(?i:{_PARTICLES_RE}){_WS})*{_UPPER_TOKEN}){{0,3}})"
)
_WORD: Final = re.compile(r"\S+")
# A word of two letters or more once trailing dots are cut (a name is not initials only).
_LONG_WORD: Final = re.compile(r"\S[^\s.]")
_PROGRAM: Final = re.compile(r"K[A-Z]{3}")
_CHAIN_WORDS: Final = ("to ", "of ", "for ", "at ", "in ", "To ", "Of ")
_SKIP_TO_NAME: Final = re.compile(r"[ \t]+(?:to|of|for|at|in)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
_AND_NEXT: Final = re.compile(rf"(?:,|,?{_WS}and){_WS}(?=[A-Z])")
_AFTER_APPOSITION: Final = re.compile(r"[ \t]*(?:,|\)|$)")
_PARTICLES: Final = frozenset(_PARTICLES_RE[3:-1].split("|"))
_STOP: Final = frozenset(
    "the a an and or but of in on at to for by with from he she it they we i this that these those "
    "mr mrs ms dr sir his her its their our said told who which when where while after before "
    "during since also however ambassador minister president embassy post department government "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec xxxxxxxxxxxx".split()
)
_POSSESSIVE_LAST: Final = frozenset("'\u2019sS")  # the last letter of "Tokayev's", "TOKAYEV'S", "Burns'"
# Longest name we accept after a title, in tokens (Jaap de Hoop Scheffer counts 3 + particles).
MAX_NAME_TOKENS: Final = 5


# Names recur within a cable and across cables: their readable forms and tokens are remembered
# (bounded: a long-running worker sees an open-ended set of names).
NAME_CACHE: Final = 4096


@lru_cache(maxsize=NAME_CACHE)
def display(name: str) -> str:
    """A readable form of a name: ``ORDWAY`` -> ``Ordway``, ``MOHAMMED BIN NAYEF`` -> ``Mohammed bin Nayef``."""
    if any(c.islower() for c in name):
        return " ".join(name.split())
    words = []
    for w in name.split():
        low = w.lower()
        if low in _PARTICLES:
            words.append(low)
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(words)


@lru_cache(maxsize=NAME_CACHE)
def _tokens(name: str) -> tuple[str, ...]:
    """The words of a name without its particles (``bin``, ``de``)."""
    return tuple(t for t in name.split() if t.lower() not in _PARTICLES)


def _clean(doc: Doc, start: int, raw: str, upper: bool) -> tuple[int, str] | None:
    """Cut a captured name at the first word that cannot be part of it; None if nothing is left."""
    keep_end = 0
    common = resources.common_words()
    by_start = doc.by_start
    count = 0
    for w in _WORD.finditer(raw):
        token = w.group(0)
        low = token.rstrip(",.;:").rstrip("'\u2019").lower()
        if low in _STOP or (upper and low in common and low not in _PARTICLES):
            break
        w_start = w.start()
        if keep_end and not upper and raw.find("\n", keep_end, w_start) >= 0 and (
                low in common or token.isupper() or start + w_start in by_start):
            break  # a list, one person a line: "Peter Burleigh\nSenior Director Don Camp"
        if not low.strip("x"):
            return None  # a redaction
        if len(low) == 1 and not token.endswith("."):
            break  # "C" at the start of the next line is not an initial ("W." is)
        if low not in _PARTICLES:
            m = by_start.get(start + w_start)
            if m is not None and not _person_like(m):
                break  # "Ambassador to Spain", "FM Tokayev June 14": a place, an organization, a date
        keep_end = w.end()
        if token[-1] in _POSSESSIVE_LAST:  # (one test for most words instead of two endswith)
            if token.endswith(("'s", "\u2019s", "'S", "\u2019S")):
                keep_end -= 2
                break
            if token.endswith(("'", "\u2019")):  # "Burns'": a possessive, not part of the name
                keep_end -= 1
                break
        count += 1
        if count >= MAX_NAME_TOKENS:
            break
    name = raw[:keep_end].rstrip(" ,.;:")
    # "Head of Delegation Anita Friedt": an ordinary word before the name is not part of it
    if not upper:
        parts = name.split(None, 1)
        while len(parts) > 1 and parts[0].lower() in common:
            rest = parts[1]
            start += len(name) - len(rest)  # rest is a suffix of name, itself a prefix of raw
            name = rest
            parts = name.split(None, 1)
    while name and name.rsplit(None, 1)[-1].lower() in _PARTICLES:
        name = name.rsplit(None, 1)[0] if " " in name else ""
    if not _LONG_WORD.search(name):
        return None  # nothing left, or initials only
    return start, name


def _person_like(m: gazetteer.Match) -> bool:
    """A gazetteer key that also reads as part of a name (a city called ``Wayne``, a year): only
    cities and local places (towns and small subdivisions, often named like people)."""
    return m.readings.towns_only  # worked out once per key (gazetteer.Readings)


@lru_cache(maxsize=NAME_CACHE)
def _not_a_name(word: str) -> bool:
    """A one-word "name" that the gazetteer knows as a country, region or organization."""
    return any(
        h.category == gazetteer.ORG or (h.category == gazetteer.PLACE and h.value.kind != "city" and not h.value.local)
        for h in gazetteer.lookup(word)
    )


def _name_at(doc: Doc, pos: int, upper: bool, appositive_ok: bool) -> tuple[int, int, str] | None:
    """The name right after position ``pos`` (the end of a title), as (start, end, name)."""
    rx = _NAME_UPPER if upper else _NAME_MIXED
    m = rx.match(doc.text, pos)
    if not m:
        return None
    if m.group(1) and not appositive_ok:
        return None
    cleaned = _clean(doc, m.start(2), m.group(2), upper)
    if cleaned is None:
        return None
    start, name = cleaned
    end = start + len(name)
    if m.group(1) and not _AFTER_APPOSITION.match(doc.text, end):
        return None  # "the Ambassador, Tokayev said": not an apposition
    return start, end, name


def _skip_chained(doc: Doc, pos: int) -> int:
    """Past any further titles and ``to the UN`` after a title: ``Assistant Interior Minister
    Prince Mohammed``, ``Ambassador to the UN Yerzhan Kazykhanov``."""
    text = doc.text
    by_start = doc.by_start
    for _ in range(3):
        nxt = pos
        while nxt < len(text) and text[nxt] in " \t":
            nxt += 1
        m = by_start.get(nxt)
        if m is not None and m.readings.title is not None and nxt > pos:
            pos = m.end
            continue
        via = _SKIP_TO_NAME.match(text, pos)
        if via:
            m = by_start.get(via.end())
            if m is not None and (m.get(gazetteer.PLACE) or m.get(gazetteer.ORG)):
                pos = m.end
                continue
        break
    return pos


def _title_hit(m: gazetteer.Match, written: str, upper: bool) -> gazetteer.Hit | None:
    """The title reading of a match: ``Chairman`` as a title, ``chairman`` as a role noun."""
    readings = m.readings
    if upper or written[0].isupper():
        hit = readings.title_cased
        return hit if hit is not None or not upper else readings.title
    return readings.title_lower


def titled(doc: Doc) -> list[Mention]:
    """Names introduced by a title or role in the body."""
    found: list[Mention] = []
    text = doc.text
    n = len(text)
    occupied = doc.occupied
    for m in doc.of_category(gazetteer.TITLE):
        # cheap test first: a capitalized word (or "to the ...") must follow within three characters
        j = m.end
        while j < n and text[j] in " \t\n,":
            j += 1
        if j >= n or j - m.end > 3 or not (text[j].isupper() or text.startswith(_CHAIN_WORDS, j)):
            continue
        upper = doc.upper_line(m.start)
        written = text[m.start:m.end]
        hit = _title_hit(m, written, upper)
        if hit is None or claimed(occupied, m.start, m.end):
            continue
        plural = written.isalpha() and written.lower().endswith("s") and not hit.value.lower().endswith("s")
        pos = _skip_chained(doc, m.end)
        while True:
            got = _name_at(doc, pos, upper, appositive_ok=True)
            if got is None:
                break
            start, end, name = got
            if claimed(occupied, start, end):
                break  # already found
            found.append(Mention(PERSON, start, end, name, display(name), {"title": hit.value}))
            occupied[start:end] = TAKEN[:end - start]
            nxt = _AND_NEXT.match(text, end) if plural else None
            if nxt is None:
                break
            pos = nxt.end() - 1  # the name pattern starts with the whitespace before the name
    return found


# A run of capitalized words with lower-case letters (``Jose Bove``, ``Aung San Suu Kyi``,
# ``Karl-Theodor zu Guttenberg``), name particles between them, on one line or wrapped onto the next.
# (No look-behind: it tripled the time of this whole-text search; the character before a run is
# checked in Python, and a blank line inside a run ends a name.)
_CAPITALIZED_RUN: Final = re.compile(
    r"[A-Z][a-z][a-zA-Z'\u2019-]*(?:[ \t\n]+"
    r"(?:(?:bin|ibn|al|el|de|da|del|dos|du|van|von|zu|le|la|di)[ \t]+)?[A-Z][a-z][a-zA-Z'\u2019-]*)+"
)
_GLUED: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.'\u2019-_")
# Longest untitled name, in words without particles.
MAX_UNTITLED_WORDS: Final = 4


# Capitalized words that head something other than a person, or open a cable's set phrases
# (``End Summary``, ``Bio Note``, ``Orthodox Church``, ``Sangin Valley``): never in an untitled name.
_NOT_NAME_WORDS: Final = frozenset(
    "end summary comment note bio septel reftel codel staffdel hurricane operation exercise website "
    "church cathedral mosque monastery temple palace house valley river heights lake mountains "
    "island islands airport base camp square street bridge dam hotel stadium prison province "
    "district region city polytechnic corps catholics convention times post news journal radio "
    "television tv magazine daily airlines airways sdn bhd inc ltd llc co corp gmbh affairs "
    "administered minster asian african european line-up".split()
)
_APOSTROPHE_OR_S: Final = frozenset("'\u2019s")  # the last letter of a possessive or of "Burns'"
# What a word of a capitalized run is to an untitled name.
_NAME, _BREAK, _SPOIL = 0, 1, 2


def _match_kind(doc: Doc, m: gazetteer.Match) -> int:
    """What a word that starts gazetteer match ``m`` is to an untitled name: ``_BREAK`` for a title,
    a month or a year; ``_NAME`` for a one-word city (``Wayne``); else ``_SPOIL`` (``Pakistan``,
    ``League``, ``Tel Aviv``: the words around it name something else)."""
    readings = m.readings
    if readings.title is not None or readings.month is not None or readings.year is not None:
        return _BREAK
    if not _person_like(m):
        return _SPOIL
    if " " not in doc.text[m.start:m.end] or readings.local_only:  # (its readings are all places here)
        return _NAME  # a run that is only the town ("Lashkar Gah") is no name (_add_untitled)
    return _SPOIL


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """Lower-case words that end or spoil an untitled name, in one set."""
    return resources.common_words() | _STOP | _NOT_NAME_WORDS


def _runs(doc: Doc) -> Iterator[re.Match[str]]:
    """The matches of ``_CAPITALIZED_RUN.finditer(doc.text)``, found from Hyperscan's pairs of
    capitalized words where it runs (the regular expression is then only tried where a run starts).

    The pairs are a superset of the runs' starts, so each pair either starts the next run (the
    common case), lies inside a run already read, or (a character outside Latin-1 glued to a word)
    makes the expression search on from there: the runs are the same as the whole-text search's."""
    text = doc.text
    pairs = gazetteer.capitalized_pairs(doc.raw) if doc.raw else None
    if pairs is None:
        yield from _CAPITALIZED_RUN.finditer(text)
        return
    reach = 0  # the end of the last run: every run before it has been given
    for start, end in pairs:
        if end <= reach:
            continue  # inside a run already given
        run = _CAPITALIZED_RUN.match(text, start) if start >= reach else None
        if run is None:
            run = _CAPITALIZED_RUN.search(text, max(start, reach))
            if run is None:
                return  # no run after this one
        reach = run.end()
        yield run


def untitled(doc: Doc) -> list[Mention]:
    """Names without a title: two to four capitalized words none of which is an ordinary word, a
    place other than a city, an organization or a title (mixed-case text only: in capitals every
    word looks like a name). ``Both Jose Bove and Zacarias Moussaoui`` gives two names; the words
    next to an organization or place word give none (``Orthodox Church``, ``Bilawal House``)."""
    if doc.uppercase or doc.lowercase:
        return []
    found: list[Mention] = []
    text = doc.text
    ordinary = _ordinary_words()
    for run in _runs(doc):
        # cheap test first (most runs are "The Ambassador", "Foreign Ministry"): two words that
        # are not ordinary words, else no name can be in the run
        written = run.group(0)
        lows = written.lower().split()
        if len(ordinary.intersection(lows)) > len(lows) - 2:
            continue
        at = run.start()
        if (at and text[at - 1] in _GLUED) or doc.upper_line(at) or doc.skipped(at):
            continue  # inside a word ("McDonald"), an all-capitals line, a skipped line
        _read_run(doc, at, written, lows, found)
    return found


def _read_run(doc: Doc, at: int, written: str, lows: list[str], found: list[Mention]) -> None:
    """The names of one capitalized run starting at ``at`` (``lows``: its words, lower-cased)."""
    text = doc.text
    occupied = doc.occupied
    by_start = doc.by_start
    ordinary = _ordinary_words()
    words: list[tuple[int, int]] = []  # the name being read: (start, end) of each word
    spoiled = False  # the words since the last break are part of another name
    pos = 0
    lines = "\n" in written
    for token, low in zip(written.split(), lows):
        w_start = written.find(token, pos)
        if lines and written.count("\n", pos, w_start) > 1:  # a blank line ends a name
            _add_untitled(text, words, found, occupied)
            words, spoiled = [], False
        pos = w_start + len(token)
        start = at + w_start
        possessive = False
        if token[-1] in _APOSTROPHE_OR_S:  # (one test for most words instead of two endswith)
            possessive = token.endswith(("'s", "\u2019s"))
            if possessive:
                token, low = token[:-2], low[:-2]
            elif token.endswith(("'", "\u2019")):
                token = token.rstrip("'\u2019")
                low = low.rstrip("'\u2019")
        if token in _PARTICLES:
            if words:
                words.append((start, start + len(token)))
            continue
        # _NAME: may be part of a name; _BREAK ends it (an ordinary word, a word already found);
        # _SPOIL: the words around it name something else ("Church", a place, an organization)
        if low in ordinary:
            kind = _SPOIL if low in _NOT_NAME_WORDS else _BREAK
        elif occupied[start]:
            kind = _BREAK
        else:
            m = by_start.get(start)
            kind = _NAME if m is None else _match_kind(doc, m)
        if kind == _NAME and not spoiled:
            words.append((start, start + len(token)))
        else:
            if kind == _SPOIL:
                spoiled = True
                words = []
            elif kind == _BREAK:
                spoiled = False
            _add_untitled(text, words, found, occupied)
            words = []
        if possessive:
            _add_untitled(text, words, found, occupied)
            words = []
    _add_untitled(text, words, found, occupied)


def _add_untitled(text: str, words: list[tuple[int, int]], found: list[Mention], occupied: bytearray) -> None:
    """Keep the words read as a name when two to MAX_UNTITLED_WORDS of them are not particles."""
    if len(words) < 2:
        return  # most calls: a break with no name, or one word
    while words and text[words[-1][0]:words[-1][1]] in _PARTICLES:
        words.pop()
    names = sum(text[a:b] not in _PARTICLES for a, b in words)
    if names < 2 or names > MAX_UNTITLED_WORDS:
        return
    start, end = words[0][0], words[-1][1]
    written = text[start:end]
    if gazetteer.lookup(written):
        return  # a place or organization written across a line break ("United \nStates")
    found.append(Mention(PERSON, start, end, written, display(written), {}))
    occupied[start:end] = TAKEN[:end - start]


def _tag_person(code: str) -> str | None:
    """``OVIP (CLINTON, HILLARY)`` or ``CLINTON, HILLARY`` -> ``Hillary Clinton``."""
    m = _PERSON_TAG.fullmatch(code)
    if not m:
        return None
    last, first = m.group(1).strip(), m.group(2).strip().rstrip(".")
    return display(f"{first} {last}")


_PERSON_TAG: Final = re.compile(r"\s*(?:[A-Z]{3,5}\s*\(\s*)?([A-Za-z' -]+?)\s*,\s*([A-Za-z' .-]+?)\s*\)?\s*")


def tag_person(code: str) -> str | None:
    """The person named by a person tag, or None when the tag is not one (``EINV,EFIN`` is two
    codes run together, not a person)."""
    if "," not in code:
        return None
    parts = [p.strip(" ()").upper() for p in code.split("(")[-1].split(",")]
    if all(p in resources.tag_dictionary() or _PROGRAM.fullmatch(p) for p in parts):
        return None
    return _tag_person(code)


def header(doc: Doc, cable: Cable) -> list[Mention]:
    """The people of the header: Classified By, the signer, person tags."""
    found: list[Mention] = []
    if cable.classified_by and cable.classified_by.name and cable.classified_by.name.strip():
        written = cable.classified_by.name.strip()
        attrs = {"role": "classified_by"}
        if cable.classified_by.title:
            attrs["title"] = cable.classified_by.title
        pos = doc.text.find(written)
        span = (pos, pos + len(written)) if pos >= 0 and doc.free(pos, pos + len(written)) else (-1, -1)
        found.append(Mention(PERSON, span[0], span[1], written, display(written), attrs))
        if span[0] >= 0:
            doc.take(*span)
    if cable.signer and cable.signer.strip() and not set(cable.signer.strip().lower()) <= {"x"}:
        signer = cable.signer.strip()
        pos = doc.text.rfind(signer)
        span = (pos, pos + len(signer)) if pos >= 0 and doc.free(pos, pos + len(signer)) else (-1, -1)
        found.append(Mention(PERSON, span[0], span[1], signer, display(signer), {"role": "signer"}))
        if span[0] >= 0:
            doc.take(*span)
    for tag in cable.tags:
        name = tag_person(tag.code)
        if name:
            found.append(Mention(PERSON, -1, -1, tag.code, name, {"source": "tag"}))
    return found


def _upper_ranges(doc: Doc) -> list[tuple[int, int]]:
    """The subject line(s) of a mixed-case cable, where names are in capitals."""
    at = doc.head.find(b"subj")
    if at < 0:
        return []
    end = doc.text.find("\n\n", at)
    return [(at, end if end >= 0 else min(len(doc.text), at + 400))]


def resolve(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Give every mention of one person the same normalized name, then count bare surnames.

    A one-word name joins the one full name ending (else starting) with it: ``Tokayev`` ->
    ``Kassymzhomart Tokayev``, ``Li`` -> ``Li Xiaobing``; if two people share it, it stays apart.
    """
    _unify_names(mentions)
    return mentions + _bare_surnames(doc, mentions, _surname_owners(mentions))


def _unify_names(mentions: list[Mention]) -> None:
    """Set each mention's normalized name to the full name it belongs to (in place)."""
    full: dict[str, str] = {}
    for m in mentions:
        if len(_tokens(m.normalized)) > 1:
            key = m.normalized.casefold()
            if key not in full or (full[key].isupper() and not m.normalized.isupper()):
                full[key] = m.normalized
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for key, name in full.items():
        toks = _tokens(name)
        by_last.setdefault(toks[-1].casefold(), set()).add(key)
        by_first.setdefault(toks[0].casefold(), set()).add(key)
    for m in mentions:
        toks = _tokens(m.normalized)
        if len(toks) == 1:
            word = toks[0].casefold()
            owners = by_last.get(word) or (by_first.get(word) if word not in by_last else None)
            if owners and len(owners) == 1:
                m.normalized = full[next(iter(owners))]
        elif m.normalized.casefold() in full:
            m.normalized = full[m.normalized.casefold()]


def _surname_owners(mentions: list[Mention]) -> dict[str, str | None]:
    """Surname -> the one person of the cable it names (None when two people share it), in order of
    mention, never set order."""
    surnames: dict[str, str | None] = {}
    for name in dict.fromkeys(m.normalized for m in mentions):
        toks = _tokens(name)
        if not toks:
            continue
        last = toks[-1].rstrip(".")
        if len(last) < 2:
            continue
        surnames[last] = None if last in surnames and surnames[last] != name else name
    return surnames


def _bare_surnames(doc: Doc, mentions: list[Mention], surnames: dict[str, str | None]) -> list[Mention]:
    """Mentions of bare surnames after their owner's first mention (and, in capitals, in all-capitals
    lines), where no other entity claimed the span."""
    extra: list[Mention] = []
    text = doc.text
    n = len(text)
    first_seen: dict[str, int] = {}
    for m in mentions:
        if m.start >= 0 and (m.normalized not in first_seen or m.start < first_seen[m.normalized]):
            first_seen[m.normalized] = m.start
    # capitals ("TOKAYEV") are looked for in all-capitals lines only: the subject line (or the
    # whole text of an all-capitals telegram)
    upper_ranges = [(0, n)] if doc.uppercase else _upper_ranges(doc)
    occupied = doc.occupied
    skips_end = max((b for _, b in doc.skips), default=0)  # skipped lines are all before this
    for surname, owner in surnames.items():
        if owner is None or _not_a_name(surname):
            continue
        ranges = [(first_seen.get(owner, 0), n, surname)]
        if not surname.isupper():
            ranges += [(a, b, surname.upper()) for a, b in upper_ranges]
        for lo, stop, form in ranges:
            pos = text.find(form, lo, stop)
            while pos >= 0:
                end = pos + len(form)
                if (
                    (pos == 0 or not text[pos - 1].isalnum())
                    and (end >= n or not text[end].isalnum())
                    and not claimed(occupied, pos, end)
                    and (pos >= skips_end or not doc.skipped(pos))
                ):
                    extra.append(Mention(PERSON, pos, end, form, owner, {}))
                    occupied[pos:end] = TAKEN[:end - pos]
                pos = text.find(form, end, stop)
    return extra
