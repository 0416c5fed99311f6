"""TAGS codes: kind and meaning from the dictionary, country and ISO code for geographic tags.

The dictionary (``data/tags.tsv``) comes from ``shared/data/tags/tags.csv`` (with its sources) and
the subject and organization codes of ``missing.txt`` (kind known, meaning not). Codes not in it:
a person tag (``OVIP (CLINTON, HILLARY)``, ``CLINTON, HILLARY``) has kind ``person`` and the name
as meaning; ``K`` + three letters is a program tag (kind from its form, meaning unknown); anything
else is kept with kind ``unknown``, never dropped. Look-up ignores case (``tu`` is ``TU``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from streams.core.enrich import resources
from streams.core.enrich.persons import tag_person
from streams.core.model import Tag

PROGRAM_FORM = re.compile(r"K[A-Z]{3}")


@lru_cache(maxsize=4096)  # a few hundred codes recur in every cable; bounded for odd ones
def describe(code: str) -> Tag:
    """The enriched form of one tag code (shared between cables: a Tag is immutable)."""
    key = code.strip().upper()
    info = resources.tag_dictionary().get(key)
    if info is not None:
        return Tag(code=code, kind=info.kind, meaning=info.meaning, country=info.country, iso_code=info.iso)
    name = tag_person(code)
    if name:
        return Tag(code=code, kind="person", meaning=name)
    if PROGRAM_FORM.fullmatch(key):
        return Tag(code=code, kind="program")
    return Tag(code=code, kind="unknown")


def describe_all(tags: tuple[Tag, ...]) -> tuple[Tag, ...]:
    """Every tag described, in the original order (unknown ones kept)."""
    return tuple(describe(t.code) for t in tags)
