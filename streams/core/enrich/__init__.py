"""The enrichment stage: pure ``enrich(cable) -> cable`` with described tags and entities.

The worker calls it between parse and route; its output is part of the Avro record. No Kafka,
no Faust, no network, and no work at import: the data files in ``data/`` (sources in
``data/README.md``) are read and the matching automata built on first use (about 0.2 s) or by
:func:`warm`, then shared by the process.

- Tags: kind (subject, program, geographic, organization, person, unknown), meaning, and for
  geographic tags the country name and ISO 3166-1 alpha-2 code (``tags.py``).
- Entities: persons (with title), organizations, locations (countries with ISO codes, cities,
  regions), dates (ISO, year from the cable's date) and references to other cables
  (``entities.py`` and the finders it calls).

``enrich`` is total: whatever the input, it returns a cable with ``enriched=True``. An enricher
that fails leaves its part out and names it in ``Cable.enrichment_missing`` (``tags``,
``entities``); the Kafka edge counts and logs it, so a broken enricher is visible, never silent.
"""

from __future__ import annotations

import dataclasses

from streams.core.enrich import entities as _entities
from streams.core.enrich import gazetteer as _gazetteer
from streams.core.enrich import tags as _tags
from streams.core.model import Cable
from streams.vocab import ENRICHERS, ENRICH_ENTITIES, ENRICH_TAGS

__all__ = ["enrich", "configure", "warm", "runtime_info", "ENRICHERS"]


def enrich(cable: Cable) -> Cable:
    """The cable with every tag described and its entities extracted; never raises.

    A failing enricher keeps the cable's own tags (or no entities) and is named in
    ``enrichment_missing``."""
    missing: list[str] = []
    try:
        tags = _tags.describe_all(tuple(cable.tags or ()))
    except Exception:  # noqa: BLE001 - total: odd tags keep their code, never stop the stream
        tags = tuple(cable.tags or ())
        missing.append(ENRICH_TAGS)
    try:
        found = _entities.extract(cable)
    except Exception:  # noqa: BLE001 - total: a finder bug yields no entities, not a dead message
        found = ()
        missing.append(ENRICH_ENTITIES)
    return dataclasses.replace(cable, tags=tags, entities=found, enriched=True,
                               enrichment_missing=tuple(missing))


def configure(matcher: str = "auto", keep_compiled_in: str | None = None) -> str:
    """Choose the gazetteer matcher for this process (``auto``, ``hyperscan``, ``ahocorasick``);
    returns the name chosen. ``keep_compiled_in``: a folder where Hyperscan's compiled database is
    kept between runs (see :func:`gazetteer.keep_compiled`). Called by whoever builds a pipeline
    from settings, never at import."""
    _gazetteer.keep_compiled(keep_compiled_in)
    return _gazetteer.select_matcher(matcher)


def warm() -> None:
    """Load the data and build the automata now (the worker calls this at start-up)."""
    from streams.core.enrich import resources

    _gazetteer.matcher()
    resources.tag_dictionary()
    resources.common_words()


def runtime_info() -> dict[str, str]:
    """How the stage runs in this process (for the worker's start-up log and the benchmarks)."""
    return {"matcher": _gazetteer.selected_matcher()}
