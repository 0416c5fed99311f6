"""The message body: paragraphs with their portion marks, and the signer.

A paragraph starts at a numbered line (``1. (C) ...``, ``¶2. (S/NF) ...``, ``1 . (C)``) or after a
blank line; a blank line ends it. A leading ``(C)``, ``(S/NF)``, ``(SBU)`` ... is its portion mark,
unless it continues a lettered list (``(A) ... (B) ... (C) ...``). ``PAGE 02 ...`` page-break lines
of old telegrams and the ``BT``/``NNNN`` trailer are dropped. The body is cut into paragraphs by one
regular-expression split; no pattern runs per line.
"""

from __future__ import annotations

import re

from streams.core import classification as cls
from streams.core.model import Paragraph

_PARA_RE = re.compile(
    r"[ \t\u00a0]*¶?[ \t]*(?:(?P<num>\d{1,3})[ \t]?\.[ \t]*)?"
    r"(?:\((?P<mark>[A-Za-z]{1,4}(?:[ ]?/{1,2}[ ]?[A-Za-z]{1,10}(?:[ ][A-Za-z]{2,10}){0,3}){0,3})\)[ \t]*)?"
)
_SIGNER_RE = re.compile(r"[A-Z][A-Z'.-]{1,24}(?: [A-Z][A-Z'.-]{1,24}){0,2}")
_SIGNER_MIXED_RE = re.compile(r"[A-Z][a-z'-]{2,24}")  # "Brownfield" alone on the last line
_GLUED_SIGNER_RE = re.compile(r"[.)\"”]\s+([A-Z][A-Z'-]{2,24}|[A-Z][a-z'-]{2,24})$")  # "... END COMMENT. DUDDY"
_FOOTER_RE = re.compile(r"Classified Web|intelink\.s|^\W*$", re.IGNORECASE)
_NOT_SIGNERS = frozenset(
    {"BT", "NNNN", "SIPDIS", "NOFORN", "END", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS", "SENSITIVE",
     "END SUMMARY", "END COMMENT", "END NOTE", "END TEXT", "LIMITED OFFICIAL USE", "END", "COMMENT", "SUMMARY",
     "NOTE", "TEXT", "USG", "GOI", "MFA", "EU", "UN", "NATO", "IAEA", "THANKS", "REGARDS", "MINIMIZE", "CONSIDERED"}
)


def portion_mark(text: str) -> str | None:
    """The mark of a leading ``(C)``/``(S/NF)``/``(SBU)`` when it is a real portion mark, upper-cased."""
    m = _PARA_RE.match(text)
    return _mark_of(m.group("mark")) if m else None


_MARKS: dict[str, str | None] = {}  # mark as written -> normalized mark or None; few distinct values
_LEVELS: dict[str, str | None] = {}  # normalized mark -> level
_MARKS_MAX = 4096  # bound the memos: marks come from untrusted text


def mark_level(mark: str) -> str | None:
    """The level of a normalized portion mark (memoized :func:`streams.core.classification.portion_level`)."""
    try:
        return _LEVELS[mark]
    except KeyError:
        level = cls.portion_level(mark)
        if len(_LEVELS) < _MARKS_MAX:
            _LEVELS[mark] = level
        return level


def _mark_of(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return _MARKS[raw]
    except KeyError:
        pass
    mark: str | None = " ".join(raw.upper().split())
    # "(A)" sub-items, "(THE)" words and the like are not portion marks
    if mark_level(mark) is None:
        mark = None
    if len(_MARKS) < _MARKS_MAX:
        _MARKS[raw] = mark
    return mark


def highest_mark(marks: list[str]) -> str | None:
    """The highest-level mark of ``marks``; among equals the first with a caveat (``S/NF`` before
    ``S``), else the first. None when there is none."""
    best, best_key = None, (-1, False)
    for mark in marks:
        level = mark_level(mark)
        key = (cls.RANK[level] if level else -1, "/" in mark)
        if key > best_key:
            best, best_key = mark, key
    return best


# Lines that may follow the signature: classification and handling lines, notes of the
# communications centre ("NOTE BY OC/T: ...", "NOTE: NOT PASSED TO ..."), "END TEXT", the
# declassification stamp and archive footers ("2002ROME01748 - Classification: SECRET", ">").
_TRAILER_LINE_RE = re.compile(
    r"(?:(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|TOP SECRET|LIMITED OFFICIAL USE|SENSITIVE|NOFORN|SIPDIS"
    r"|EXDIS|NODIS|LIMDIS)(?:[ /]+(?:NOFORN|SIPDIS|SENSITIVE|EXDIS|NODIS|LIMDIS|ORCON|FOUO|SBU"
    r"|FOR OFFICIAL USE ONLY))*[ .]*$"
    r"|NOTE\b.*|END (?:OF )?(?:TEXT|CABLE|MESSAGE|DOCUMENT)[ .]*$|DECLASSIFIED\b.*|REVIEW \d.*|\d{2,4}[A-Z]+\d+ - CLASSIFICATION.*"
    r"|[>#=*_ -]+$)",
    re.IGNORECASE,
)
_END_TEXT_RE = re.compile(r"^END (?:OF )?(?:TEXT|CABLE|MESSAGE)[ .]+(?=[A-Z][A-Z'-]+$)", re.IGNORECASE)
SIGNER_LOOKBACK_LINES = 8  # trailers after the name are a few lines at most


def find_signer(text: str) -> tuple[str | None, int, int]:
    """The signature at the end of the body and the span to cut from the text ((None, -1, -1) when none).

    ``ORDWAY`` or ``Brownfield`` alone on the last line, or ``... END COMMENT. DUDDY`` glued to the
    last sentence by the site's copy; trailing ``BT``/``NNNN`` lines, classification and handling
    lines, ``NOTE ...`` and ``END TEXT`` lines, ``##`` and the "Visit ... Classified Website" footer
    of some posts are skipped."""
    end = len(text)
    for _ in range(SIGNER_LOOKBACK_LINES):
        stripped = text[:end].rstrip()
        cut = stripped.rfind("\n") + 1
        s = stripped[cut:].strip()
        if not s:
            return None, -1, -1
        if s in ("BT", "NNNN") or s.startswith("#") or _FOOTER_RE.search(s) or _TRAILER_LINE_RE.match(s):
            end = cut
            continue
        name = _END_TEXT_RE.sub("", s.rstrip("#").rstrip())  # "END TEXT HEFFERN"
        if len(name) <= 40 and (_SIGNER_RE.fullmatch(name) or _SIGNER_MIXED_RE.fullmatch(name)) \
                and name.upper() not in _NOT_SIGNERS:
            return name, cut, len(stripped)
        m = _GLUED_SIGNER_RE.search(name[-60:])
        if m and m.group(1).upper() not in _NOT_SIGNERS:
            start = cut + len(name) - len(name[-60:]) + m.start(1)
            return m.group(1), start, len(stripped)
        break
    return None, -1, -1


# Paragraph boundaries: a blank line, or a line break before a numbered line.
_SPLIT_RE = re.compile(r"\n[ \t\u00a0]*\n\s*|\n(?=[ \t\u00a0]*¶?[ \t]*\d{1,3}[ \t]?\.[ \t])")
_LIST_LETTER_RE = re.compile(r"[ \t\u00a0]*\(([A-Za-z])\)")
_PAGE_LINE_RE = re.compile(r"^[ \t]*PAGE[ \t]+\d{2,3}\b[^\n]*(?:\n|$)", re.MULTILINE)
_TRAILER_RE = re.compile(r"^[ \t]*(?:BT|NNNN)[ \t]*$", re.MULTILINE)


_SEP = "\x1e"  # ASCII record separator: never in a cable (decode refuses control-heavy text)


def _join_lines(text: str) -> str:
    # a same-length replacement is a single fast pass; trailing spaces of a line stay, so a joined
    # paragraph may hold a double space where the line was wrapped
    return text.replace("\n", " ")


def read_paragraphs(text: str) -> tuple[list[Paragraph], str | None]:
    """(paragraphs, signer) of the body text after the field zone."""
    signer, cut_from, cut_to = find_signer(text)
    if signer is not None:
        text = text[:cut_from] + text[cut_to:]
    if "PAGE " in text:
        text = _PAGE_LINE_RE.sub("", text)
    if "\nBT" in text or "NNNN" in text:
        text = _TRAILER_RE.sub("", text)
    paragraphs: list[Paragraph] = []
    append = paragraphs.append
    chunks = _SPLIT_RE.split(text)
    # Join each chunk's wrapped lines with a space. str.replace is ~30x faster than a split/join
    # or a regex; done once over all chunks (joined by a separator the text does not contain).
    if _SEP not in text:
        chunks = _join_lines(_SEP.join(chunks)).split(_SEP)
    else:
        chunks = [_join_lines(c) for c in chunks]
    prev_letter = ""
    for chunk in chunks:
        body = chunk.strip()
        if not body:
            continue
        first = body[0]
        letter = ""
        if first.isdigit() or first in "(¶":
            m = _PARA_RE.match(body)
            num = m.group("num") if m else None
            mark = _mark_of(m.group("mark")) if m else None
            if first == "(":
                lm = _LIST_LETTER_RE.match(body)
                letter = lm.group(1).upper() if lm else ""
                if mark and letter and prev_letter and ord(letter) == ord(prev_letter) + 1:
                    mark = None  # "(C)" after "(B)": the next item of a lettered list, not a portion mark
            prev_letter = letter
            if num or mark:
                rest = body[m.end():] if mark else body[m.start("mark") - 1 if m.group("mark") else m.end():]
                append(Paragraph(number=num, marking=mark, text=rest.strip()))
                continue
        prev_letter = letter
        append(Paragraph(number=None, marking=None, text=body))
    return paragraphs, signer
