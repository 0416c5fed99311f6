"""Locations: countries (normalized to their ISO 3166-1 alpha-2 code), cities and regions.

From the gazetteer (pycountry and GeoNames country names, a few curated abbreviations such as
``UK`` and ``ROK``, posts and capitals, GeoNames cities of 100,000 people or more, pycountry
subdivisions, world regions). A demonym (``Brazilian President Lula``, ``Kazakhstani``) names its
country too: it joins the country's entity, which carries ``{"via": "demonym"}`` when the cable
never names the country itself. A place word inside a person's name or at the start of an
organization's name is not counted (``Shanghai Cooperation Organization``), and in all-capitals
lines a city or region that is also an English word is ignored.
"""

from __future__ import annotations

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


def _after_article(text: str, start: int) -> bool:
    """True after an Arabic article joined by a hyphen (``Al-Sharq al-Awsat``, ``al-Alam TV``): the
    word is part of a longer Arabic name, not a town of its own."""
    return start >= 3 and text[start - 1] == "-" and text[start - 3:start - 1].lower() in ("al", "el")


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
    for m in doc.of_category(place_category):
        start, end, readings = m.start, m.end, m.readings
        if claimed(occupied, start, end):
            continue
        place: Place = readings.place.value  # type: ignore[union-attr]  # filed under PLACE: it has one
        if place.local:  # in capitals (a subject line) a town's name may be any word: "MANAS"
            place = None if doc.upper_line(start) or _after_article(text, start) \
                else _local_place(readings.hits, local)  # type: ignore[assignment]
            if place is None:
                continue
        kind = place.kind
        if kind == ADJECTIVE:
            continue  # "Latin American": an adjective of a region, not a place and not "American"
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
    out = []
    for normalized, (start, written, place, spans, only_demonyms) in groups.items():
        if only_demonyms and place.iso not in tagged:
            continue
        attrs = dict(attributes(place))
        if not only_demonyms and VIA in attrs:
            del attrs[VIA]  # named by its adjective and by its name
        out.append((start, new_entity(LOCATION, written, normalized, len(spans), tuple(spans), attrs)))
    return out
