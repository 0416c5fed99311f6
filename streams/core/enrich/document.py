"""The text of one cable prepared for extraction: gazetteer matches, case profile, skipped lines.

Skipped (never a source of entities): the classification caption (``C O N F I D E N T I A L
ALMATY 002231``: its station and number are the cable itself) and the ``TAGS`` and ``E.O. 12958``
lines (codes and declassification dates, not mentions). The tags are enriched separately.

Finders claim the spans of the entities they find (:meth:`Doc.take`); a later finder only looks
at free text (:meth:`Doc.free`), so a word is never two entities.
"""

from __future__ import annotations

import re
from typing import Final

from streams.core.enrich import gazetteer

# Skipped lines are looked for in the first characters only: the caption and the TAGS and E.O.
# lines come before the first paragraph (the longest field zone in the corpus is ~2,500).
HEAD_CHARS: Final = 5000
# A line of the (lower-cased Latin-1) head that may be a TAGS or E.O. line, found by one
# expression behind a line break (a literal it searches fast); a find() a needle scanned 5,000
# bytes each, ~20 us a cable for the six needles.
_SKIP_LINE: Final = re.compile(rb"\n[ \t\xb6]*(tag|e\.o|e\. o|eo 1|eo1)")
_SKIP_START: Final = re.compile(r"(?i)(?:tags?\b|e\.?\s?o\.?\s?1[23]\d{3}|eo\s?1[23]\d{3})")
_CAPTION: Final = re.compile(
    r"\A\s*[^\n]{0,40}?(?:c\s?o\s?n\s?f\s?i|s\s?e\s?c\s?r\s?e\s?t|unclas|limited official)[^\n]*",
    re.IGNORECASE,
)
_HAS_LOWER: Final = re.compile(r"[a-z]")
# A cable whose letters are more than this share lower case has had its names lower-cased too;
# one with more than UPPERCASE_SHARE capitals is an all-capitals telegram.
LOWERCASE_SHARE: Final = 0.97
UPPERCASE_SHARE: Final = 0.90
# Fewer letters than this say nothing about a whole cable being lower-cased.
MIN_PROFILE_LETTERS: Final = 400
# A sample of this many characters from the middle of the body decides the case profile.
PROFILE_SAMPLE: Final = 4000
TAKEN: Final = memoryview(b"\x01" * 65536)


def claimed(occupied: bytearray, start: int, end: int) -> bool:
    """True when a byte of ``occupied[start:end]`` is set: part of [start, end) is an entity.

    ``bytearray.find`` searches in C: ~150-250 ns a call whatever the span's length, where a
    Python loop over the bytes took ~220 ns for 3 bytes and ~1 us for 20 (the loop was written for
    mypyc, which compiled it to native indexing; the stage now runs as pure Python)."""
    return occupied.find(1, start, end) >= 0


def _skip_ranges(text: str, head: bytes) -> list[tuple[int, int]]:
    """The caption line, and every TAGS and E.O. line of the head of the text."""
    spans = []
    cap = _CAPTION.match(text)
    if cap:
        spans.append(cap.span())
    for line in _SKIP_LINE.finditer(b"\n" + head):  # the added line break: the text's first line
        pos = line.start(1) - 1
        if _SKIP_START.match(text, pos):
            end = text.find("\n", pos)
            spans.append((pos, end if end >= 0 else len(text)))
    return sorted(set(spans))


class Doc:
    """One cable's body with its skipped ranges, case profile and gazetteer matches."""

    def __init__(self, text: str, lowercase: bool, uppercase: bool, skips: list[tuple[int, int]], head: bytes) -> None:
        self.text = text
        self.lowercase = lowercase  # the whole text is lower-cased (names too)
        self.uppercase = uppercase  # an all-capitals telegram
        self.skips = skips
        self.head = head  # the first HEAD_CHARS characters, lower-cased Latin-1
        self.raw = b""  # the text as Latin-1 bytes ("?" for other characters), set by Doc.of
        self.classes = b""  # the case class of each of its characters (gazetteer.CASE_CLASSES)
        self.matches: list[gazetteer.Match] = []
        self.by_mask: dict[int, list[gazetteer.Match]] = {}  # see gazetteer.scan
        self._by_category: dict[str, list[gazetteer.Match]] = {}
        self.occupied = bytearray(len(text) + 1)  # 1 where an entity was found
        self._by_start: dict[int, gazetteer.Match] | None = None
        self._upper: dict[int, bool] = {}  # line start -> no lower-case letter

    @classmethod
    def of(cls, text: str) -> Doc:
        raw = text.encode("latin-1", "replace")  # one byte a character: offsets carry over
        mid = max(0, len(raw) // 2 - PROFILE_SAMPLE // 2)
        classes = raw.translate(gazetteer.CASE_CLASSES)
        sample = classes[mid:mid + PROFILE_SAMPLE]
        n_lower = sample.count(gazetteer.LOWER_ASCII)
        n_upper = sample.count(gazetteer.UPPER_ASCII)
        letters = n_lower + n_upper
        lowercase = letters >= MIN_PROFILE_LETTERS and n_lower / letters > LOWERCASE_SHARE
        uppercase = letters > 0 and n_upper / letters > UPPERCASE_SHARE
        head = raw[:HEAD_CHARS].lower()
        doc = cls(text, lowercase, uppercase, _skip_ranges(text, head), head)
        doc.raw = raw
        doc.classes = classes
        doc.matches, doc.by_mask = gazetteer.scan(text, lowercase, doc.skips, raw, classes=classes)
        return doc

    def of_category(self, category: str) -> list[gazetteer.Match]:
        """The matches with a reading in ``category`` (see :mod:`streams.core.enrich.gazetteer`)."""
        found = self._by_category.get(category)
        if found is None:
            found = self._by_category[category] = gazetteer.of_category(self.by_mask, category)
        return found

    @property
    def by_start(self) -> dict[int, gazetteer.Match]:
        """Matches by start offset (built on first use)."""
        if self._by_start is None:
            self._by_start = {m.start: m for m in self.matches}
        return self._by_start

    def skipped(self, pos: int) -> bool:
        """True when ``pos`` is inside a skipped line."""
        for a, b in self.skips:
            if a <= pos < b:
                return True
            if a > pos:
                return False
        return False

    def upper_line(self, pos: int) -> bool:
        """True when the line around ``pos`` has no lower-case letter (subject lines, old cables)."""
        if self.uppercase:
            return True
        start = self.text.rfind("\n", 0, pos) + 1
        upper = self._upper.get(start)
        if upper is None:
            end = self.text.find("\n", pos)
            upper = _HAS_LOWER.search(self.text, start, end if end >= 0 else len(self.text)) is None
            self._upper[start] = upper
        return upper

    def free(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps no span already claimed by an entity."""
        return not claimed(self.occupied, start, end)

    def take(self, start: int, end: int) -> None:
        """Claim [start, end) for an entity."""
        self.occupied[start:end] = TAKEN[:end - start]
