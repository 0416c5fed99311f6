"""The structured fields between the caption and the first paragraph.

``E.O. 12958: DECL: 06/15/2015``, ``TAGS: PREL PGOV`` (also ``TAGS`` without colon, ``Tags:``,
``TAGS;``, ``TAG``, the misspellings ``TAGES:``/``TAS:``/``TABS:``), ``SUBJECT:``/``SUBJ:``/``UBJECT:``
(multi-line), ``REF:``/``REFS:``/``Ref(s):``/``REFTELS:``/``PROGRAM REF:`` lists, ``Classified By: <title>
<name>, reasons 1.4 (b) and (d)``. ``REF:`` and ``Classified By:`` also end a field mid-line (``SUBJECT:
... UNCLEAR REFS: (A) ...``).

:func:`split_fields` finds every field keyword in the (small) field zone with one regular
expression; the readers each look at one field's value only: the subject and the E.O. line here,
TAGS in ``tagline.py``, REF in ``refs.py``, Classified By in ``classified.py``.
"""

from __future__ import annotations

import html
import re

from streams.core.parse.header import year_of

# One pass over the field zone for the keywords at a line start (optionally after ¶ or a portion mark) ...
_KEY_RE = re.compile(
    r"^[ \t\u00a0¶]*(?:\((?:U|SBU|C|S)\)[ \t]*)?"
    r"(?P<key>TAGS?|S?UBJ(?:ECT)?|(?:PROGRAM[ \t]+)?REF(?:S|\(S\))?|REFERENCES?|REFTELS?|E\.[ ]?O\.?|EO"
    r"|CLASSIFIED[ \t]+BY|(?:TAGES|TAS|TABS)(?=:))"
    r"(?=[\s:;.,]|$)[ \t\u00a0]*[:;.,]?",
    re.IGNORECASE | re.MULTILINE,
)
# ... and one for those glued mid-line: "Tags:"/"Subject:"/"TAGS PREL" after a blank (lower-cased copies),
# REF and Classified By after a subject ("... UNCLEAR REFS: (A) ...", "... TO CAIROClassified By:").
# The candidates are found with str.find (C speed; a regular-expression scan of the zone costs ~15x
# more), then matched there; the character before a match is checked in Python.
_MID_LINE_ANCHORS = (("REF", 0), ("Ref", 0), ("lassified", 1), ("LASSIFIED", 1), ("TAG", 0), ("Tag", 0),
                     ("tag", 0), ("SUBJECT", 0), ("Subject", 0), ("subject", 0))
_MID_LINE_RE = re.compile(
    r"(?P<ref>REFS?|REF\(S\)|Refs?|Ref\(s\)|REFTELS?):|(?P<by>[Cc]lassified[ \t]+[Bb]y|CLASSIFIED[ \t]+BY):"
    r"|(?P<glued>[Tt][Aa][Gg][Ss]?|[Ss][Uu][Bb][Jj][Ee][Cc][Tt]):|(?P<glued_tags>TAGS?)(?=[ \t]+[A-Z]{2,}\b)"
)
_AFTER_SUBJECT = frozenset(" \t.)")  # or a letter or digit ("EGYPTREF:"): where a mid-line REF may start
_BLANKS = frozenset(" \t")  # where a glued "Tags:" may start
_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0]*\n")
_CANON = {
    "TAG": "tags", "TAGS": "tags", "TAGES": "tags", "TAS": "tags", "TABS": "tags",
    "SUBJ": "subject", "SUBJECT": "subject", "UBJ": "subject", "UBJECT": "subject",
    "REF": "ref", "REFS": "ref", "REF(S)": "ref", "REFERENCE": "ref", "REFERENCES": "ref", "REFTEL": "ref",
    "REFTELS": "ref", "PROGRAM REF": "ref", "PROGRAM REFS": "ref",
    "EO": "eo", "E.O": "eo", "E.O.": "eo", "E. O.": "eo", "E. O": "eo", "CLASSIFIED BY": "classified_by",
}


def _canon(raw: str) -> str | None:
    upper = raw.upper()
    return _CANON.get(upper) or _CANON.get(" ".join(upper.split()))


def _mid_line_keywords(zone: str, line_starts: set[int]) -> list[tuple[int, int, str | None, bool]]:
    """Keywords glued mid-line: (start, end, field name, counts as a new field even when it repeats)."""
    out = []
    candidates: set[int] = set()
    for literal, back in _MID_LINE_ANCHORS:
        i = zone.find(literal, 1)
        while i >= 0:
            candidates.add(i - back)
            i = zone.find(literal, i + 1)
    for start in sorted(candidates):
        m = _MID_LINE_RE.match(zone, start) if start > 0 else None
        if m is None:
            continue
        before = zone[start - 1]
        kind = m.lastgroup
        if kind in ("glued", "glued_tags"):
            if before in _BLANKS:
                out.append((start, m.end(), _canon(m.group(kind)), True))
        elif before in _AFTER_SUBJECT or before.isalnum():
            line_start = zone.rfind("\n", 0, start) + 1
            if line_start not in line_starts or zone[line_start:start].strip(" \t\u00a0¶"):
                out.append((start, m.end(), _canon(m.group(kind)), False))
    return out


def _keyword_matches(zone: str) -> list[tuple[int, int, str | None]]:
    """(start, end, field name) of every keyword of the zone, in order. A mid-line REF or Classified By
    that repeats the field before it is text of that field (``REF: A. REF: KATHMANDU 2282``)."""
    found = [(m.start(), m.end(), _canon(m.group("key")), True) for m in _KEY_RE.finditer(zone)]
    mid = _mid_line_keywords(zone, {start for start, _, _, _ in found})
    if mid:
        found = sorted(found + mid)
    out: list[tuple[int, int, str | None]] = []
    for start, end, name, new_field in found:
        if out and not new_field and name == out[-1][2]:
            continue
        if out and start < out[-1][1]:
            continue  # the same keyword found by both patterns
        out.append((start, end, name))
    return out


def split_fields(zone: str) -> tuple[dict[str, str], int]:
    """Map of field name (``tags``, ``subject``, ``ref``, ``eo``, ``classified_by``) to its raw
    value (the text after the keyword up to the next keyword; the first occurrence wins), and
    the offset in ``zone`` where the last field's first block ends (0 when there is no field)."""
    found: dict[str, str] = {}
    matches = _keyword_matches(zone)
    last_end = 0
    if matches:
        tail_start = matches[-1][1]
        rest = zone[tail_start:]
        lead = len(rest) - len(rest.lstrip("\n \t\u00a0"))
        blank = _BLANK_LINE_RE.search(rest, lead)
        last_end = tail_start + (blank.start() + 1 if blank else len(rest))
    for i, (_, end_kw, name) in enumerate(matches):
        if name is None or name in found:
            continue
        end = matches[i + 1][0] if i + 1 < len(matches) else len(zone)
        value = zone[end_kw:end]
        if not value.strip(" \t\u00a0"):
            continue  # "SUBJECT: SUBJECT: ..." - the doubled keyword; the next one has the value
        found[name] = value
    return found, last_end


def first_block(value: str) -> str:
    """The value up to its first blank line (leading blank lines skipped)."""
    stripped = value.lstrip("\n \t\u00a0")
    m = _BLANK_LINE_RE.search(stripped)
    return stripped[: m.start()] if m else stripped


# --- SUBJECT ------------------------------------------------------------------------------------
# Lines that end a subject: a "-----" rule, a page marker ("PAGE 02 ..."), a section marker of the
# site's copies ("GENEVA 00002654  001.2 OF 004"), an action-request note, a handling line
# ("SENSITIVE BUT UNCLASSIFIED ..."), a classification line repeated at a page top, a dateline.
_SUBJECT_STOP_RE = re.compile(
    r"^[ \t\u00a0]*(?:-{3,}|_{3,}|PAGE[ \t]+\d{2,3}\b|[A-Z][A-Z .'-]{1,30}[ \t]+\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF\b"
    r"|This is an? Action Req|SENSI?TIVE BUT UNCLAS"
    r"|(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|C O N F I D E N T I A L|S E C R E T)[ \t]*$"
    r"|(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY, \d{1,2} [A-Z]+ \d{4})",
    re.MULTILINE | re.IGNORECASE,
)
_LINE_END_BACKSLASH_RE = re.compile(r"\\[ \t]*(?=\n|$)")


def parse_subject(value: str) -> str | None:
    """The whole subject, multi-line subjects joined with single spaces; None when empty.

    The subject ends at a blank line, a ``-----`` rule, a page or section marker line or an
    action-request note; the site's line-end backslashes and HTML character references are undone."""
    block = first_block(_LINE_END_BACKSLASH_RE.sub("", value) if "\\" in value else value)
    m = _SUBJECT_STOP_RE.search(block)
    if m:
        block = block[: m.start()]
    text = " ".join(block.split())
    if "&#" in text or "&q" in text or "&a" in text:
        text = html.unescape(text)
    return text or None


# --- E.O. / DECL -------------------------------------------------------------------------------
_EO_RE = re.compile(r"(\d{5})")
_DECL_RE = re.compile(r"DECL(?:ASSIFY)?(?: ON)?\s*[:.]?\s*(?P<value>[^\n]{0,60})", re.IGNORECASE)
_MDY_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
_YMD_RE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})\b")


def parse_eo(value: str) -> tuple[str | None, str | None]:
    """(executive order, declassify-on) of the E.O. line: ``12958: DECL: 06/15/2015`` -> ("12958",
    "2015-06-15"); ``12065: GDS 12/31/85 (SMITH, JOHN) OR-P`` -> ("12065", "1985-12-31");
    ``11652: XGDS-1`` -> ("11652", "XGDS-1"). Dates become ISO; other instructions (``OADR``,
    ``1.6X1``, ``N/A``, ``GDS``) are kept upper-cased."""
    line = first_block(value).split("\n", 1)[0][:160]
    m = _EO_RE.search(line)
    eo = m.group(1) if m else None
    rest = line[m.end():] if m else line
    d = _DECL_RE.search(rest)
    text = d.group("value") if d else rest
    text = text.strip(" .;,:\t\u00a0")
    if not text:
        return eo, None
    ymd, mdy = _YMD_RE.search(text), _MDY_RE.search(text)
    if ymd:
        return eo, f"{int(ymd.group(1)):04d}-{int(ymd.group(2)):02d}-{int(ymd.group(3)):02d}"
    if mdy:
        return eo, f"{year_of(mdy.group(3)):04d}-{int(mdy.group(1)):02d}-{int(mdy.group(2)):02d}"
    code = text.split("(")[0].strip(" .;,")
    return eo, " ".join(code.upper().split()[:4]) or None
