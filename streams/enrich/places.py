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

from streams.enrich import gazetteer, resources
from streams.enrich.document import TAKEN, Doc
from streams.enrich.mentions import LOCATION, Mention
from streams.enrich.resources import Place

DEMONYM = "demonym"
ADJECTIVE = "adjective"
VIA = "via"  # {"via": "demonym"}: the country is only named by its adjective in this cable


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


def find(doc: Doc) -> list[Mention]:
    """Every place mention not overlapping an entity already found."""
    found: list[Mention] = []
    append = found.append
    common = resources.common_words()
    text = doc.text
    occupied = doc.occupied
    place_hit = gazetteer.PLACE
    for start, end, hits in doc.of_category(gazetteer.PLACE):
        if occupied.find(1, start, end) >= 0:
            continue
        hit = hits[0] if hits[0].category == place_hit else next(h for h in hits if h.category == place_hit)
        place = hit.value
        kind = place.kind
        if kind == ADJECTIVE:
            continue  # "Latin American": an adjective of a region, not a place and not "American"
        written = text[start:end]
        if kind != "country" and kind != DEMONYM and written.isupper() and written.lower() in common \
                and doc.upper_line(start):
            continue
        occupied[start:end] = TAKEN[:end - start]
        append(Mention(LOCATION, start, end, written, place.normalized, attributes(place)))
    return found
