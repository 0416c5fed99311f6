"""The TAGS line: the cable's subject, program, country, organisation and person tags, in order.

Conventions (the ones cablemap's tests pin, read as rules, not as cases):

- codes are separated by commas, semicolons or blanks; ``[KNNP](#)`` markdown links are plain codes;
- a person tag in parentheses is a tag of its own: ``OVIP (STEINBERG, JAMES B.)`` -> ``OVIP`` and
  ``STEINBERG, JAMES B.``; known person tags written without their comma are normalised
  (``CLINTON HILLARY`` -> ``CLINTON, HILLARY``), and two unknown words right after ``OVIP`` are a
  person (``OVIP BIDEN JOSEPH`` -> ``BIDEN, JOSEPH``);
- codes run together are split when they are all known codes (``ETRDEINVECINPGOVCS``, ``VEPREL``);
- a run of unknown words in a blank-separated line is one free-text tag (``MEDIA REACTION REPORT``);
- continuation lines are followed when the line before ends with a comma or they are written in
  capitals like the codes (``... KU COUNTRY`` / ``CLEARANCE``); lower-case text after the line is not
  part of it;
- page markers of old telegrams that the copy ran into the line (``UNCLASSIFIED PAGE 02 ROME 01059
  01 OF 04 281501Z``) are dropped, and so are repeated codes.

The code vocabulary is the enrichment's TAGS dictionary (``streams/core/enrich/data/tags.tsv``,
read as a file: no enrichment code is imported).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from streams.core.parse.fields import first_block

_VOCABULARY = Path(__file__).resolve().parents[1] / "enrich" / "data" / "tags.tsv"
_PROGRAM_RE = re.compile(r"K[A-Z]{3}")
# Person tags as they are written without their comma, and the form the TAGS index uses.
KNOWN_PERSON_TAGS = {
    "CLINTON HILLARY": "CLINTON, HILLARY", "STEINBERG JAMES": "STEINBERG, JAMES B.",
    "STEINBERG JAMES B.": "STEINBERG, JAMES B.", "BIDEN JOSEPH": "BIDEN, JOSEPH",
    "ZOELLICK ROBERT": "ZOELLICK, ROBERT", "RICE CONDOLEEZZA": "RICE, CONDOLEEZZA",
}
# Misspelt codes seen on real TAGS lines, and their codes.
KNOWN_MISSPELLINGS: dict[str, tuple[str, ...]] = {
    "MOPPS": ("MOPS",), "POGOV": ("PGOV",), "UNDESCO": ("UNESCO",), "SYR": ("SY",),
    "COUNTER TERRORISM": ("COUNTERTERRORISM",), "POLMIL": ("POL", "MIL"),
}
PERSON_PROGRAMS = frozenset({"OVIP"})  # program tags followed by the visitor's name
MIN_PHRASE_WORD = 5  # unknown words this long are words of a free-text tag; shorter ones are codes
_MD_LINK_RE = re.compile(r"\[([^\]\n]{1,80})\]\([^)\n]{0,200}\)")
_PAREN_RE = re.compile(r"\(([^()\n]{1,80})\)")
_PAGE_MARKER_RE = re.compile(
    r"(?:\b(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?\bPAGE\s+\d{2,3}\s+[A-Z]+"
    r"(?:\s+[A-Z]+)?\s+\d{4,6}(?:\s+\d\d\s+OF\s+\d\d)?\s+\d{6}Z"
    r"|\b[A-Z]+ 0\d{7} \d{3}(?:\.\d)? OF \d{3}\b")  # "BAKU 00000478 001.2 OF 003"
_TAG_STRIP = " \t\u00a0.:;,*"


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every known TAGS code (empty when the dictionary file is not installed)."""
    try:
        with _VOCABULARY.open(encoding="utf-8", newline="") as fh:
            return frozenset(r["code"].upper() for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError:
        return frozenset()


def is_code(word: str) -> bool:
    """A known code, or a program tag by its form (``K`` + three letters)."""
    return word in vocabulary() or bool(_PROGRAM_RE.fullmatch(word))


@lru_cache(maxsize=1024)
def split_glued(word: str) -> tuple[str, ...] | None:
    """Known codes run together (``ETRDEINVECINPGOVCS``, ``VEPREL``), or None: every piece a known code,
    at most one two-letter (country) piece, the fewest pieces."""
    if len(word) < 6 or not word.isalpha() or is_code(word):
        return None
    best: dict[int, tuple[tuple[str, ...], int]] = {0: ((), 0)}  # end -> (pieces, two-letter pieces)
    for end in range(2, len(word) + 1):
        options = []
        for size in (2, 3, 4, 5, 6):
            start = end - size
            if start in best and is_code(word[start:end]):
                pieces, short = best[start]
                options.append(((*pieces, word[start:end]), short + (size == 2)))
        options = [o for o in options if o[1] <= 1]
        if options:
            best[end] = min(options, key=lambda o: (len(o[0]), o[1]))
    return best[len(word)][0] if len(word) in best else None


def tags_block(value: str) -> str:
    """The TAGS value: its first line and the continuation lines (after a trailing comma, or in capitals)."""
    lines = _MD_LINK_RE.sub(r"\1", first_block(value)).split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        s = line.strip()
        if not s or not (kept[-1].rstrip().endswith(",") or (s.upper() == s and any(c.isalpha() for c in s))):
            break
        kept.append(s)
    return " ".join(kept)


def _words_to_tags(words: list[str]) -> list[str]:
    """Blank-separated words: codes, glued codes, persons and free-text runs."""
    out: list[str] = []
    phrase: list[str] = []

    def flush() -> None:
        if phrase:
            out.append(" ".join(phrase))
            phrase.clear()

    i = 0
    while i < len(words):
        w = words[i]
        pair = " ".join(words[i : i + 2])
        if pair in KNOWN_PERSON_TAGS or pair in KNOWN_MISSPELLINGS or (i + 1 < len(words) and pair in vocabulary()):
            flush()  # "CLINTON HILLARY", "COUNTER TERRORISM", "EL AL"
            out.extend((KNOWN_PERSON_TAGS[pair],) if pair in KNOWN_PERSON_TAGS else KNOWN_MISSPELLINGS.get(pair, (pair,)))
            i += 2
            continue
        if out and out[-1] in PERSON_PROGRAMS and not phrase and i + 1 < len(words) \
                and not is_code(w) and not is_code(words[i + 1]) and w.isalpha() and words[i + 1].isalpha():
            out.append(f"{w}, {words[i + 1]}")  # "OVIP BIDEN JOSEPH"
            i += 2
            continue
        glued = split_glued(w)
        if w in KNOWN_MISSPELLINGS or is_code(w) or glued or len(w) < MIN_PHRASE_WORD or not w.isalpha():
            flush()
            out.extend(glued or KNOWN_MISSPELLINGS.get(w, (w,)))
        else:
            phrase.append(w)
        i += 1
    flush()
    return out


def _item_to_tags(item: str) -> list[str]:
    """One comma-separated item: a code, a multi-word tag, or codes written with blanks between them."""
    words = item.split()
    joined = " ".join(words)
    if joined in KNOWN_PERSON_TAGS:
        return [KNOWN_PERSON_TAGS[joined]]
    if joined in KNOWN_MISSPELLINGS:
        return list(KNOWN_MISSPELLINGS[joined])
    if len(words) > 1 and all(is_code(w) or w in KNOWN_MISSPELLINGS for w in words):
        return [c for w in words for c in KNOWN_MISSPELLINGS.get(w, (w,))]  # "PTER MARR, MOPPS"
    if len(words) > 2 and sum(is_code(w) for w in words) >= 2:
        return _words_to_tags(words)  # a blank-separated line continued by a comma-separated one
    if len(words) == 1:
        return list(split_glued(joined) or KNOWN_MISSPELLINGS.get(joined, (joined,)))
    return [joined] if joined else []


def parse_tags(value: str) -> list[str]:
    """TAGS codes in order, each once (see :func:`tags_of`)."""
    return list(tags_of(value))


@lru_cache(maxsize=4096)  # TAGS lines recur across cables; bounded for odd texts
def tags_of(value: str) -> tuple[str, ...]:
    """TAGS codes in order, each once: ``PREL, PGOV`` / ``PREL PGOV`` / ``[KNNP](#)`` -> ``["PREL", "PGOV"]``;
    ``OVIP (CLINTON, HILLARY) PREL`` -> ``["OVIP", "CLINTON, HILLARY", "PREL"]``."""
    line = _PAGE_MARKER_RE.sub(" ", tags_block(value).upper())
    persons: list[str] = []

    def hold(m: re.Match[str]) -> str:
        persons.append(" ".join(m.group(1).split()).strip(" ,"))
        return f", \x00{len(persons) - 1}, " if "," in line or ";" in line else f" \x00{len(persons) - 1} "

    line = _PAREN_RE.sub(hold, line)
    tags: list[str] = []
    if "," in line or ";" in line:
        for item in re.split(r"[,;]", line):
            tags.extend(_item_to_tags(item.strip(_TAG_STRIP)))
    else:
        tags.extend(_words_to_tags([w.strip(_TAG_STRIP) for w in line.split() if w.strip(_TAG_STRIP)]))
    out = [persons[int(t[1:])] if t.startswith("\x00") and t[1:].isdigit() else t for t in tags]
    return tuple(dict.fromkeys(t for t in out if t))
