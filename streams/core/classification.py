"""Classification vocabulary: normalized names, ordered levels, portion marks.

Pure functions over strings. The parser uses :func:`normalize` on what a cable
says; the router uses :func:`level_of` and :func:`portion_level` to compare.
"""

from __future__ import annotations

import re
from functools import lru_cache

from streams.vocab import CONFIDENTIAL, CONTROLLED, LEVELS, SECRET, TOP_SECRET, UNCLASSIFIED

# Levels are lowest first (streams.vocab). The topic of a level is ``<prefix>.<level>``.
RANK = {name: i for i, name in enumerate(LEVELS)}

# Normalized classification strings (the parser's `classification` field, without caveats).
BASE_LEVEL = {
    "UNCLASSIFIED": UNCLASSIFIED,
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": CONTROLLED,
    "UNCLASSIFIED//SENSITIVE BUT UNCLASSIFIED": CONTROLLED,
    "LIMITED OFFICIAL USE": CONTROLLED,
    "CONFIDENTIAL": CONFIDENTIAL,
    "SECRET": SECRET,
    "TOP SECRET": TOP_SECRET,
}

# Dissemination caveats carried after "//".
CAVEATS = ("NOFORN", "ORCON", "NOCONTRACT", "PROPIN", "REL TO", "EXDIS", "NODIS", "LIMDIS")

# Portion marks as written inside parentheses, mapped to a level. "(C/NF)" -> base "C".
PORTION_BASE = {
    "U": UNCLASSIFIED,
    "SBU": CONTROLLED,
    "FOUO": CONTROLLED,
    "LOU": CONTROLLED,
    "C": CONFIDENTIAL,
    "S": SECRET,
    "TS": TOP_SECRET,
}
_PORTION_RE = re.compile(r"^(TS|SBU|FOUO|LOU|U|C|S)(?:\s*//?\s*[A-Z][A-Z /-]{0,30})?$")


@lru_cache(maxsize=1024)  # a few dozen classifications recur; bounded: they come from the text
def level_of(classification: str | None) -> str | None:
    """Level of a normalized classification such as ``SECRET//NOFORN``; None if unknown."""
    if not classification:
        return None
    base = classification.split("//NOFORN")[0]
    for caveat in CAVEATS:
        base = base.split("//" + caveat)[0]
    return BASE_LEVEL.get(base.strip())


@lru_cache(maxsize=1024)  # a few marks recur in every cable ("C", "S//NF"); bounded: marks come from the text
def portion_level(mark: str | None) -> str | None:
    """Level of a portion mark as written (``C``, ``S/NF``, ``SBU``, ``U//FOUO``); None if unknown.

    The level is the highest classification token in the mark, so ``U//FOUO``
    is controlled, not unclassified; caveat tokens (NF, REL ...) do not lower it.
    """
    if not mark:
        return None
    m = _PORTION_RE.match(mark.strip().upper())
    if not m:
        return None
    tokens = [t.strip() for t in re.split(r"/+", m.group(0))]
    return highest([PORTION_BASE.get(t) for t in tokens])


def highest(levels: list[str | None] | tuple[str | None, ...]) -> str | None:
    """The highest of several levels (None entries ignored); None when there are none."""
    known = [lv for lv in levels if lv is not None]
    return max(known, key=RANK.__getitem__) if known else None


_WHITE_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # caption words and classification lines recur across cables; bounded
def normalize(text: str | None) -> str | None:
    """Normalize a written classification (``C O N F I D E N T I A L``, ``UNCLAS SENSITIVE``,
    ``SECRET//NOFORN``) to the canonical form; None when it names no known classification."""
    if not text:
        return None
    t = _WHITE_SPACE_RE.sub(" ", text.upper()).strip()
    squeezed = t.replace(" ", "")
    caveats = [c for c in CAVEATS if c.replace(" ", "") in squeezed]
    if squeezed.startswith("TOPSECRET"):
        base = "TOP SECRET"
    elif squeezed.startswith("SECRET"):
        base = "SECRET"
    elif squeezed.startswith("CONFIDENTIAL"):
        base = "CONFIDENTIAL"
    elif squeezed.startswith("LIMITEDOFFICIALUSE"):
        base = "LIMITED OFFICIAL USE"
    elif squeezed.startswith("UNCLAS"):
        sensitive = any(w in squeezed for w in ("SENSITIVE", "SBU", "FOROFFICIALUSEONLY", "FOUO"))
        base = "UNCLASSIFIED//FOR OFFICIAL USE ONLY" if sensitive else "UNCLASSIFIED"
    else:
        return None
    suffix = "".join("//" + c for c in caveats if c == "NOFORN")
    return base + suffix
