"""The enrichment stage: pure ``enrich(cable) -> cable`` with described tags and entities.

The worker calls it between parse and route; its output is part of the Avro record. No Kafka,
no Faust, no network: the data files in ``data/`` (sources in ``data/README.md``) are read once per
process and the matching automata are built on first use (about 0.2 s), then shared.

- Tags: kind (subject, program, geographic, organization, person, unknown), meaning, and for
  geographic tags the country name and ISO 3166-1 alpha-2 code (``tags.py``).
- Entities: persons (with title), organizations, locations (countries with ISO codes, cities,
  regions), dates (ISO, year from the cable's date) and references to other cables
  (``entities.py`` and the finders it calls).

``enrich`` is total: whatever the input, it returns a cable with ``enriched=True`` (a finder that
fails on a pathological body yields no entities rather than an exception).
"""

from __future__ import annotations

import dataclasses

from streams.enrich import native
from streams.settings import get_settings

native.choose(get_settings().enrich_pure_python)  # before the first import of a compiled module

from streams.enrich import entities as _entities  # noqa: E402
from streams.enrich import gazetteer as _gazetteer  # noqa: E402
from streams.enrich import tags as _tags  # noqa: E402
from streams.enrich.mentions import ENTITY_TYPES  # noqa: E402
from streams.model import Cable  # noqa: E402
from streams.stages import ENRICH  # noqa: E402

__all__ = ["enrich", "warm", "describe", "ENRICH", "ENTITY_TYPES"]

_gazetteer.select_matcher(get_settings().enrich_matcher)


def enrich(cable: Cable) -> Cable:
    """The cable with every tag described and its entities extracted; never raises."""
    try:
        tags = _tags.describe_all(tuple(cable.tags or ()))
    except Exception:  # noqa: BLE001 - total: odd tags keep their code, never stop the stream
        tags = tuple(cable.tags or ())
    try:
        found = _entities.extract(cable)
    except Exception:  # noqa: BLE001 - total: a finder bug yields no entities, not a dead message
        found = ()
    return dataclasses.replace(cable, tags=tags, entities=found, enriched=True)


def warm() -> None:
    """Load the data and build the automata now (the worker calls this at start-up)."""
    from streams.enrich import resources

    _gazetteer.matcher()
    resources.tag_dictionary()
    resources.common_words()


def describe() -> dict[str, str]:
    """How the stage runs in this process (for the worker's start-up log and the benchmarks)."""
    return {"code": str(native.current()), "matcher": _gazetteer.selected_matcher()}
