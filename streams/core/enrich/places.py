"""Locations: countries (normalized to their ISO 3166-1 alpha-2 code), cities and regions.

From the gazetteer (pycountry and GeoNames country names, a few curated abbreviations such as
``UK`` and ``ROK``, posts and capitals, GeoNames cities of 100,000 people or more, pycountry
subdivisions, world regions). A demonym (``Brazilian President Lula``, ``Kazakhstani``) names its
country too: it joins the country's entity, which carries ``{"via": "demonym"}`` when the cable
never names the country itself. A place word inside a person's name or at the start of an
organization's name is not counted (``Shanghai Cooperation Organization``), and in all-capitals
lines a city or region that is also an English word is ignored.

Areas that no data set lists are read from the text: the capitalized name before an area noun
(``Kajaki district``, ``Hadramout and Shabwa governorates``, ``Bajaur and Mohmand agencies``; the
nouns are gazetteer keys of kind ``area``) is a place, kind ``region``, and so are the name's other
mentions in the cable.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from streams.core.enrich import gazetteer, resources
from streams.core.enrich.document import Doc, claimed
from streams.core.enrich.mentions import LOCATION, new_entity
from streams.core.enrich.resources import Place
from streams.core.model import Entity

DEMONYM: Final = "demonym"
ADJECTIVE: Final = "adjective"
VIA: Final = "via"  # {"via": "demonym"}: the country is only named by its adjective in this cable


@lru_cache(maxsize=None)
def attributes(place: Place) -> dict[str, str]:
    """The entity attributes of a place: kind, ISO code, and a country's name (shared, read-only)."""
    attrs = {"kind": "country" if place.kind == DEMONYM else place.kind}
    if place.iso:
        attrs["iso"] = place.iso
    if place.kind in ("country", DEMONYM):
        attrs["name"] = resources.country_names().get(place.iso or "", place.normalized)
    if place.kind == DEMONYM:
        attrs[VIA] = DEMONYM
    return attrs


def _local_place(hits: tuple[gazetteer.Hit, ...], local: frozenset[str]) -> Place | None:
    """The first local place of a key (towns of one name in several countries) in one of the
    ``local`` countries, or None."""
    for h in hits:
        if h.category == gazetteer.PLACE and h.value.local and h.value.iso in local:
            return h.value  # type: ignore[no-any-return]
    return None


_CURRENCY: Final = re.compile(r"[ \t]?\$|[ \t]+dollars?\b")


def _not_the_country(doc: Doc, start: int) -> bool:
    """``US`` in a line of capitals (``TELL US``: the pronoun) or before ``$`` or ``dollars`` (a
    currency: ``US$3 million``)."""
    return doc.upper_line(start) or _CURRENCY.match(doc.text, start + 2) is not None


def _after_article(text: str, start: int) -> bool:
    """True after an Arabic article joined by a hyphen (``Al-Sharq al-Awsat``, ``al-Alam TV``): the
    word is part of a longer Arabic name, not a town of its own."""
    return start >= 3 and text[start - 1] == "-" and text[start - 3:start - 1].lower() in ("al", "el")


AREA: Final = "area"  # the kind of the nouns after an area's name ("district", "governorates")
# One to three capitalized words right before the noun, and maybe a second name before them
# joined by "and"/"or" (the noun in the plural): matched on the window before the noun.
_GAP: Final = r"(?:[ \t]+\n?|\n)[ \t]*"  # spaces and at most one line break
_AREA_NAME: Final = re.compile(
    rf"(?:([A-Z][a-z][\w'-]*(?:{_GAP}[A-Z][a-z][\w'-]*){{0,2}}){_GAP}(?:and|or){_GAP})?"
    rf"([A-Z][a-z][\w'-]*(?:{_GAP}[A-Z][a-z][\w'-]*){{0,2}}){_GAP}$")
_AREA_WINDOW: Final = 70


_FUNCTION_WORDS: Final = frozenset("in the of from to and at on for by with a an this that former".split())
_DIRECTIONS: Final = frozenset("north south east west northern southern eastern western central northwest "
                               "northeast southwest southeast".split())
_ADJECTIVE_ENDINGS: Final = ("ian", "ean", "ese", "ish", "ic", "ern")


@lru_cache(maxsize=4096)  # names recur; bounded for a long-running worker
def _known(name: str) -> bool:
    """True when the gazetteer reads the whole name (a title, an organization, a head noun ...)."""
    return bool(gazetteer.lookup(name))


def _areas(doc: Doc, nouns: list[gazetteer.Match]) -> list[tuple[int, str, str, list[tuple[int, int]]]]:
    """Areas named before an area noun that no gazetteer place explains (``Kajaki district``,
    ``Hadramout and Shabwa governorates``): (first start, written, name, spans), one per name. A
    name is left out when it is taken, already a place, a demonym or an ordinary word (``Basque``
    stays; ``Tibetan regions``, ``the Arab region``, ``In Kandahar``'s ``In`` do not)."""
    if doc.uppercase or doc.lowercase:
        return []
    text = doc.text
    found: dict[str, list] = {}
    for noun in nouns:
        pos = noun.start
        if text[pos] == "A" or doc.upper_line(pos):
            continue  # "Agency": an organization's head ("Central Intelligence Agency")
        m = _AREA_NAME.search(text, max(0, pos - _AREA_WINDOW), pos)
        if m is not None and (m.group(1) or text[noun.end - 1] != "s"):  # "Pashtun districts": an adjective
            for g in (1, 2):
                if m.group(g):
                    _add_area(doc, found, m.start(g), m.group(g))
    for name, area in found.items():  # "Kajaki district" ... "the situation in Kajaki": the same area
        _more_mentions(doc, area)
    out = []
    for name, (_, _, spans) in found.items():
        spans.sort()
        out.append((spans[0][0], doc.text[spans[0][0]:spans[0][1]], name, spans))
    return out


def _more_mentions(doc: Doc, area: list) -> None:
    """Add the other free, whole-word mentions of an area's name (as written first) to ``area``."""
    text = doc.text
    written = area[1]
    pos = text.find(written)
    while pos >= 0:
        end = pos + len(written)
        if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()) \
                and (pos, end) not in area[2] and not claimed(doc.occupied, pos, end) and not doc.skipped(pos) \
                and not doc.upper_line(pos) and not _has_place(doc, pos, end):
            area[2].append((pos, end))
        pos = text.find(written, end)


def _capitalized_before(text: str, classes: bytes, pos: int) -> bool:
    """True when the word before ``pos`` starts with a capital (``Kajaki district``; not ``the
    region``, most of the area nouns), looked up in the case classes."""
    j = pos - 1
    while j > 0 and text[j - 1] in " \t\n":
        j -= 1
    return classes[max(text.rfind(" ", 0, j), text.rfind("\n", 0, j)) + 1] == gazetteer.UPPER_ASCII


_WORD: Final = re.compile(r"\S+")


def _has_place(doc: Doc, start: int, end: int) -> bool:
    """True when a gazetteer place (counted or not) starts at a word of [start, end): a key that
    started before would have covered the area noun too."""
    by_start = doc.by_start
    for word in _WORD.finditer(doc.text, start, end):
        m = by_start.get(word.start())
        if m is not None and m.readings.place is not None:
            return True
    return False



def _add_area(doc: Doc, found: dict[str, list], start: int, written: str) -> None:
    """File one area name at ``start``: leading function words dropped (``In Kandahar``); not a
    name after ``/`` or ``-`` (``Af/Pak``, ``post-Saddam``), ending in an ordinary or a direction
    word (``Spin Boldak`` stays; ``Eastern Partnership``, ``Northwest`` do not), looking like an
    adjective (``Andean``, ``Tibetan``), or that the gazetteer reads (a place, a title, a head noun)."""
    text = doc.text
    words = written.split()
    while words and words[0].lower() in _FUNCTION_WORDS:
        start = text.index(words[1], start) if len(words) > 1 else start
        words = words[1:]
    if not words or (start and text[start - 1] in "/-"):
        return
    last = words[-1].lower()
    if last in resources.common_words() or last in _DIRECTIONS or last.endswith(_ADJECTIVE_ENDINGS):
        return
    end = start
    for w in words:
        end = text.index(w, end) + len(w)
    name = " ".join(words)
    if claimed(doc.occupied, start, end) or doc.skipped(start):
        return
    if _known(name) or _has_place(doc, start, end):
        return  # a gazetteer place (counted, or left out on purpose), a demonym ("Tibetan"), a title
    area = found.get(name)
    if area is None:
        found[name] = [start, doc.text[start:end], [(start, end)]]
    elif (start, end) not in area[2]:
        area[2].append((start, end))


def find(doc: Doc, tagged: tuple[str, ...] = (), local: frozenset[str] = frozenset()) -> list[tuple[int, Entity]]:
    """Every place not overlapping an entity already found, grouped: (first start, entity).

    A country named only by its demonym (``Brazilian President Lula``) is kept when it is one of
    the cable's geographic tags (``tagged``: ISO codes): the tags say the cable is about it; other
    demonyms (``French diplomats``) are adjectives, not mentions of a place. A local place (a town,
    a small subdivision) counts only in a cable about its country (``local``: ISO codes).

    Places are most of a cable's mentions (~70 of ~125), so their spans are gathered per
    normalized form here, in one pass, instead of becoming one :class:`Mention` each.
    """
    groups: dict[str, list] = {}  # normalized -> [first start, first written, place, spans, only demonyms]
    common = resources.common_words()
    text = doc.text
    occupied = doc.occupied
    place_category = gazetteer.PLACE
    nouns: list[gazetteer.Match] = []  # "district", "governorates": names of areas before them
    classes = doc.classes
    for m in doc.of_category(place_category):
        start, end, readings = m.start, m.end, m.readings
        if claimed(occupied, start, end):
            continue
        place: Place = readings.place.value  # type: ignore[union-attr]  # filed under PLACE: it has one
        if place.local:  # in capitals (a subject line) a town's name may be any word: "MANAS"
            if place.kind == AREA:  # (area nouns are local keys: no cost for the other places)
                if _capitalized_before(text, classes, start):
                    nouns.append(m)  # a capitalized word before it (not "the region")
                continue
            place = None if doc.upper_line(start) or (text[start - 1] == "-" and _after_article(text, start)) \
                else _local_place(readings.hits, local)  # type: ignore[assignment]
            if place is None:
                continue
        kind = place.kind
        if kind == ADJECTIVE:
            continue  # "Latin American": an adjective of a region, not a place and not "American"
        if end - start == 2 and text[start:end] == "US" and _not_the_country(doc, start):
            continue  # "TELL US", "US$3 million"
        if kind != "country" and kind != DEMONYM:
            written = text[start:end]
            if written.isupper() and written.lower() in common and doc.upper_line(start):
                continue
        # (no span is claimed: matches never overlap, and no finder runs after this one)
        group = groups.get(place.normalized)
        if group is None:
            groups[place.normalized] = [start, text[start:end], place, [(start, end)], kind == DEMONYM]
        else:
            group[3].append((start, end))
            if kind != DEMONYM:
                group[4] = False
    out = [(start, new_entity(LOCATION, written, name, len(spans), tuple(spans), {"kind": "region"}))
           for start, written, name, spans in (_areas(doc, nouns) if nouns else ())]
    return out + _entities(groups, tagged)


def _entities(groups: dict[str, list], tagged: tuple[str, ...]) -> list[tuple[int, Entity]]:
    """The grouped gazetteer places as (first start, entity); a country named only by its demonym
    only when tagged."""
    out = []
    for normalized, (start, written, place, spans, only_demonyms) in groups.items():
        if only_demonyms and place.iso not in tagged:
            continue
        attrs = dict(attributes(place))
        if not only_demonyms and VIA in attrs:
            del attrs[VIA]  # named by its adjective and by its name
        out.append((start, new_entity(LOCATION, written, normalized, len(spans), tuple(spans), attrs)))
    return out
