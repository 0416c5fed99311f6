"""Entity extraction for one cable: run the finders in a fixed order, then group mentions.

Order (an earlier finder claims its spans, a later one cannot overlap them): cable references,
dates, titled persons and the header's people, bare surnames, organizations, places. Mentions
with the same type and normalized form become one :class:`~streams.core.model.Entity` with the text as
first written, the number of mentions and their spans into ``cable.body`` (de-duplicated per
cable). Entities are ordered by first appearance; header-only people (no span) come last.

Each finder yields mentions of its own type only, so mentions are grouped finder by finder; the
places finder groups its own (half of all mentions are places: they never become a Mention).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Final

from streams.core.enrich import dates, facilities, gazetteer, organizations, persons, places, references, resources
from streams.core.enrich.document import Doc
from streams.core.enrich.mentions import Mention, new_entity
from streams.core.model import Cable, Entity


def extract(cable: Cable) -> tuple[Entity, ...]:
    """The de-duplicated entities of one cable, in order of first appearance."""
    doc = Doc.of(cable.body or "")
    refs: list[Mention] = []
    for ref in references.find(doc, cable):
        if ref.start < 0 or doc.free(ref.start, ref.end):
            if ref.start >= 0:
                doc.take(ref.start, ref.end)
            refs.append(ref)
    found_dates: list[Mention] = []
    for date in dates.find(doc, cable.date):
        if doc.free(date.start, date.end):
            doc.take(date.start, date.end)
            found_dates.append(date)
    media = organizations.media(doc)  # "the daily Le Monde": before the persons (ents-3)
    people = persons.titled(doc) + persons.header(doc, cable)
    people = persons.resolve(doc, people + persons.untitled(doc))
    tagged = tag_countries(cable)
    about: list[list[str]] = []  # the cable's countries, worked out on first use (a government to resolve)

    def cable_countries() -> list[str]:
        if not about:
            about.append(countries(doc, tagged))
        return about[0]

    orgs = media + organizations.find(doc, cable_countries)
    out = (group(refs) + group(found_dates) + group(people, folded=True) + group(orgs, folded=True)
           + group(facilities.find(doc), folded=True)
           + places.find(doc, tagged, local_countries(tagged, cable_countries())))  # places come grouped
    out.sort(key=_FIRST)  # stable: header-only entities keep the finders' order
    return tuple([e for _, e in out])


def tag_countries(cable: Cable) -> tuple[str, ...]:
    """The ISO codes of the cable's geographic tags, in tag order."""
    info = resources.tag_dictionary()
    out: list[str] = []
    for tag in cable.tags:
        t = info.get(tag.code.strip().upper())
        if t is not None and t.iso and t.kind == "geographic" and t.iso not in out:
            out.append(t.iso)
    return tuple(out)


def countries(doc: Doc, tagged: tuple[str, ...]) -> list[str]:
    """What the cable is about: its tag countries, then the countries its text names, in order."""
    out = list(tagged)
    for m in doc.of_category(gazetteer.PLACE):
        iso = m.readings.country  # a country's ISO code, worked out with the key's readings
        if iso is not None and iso not in out:
            out.append(iso)
    return out


def local_countries(tagged: tuple[str, ...], about: list[str]) -> frozenset[str]:
    """The countries whose towns and small subdivisions count as places in this cable: its tag
    countries and the countries it names, but the United States only when tagged (nearly every
    cable names it; its thousands of towns are named like people: ``Clinton``, ``Jackson``)."""
    return frozenset(c for c in about if c != HOME or c in tagged)


HOME: Final = "US"  # the country every cable is written from


def group(found: list[Mention], folded: bool = False) -> list[tuple[int, Entity]]:
    """One entity per normalized form of mentions of one type (``folded``: ignoring case, for
    people and organizations), in order of first mention, each with the start of its first span
    (header-only entities: a start after any body offset)."""
    groups: dict[str, list[Mention]] = {}
    for m in found:
        key = m.normalized.casefold() if folded else m.normalized
        g = groups.get(key)
        if g is None:
            groups[key] = [m]
        else:
            g.append(m)
    out: list[tuple[int, Entity]] = []
    for ms in groups.values():
        first = ms[0]
        if len(ms) == 1:
            one: tuple[tuple[int, int], ...] = ((first.start, first.end),) if first.start >= 0 else ()
            out.append((first.start if one else _NO_SPAN, new_entity(
                first.type, first.text, first.normalized, 1, one, dict(first.attributes))))
            continue
        spans = sorted({(m.start, m.end) for m in ms if m.start >= 0})
        if spans and first.start != spans[0][0]:
            first = next(m for m in ms if m.start == spans[0][0])
        if folded:  # people and organizations: titles, roles and spellings to merge
            attrs: dict[str, str] = {}
            roles: list[str] = []
            for m in ms:
                for k, v in m.attributes.items():
                    if k == "role":
                        roles.append(v)
                    else:
                        attrs.setdefault(k, v)
            if roles:
                attrs["role"] = ",".join(dict.fromkeys(roles))
            forms = {m.normalized for m in ms}
            normalized = first.normalized if len(forms) == 1 else max(
                forms, key=lambda n: (len(n.split()), not n.isupper(), n))
        else:  # one date or reference: the same normalized form and attributes
            attrs = dict(first.attributes)
            if "year" in attrs and not all("year" in m.attributes for m in ms):
                del attrs["year"]  # written with its year somewhere
            normalized = first.normalized
        out.append((spans[0][0] if spans else _NO_SPAN, new_entity(
            first.type, first.text, normalized, max(1, len(spans)), tuple(spans), attrs)))
    return out


_NO_SPAN: Final = 1 << 62  # header-only entities sort last
_FIRST: Final = itemgetter(0)  # (first start, entity) -> first start
