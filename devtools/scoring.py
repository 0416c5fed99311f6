"""How well enrichment does: P/R/F1 against the hand-annotated gold set, geographic-tag recall.

Used by ``devtools/measure_enrich.py`` and by the tests that pin the targets.

Gold matching (``tests/data/README.md``): per cable and entity type, a predicted entity matches
a gold entity when its normalized form or its text equals (case-folded, spaces collapsed) the
gold's normalized form or one of the gold's written forms; each gold entity matches at most one
prediction, so a duplicate prediction counts as a false positive.

Geographic-tag recall: for each cable, the ISO codes of its geographic TAGS (codes that map to a
country); a code counts as found when a location entity with that ISO code was extracted
(``strict``: a country mention; ``any``: a country, city or region of that country).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from streams.core.enrich import entities
from streams.vocab import ENTITY_TYPES
from streams.core.enrich.tags import describe
from streams.core.model import Cable, Entity, Person, Reference, Tag


def _key(s: str) -> str:
    return " ".join(s.split()).casefold()


@dataclass
class Counts:
    """True positives, false positives and false negatives of one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class GoldResult:
    """Per-type counts and the misses (for ``--show``)."""

    counts: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    false_negatives: list[tuple[str, str, str]] = field(default_factory=list)  # (cable, type, gold)
    false_positives: list[tuple[str, str, str, str]] = field(default_factory=list)  # (cable, type, text, norm)


def load_gold(path: Path) -> list[dict]:
    """The gold cables (one JSON object a line)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_cable(rec: dict) -> Cable:
    """The cable a parser would hand to enrich for one gold record."""
    cb = rec.get("classified_by")
    return Cable(
        body=rec["body"],
        id=rec.get("cable_id"),
        date=rec.get("date"),
        tags=tuple(Tag(code=c) for c in rec.get("tags", [])),
        classified_by=Person(name=cb["name"], title=cb.get("title")) if cb else None,
        signer=rec.get("signer"),
        references=tuple(Reference(letter=None, raw=r) for r in rec.get("references", [])),
    )


def score_cable(rec: dict, predicted: tuple[Entity, ...], result: GoldResult) -> None:
    """Add one cable's matches to ``result``."""
    for etype in ENTITY_TYPES:
        gold = [g for g in rec["entities"] if g["type"] == etype]
        preds = [p for p in predicted if p.type == etype]
        used = [False] * len(preds)
        for g in gold:
            forms = {_key(g["normalized"])} | {_key(f) for f in g.get("forms", [])}
            for i, p in enumerate(preds):
                if not used[i] and (_key(p.normalized) in forms or _key(p.text) in forms):
                    used[i] = True
                    result.counts[etype].tp += 1
                    break
            else:
                result.counts[etype].fn += 1
                result.false_negatives.append((rec["id"], etype, g["normalized"]))
        for i, p in enumerate(preds):
            if not used[i]:
                result.counts[etype].fp += 1
                result.false_positives.append((rec["id"], etype, p.text, p.normalized))


def score_gold(records: list[dict]) -> GoldResult:
    """Extract the entities of every gold cable and score them (errors surface here, where
    ``enrich`` itself would swallow them)."""
    result = GoldResult()
    for rec in records:
        score_cable(rec, entities.extract(gold_cable(rec)), result)
    return result


@dataclass
class GeoRecall:
    """Geographic-tag recall over a set of cables."""

    total: int = 0
    strict: int = 0
    any_kind: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (cable id, tag, iso)

    @property
    def recall(self) -> float:
        return self.strict / self.total if self.total else 0.0

    @property
    def recall_any(self) -> float:
        return self.any_kind / self.total if self.total else 0.0


def geo_tag_isos(tag_codes: list[str]) -> dict[str, str]:
    """ISO code -> tag code, for the geographic tags of a cable that name a country."""
    out: dict[str, str] = {}
    for code in tag_codes:
        tag = describe(code)
        if tag.kind == "geographic" and tag.iso_code:
            out.setdefault(tag.iso_code, code)
    return out


def add_geo(result: GeoRecall, cable_id: str, tag_codes: list[str], entities: tuple[Entity, ...]) -> None:
    """Add one cable's geographic tags and extracted locations to ``result``."""
    countries = {e.attributes.get("iso") for e in entities
                 if e.type == "location" and e.attributes.get("kind") == "country"}
    anywhere = {e.attributes.get("iso") for e in entities if e.type == "location"}
    for iso, code in geo_tag_isos(tag_codes).items():
        result.total += 1
        result.strict += iso in countries
        result.any_kind += iso in anywhere
        if iso not in countries:
            result.misses.append((cable_id, code, iso))
