"""Classification markings read from the raw cable text, independently of the parser.

Defence in depth: the parser reads the header classification and the portion marks it
understands; this reader reads the same decoded text again with its own, wider grammar, and
the router takes the highest of both. It never lowers anything: it only adds levels, or says
that a marking could not be read (the cable then goes to quarantine, reason
:data:`streams.vocab.UNKNOWN_MARKING`).

Before reading, the text is normalised (:func:`normalise`): Unicode NFKC; every line-break
character Python's ``str.splitlines()`` knows (``\\r\\n``, ``\\r``, ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``,
``\\x85``, U+2028, U+2029) becomes ``\\n``; format characters (category Cf: zero-width spaces and
joiners, soft hyphens, bidi controls ...), combining marks and stray control characters are
removed and counted; look-alike letters (Cyrillic, Greek, Armenian, Cherokee, Lisu, Coptic,
small capitals, accented Latin) are mapped to the Latin letter they imitate in a *skeleton* of
the text, which is what the grammar reads. A mark whose skeleton differs from the text itself
holds a look-alike letter: it counts at its level and is also reported as unknown.

What is read (case-insensitive, on the skeleton):

- parenthesised marks at a paragraph start, after any prefix: ``¶``, paragraph numbers of any
  width (``1234. (S)``), lettered subparagraphs (``A. (S)``, ``a) (S)``, ``(A) (S)``), bullets
  (``--``, ``-``, ``*``, ``•``), and in the subject line (``SUBJECT: (S//NF) ...``);
- inside the parentheses: a level (``TS``, ``S``, ``C``, ``U``, ``SBU``, ``FOUO``, ``LOU``, ``CUI``,
  or spelled out: ``TOP SECRET``, ``SECRET``, ``CONFIDENTIAL``, ``UNCLASSIFIED``, ``SENSITIVE BUT
  UNCLASSIFIED``, ``FOR OFFICIAL USE ONLY``, ``LIMITED OFFICIAL USE``) followed by dissemination
  controls and compartments (``NF``, ``NOFORN``, ``REL TO USA, FVEY``, ``ORCON``, ``SCI``, ``SI``,
  ``TK`` ...) with any separator (``/``, ``//``, ``-``, space, ``,``, ``.``, ``\\``, ``|`` ...) and any
  spacing (``( S )``, ``(S E C R E T)``); the level is the highest level word in the mark;
- ``<LEVEL> - ENTIRE TEXT`` banners anywhere;
- classification lines: a level word alone on its line (plain or letter-spaced), with
  ``//`` caveats, ``SECTION nn OF nn``, ``PAGE nn ...`` (page markers) or a station and number
  after it; ``CLASSIFICATION: <LEVEL>`` lines; the ``ZNY SSSSS`` / ``ZNY CCCCC`` header line.

Anything that looks like a marking but is not one of these (a parenthesised group at a
paragraph start whose first word is a level letter or word, or that holds a level word or a
dissemination control, but which does not parse; a look-alike letter in a mark; a short
group of non-Latin letters) is *unknown*. A single ``(C)``/``(S)``/``(U)`` that may be the next
item of a lettered list (``(B)`` came before it) is *ambiguous*: the router quarantines the
cable when such a letter is above the level it would otherwise choose.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

from streams.core import classification as cls
from streams.vocab import CONFIDENTIAL, CONTROLLED, SECRET, TOP_SECRET, UNCLASSIFIED

# --- Normalisation -------------------------------------------------------------------------

# Characters str.splitlines() (and other readers) treat as line breaks; "\r\n" is folded first.
LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# ASCII control characters other than tab and LF, and the ASCII line breaks: what the ASCII
# characters of a text may need (most cables have none, so the text is then left as it is).
_ASCII_SPECIAL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters that may need mapping: the ASCII specials and every non-ASCII character.
_SPECIAL_RE = re.compile(r"[^\t\n\x20-\x7e]")
# Bidirectional embeddings, overrides and isolates: "(\u202eFN/S)" displays as "(S/NF)".
BIDI_REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Look-alike letters NFKC leaves alone, mapped to the Latin letter they imitate (script by script).
_LOOK_ALIKE_PAIRS = (
    ("АВСЕНІЈКМОРЅТХУҮԚԜ", "ABCEHIJKMOPSTXYYQW"),  # Cyrillic capitals
    ("асеіјорѕхуԁһԛԝѵү", "aceijopsxydhqwvy"),  # Cyrillic small letters
    ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹ", "ABEZHIKMNOPTYXC"),  # Greek capitals
    ("οιϲνυκ", "oicvuk"),  # Greek small letters
    ("ՍՏՕսօ", "USOuo"),  # Armenian
    ("ᏚᎢᏟᎪᎬᎻᏦᎷᏒᏴ", "STCAEHKMRB"),  # Cherokee
    ("ꓢꓚꓔꓴꓮꓐꓓꓰꓝꓖꓧꓲꓙꓗꓡꓟꓠꓳꓑꓣꓦꓪꓫꓬꓜ", "SCTUABDEFGHIJKLMNOPRVWXYZ"),  # Lisu
    ("ⲤⲥⲦⲞⲟ", "CcTOo"),  # Coptic
    ("ꜱᴛᴄᴜᴏꜰɴʀᴇᴅᴀʙɢʜɪᴊᴋʟᴍᴘᴡʏᴢ", "stcuofnredabghijklmpwyz"),  # Latin small capitals
    ("ı", "i"),  # dotless i
)
_LOOK_ALIKES = {k: v for fakes, latin in _LOOK_ALIKE_PAIRS for k, v in zip(fakes, latin, strict=True)}
# NFKC runs first and turns some look-alikes into other letters (lunate sigma "Ϲ" -> "Σ"): map those too.
_LOOK_ALIKES.update(
    {unicodedata.normalize("NFKC", k): v for k, v in list(_LOOK_ALIKES.items()) if unicodedata.normalize("NFKC", k) != k}
)
# Punctuation variants that carry the same meaning in a mark (mapped in the text and the skeleton).
_PUNCTUATION = {
    **dict.fromkeys("‐‑‒–—―−⁃﹘﹣", "-"),
    **dict.fromkeys("⁄∕⧸", "/"),
    **dict.fromkeys("⧹", "\\"),
    **dict.fromkeys("❨❪⟮⦅⸨[{", "("),
    **dict.fromkeys("❩❫⟯⦆⸩]}", ")"),
}


@dataclass(frozen=True, slots=True)
class Normalised:
    """The text as read: ``text`` (NFKC, line breaks, invisible characters removed) and its
    ``skeleton`` (look-alike letters mapped to Latin), of equal length and aligned."""

    text: str
    skeleton: str
    removed: int  # format, combining and control characters removed
    reordering: int = 0  # of which bidirectional embeddings, overrides and isolates


@functools.lru_cache(maxsize=8192)  # a cable has a few distinct special characters; bounded: the text is untrusted
def _char_map(ch: str) -> tuple[str, str]:
    """(replacement in the text, replacement in the skeleton) of one character; "" removes it."""
    if ch in LINE_BREAKS:
        return "\n", "\n"
    if ch in _PUNCTUATION:
        return _PUNCTUATION[ch], _PUNCTUATION[ch]
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me", "Cc", "Cs", "Co", "Cn"):
        return "", ""
    if cat == "Zs":
        return " ", " "
    if ch in _LOOK_ALIKES:
        return ch, _LOOK_ALIKES[ch]
    if cat.startswith("L"):  # an accented Latin letter imitates its base letter
        base = unicodedata.normalize("NFKD", ch)[:1]
        if base.isascii() and base.isalpha():
            return ch, base
    return ch, ch


# What _SPECIAL_RE does not match: deleted from the UTF-8 bytes, the rest decodes to the special
# characters (multi-byte sequences have no byte below 0x80, so they come through whole).
_PLAIN_ASCII_BYTES = b"\t\n" + bytes(range(0x20, 0x7F))


def _specials(text: str) -> set[str]:
    """The distinct characters of ``text`` that :data:`_SPECIAL_RE` matches, found in C (bytes
    translate: ~10 us on a 10 KB cable, where ``findall`` with the negated class takes ~45 us)."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII_BYTES)
    return set(rest.decode("utf-8", "surrogatepass"))


def normalise(raw: str) -> Normalised:
    """NFKC, one line-break character, invisible characters removed, and the look-alike skeleton.

    Only the characters that change are visited: a plain ASCII cable costs one NFKC call
    and one regular-expression scan."""
    text = unicodedata.normalize("NFKC", raw.replace("\r\n", "\n"))
    if text.isascii() and not _ASCII_SPECIAL_RE.search(text):
        return Normalised(text, text, 0)
    mapping = {ch: _char_map(ch) for ch in _specials(text)}
    changed = {ch: m for ch, m in mapping.items() if m != (ch, ch)}
    if not changed:
        return Normalised(text, text, 0)
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in changed) + "]")
    out = pattern.sub(lambda m: changed[m.group()][0], text)
    skeleton = pattern.sub(lambda m: changed[m.group()][1], text)
    reordering = sum(text.count(ch) for ch in changed if ch in BIDI_REORDERING)
    return Normalised(out, skeleton, len(text) - len(out), reordering)


# --- Mark vocabulary -------------------------------------------------------------------------

# Level words and phrases inside a mark (tokens, upper case), longest first.
_LEVEL_PHRASES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("SENSITIVE", "BUT", "UNCLASSIFIED"), CONTROLLED, "SBU"),
    (("FOR", "OFFICIAL", "USE", "ONLY"), CONTROLLED, "FOUO"),
    (("LIMITED", "OFFICIAL", "USE"), CONTROLLED, "LOU"),
    (("TOP", "SECRET"), TOP_SECRET, "TS"),
    (("TOPSECRET",), TOP_SECRET, "TS"),
    (("TS",), TOP_SECRET, "TS"),
    (("SECRET",), SECRET, "S"),
    (("S",), SECRET, "S"),
    (("CONFIDENTIAL",), CONFIDENTIAL, "C"),
    (("C",), CONFIDENTIAL, "C"),
    (("UNCLASSIFIED",), UNCLASSIFIED, "U"),
    (("UNCLAS",), UNCLASSIFIED, "U"),
    (("U",), UNCLASSIFIED, "U"),
    (("SBU",), CONTROLLED, "SBU"),
    (("FOUO",), CONTROLLED, "FOUO"),
    (("LOU",), CONTROLLED, "LOU"),
    (("CUI",), CONTROLLED, "CUI"),
    (("LES",), CONTROLLED, "LES"),
    (("SENSITIVE",), CONTROLLED, "SBU"),
)
# Dissemination controls, handling caveats and SCI compartments: allowed after a level.
DISSEMINATION = frozenset(
    "NF NOFORN ORCON OC NOCONTRACT NOCON PROPIN PR FGI RELIDO REL EXDIS NODIS LIMDIS STADIS SIPDIS "
    "SCI SI TK HCS G GAMMA KDK RSV SAR SAP RD FRD CNWDI WNINTEL IMCON DSEN FISA EYES ONLY DISPLAY "
    "EFTO NATO COSMIC ATOMAL".split()
)
# Names in a REL TO list that are also controls of their own.
_RELEASABLE = frozenset({"NATO"})
# Words that make a parenthesised group marking-like although nothing else in it is a level.
_MARKING_WORDS = frozenset(
    "TS SECRET TOPSECRET CONFIDENTIAL UNCLASSIFIED UNCLAS CLASSIFIED RESTRICTED SBU FOUO LOU CUI "
    "NOFORN ORCON NOCONTRACT PROPIN RELIDO SCI FGI".split()
)
# Controls that only ever qualify a classified level: alone, they are a mark missing its level.
_NEEDS_LEVEL = frozenset("NF NOFORN ORCON REL RELIDO NOCONTRACT PROPIN FGI SCI TK HCS".split())
_GLUED_RE = re.compile(r"(TS|S|C|U)(NF|NOFORN)")  # "(SNF)", "(CNOFORN)"
_SPLIT_RE = re.compile(r"[^A-Z0-9]+")
_SPACED_RE = re.compile(r"(?:[A-Z] ){2,}[A-Z]")
# Not marks although they start like one: dotted initials ("(U.S. Forces in Korea)") and INR
# tasking numbers under a subject ("(C-RE8-02675)").
_NOT_MARK_RE = re.compile(r"[ \t]*(?:(?:[A-Z]\.){2,}|[A-Z]-[A-Z]{2}\d-\d{4,6}[ \t]*$)", re.I)


@dataclass(frozen=True, slots=True)
class GroupReading:
    """What one parenthesised group says: a mark (level and canonical spelling), an unknown
    marking-like group, or nothing."""

    kind: str  # "mark" | "unknown" | "none"
    level: str | None = None
    canonical: str | None = None


_NONE = GroupReading("none")


def _tokens(content: str) -> list[str]:
    s = " ".join(content.upper().split())
    if _SPACED_RE.fullmatch(s):
        s = s.replace(" ", "")  # "S E C R E T"
    return [t for t in _SPLIT_RE.split(s) if t]


# The level phrases by their first token, in the order of _LEVEL_PHRASES (most tokens of a group
# start none: one dict look-up instead of comparing ~19 phrases).
_LEVEL_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
for _phrase in _LEVEL_PHRASES:
    _LEVEL_PHRASES_BY_FIRST.setdefault(_phrase[0][0], []).append(_phrase)
del _phrase


def _level_at(tokens: list[str], i: int) -> tuple[int, str, str] | None:
    """(tokens consumed, level, abbreviation) of a level phrase starting at ``tokens[i]``."""
    for phrase, level, abbr in _LEVEL_PHRASES_BY_FIRST.get(tokens[i], ()):
        if len(phrase) == 1 or tuple(tokens[i : i + len(phrase)]) == phrase:
            return len(phrase), level, abbr
    m = _GLUED_RE.fullmatch(tokens[i])
    if m:
        return 1, cls.PORTION_BASE[m.group(1)], f"{m.group(1)}//NF"
    return None


def _parse_tokens(tokens: list[str]) -> tuple[list[str], list[str], bool]:
    """(levels, canonical parts, fully understood) of a mark's tokens."""
    levels: list[str] = []
    parts: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        hit = _level_at(tokens, i)
        if hit is not None:
            used, level, abbr = hit
            levels.append(level)
            parts.append(abbr)
            i += used
        elif tokens[i] == "REL":
            i += 2 if i + 1 < n and tokens[i + 1] == "TO" else 1
            codes = []
            while i < n and tokens[i].isalpha() and (tokens[i] not in DISSEMINATION or tokens[i] in _RELEASABLE):
                if _level_at(tokens, i) is not None:
                    break
                codes.append(tokens[i])
                i += 1
            parts.append("REL TO " + ", ".join(codes))
        elif tokens[i] in DISSEMINATION:
            parts.append(tokens[i])
            i += 1
        else:
            return levels, parts, False
    return levels, parts, True


@functools.lru_cache(maxsize=4096)  # few distinct groups ("C", "S/NF", "U"); bounded: the text is untrusted
def read_group(content: str) -> GroupReading:
    """Read the inside of one parenthesised group at a paragraph start (``S//NF``, ``TOP SECRET``)."""
    if _NOT_MARK_RE.match(content):
        return _NONE
    tokens = _tokens(content)
    if not tokens:
        return _NONE
    levels, parts, understood = _parse_tokens(tokens)
    starts_with_level = _level_at(tokens, 0) is not None
    if understood and starts_with_level:
        return GroupReading("mark", cls.highest(levels), "(" + "//".join(parts) + ")")
    if starts_with_level or not _MARKING_WORDS.isdisjoint(tokens):
        return GroupReading("unknown", cls.highest(levels))
    if understood and not _NEEDS_LEVEL.isdisjoint(tokens):  # "(NF)", "(REL TO USA)": no level
        return GroupReading("unknown")
    return _NONE


# --- Where marks are read --------------------------------------------------------------------


def _spaced(phrase: str) -> str:
    """A pattern for ``phrase`` written plain, letter-spaced (``S E C R E T``, ``S.E.C.R.E.T``,
    ``S-E-C-R-E-T``) or run together."""
    return "[ \t._*-]*".join("[ \t._*-]?".join(re.escape(ch) for ch in word) for word in phrase.split())


# Level words of classification lines and banners, longest first; value: level.
_LINE_LEVELS = {
    "TOP SECRET": TOP_SECRET,
    "SECRET": SECRET,
    "CONFIDENTIAL": CONFIDENTIAL,
    "LIMITED OFFICIAL USE": CONTROLLED,
    "SENSITIVE BUT UNCLASSIFIED": CONTROLLED,
    "FOR OFFICIAL USE ONLY": CONTROLLED,
    "UNCLASSIFIED": UNCLASSIFIED,
    "UNCLAS": UNCLASSIFIED,
    "SBU": CONTROLLED,
}
_LEVEL_ALT = "|".join(_spaced(p) for p in _LINE_LEVELS)
_GROUP_CHARS = 120  # "(TOP SECRET//SI/TK//REL TO USA, AUS, CAN, GBR, NZL)" and longer fit
_GROUPS = r"(?P<groups>(?:\([^()]{1,%d}\)[ \t]*)+)" % _GROUP_CHARS
# Before a paragraph's marks: paragraph and section signs, bullets, a table bar, an opening quote
# (a quoted paragraph), numbers of any width, roman numerals, letters ("A.", "a)"), a subject keyword.
_PREFIX = (
    r"(?P<prefix>(?>[ \t]*(?:(?:[¶§>*•·▪◦‣●■►▶→∙⁃|\"'“‘«]|[o+](?=[ \t])|-{1,3}|\d+[ \t]*[.):]?|[IVX]{1,6}[.)]"
    r"|[A-Z][.)]|SUBJ(?:ECT)?[ \t]*[-:.]?)[ \t]*)*))"
)
# Line-start patterns begin with a literal newline (the text read is prefixed with one) so that
# the engine scans for it at C speed instead of trying "^" at every character.
# A prefix that makes a paragraph (numbered "1.", "12)", lettered "A.", a subject): its (C) is a mark,
# never the next item of a lettered list; after a bare line start, a bullet or bare digits it may be.
_NUMBERED_RE = re.compile(r"\d[ \t]*[.):]|(?<![A-Z])[A-Z][.)]|SUBJ", re.I)
_PARAGRAPH_RE = re.compile(r"\n" + _PREFIX + _GROUPS, re.I)
# The subject's mark after other text on its line ("Tags: ... Subject: (C) ..."); at a line
# start the paragraph prefix reads it.
_SUBJECT_FIND_RE = re.compile(rb"SUBJ")  # searched in the upper-cased skeleton (see _upper_latin1): a literal scan
_SUBJECT_RE = re.compile(r"SUBJ(?:ECT)?[ \t]*[-:.]?[ \t]*" + _GROUPS, re.I)
_GROUP_RE = re.compile(r"\(([^()]{1,%d})\)" % _GROUP_CHARS)
# A group inside a line after white space (a run-together paragraph: "... he said. (S//NF) The ...").
_INLINE_RE = re.compile(r"\((?P<c>[^()\n]{1,%d})\)" % _GROUP_CHARS)  # starts with a literal: a fast scan
_SENTENCE_END = frozenset(".!?:\"”")
_LEAD_CHARS = 8  # white space looked through back to the end of the previous sentence
# "SECRET - ENTIRE TEXT": found by its tail, then the level is read backwards from it.
_ENTIRE_TEXT_RE = re.compile(rb"ENTIRE[ \t]+TEXT")  # searched in the upper-cased skeleton; then a word boundary
_WORD_CHAR_RE = re.compile(r"\w")
_BANNER_RE = re.compile(
    r"(?<![A-Z])(?P<lvl>" + _LEVEL_ALT + r")(?:[ \t]*/{1,2}[ \t]*[A-Z][A-Z ,]{0,30}?)*[ \t]*(?:[-:;,.][ \t]*)*\Z", re.I
)
_BANNER_LOOKBACK_CHARS = 100  # "T O P  S E C R E T//NOFORN  -  " fits
# A classification line, a "CLASSIFICATION: <LEVEL>" line or the ZNY line, in one pass. The
# look-ahead holds the first letters of every branch (T, S, C, L, F, U of the levels, C, Z): most
# lines fail there at once instead of in each of the eleven branches (~20 -> ~12 us a cable).
_LINE_FIRST_LETTERS = "TSCLFUZ"
_LINE_RE = re.compile(
    r"\n[ \t¶]*(?=[" + _LINE_FIRST_LETTERS + r"])(?:(?P<lvl>" + _LEVEL_ALT + r")(?![A-Z])(?P<rest>[^\n]{0,100})(?=\n|\Z)"
    r"|CLASSIFICATION[ \t]*:[ \t]*(?P<clvl>" + _LEVEL_ALT + r")(?![A-Z])"
    r"|ZNY[ \t]+(?P<z>SSSSS|CCCCC|TTTTT)\b)",
    re.I,
)
_ZNY_LEVELS = {"SSSSS": SECRET, "CCCCC": CONFIDENTIAL, "TTTTT": TOP_SECRET}
# After a plain level word, what makes its line a classification line rather than prose.
_LINE_REST_RE = re.compile(
    r"(?:/|SECTION\b|PAGE\b|(?:NOFORN|NF|SIPDIS|NODIS|EXDIS|LIMDIS|ORCON|SENSITIVE|SBU|FOUO|EFTO)\b)", re.I
)
_CONTROLLED_REST_RE = re.compile(
    r"\b(?:SENSITIVE|SBU|FOUO|LES|FOR[ \t]+OFFICIAL[ \t]+USE|LIMITED[ \t]+OFFICIAL[ \t]+USE)\b", re.I
)
_STATION_NUMBER_RE = re.compile(r"[A-Z][A-Z .'-]{1,30}[ \t]+\d{2,7}")  # "STATE 015220", "ANKARA 000123"
_COPYRIGHT_AFTER_RE = re.compile(r"[ \t]*(?:(?:19|20)\d\d\b|copyright\b)", re.I)
# A cable reference right after a list letter: "(C) State 240015", "(C) 08 STATE 134386".
_REFERENCE_AFTER_RE = re.compile(r"[ \t]*(?:\d{2}[ \t]+)?[A-Z][A-Za-z .'-]{1,30}?[ \t]+\d{2,7}\b")
_PREVIOUS_LETTER = {"C": "B", "S": "R", "U": "T"}
_LIST_LOOKBACK_CHARS = 3_000  # a lettered list's previous item is close by
_NON_LATIN_GROUP_CHARS = 12  # a short group of non-Latin letters at a paragraph start may hide a mark


@dataclass(frozen=True, slots=True)
class Reading:
    """The markings read from one cable's text.

    ``level`` is the highest level of every mark read (None when there is none); ``marks`` the
    marks as read, canonical and de-duplicated, in text order; ``unknown`` what looked like a
    marking but could not be read (the router quarantines); ``ambiguous`` (canonical, level)
    of single letters that may be list items; ``removed`` how many invisible characters
    (format, combining, control) the normalisation removed."""

    level: str | None
    marks: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    ambiguous: tuple[tuple[str, str], ...] = ()
    removed: int = 0


class _Collector:
    """Accumulates marks while the text is scanned; one per :func:`read_markings` call."""

    def __init__(self, norm: Normalised) -> None:
        self.norm = norm
        self.levels: list[str] = []
        self.marks: dict[str, None] = {}
        self.unknown: dict[str, None] = {}
        self.ambiguous: dict[tuple[str, str], None] = {}
        self.list_letters: dict[str, list[int]] | None = None  # built on first need

    def add(self, span: tuple[int, int], level: str | None, canonical: str) -> None:
        """Record a mark read at ``span`` of the skeleton; a look-alike letter in it makes it unknown too."""
        if level is not None:
            self.levels.append(level)
        self.marks[canonical] = None
        start, end = span
        norm = self.norm
        if norm.text is not norm.skeleton and norm.text[start:end] != norm.skeleton[start:end]:
            self.unknown[f"look-alike letter in {canonical}"] = None

    def add_unknown(self, span: tuple[int, int], level: str | None) -> None:
        """Record a marking-like text that could not be read (its level, if any, still counts)."""
        if level is not None:
            self.levels.append(level)
        self.unknown[self.norm.text[span[0] : span[1]][:40]] = None

    def reading(self) -> Reading:
        return Reading(
            level=cls.highest(self.levels),
            marks=tuple(self.marks),
            unknown=tuple(self.unknown),
            ambiguous=tuple(self.ambiguous),
            removed=self.norm.removed,
        )


# Two expressions, each starting with a literal the engine scans for at C speed (one alternation of
# both took ~4x as long: it tried every position of the text).
_LIST_LETTER_RES = (re.compile(r"\([ \t]*([BRTbrt])[ \t]*\)"), re.compile(r"\n[ \t¶]*([BRTbrt])[.)]"))


def _list_letters(skeleton: str) -> dict[str, list[int]]:
    """Offsets of the list items (B), (R), (T) (or "B." at a line start), by upper-case letter, ascending."""
    out: dict[str, list[int]] = {"B": [], "R": [], "T": []}
    for pattern in _LIST_LETTER_RES:
        for m in pattern.finditer(skeleton):
            out[m.group(1).upper()].append(m.start())
    for offsets in out.values():
        offsets.sort()
    return out


def _is_list_item(col: _Collector, start: int, end: int, letter: str) -> bool:
    """True when the single letter ``(C)`` at ``start`` may be the next item of a lettered list:
    the previous letter was a list item shortly before, or a letter follows the group (``(s)he``)."""
    skeleton = col.norm.skeleton
    if end < len(skeleton) and skeleton[end].isalpha():
        return True
    prev = _PREVIOUS_LETTER.get(letter)
    if prev is None:
        return False
    if col.list_letters is None:
        col.list_letters = _list_letters(skeleton)
    offsets = col.list_letters[prev]
    i = bisect.bisect_left(offsets, start) - 1
    return i >= 0 and start - offsets[i] <= _LIST_LOOKBACK_CHARS


def _read_groups(col: _Collector, m: re.Match[str], may_be_list: bool) -> None:
    """Read every parenthesised group of a paragraph start (or subject) match."""
    skeleton = col.norm.skeleton
    for i, g in enumerate(_GROUP_RE.finditer(skeleton, *m.span("groups"))):
        content = g.group(1)
        if not content.isascii() and len(content.strip()) <= _NON_LATIN_GROUP_CHARS and any(
            not ch.isascii() and ch.isalpha() for ch in content
        ):
            col.add_unknown(g.span(), None)
            continue
        found = read_group(content)
        if found.kind == "unknown":
            col.add_unknown(g.span(), found.level)
        elif found.kind == "mark":
            letter = content.strip().upper()
            if letter == "C" and _COPYRIGHT_AFTER_RE.match(skeleton, g.end()):
                continue  # "(c) 2009 Agence France-Presse": a copyright line of a press item
            if may_be_list and i == 0 and len(letter) == 1 and _is_list_item(col, g.start(), g.end(), letter):
                if not _REFERENCE_AFTER_RE.match(skeleton, g.end()):  # "(C) State 240015": a REF item
                    col.ambiguous[(found.canonical or letter, found.level or UNCLASSIFIED)] = None
            else:
                col.add(g.span(), found.level, found.canonical or content)


def _read_inline(col: _Collector, skeleton: str) -> None:
    """Marks inside a line, after white space (never glued to a word: ``paper(s)``). A single
    letter or a lower-case word counts only after the end of a sentence (``said. (S) The``, not
    ``a (secret) meeting``); a single letter after a list's previous letter is ambiguous."""
    for m in _INLINE_RE.finditer(skeleton):
        start = m.start()
        if start == 0 or skeleton[start - 1] not in " \t":
            continue
        content = m.group("c")
        found = read_group(content)
        if found.kind != "mark":
            continue
        word = content.strip()
        if len(word) == 1 or (word.isalpha() and word.islower()):
            lead = skeleton[max(0, start - _LEAD_CHARS) : start].rstrip(" \t")
            if not lead or lead[-1] not in _SENTENCE_END:
                continue
            if len(word) == 1 and _is_list_item(col, start, m.end(), word.upper()):
                col.ambiguous[(found.canonical or word, found.level or UNCLASSIFIED)] = None
                continue
        col.add(m.span(), found.level, found.canonical or content)


def _line_level(m: re.Match[str], text: str) -> str | None:
    """The level of a classification-line match, or None when the line is prose."""
    written = " ".join(m.group("lvl").upper().split())
    level = _LINE_LEVELS.get(written)
    rest = m.group("rest").strip()
    if level is None:  # letter-spaced or garbled ("S E C R E T", "C ONFIDENTIAL"): never prose
        level = _squeezed_level(written)
    elif rest and not _LINE_REST_RE.match(rest) and not _STATION_NUMBER_RE.fullmatch(
        text[m.start("rest") : m.end("rest")].strip()
    ):
        return None
    if level == UNCLASSIFIED and _CONTROLLED_REST_RE.search(rest):
        level = CONTROLLED
    return level


def _level_name(level: str) -> str:
    return level.upper().replace("-", " ")


def _read_lines(col: _Collector, skeleton: str) -> None:
    """Classification lines, ``CLASSIFICATION:`` lines and the ZNY line."""
    for m in _LINE_RE.finditer(skeleton):
        if m.group("z"):
            col.add(m.span("z"), _ZNY_LEVELS[m.group("z").upper()], f"ZNY {m.group('z').upper()}")
        elif m.group("clvl"):
            level = _squeezed_level(m.group("clvl"))
            col.add(m.span("clvl"), level, f"CLASSIFICATION: {_level_name(level)}")
        else:
            level = _line_level(m, skeleton)
            if level is not None:
                col.add(m.span("lvl"), level, f"{_level_name(level)} (classification line)")


def _upper_latin1(skeleton: str) -> bytes:
    """The skeleton upper-cased for the literal searches of the ASCII words ``SUBJ`` and ``ENTIRE TEXT``,
    as Latin-1 bytes (one byte a character: offsets carry over; other characters are ``?``).

    Only ASCII letters are upper-cased, which finds the same words as ``str.upper()`` (~25 us on a
    10 KB cable, against ~8 us): the only other characters whose capital is an ASCII letter are
    ``ı`` and ``ſ``, and the skeleton holds neither (NFKC makes ``ſ`` an ``s``, ``ı`` is a look-alike
    of ``i``; ``tests/core/test_markings.py`` checks both)."""
    return skeleton.encode("latin-1", "replace").upper()


def _word_char_after(skeleton: str, end: int) -> bool:
    """True when the upper-cased character at ``end`` is a word character (no ``\\b`` there)."""
    if end >= len(skeleton):
        return False
    ch = skeleton[end]
    up = ch.upper()
    return _WORD_CHAR_RE.match(up if len(up) == 1 else ch) is not None


def _read_banners(col: _Collector, skeleton: str, upper: bytes) -> None:
    """``<LEVEL> - ENTIRE TEXT`` banners, found by their tail in the upper-cased skeleton."""
    for t in _ENTIRE_TEXT_RE.finditer(upper):
        if _word_char_after(skeleton, t.end()):
            continue  # "ENTIRE TEXTS": not the banner's last word
        m = _BANNER_RE.search(skeleton, max(0, t.start() - _BANNER_LOOKBACK_CHARS), t.start())
        if m:
            level = _squeezed_level(m.group("lvl"))
            col.add((m.start(), t.end()), level, f"{_level_name(level)} - ENTIRE TEXT")


def read_markings(raw: str) -> Reading:
    """Every classification marking of the cable text ``raw``, read independently of the parser."""
    norm = normalise("\n" + raw)  # line patterns start with "\n": the first line is a line too
    skeleton = norm.skeleton
    col = _Collector(norm)
    for m in _PARAGRAPH_RE.finditer(skeleton):
        _read_groups(col, m, may_be_list=not _NUMBERED_RE.search(m.group("prefix")))
    upper = _upper_latin1(skeleton)
    for f in _SUBJECT_FIND_RE.finditer(upper):
        m = _SUBJECT_RE.match(skeleton, f.start())
        if m:
            _read_groups(col, m, may_be_list=False)
    _read_inline(col, skeleton)
    _read_banners(col, skeleton, upper)
    _read_lines(col, skeleton)
    if norm.reordering:  # what a reader sees is not what is read: never trust the marks
        col.unknown[f"{norm.reordering} bidirectional override character(s)"] = None
    return col.reading()


def _squeezed_level(written: str) -> str:
    """The level of a level phrase however it is spaced (the patterns only match known phrases)."""
    squeezed = re.sub(r"[^A-Z]", "", written.upper())
    return next(lv for p, lv in _LINE_LEVELS.items() if p.replace(" ", "") == squeezed)
