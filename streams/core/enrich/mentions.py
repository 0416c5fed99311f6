"""One mention of an entity in the body, before mentions are grouped into entities."""

from __future__ import annotations

import dataclasses
from typing import Any, Final

from streams.core.model import Entity

from streams.vocab import CABLE_REFERENCE, DATE, ENTITY_TYPES, LOCATION, ORGANIZATION, PERSON  # noqa: F401


class Mention:
    """A typed span of the body (start = -1 when the mention comes from the header, not the body).

    A plain class with slots and its own ``__init__`` (mutable: the surname resolution rewrites
    ``normalized`` and the organization finder drops its working attributes).
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


# An Entity built without the frozen dataclass's __init__, which sets each field through
# object.__setattr__: ~2.2 us an entity as pure Python against ~0.57 us for these slot setters
# (~45 entities a cable). tests/core/enrich/test_entities.py checks both build equal entities; the
# field list is checked here, at import.
_ENTITY_FIELDS: Final = ("type", "text", "normalized", "count", "spans", "attributes")
if tuple(f.name for f in dataclasses.fields(Entity)) != _ENTITY_FIELDS:  # pragma: no cover - a model change
    raise ImportError(f"streams.core.model.Entity fields changed: update mentions.new_entity ({_ENTITY_FIELDS})")
_NEW: Final[Any] = object.__new__
_SET_TYPE: Final[Any] = Entity.__dict__["type"].__set__
_SET_TEXT: Final[Any] = Entity.__dict__["text"].__set__
_SET_NORMALIZED: Final[Any] = Entity.__dict__["normalized"].__set__
_SET_COUNT: Final[Any] = Entity.__dict__["count"].__set__
_SET_SPANS: Final[Any] = Entity.__dict__["spans"].__set__
_SET_ATTRIBUTES: Final[Any] = Entity.__dict__["attributes"].__set__


def new_entity(type: str, text: str, normalized: str, count: int, spans: tuple[tuple[int, int], ...],
               attributes: dict[str, str]) -> Entity:
    """``Entity(type, text, normalized, count, spans, attributes)``, built faster (see above)."""
    entity: Entity = _NEW(Entity)
    _SET_TYPE(entity, type)
    _SET_TEXT(entity, text)
    _SET_NORMALIZED(entity, normalized)
    _SET_COUNT(entity, count)
    _SET_SPANS(entity, spans)
    _SET_ATTRIBUTES(entity, attributes)
    return entity
