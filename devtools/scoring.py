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
import re
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


# --- blind gold (devtools/gold/): annotation zone and matching -----------------------------------
#
# The blind gold (``devtools/gold/GUIDE.md``) annotates the text from the SUBJECT line to the end,
# without the TAGS line, the REF block and page-break headers; entities are persons, organizations
# and locations, each with every verbatim form in that zone. Scoring follows the old gold's rule
# (``tests/data/README.md``) with two changes that follow from the guide, both about what can be
# judged at all, not about leniency:
#
# - Only predictions inside the zone are scored: an entity with no span in the zone (the caption,
#   the routing header, a REF description, a person known only from a TAGS code) is neither a true
#   nor a false positive, because the annotators were told not to look there. Header people with no
#   span count when they are the signer or the ``Classified By`` person (both are in the zone).
# - A prediction matches a gold entity when its normalized form, or the text at any of its spans in
#   the zone (not only the first one written), equals the gold's normalized form or one of its
#   forms (case-folded, spaces collapsed). Each gold entity still matches at most one prediction, so
#   a referent split into two entities gives one false positive.

BLIND_TYPES = ("person", "organization", "location")
_SUBJECT_LINE = re.compile(r"(?im)^[ \t\xb6]*SUBJ(?:ECT)?\b")
_TAGS_LINE = re.compile(r"(?im)^[ \t]*TAGS?\b[^\n]*")
_REF_LINE = re.compile(r"(?im)^[ \t]*(?:REF(?:S|TEL|TELS)?|PROGRAM REF)\b[ \t]*[:A-Z]")
_REF_END = re.compile(r"(?im)^[ \t]*(?:$|classified|\xb6|\(?\d{1,2}\.[ \t]*\(|1\.|summary)")
_PAGE_HEADER = re.compile(r"(?m)^[ \t]*(?:[A-Z][A-Z .']+[ \t]+\d{5,9}[ \t]+\d{3}[ \t]+OF[ \t]+\d{3}"
                          r"|PAGE[ \t]+\d+[ \t]+[A-Z0-9]+)[^\n]*")


def annotation_zone(body: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the blind gold's zone starts in ``body`` (the SUBJECT line; 0 without one) and the
    ranges after it that are out of the zone (TAGS line, REF block, page-break headers)."""
    subject = _SUBJECT_LINE.search(body)
    start = subject.start() if subject else 0
    out = [m.span() for m in _TAGS_LINE.finditer(body, start)]
    out += [m.span() for m in _PAGE_HEADER.finditer(body, start)]
    for ref in _REF_LINE.finditer(body, start):
        line_end = body.find("\n", ref.start())
        end = len(body) if line_end < 0 else line_end
        while end < len(body):
            nxt = _REF_END.match(body, end + 1)
            if nxt is not None:
                break
            following = body.find("\n", end + 1)
            end = len(body) if following < 0 else following
        out.append((ref.start(), end))
    return start, sorted(out)


def in_zone(pos: int, zone: tuple[int, list[tuple[int, int]]]) -> bool:
    start, holes = zone
    return pos >= start and not any(a <= pos < b for a, b in holes)


def zone_forms(entity: Entity, body: str, zone: tuple[int, list[tuple[int, int]]]) -> list[str] | None:
    """The entity's written forms inside the zone; None when the entity is out of the zone."""
    forms = [body[a:b] for a, b in entity.spans if in_zone(a, zone)]
    if forms:
        return forms
    if not entity.spans and entity.type == "person" and entity.attributes.get("role"):
        return [entity.text]  # the signer or the Classified By person, found in the header
    return None


def score_blind_cable(rec: dict, body: str, predicted: tuple[Entity, ...], result: GoldResult) -> None:
    """Add one blind-gold cable's matches to ``result`` (zone and matching rules above)."""
    zone = annotation_zone(body)
    for etype in BLIND_TYPES:
        gold = [g for g in rec["entities"] if g["type"] == etype]
        preds = []
        for p in predicted:
            if p.type == etype:
                forms = zone_forms(p, body, zone)
                if forms is not None:
                    preds.append((p, {_key(p.normalized)} | {_key(f) for f in forms}))
        used = [False] * len(preds)
        for g in gold:
            wanted = {_key(g["normalized"])} | {_key(f) for f in g.get("forms", [])}
            for i, (_, keys) in enumerate(preds):
                if not used[i] and keys & wanted:
                    used[i] = True
                    result.counts[etype].tp += 1
                    break
            else:
                result.counts[etype].fn += 1
                result.false_negatives.append((rec["id"], etype, g["normalized"]))
        for i, (p, _) in enumerate(preds):
            if not used[i]:
                result.counts[etype].fp += 1
                result.false_positives.append((rec["id"], etype, p.text, p.normalized))


def load_blind(gold_dir: Path, split: str) -> list[dict]:
    """The blind-gold records of one split (``tune`` or ``test``), from every
    ``blind_gold_*.jsonl`` of ``gold_dir``; records of the other split are dropped as read."""
    if split not in ("tune", "test"):
        raise ValueError(f"no split {split!r} (tune or test)")
    out = []
    for path in sorted(gold_dir.glob("blind_gold_*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if rec.get("split") == split:
                        out.append(rec)
    return out


def blind_cable(raw: str, fallback: dict) -> Cable:
    """The cable enrich sees for a corpus text: parsed, or (if the parser fails) the corpus
    record's body with its trusted date and tags."""
    from streams.core.model import Failure
    from streams.core.parse import parse

    cable = parse(raw)
    if isinstance(cable, Failure) or cable is None:
        exp = fallback.get("expected", {})
        return Cable(body=fallback["body"], date=exp.get("date"), tags=tuple(Tag(c) for c in exp.get("tags", [])))
    return cable


def score_blind(records: list[dict], corpus: dict[str, dict]) -> GoldResult:
    """Enrich the corpus text of every blind-gold cable and score it (``corpus``: id -> record)."""
    result = GoldResult()
    for rec in records:
        source = corpus[rec["id"]]
        cable = blind_cable(source["raw"], source)
        score_blind_cable(rec, cable.body or "", entities.extract(cable), result)
    return result
