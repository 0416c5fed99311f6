"""The TAGS line: the cable's subject, program, country, organisation and person tags, in order.

Conventions (the ones cablemap's tests pin, read as rules, not as cases):

- codes are separated by commas, semicolons or blanks; ``[KNNP](#)`` markdown links are plain codes;
- a person tag in parentheses is a tag of its own: ``OVIP (STEINBERG, JAMES B.)`` -> ``OVIP`` and
  ``STEINBERG, JAMES B.``; known person tags written without their comma are normalised
  (``CLINTON HILLARY`` -> ``CLINTON, HILLARY``), and two unknown words right after ``OVIP`` are a
  person (``OVIP BIDEN JOSEPH`` -> ``BIDEN, JOSEPH``);
- codes run together are split when they are all known codes (``ETRDEINVECINPGOVCS``, ``VEPREL``), and
  so are codes run onto an ordinary word (``HUMAN RIGHTSPOLMIL`` -> ``HUMAN RIGHTS``, ``POL``, ``MIL``);
- in a blank-separated line, a surname-like word followed by a given name is a person written without
  its comma (``NOVO GUILLERMO`` -> ``NOVO, GUILLERMO``), and right after a person so is any pair of
  surname-like words (``REMON PEDRO JIMENEZ GASPAR`` -> ``REMON, PEDRO``, ``JIMENEZ, GASPAR``);
- a run of other unknown words is free text (``MEDIA REACTION REPORT``; short ordinary words inside it
  belong to it: ``ECONOMY AND FINANCE``), one tag unless a country or people starts a new one once the
  tag before has two words (``ITALY NATIONAL ELECTIONS`` / ``ITALIAN POLITICS`` / ``IRAQI FREEDOM``;
  not ``ISRAELI PALESTINIAN AFFAIRS``, ``TRADE WITH CHINA``), or a TAGS meaning written out stands next to
  one more word of a meaning (``LABOR`` / ``HUMAN RIGHTS``);
- continuation lines are followed when the line before ends with a comma or they are written in
  capitals like the codes (``... KU COUNTRY`` / ``CLEARANCE``); lower-case text after the line is not
  part of it;
- page markers of old telegrams that the copy ran into the line (``UNCLASSIFIED PAGE 02 ROME 01059
  01 OF 04 281501Z``) are dropped, and so are handling captions run into it (``SIPDIS``, ``NOFORN``)
  and repeated codes.

The code vocabulary is the enrichment's TAGS dictionary (``streams/core/enrich/data/tags.tsv``,
read as a file: no enrichment code is imported); the words that tell free text apart (given names,
countries and peoples, ordinary words, meanings) are in :mod:`streams.core.parse.tagwords`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from streams.core.parse.fields import first_block
from streams.core.parse.tagwords import (
    is_function_word,
    is_given,
    is_namelike,
    is_place_pair,
    place_at,
    tag_words,
    tsv_rows,
)

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
# Distribution and handling captions that copies run into the TAGS line ("... CA MX SIPDIS"): markings
# of the caption line (caption.MARKING_WORDS), never tags (the WikiLeaks tag index has none of them).
HANDLING_CAPTIONS = frozenset({"SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "STADIS", "ORCON", "NOCONTRACT",
                               "PROPIN"})
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
    return frozenset(r["code"].upper() for r in tsv_rows(_VOCABULARY) if r.get("code"))


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


def split_word_codes(word: str) -> tuple[str, tuple[str, ...]] | None:
    """An ordinary word with known codes run onto it (``RIGHTSPOLMIL`` -> ``RIGHTS``, ``(POL, MIL)``), or
    None: the word (at least 4 letters) is an ordinary word and the rest (at least 4) dictionary codes."""
    if len(word) < 8 or not word.isalpha() or is_code(word):
        return None
    ordinary = tag_words().ordinary
    if word in ordinary:
        return None
    for k in range(len(word) - 4, 3, -1):  # the longest word first
        head, tail = word[:k], word[k:]
        if head in ordinary:
            codes = KNOWN_MISSPELLINGS.get(tail) or ((tail,) if tail in vocabulary() else split_glued(tail))
            if codes and all(c in vocabulary() or c in KNOWN_MISSPELLINGS.get(tail, ()) for c in codes):
                return head, codes
    return None


def person_at(words: list[str], i: int, chained: bool) -> str | None:
    """``SURNAME, GIVEN`` when ``words[i:i+2]`` are a person written without the comma: a surname-like
    word and a given name (``NOVO GUILLERMO``), or, right after another person, two surname-like words
    (``JIMENEZ GASPAR``); else None."""
    if i + 1 >= len(words):
        return None
    surname, given = words[i], words[i + 1]
    if is_code(surname) or is_code(given) or not is_namelike(surname) or is_place_pair(surname, given):
        return None
    return f"{surname}, {given}" if is_given(given) or (chained and is_namelike(given)) else None


def _place_segments(words: list[str]) -> list[list[str]]:
    """Free-text words cut before a country or people (``ITALY NATIONAL ELECTIONS | ITALIAN POLITICS``)
    once the tag before has two words and does not end in a short ordinary word (``RELATIONS WITH ITALY``)."""
    segments: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        n = place_at(words, i)
        cur = segments[-1]
        if n and len(cur) >= 2 and not is_function_word(cur[-1]):
            segments.append([])
        segments[-1].extend(words[i : i + max(n, 1)])
        i += max(n, 1)
    return [s for s in segments if s]


def _meaning_split(words: list[str]) -> list[str]:
    """A TAGS meaning written out (``HUMAN RIGHTS``) with one more word of a meaning before or after it
    (``LABOR``) is two tags; any other run of words is one."""
    tw = tag_words()
    if len(words) >= 3:
        if tuple(words[1:]) in tw.phrases and words[0] in tw.meaning_words:
            return [words[0], " ".join(words[1:])]
        if tuple(words[:-1]) in tw.phrases and words[-1] in tw.meaning_words:
            return [" ".join(words[:-1]), words[-1]]
    return [" ".join(words)]


def split_free_text(words: list[str]) -> list[str]:
    """A run of free-text words as tags: cut before countries and peoples, and around written-out meanings."""
    return [tag for segment in _place_segments(words) for tag in _meaning_split(segment)]


def _is_phrase_word(word: str) -> bool:
    """A word of a free-text tag: letters, not a code, at least ``MIN_PHRASE_WORD`` long."""
    return (len(word) >= MIN_PHRASE_WORD and word.isalpha() and word not in KNOWN_MISSPELLINGS
            and not is_code(word) and not split_glued(word))


def _words_to_tags(words: list[str]) -> list[str]:
    """Blank-separated words: codes, glued codes, persons and free-text runs."""
    if all(map(is_code, words)):
        return words  # the common line: codes only (no two of them make a code or a person)
    out: list[str] = []
    phrase: list[str] = []
    after_person = False  # the last tag is a person: a second name may follow without a given name

    def flush() -> None:
        if phrase:
            out.extend(split_free_text(phrase))
            phrase.clear()

    i = 0
    while i < len(words):
        w = words[i]
        pair = " ".join(words[i : i + 2])
        if pair in KNOWN_PERSON_TAGS or pair in KNOWN_MISSPELLINGS or (i + 1 < len(words) and pair in vocabulary()):
            flush()  # "CLINTON HILLARY", "COUNTER TERRORISM", "EL AL"
            out.extend((KNOWN_PERSON_TAGS[pair],) if pair in KNOWN_PERSON_TAGS else KNOWN_MISSPELLINGS.get(pair, (pair,)))
            after_person, i = pair in KNOWN_PERSON_TAGS, i + 2
            continue
        if out and out[-1] in PERSON_PROGRAMS and not phrase and i + 1 < len(words) \
                and not is_code(w) and not is_code(words[i + 1]) and w.isalpha() and words[i + 1].isalpha():
            out.append(f"{w}, {words[i + 1]}")  # "OVIP BIDEN JOSEPH"
            after_person, i = True, i + 2
            continue
        person = person_at(words, i, after_person and not phrase)
        if person:
            flush()
            out.append(person)  # "NOVO GUILLERMO", then "REMON PEDRO", "JIMENEZ GASPAR"
            after_person, i = True, i + 2
            continue
        after_person = False
        glued = split_glued(w)
        head_codes = None if glued else split_word_codes(w)
        if head_codes:
            phrase.append(head_codes[0])  # "HUMAN RIGHTSPOLMIL": the phrase ends, POL and MIL follow
            flush()
            out.extend(head_codes[1])
        elif phrase and is_function_word(w) and not is_code(w) and i + 1 < len(words) \
                and _is_phrase_word(words[i + 1]):
            phrase.append(w)  # "ECONOMY AND FINANCE", "MEETINGS WITH AMBASSADOR"
        elif glued or not _is_phrase_word(w):
            flush()
            out.extend(glued or KNOWN_MISSPELLINGS.get(w, (w,)))
        else:
            phrase.append(w)
        i += 1
    flush()
    return out


def _item_to_tags(item: str) -> list[str]:
    """One comma-separated item: a code, a person written without its comma, a multi-word tag, or codes
    written with blanks between them."""
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
    person = person_at(words, 0, chained=False) if len(words) == 2 else None
    if person:
        return [person]  # "NOVO GUILLERMO" -> "NOVO, GUILLERMO", as "CLINTON HILLARY" above
    if len(words) == 1:
        head_codes = split_word_codes(joined)
        if head_codes:
            return [head_codes[0], *head_codes[1]]
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
    return tuple(dict.fromkeys(t for t in out if t and t not in HANDLING_CAPTIONS))
