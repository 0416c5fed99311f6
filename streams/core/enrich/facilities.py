"""Facilities and natural features: a capitalized name before a facility noun (``Planalto
Palace``, ``Sangin Valley``, ``Tehran Research Reactor``, ``Golan Heights``) or after one
(``Camp Bastion``, ``River Ibar``), from the gazetteer's facility nouns
(:data:`~streams.core.enrich.gazetteer.FACILITY_AFTER` and ``FACILITY_BEFORE``).

They are locations (the annotation convention: airports, bases, camps, palaces, dams, rivers ...),
with ``{"kind": "facility"}``; the place named inside one (``Tehran``) is not a mention of its own.
"""

from __future__ import annotations

import re
from typing import Final

from streams.core.enrich import gazetteer, organizations
from streams.core.enrich.document import TAKEN, Doc, claimed
from streams.core.enrich.mentions import LOCATION, Mention

KIND: Final = {"kind": "facility"}
# One or two capitalized words after a noun that comes first (``Camp Bastion``); not ``Camp David
# Accords``' third word, which the cap keeps out.
_NAME_AFTER: Final = re.compile(r"[ \t]+[A-Z][a-z][\w'\u2019-]*(?:[ \t]+[A-Z][a-z][\w'\u2019-]*)?")

# A connector the organization walk lets into a name ("Ministry for the ..."), not into a facility's.
_CONNECTOR: Final = re.compile(r"(?<!\S)(?i:of|for|and|the|on|de|del|la)\s+")


def find(doc: Doc) -> list[Mention]:
    """Every facility not overlapping an entity already found, in text order; claims its span."""
    found: list[Mention] = []
    text = doc.text
    occupied = doc.occupied
    for m in doc.of_category(gazetteer.FACILITY):
        if claimed(occupied, m.start, m.end) or doc.upper_line(m.start):
            continue  # in capitals every word looks like a name
        after, before = m.readings.facility.value  # type: ignore[union-attr]  # filed under FACILITY
        start, end = m.start, m.end
        if after:
            start = organizations.name_start(doc, m.start, upper=False)
            connectors = list(_CONNECTOR.finditer(text, start, m.start))
            if connectors:  # only the capitalized words right before the noun: not "Fuel for the"
                start = connectors[-1].end()
        if start == m.start and before:
            right = _NAME_AFTER.match(text, m.end)
            if right and not claimed(occupied, m.end, right.end()):
                end = right.end()
        if start == m.start and end == m.end:
            continue  # the noun alone ("the Palace") names nothing
        found.append(Mention(LOCATION, start, end, text[start:end], " ".join(text[start:end].split()), dict(KIND)))
        occupied[start:end] = TAKEN[:end - start]
    return found
