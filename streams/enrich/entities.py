"""Entity extraction for one cable: run the finders in a fixed order, then group mentions.

Order (an earlier finder claims its spans, a later one cannot overlap them): cable references,
dates, titled persons and the header's people, bare surnames, organizations, places. Mentions
with the same type and normalized form become one :class:`~streams.model.Entity` with the text as
first written, the number of mentions and their spans into ``cable.body`` (de-duplicated per
cable). Entities are ordered by first appearance; header-only people (no span) come last.
"""

from __future__ import annotations

from streams.enrich import dates, organizations, persons, places, references
from streams.enrich.document import Doc
from streams.enrich.mentions import Mention
from streams.model import Cable, Entity


def mentions(cable: Cable) -> list[Mention]:
    """Every entity mention of the cable (body and header), before grouping."""
    doc = Doc.of(cable.body or "")
    found: list[Mention] = []
    for ref in references.find(doc, cable):
        if ref.start < 0 or doc.free(ref.start, ref.end):
            if ref.start >= 0:
                doc.take(ref.start, ref.end)
            found.append(ref)
    for date in dates.find(doc, cable.date):
        if doc.free(date.start, date.end):
            doc.take(date.start, date.end)
            found.append(date)
    people = persons.titled(doc) + persons.header(doc, cable)
    found.extend(persons.resolve(doc, people))
    found.extend(organizations.find(doc))
    found.extend(places.find(doc))
    return found


def group(found: list[Mention]) -> tuple[Entity, ...]:
    """One entity per (type, normalized form), in order of first appearance."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in found:
        key = (m.type, m.normalized.casefold() if m.type in _FOLDED else m.normalized)
        g = groups.get(key)
        if g is None:
            groups[key] = [m]
        else:
            g.append(m)
    out: list[tuple[int, Entity]] = []
    for (etype, _), ms in groups.items():
        if len(ms) == 1:
            m = ms[0]
            body = m.start >= 0
            out.append((m.start if body else _NO_SPAN, Entity(
                type=etype, text=m.text, normalized=m.normalized, count=1,
                spans=((m.start, m.end),) if body else (), attributes=dict(m.attributes))))
            continue
        spans = sorted({(m.start, m.end) for m in ms if m.start >= 0})
        first = ms[0]
        if spans and first.start != spans[0][0]:
            first = next(m for m in ms if m.start == spans[0][0])
        if etype in _FOLDED:  # people and organizations: titles, roles and spellings to merge
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
        else:  # one place, date or reference: the same normalized form and attributes
            attrs = dict(first.attributes)
            if "via" in attrs and not all("via" in m.attributes for m in ms):
                del attrs["via"]  # named by its adjective and by its name
            elif "year" in attrs and not all("year" in m.attributes for m in ms):
                del attrs["year"]  # written with its year somewhere
            normalized = first.normalized
        out.append((spans[0][0] if spans else _NO_SPAN, Entity(
            type=etype, text=first.text, normalized=normalized, count=max(1, len(spans)),
            spans=tuple(spans), attributes=attrs)))
    out.sort(key=_first)
    return tuple(e for _, e in out)


_FOLDED = frozenset({"person", "organization"})  # grouped ignoring case ("DEMOCRATIC PARTY")
_NO_SPAN = 1 << 62  # header-only entities sort last


def _start(m: Mention) -> int:
    return m.start


def _first(pair: tuple[int, Entity]) -> int:
    return pair[0]


def extract(cable: Cable) -> tuple[Entity, ...]:
    """The de-duplicated entities of one cable."""
    return group(mentions(cable))
