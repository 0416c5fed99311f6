"""The classification caption: the first line of the message text.

``C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 002231``, ``UNCLAS MADRID 000572``,
``S e c r e t state 015220``, ``CONFIDENTIAL//NOFORN``, and the garbled copies of the
cablegate site (``SS E C R E T``, ``CC O N F I ...``, ``E C R E T``, ``C ONFIDENTIAL``).
One line in, one :class:`Caption` (or None) out; no regular expression over the line.
"""

from __future__ import annotations

from dataclasses import dataclass

# Squeezed (spaces removed, upper-cased) classification words -> the written base word that
# :func:`streams.core.classification.normalize` understands. Includes the garbles seen in real copies.
CAPTION_FORMS = {
    "UNCLAS": "UNCLAS",
    "UNCLASSIFIED": "UNCLASSIFIED",
    "UNCLASEFTO": "UNCLAS",
    "LIMITEDOFFICIALUSE": "LIMITED OFFICIAL USE",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "CCONFIDENTIAL": "CONFIDENTIAL",
    "ONFIDENTIAL": "CONFIDENTIAL",
    "SECRET": "SECRET",
    "SSECRET": "SECRET",
    "ECRET": "SECRET",
    "TOPSECRET": "TOP SECRET",
    "TTOPSECRET": "TOP SECRET",
}
_FIRST_LETTERS = frozenset(form[0] for form in ("UNCLAS", "LIMITED", "CONFIDENTIAL", "ONFIDENTIAL", "SECRET", "ECRET",
                                                  "TOP SECRET"))
_PREFIXES = frozenset(form[:i] for form in CAPTION_FORMS for i in range(1, len(form) + 1))
_LONGEST_FORM = max(map(len, CAPTION_FORMS))

# Words that may follow the classification on the caption line without being a station.
MARKING_WORDS = frozenset(
    {"NOFORN", "NF", "ORCON", "NOCONTRACT", "PROPIN", "SIPDIS", "SENSITIVE", "SBU", "EXDIS", "NODIS",
     "LIMDIS", "STADIS", "EFTO", "FOUO", "CHEROKEE", "ROGER", "REL"}
)
CAPTION_SCAN_CHARS = 240  # a caption is short; a line glued to the whole body is cut here
_MAX_STATION_WORDS = 4


@dataclass(frozen=True, slots=True)
class Caption:
    """What a caption line says."""

    written: str  # the classification base word as understood: "CONFIDENTIAL", "UNCLAS", ...
    caveats: tuple[str, ...]  # marking words on the line: ("NOFORN", "SIPDIS")
    section: int | None
    sections: int | None
    station: str | None  # as written, upper-cased: "ABU DHABI", "STATE"
    number: str | None  # as written, leading zeros kept: "002231"

    @property
    def full(self) -> bool:
        """True when the caption names the station and the number (not a bare classification line)."""
        return self.station is not None and self.number is not None


def _is_station_word(word: str) -> bool:
    return word[:1].isalpha() and all(ch.isalpha() or ch in ".'-" for ch in word)


def _classification_word(tokens: list[str]) -> tuple[str | None, int]:
    """The classification of the caption: the longest run of leading letter tokens whose letters form
    a known word (``C O N F I D E N T I A L``), and the index of the token after it."""
    squeezed = ""
    end = -1
    written = None
    for i, tok in enumerate(tokens):
        if not tok.isalpha():
            break
        squeezed += tok
        if len(squeezed) > _LONGEST_FORM or squeezed not in _PREFIXES:
            break
        form = CAPTION_FORMS.get(squeezed)
        if form:
            end, written = i, form
    return written, end + 1


def _caveats(tokens: list[str], idx: int) -> tuple[list[str], int]:
    """``//NOFORN`` caveats glued to the classification and marking words after it."""
    n = len(tokens)
    caveats: list[str] = []
    while idx < n and tokens[idx] == "/":
        while idx < n and tokens[idx] == "/":
            idx += 1
        if idx < n and tokens[idx].isalpha() and tokens[idx] != "SECTION":
            caveats.append(tokens[idx])
            idx += 1
    while idx < n and tokens[idx] in MARKING_WORDS:
        caveats.append(tokens[idx])
        idx += 1
    return caveats, idx


def _section(tokens: list[str], idx: int) -> tuple[int | None, int | None, int]:
    """``SECTION nn OF nn`` at ``idx``: (section, sections, next index)."""
    if (idx + 3 < len(tokens) and tokens[idx] == "SECTION" and tokens[idx + 1].isdigit()
            and tokens[idx + 2] == "OF" and tokens[idx + 3].isdigit()):
        return int(tokens[idx + 1]), int(tokens[idx + 3]), idx + 4
    return None, None, idx


def _station_number(tokens: list[str], idx: int) -> tuple[str | None, str | None, list[str]]:
    """``STATION NUMBER`` at ``idx`` (station words, then digits) and the marking words after them."""
    n = len(tokens)
    j = idx
    while j < n and j - idx <= _MAX_STATION_WORDS and _is_station_word(tokens[j]):
        j += 1
    if idx < j < n and j - idx <= _MAX_STATION_WORDS and tokens[j].isdigit() and len(tokens[j]) <= 7:
        return " ".join(tokens[idx:j]), tokens[j], [t for t in tokens[j + 1 : j + 6] if t in MARKING_WORDS]
    return None, None, []


def read_caption(line: str) -> Caption | None:
    """The caption on ``line``, or None when the line is not a classification caption."""
    first = line.lstrip(" \t\u00a0¶")[:1].upper()
    if not first or first not in _FIRST_LETTERS:
        return None
    tokens = line[:CAPTION_SCAN_CHARS].upper().replace("/", " / ").replace("¶", " ").split()
    written, idx = _classification_word(tokens)
    if written is None:
        return None
    caveats, idx = _caveats(tokens, idx)
    section, sections, idx = _section(tokens, idx)
    station, number, tail = _station_number(tokens, idx)
    if station is None:
        # a bare classification line: nothing but marking words may follow
        rest = [t for t in tokens[idx:] if t != "/"]
        if rest and any(t not in MARKING_WORDS for t in rest):
            return None
    return Caption(written, tuple(dict.fromkeys((*caveats, *tail))), section, sections, station, number)
