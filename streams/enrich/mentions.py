"""One mention of an entity in the body, before mentions are grouped into entities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

PERSON: Final = "person"
ORGANIZATION: Final = "organization"
LOCATION: Final = "location"
DATE: Final = "date"
CABLE_REFERENCE: Final = "cable_reference"
ENTITY_TYPES: Final = (PERSON, ORGANIZATION, LOCATION, DATE, CABLE_REFERENCE)  # also metric labels


@dataclass(slots=True)
class Mention:
    """A typed span of the body (start = -1 when the mention comes from the header, not the body)."""

    type: str
    start: int
    end: int
    text: str
    normalized: str
    attributes: dict[str, str] = field(default_factory=dict)
