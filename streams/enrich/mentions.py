"""One mention of an entity in the body, before mentions are grouped into entities."""

from __future__ import annotations

from typing import Final

PERSON: Final = "person"
ORGANIZATION: Final = "organization"
LOCATION: Final = "location"
DATE: Final = "date"
CABLE_REFERENCE: Final = "cable_reference"
ENTITY_TYPES: Final = (PERSON, ORGANIZATION, LOCATION, DATE, CABLE_REFERENCE)  # also metric labels


class Mention:
    """A typed span of the body (start = -1 when the mention comes from the header, not the body).

    A plain class with its own ``__init__``: compiled (native.py), it is built by a direct native
    call; a dataclass's generated ``__init__`` is a Python function (~3,000 instructions a mention).
    """

    __slots__ = ("type", "start", "end", "text", "normalized", "attributes")

    def __init__(self, type: str, start: int, end: int, text: str, normalized: str,
                 attributes: dict[str, str] | None = None) -> None:
        self.type = type
        self.start = start
        self.end = end
        self.text = text
        self.normalized = normalized
        self.attributes: dict[str, str] = {} if attributes is None else attributes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mention) and (
            self.type, self.start, self.end, self.text, self.normalized, self.attributes
        ) == (other.type, other.start, other.end, other.text, other.normalized, other.attributes)

    def __repr__(self) -> str:
        return (f"Mention({self.type!r}, {self.start}, {self.end}, {self.text!r}, {self.normalized!r}, "
                f"{self.attributes!r})")
