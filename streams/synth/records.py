"""The generator's public records and parameters: formats, sizes, Truth, SynthCable, Station."""

from __future__ import annotations

from dataclasses import dataclass

from streams.core import classification as cls

FORMATS: tuple[str, ...] = (
    "plusd-extract",
    "cablegate",
    "acp126",
    "state-distribution",
    "page-telegram",
)
# Share of each header format when ``formats`` is not given: cablegate dominates like the 2010
# corpus (88% VZCZC) but every other form appears often enough to be exercised in small samples.
_FORMAT_WEIGHTS = {
    "plusd-extract": 0.14,
    "cablegate": 0.50,
    "acp126": 0.14,
    "state-distribution": 0.11,
    "page-telegram": 0.11,
}
# Share of each final level when ``levels`` is not given. Real traffic is mostly CONFIDENTIAL and
# SECRET; the rarer levels are over-represented so a sample of 200 holds every one of them.
_LEVEL_WEIGHTS = {
    cls.UNCLASSIFIED: 0.09,
    cls.CONTROLLED: 0.16,
    cls.CONFIDENTIAL: 0.35,
    cls.SECRET: 0.30,
    cls.TOP_SECRET: 0.10,
}
# Default share of cables carrying a paragraph marked above the caption (a marking conflict).
DEFAULT_CONFLICT_RATE = 0.04
# Raw size in characters: log-normal around the dev corpus median (8,871), clipped so that the
# written cable (the last sentence overshoots a little) stays within 2-15.5 KB.
_SIZE_MEDIAN = 9000
_SIZE_SIGMA = 0.55
_SIZE_MIN = 2100
_SIZE_MAX = 14400
# Body characters per section of a multi-section cable (drawn per cable): with the sizes above
# this gives roughly the corpus' mix of one, two and three-to-five sections.
_SECTION_CHARS = (2500, 6500)
# Share of NOFORN cables whose portion marks use the double slash (``S//NF``): 133 of ~1,600
# NOFORN marks in the dev corpus.
_DOUBLE_SLASH_SHARE = 0.08


# --------------------------------------------------------------------------------------------
# Public records


@dataclass(frozen=True, slots=True)
class Truth:
    """What the generator intended a cable to say; a parser's output is compared with this."""

    id: str  # canonical: 2-digit year + station as in ids + number without leading zeros
    classification: str  # normalized header classification (streams.core.classification.normalize)
    level: str  # highest of header and portion marks, one of LEVELS
    origin: str  # station as written in the caption: "LA PAZ", "STATE", "USNATO"
    origin_name: str  # plain-language origin: "Embassy La Paz", "Secretary of State"
    date: str  # YYYY-MM-DD, UTC day of the date-time group
    datetime: str  # YYYY-MM-DDTHH:MM:00Z
    number: str  # serial number as written in the caption (leading zeros kept)
    tags: tuple[str, ...]  # TAGS codes in line order; person tags whole: "OVIP (SMITH, JOHN)"
    subject: str  # whole subject, whitespace collapsed, as written (case, leading portion mark)
    format: str  # one of FORMATS
    sections: int  # 1 for a single-section cable
    highest_portion_marking: str | None  # as written: "S/NF"; None when paragraphs are unmarked
    references: tuple[str, ...]  # canonical ids of the REF line, in order
    marking_conflict: bool  # a portion mark is above the header classification
    date_in_text: bool  # False for partial extracts without any date (the seed's form)


@dataclass(frozen=True, slots=True)
class SynthCable:
    """One generated cable: the text a feed would publish and the truth it was built from."""

    raw: str
    truth: Truth


@dataclass(frozen=True, slots=True)
class Station:
    """A posting station: how it appears in ids, captions, FM lines and routing indicators."""

    code: str  # as in cable ids: LAPAZ, RIODEJANEIRO, STATE
    caption: str  # as in the caption: LA PAZ, RIO DE JANEIRO, STATE
    fm: str  # telegraphic address: AMEMBASSY LA PAZ, SECSTATE WASHDC
    ri: str  # routing indicator: RUEHLP
    name: str  # plain-language origin: Embassy La Paz
    country: str  # FIPS 10-4 geographic tag of the host country
    bureau: str  # regional bureau: EUR, NEA, SCA, EAP, WHA, AF, IO
    volume: int  # cables sent per year (modern): sets the size of serial numbers
    old: bool  # also a 1970s station (page-telegram format)
