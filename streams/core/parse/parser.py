"""Cable text to :class:`streams.core.model.Cable`: the shared grammar of every input format.

Layout of a cable, and where each part is read:

1. routing header (``header.py``), line by line, within the first :data:`HEAD_CHARS` characters,
   up to the classification caption (``caption.py``);
2. the caption area (``SIPDIS``, ``NOFORN``, ``SENSITIVE`` lines) and the field zone up to the first
   numbered paragraph (``fields.py``): E.O., TAGS (``tagline.py``), SUBJECT, REF (``refs.py``),
   Classified By (``classified.py``; also inside paragraph 1 of older cables);
3. the body after the field zone (``body.py``), walked once.

Header patterns never run over the body, so the cost per cable is one line split of the head,
one regular-expression pass over a small field zone and one walk over the body lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.core import classification as cls
from streams.core.model import Cable, Failure, Paragraph, Tag
from streams.core.parse import body as body_mod
from streams.core.parse import classified as classified_mod
from streams.core.parse import fields as fields_mod
from streams.core.parse import refs as refs_mod
from streams.core.parse import tagline
from streams.core.parse.caption import MARKING_WORDS, Caption, read_caption
from streams.core.parse.header import Header, HeaderReader
from streams.core.parse.stations import name_for_address, name_for_station, station_key, station_of_address
from streams.vocab import PARSE

from streams.vocab import NOT_A_CABLE, TRUNCATED  # noqa: E402

HEAD_CHARS = 16_000  # routing headers with long INFO lists reach ~6 KB; the caption is always before this
FIELD_ZONE_CHARS = 8_000  # caption to first paragraph: E.O., TAGS, SUBJECT, REF lists, Classified By
TRUNCATED_TEXT_CHARS = 40  # less text than this after a routing header (and no caption or field): cut off
CAPTION_AREA_LINES = 12  # SIPDIS/NOFORN/SENSITIVE lines sit right under the caption
CAPTION_AREA_CHARS = 1_500  # ... within the first lines: "DEPT FOR ..." lines are short too
MARKING_LINE_CHARS = 60  # a caveat line is short ("SIPDIS NOFORN"); longer lines are text

# The first paragraph ends the field zone: a numbered line ("1. (C)", "¶7.", "1 . (C)") or, after a
# blank line, a line opening with a portion mark ("(SBU) On January 5 ..."), but not "(U) Classified
# by ..." (a REF list's "(C) STATE 123" follows its "(B)" line without a blank line).
_FIRST_PARA_RE = re.compile(
    r"^[ \t\u00a0]*¶?[ \t]*\d{1,3}[ \t]?\.[ \t(]"
    r"|\n[ \t\u00a0]*\n[ \t\u00a0]*¶?[ \t]*\((?:U|C|S|TS|SBU|FOUO|LOU)(?:/{1,2}[A-Z]{1,10}(?: [A-Z]{2,10}){0,3}){0,3}\)"
    r"[ \t]+(?![Cc][Ll][Aa][Ss][Ss])",
    re.MULTILINE,
)
_WORD_RE = re.compile(r"[A-Z]+")
# Other classification lines anywhere in the text (a repeated caption, a page-top "CONFIDENTIAL",
# a stray "TOP SECRET"): they are markings too, and the highest marking wins (fail closed). The
# pattern starts with a literal newline so the engine scans for it at C speed; read_caption() then
# decides whether the line really is a caption.
_MARKING_LINE_RE = re.compile(
    r"\n[ \t\u00a0¶]*(?=[TSCLUtsclu])(?i:(?:T ?O ?P ?)?S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L"
    r"|L ?I ?M ?I ?T ?E ?D ?O ?F ?F ?I ?C ?I ?A ?L ?U ?S ?E|U ?N ?C ?L ?A ?S)\b[^\n]{0,120}"
)
_MARK_STARTS = frozenset("0123456789(¶")
_ZONE_MARK_RE = re.compile(r"^[ \t\u00a0¶]*(?:\d{1,3}[ \t]?\.[ \t]*)?\([A-Za-z/ ]{1,30}\)", re.MULTILINE)
MAX_MARKING_LINES = 50  # a text repeating its caption more often than this adds nothing new
HANDLING_WORDS = ("SIPDIS", "NODIS", "EXDIS", "LIMDIS", "STADIS", "CHEROKEE", "ROGER")
CAVEAT_WORDS = {"NOFORN": "NOFORN", "NF": "NOFORN", "ORCON": "ORCON", "NOCONTRACT": "NOCONTRACT",
                "PROPIN": "PROPIN"}
_SENSITIVE_WORDS = ("SENSITIVE", "SBU", "FOUO")


def _scan_head(text: str, marks: list[str]) -> tuple[Header, Caption | None, int, int]:
    """Read the routing header line by line and find the caption (the first full caption wins,
    else the first bare classification line), within the first :data:`HEAD_CHARS` characters.
    Portion marks on other lines before the caption (``1. (C) ...``) are appended to ``marks``.

    Returns (header, caption, body start offset, caption line end offset)."""
    limit = min(len(text), HEAD_CHARS)
    reader = HeaderReader()
    feed = reader.feed
    bare: tuple[Caption, int, int] | None = None
    header_end = 0
    pos = 0
    while pos < limit:
        nl = text.find("\n", pos, limit)
        end = nl if nl >= 0 else limit
        start, pos = pos, end + 1
        s = text[start:end].strip()
        if not s:
            feed("")
            continue
        if feed(s):
            header_end = min(pos, len(text))
            continue
        cap = read_caption(s)
        if cap is not None:
            if cap.full:
                return reader.header, cap, start, min(pos, len(text))
            if bare is None:
                bare = (cap, start, min(pos, len(text)))
        elif s[0] in _MARK_STARTS:
            mark = body_mod.portion_mark(s)
            if mark:
                marks.append(mark)
    if bare is not None:
        return reader.header, bare[0], bare[1], bare[2]
    return reader.header, None, header_end, header_end


def _caption_area_markings(text: str, start: int) -> list[str]:
    """Marking words (NOFORN, SIPDIS, SENSITIVE, ...) on the short lines right under the caption,
    up to the first field keyword."""
    words: list[str] = []
    for line in text[start : start + CAPTION_AREA_CHARS].split("\n")[:CAPTION_AREA_LINES]:
        s = line.strip().upper()
        if not s:
            continue
        if s.startswith(("E.O", "EO ", "TAGS", "SUBJ", "REF", "CLASSIFIED", "E. O")):
            break
        if len(s) > MARKING_LINE_CHARS:
            continue
        words.extend(w for w in _WORD_RE.findall(s) if w in MARKING_WORDS)
    return words


def _marking_lines(text: str, caption: Caption | None) -> list[str]:
    """Normalized classifications of the caption-like lines of the whole text other than the caption:
    bare lines (``TOP SECRET``, ``CONFIDENTIAL//NOFORN``) and repeats of the caption's station and number."""
    out: list[str] = []
    for i, m in enumerate(_MARKING_LINE_RE.finditer("\n" + text)):
        if i >= MAX_MARKING_LINES:
            break
        cap = read_caption(m.group(0).strip())
        if cap is None:
            continue
        if cap.full and (caption is None or (cap.station, cap.number) != (caption.station, caption.number)):
            continue  # "Secret talks in LONDON 2009" is prose, not a caption of this cable
        norm = cls.normalize(" ".join((cap.written, *cap.caveats)))
        if norm and norm not in out:
            out.append(norm)
    return out


def _classification(
    caption: Caption | None, header: Header, area: list[str], marks: list[str], lines: list[str] = ()
) -> tuple[str | None, tuple[str, ...], str | None]:
    """(classification, caveats, conflict): the highest of the caption, the ZNY line, the other
    classification lines of the text and a CLASSIFICATION line (never the lower one silently), with
    caveats from the caption, the caption area and those lines."""
    words = (*(caption.caveats if caption else ()), *area)
    caveats = list(dict.fromkeys(CAVEAT_WORDS[w] for w in words if w in CAVEAT_WORDS))
    sensitive = any(w in _SENSITIVE_WORDS for w in words) or any(
        body_mod.mark_level(m) == cls.CONTROLLED for m in marks)
    seen = _classification_markings(caption, header, lines, sensitive, caveats)
    if not seen:
        return None, tuple(caveats), None
    levels = [cls.level_of(norm) for _, norm in seen]
    best = seen[_highest_index(levels)][1]
    return _normalized_result(best, sensitive, caveats), tuple(caveats), _conflict(seen, levels)


def _classification_markings(caption: Caption | None, header: Header, lines: list[str], sensitive: bool,
                             caveats: list[str]) -> list[tuple[str, str]]:
    """(source, normalized classification) of every marking that counts, in reading order: the caption,
    the ZNY line, other classification lines above those two, a CLASSIFICATION line. NOFORN on the
    lines is added to ``caveats``."""
    seen: list[tuple[str, str]] = []
    if caption is not None:
        written = caption.written + (" SENSITIVE" if caption.written.startswith("UNCLAS") and sensitive else "")
        norm = cls.normalize(written)
        if norm:
            seen.append(("caption", norm))
    if header.zny:
        seen.append(("ZNY", header.zny))
    # other classification lines count when they are above what the caption/ZNY line say
    top = max((cls.RANK[lv] for lv in (cls.level_of(n) for _, n in seen) if lv), default=-1)
    for norm in lines:
        if "NOFORN" in norm and "NOFORN" not in caveats and not norm.startswith("UNCLASSIFIED"):
            caveats.append("NOFORN")
        level = cls.level_of(norm)
        if level is not None and cls.RANK[level] > top:
            seen.append(("line", norm))
            top = cls.RANK[level]
    norm = cls.normalize(header.classification_line) if header.classification_line else None
    if norm:
        seen.append(("CLASSIFICATION", norm))
        if "NOFORN" in norm and "NOFORN" not in caveats:
            caveats.append("NOFORN")
    return seen


def _highest_index(levels: list[str | None]) -> int:
    """Index of the first of the highest known levels (0 when none is known)."""
    best_i = 0
    for i in range(1, len(levels)):
        lv, blv = levels[i], levels[best_i]
        if lv is not None and (blv is None or cls.RANK[lv] > cls.RANK[blv]):
            best_i = i
    return best_i


def _conflict(seen: list[tuple[str, str]], levels: list[str | None]) -> str | None:
    """What the markings said, when they name more than one level; None when they agree.

    ZNR UUUUU / ZNY EEEEE carry every unclassified message, SENSITIVE (controlled) ones too, so an
    unclassified ZNY line does not contradict an unclassified or controlled caption."""
    written = {lv for (src, _), lv in zip(seen, levels) if src != "ZNY"}
    zny = next((lv for (src, _), lv in zip(seen, levels) if src == "ZNY"), None)
    if zny is not None and not (zny == cls.UNCLASSIFIED and written and written <= {cls.UNCLASSIFIED, cls.CONTROLLED}):
        written.add(zny)
    return "; ".join(f"{src} {norm}" for src, norm in seen) if len(written) > 1 else None


def _normalized_result(best: str, sensitive: bool, caveats: list[str]) -> str:
    """The cable's classification from its highest marking: SENSITIVE unclassified is controlled,
    NOFORN is kept above unclassified."""
    base = best.split("//")[0]
    if base == "UNCLASSIFIED" and sensitive:
        base = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    elif best.startswith("UNCLASSIFIED//"):
        base = best
    return base + ("//NOFORN" if "NOFORN" in caveats and not base.startswith("UNCLASSIFIED") else "")


FIRST_PARAGRAPH_CHARS = 600  # "1. (U) CLASSIFIED BY ..." sits at the start of paragraph 1
_CLASSIFIED_BY_RE = re.compile(r"\bclassified\s+by\b[ \t:]*", re.IGNORECASE)
_PARAGRAPH_END_RE = re.compile(r"\n[ \t\u00a0]*\n")


def _classified_by_in_first_paragraph(text: str, start: int) -> str | None:
    """The ``Classified By`` value inside the first paragraph (older cables:
    ``1. (U) CLASSIFIED BY POLOFF JEFFREY JACOBS, 1.5 (D).``), up to the paragraph's end."""
    window = text[start : start + FIRST_PARAGRAPH_CHARS]
    lead = len(window) - len(window.lstrip())
    end = _PARAGRAPH_END_RE.search(window, lead)
    para = window[: end.start()] if end else window
    m = _CLASSIFIED_BY_RE.search(para)
    return para[m.end() :] if m else None


def _source_format(text: str, header: Header) -> str:
    if header.partial_extract:
        return "plusd-extract"
    if header.transmission or "¶" in text:
        return "cablegate"
    if header.routing or header.distribution:
        return "acp126"
    return "unknown"


# cables.csv copies: the body glued to the header's last line by a tab, and lines ending in " \\"
_TAB_CAPTION_RE = re.compile(
    r"\t(?<=\S\t)(?= ?(?:S ?E ?C ?R ?E ?T|C ?O ?N ?F ?I ?D|U ?N ?C ?L ?A ?S|L ?I ?M ?I ?T ?E ?D|T ?O ?P ?S))")
# (both patterns start with a literal: the engine skips to candidates at C speed, and a long run of
# blanks is not scanned once per blank; blanks left before a dropped backslash are harmless)
_LINE_END_BACKSLASH_RE = re.compile(r"\\[ \t]*\n")


def _normalize(text: str) -> str:
    """Unix line ends, no byte-order mark; a caption glued to the header by a tab starts its own line,
    and the line-end backslashes of cables.csv copies are dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = _TAB_CAPTION_RE.sub("\n", text)
    if "\\" in text:  # (one character: a memchr; a two-character search is ~40x slower here)
        text = _LINE_END_BACKSLASH_RE.sub("\n", text)
    return text[1:] if text.startswith("\ufeff") else text


@dataclass(frozen=True, slots=True)
class _Zone:
    """The field zone: from the caption (or the header) to the first paragraph, and its fields."""

    start: int
    end: int
    found: dict[str, str]
    fields_end: int  # offset in the zone where the last field's first block ends

    @property
    def body_from(self) -> int:
        """Where the body walk starts: the end of the last field's block (so that text between it and
        the first numbered paragraph, an excerpt's heading or unnumbered ``(SBU) ...`` paragraphs, is
        kept), or the zone start when the zone has no field."""
        return self.start + self.fields_end if self.found else self.start


def _field_zone(text: str, start: int) -> tuple[_Zone, str]:
    """The field zone starting at ``start`` and its text."""
    m = _FIRST_PARA_RE.search(text, start, start + FIELD_ZONE_CHARS)
    end = m.start() if m else min(len(text), start + FIELD_ZONE_CHARS)
    zone = text[start:end]
    found, fields_end = fields_mod.split_fields(zone)
    return _Zone(start, end, found, fields_end), zone


def _refusal(text: str, header: Header, caption: Caption | None, zone: _Zone, body_start: int) -> Failure | None:
    """Why the text is not a cable (no header, caption or field) or is cut off, else None."""
    if caption is not None or zone.found:
        return None
    if not header.routing and not header.partial_extract:
        return Failure(PARSE, NOT_A_CABLE, "no routing header, classification caption or cable fields found")
    if len(text[body_start:].strip()) < TRUNCATED_TEXT_CHARS:
        return Failure(PARSE, TRUNCATED, "routing header without a message text")
    return None


def _markings(
    text: str, header: Header, caption: Caption | None, caption_end: int, zone_text: str,
    subject: str | None, paragraphs: list[Paragraph], marks: list[str],
) -> tuple[str | None, tuple[str, ...], str | None, str | None, list[str]]:
    """(classification, caveats, conflict, highest portion mark, caption-area words): every portion
    mark in text order (header zone, subject, field zone, body) and the classification lines."""
    subject_mark = body_mod.portion_mark(subject) if subject else None
    if subject_mark:
        marks.append(subject_mark)
    if "(" in zone_text:  # "(U) Classified by ...", a marked line before the first paragraph
        marks.extend(m for m in map(body_mod.portion_mark, _ZONE_MARK_RE.findall(zone_text)) if m)
    marks.extend(p.marking for p in paragraphs if p.marking)
    area = _caption_area_markings(text, caption_end) if caption is not None else []
    classification, caveats, conflict = _classification(caption, header, area, marks, _marking_lines(text, caption))
    return classification, caveats, conflict, body_mod.highest_mark(marks), area


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where and when the cable was sent, and its id."""

    station: str | None  # the originating station, from the caption or else the FM line
    name: str | None
    number: str | None
    date: str | None
    datetime: str | None
    id: str | None


def _origin(header: Header, caption: Caption | None) -> _Origin:
    """Origin, number, date and id: the caption gives station and serial (the FM line and the DE serial
    when it does not), the DTG or the dateline the date, and the date's year completes the id
    (``C O N F I D E N T I A L ALMATY 002231`` of 2005 -> ``05ALMATY2231``)."""
    fm_station = station_of_address(header.fm) if header.fm else None
    station = (caption.station if caption else None) or fm_station
    name = name_for_address(header.fm) if header.fm else None
    if name is None and station:
        name = name_for_station(station)
    number = caption.number if caption and caption.number else header.de_serial
    date, dt = header.date, header.datetime
    if date is None and header.dateline_date:
        date, dt = header.dateline_date, header.dateline_datetime
    cable_id = None
    if date is not None and station and number and number.isdigit():
        cable_id = f"{int(date[:4]) % 100:02d}{station_key(station)}{int(number)}"
    return _Origin(station, name, number, date, dt, cable_id)


def _handling(caption: Caption | None, area: list[str], text: str) -> tuple[str, ...]:
    """Handling words of the caption and the caption area; SIPDIS anywhere in the text."""
    handling = [w for w in HANDLING_WORDS if w in (caption.caveats if caption else ()) or w in area]
    if "SIPDIS" not in handling and "SIPDIS" in text:
        handling.insert(0, "SIPDIS")
    return tuple(handling)


def parse_text(text: str) -> Cable | Failure:
    """Parse one cable's text (routing header, caption, fields, body) into a :class:`Cable`."""
    text = _normalize(text)
    marks: list[str] = []  # every portion mark, in text order: header zone, subject, field zone, body
    header, caption, body_start, caption_end = _scan_head(text, marks)
    zone, zone_text = _field_zone(text, caption_end)
    refused = _refusal(text, header, caption, zone, body_start)
    if refused is not None:
        return refused
    found = zone.found
    paragraphs, signer = body_mod.read_paragraphs(text[zone.body_from :])
    subject = fields_mod.parse_subject(found["subject"]) if "subject" in found else None
    classification, caveats, conflict, highest, area = _markings(
        text, header, caption, caption_end, zone_text, subject, paragraphs, marks)
    origin = _origin(header, caption)
    year = int(origin.date[:4]) if origin.date else None
    eo, decl = fields_mod.parse_eo(found["eo"]) if "eo" in found else (None, None)
    by_value = found.get("classified_by") or _classified_by_in_first_paragraph(text, zone.end)
    classified_by, reasons = classified_mod.parse_classified_by(by_value) if by_value else (None, [])
    tags = tagline.parse_tags(found["tags"]) if "tags" in found else []
    references = refs_mod.parse_references(found["ref"], year, origin.id) if "ref" in found else []
    return Cable(
        body=text[body_start:].strip("\n"),
        id=origin.id,
        origin=origin.station,
        origin_name=origin.name,
        number=origin.number,
        date=origin.date,
        datetime=origin.datetime,
        precedence=header.precedence,
        classification=classification,
        caveats=caveats,
        handling=_handling(caption, area, text),
        # a caption without SECTION is a single-section message; the DE line's "/01" only counts without one
        section=caption.section if caption else header.de_section,
        sections=caption.sections if caption else None,
        partial_extract=header.partial_extract,
        recipients=tuple(header.recipients),
        executive_order=eo,
        declassify_on=decl,
        classified_by=classified_by,
        reasons=tuple(reasons),
        tags=tuple(Tag(code=t) for t in tags),
        subject=subject,
        references=tuple(references),
        paragraphs=tuple(paragraphs),
        highest_portion_marking=highest,
        signer=signer,
        source_format=_source_format(text, header),
        classification_conflict=conflict,
    )
