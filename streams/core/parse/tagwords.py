"""The words that tell the free-text tags of a TAGS line apart, loaded once per process on first use.

- given names (``data/tag_words.tsv``, kind ``given``: US Census 1990 lists less ordinary English words
  and place names; built by ``devtools/build_tag_words.py``): ``NOVO GUILLERMO`` is a person;
- places (same file, kind ``place``: country names and demonyms): ``ITALIAN POLITICS`` starts a tag;
  two-word places whose second word is a given name (kind ``not-a-person``): ``SAN JOSE`` is no person;
- ordinary words (the enrichment's ``common_words.txt``, the words of the TAGS meanings and of the
  titles list): never a surname;
- meaning phrases (TAGS meanings of two or more plain words, ``HUMAN RIGHTS``): a free-text tag of their own.

The enrichment files are read as files; no enrichment code is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_WORDS = _HERE / "data" / "tag_words.tsv"
_ENRICH = _HERE.parent / "enrich" / "data"
_WORD_RE = re.compile(r"[A-Z]+")
_PLAIN_RE = re.compile(r"[A-Z ]+")
FUNCTION_WORD_MAX = 4  # ordinary words this short (AND, OF, WITH) tie the words around them together


@dataclass(frozen=True, slots=True)
class TagWords:
    """The word lists, upper case."""

    given: frozenset[str]
    not_persons: frozenset[tuple[str, str]]
    places: frozenset[tuple[str, ...]]
    longest_place: int
    ordinary: frozenset[str]
    meaning_words: frozenset[str]
    phrases: frozenset[tuple[str, ...]]


def tsv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated file with a header line and no quoting (none when it is missing)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    header = lines[0].split("\t") if lines else []
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:] if line]


def _meanings() -> list[tuple[tuple[str, ...], bool]]:
    """The subject, program and organization meanings of the TAGS dictionary as word tuples
    (parenthesized parts left out), each with whether it is plain
    words only (``Human Rights``; not ``Economic Affairs--General``)."""
    out = []
    for row in tsv_rows(_ENRICH / "tags.tsv"):
        if row.get("kind") == "geographic":
            continue  # place names: kind ``place`` of the word list
        meaning = (row.get("meaning") or "").upper()
        words = tuple(_WORD_RE.findall(re.sub(r"\([^)]*\)", " ", meaning)))
        if words:
            out.append((words, bool(_PLAIN_RE.fullmatch(meaning))))
    return out


@lru_cache(maxsize=1)
def tag_words() -> TagWords:
    """The lists (empty where a file is not installed)."""
    rows = tsv_rows(_WORDS)
    places = frozenset(tuple(r["word"].split()) for r in rows if r["kind"] == "place")
    meanings = _meanings()
    meaning_words = frozenset(w for m, _ in meanings for w in m if len(w) > 2)
    try:
        common = (_ENRICH / "common_words.txt").read_text(encoding="utf-8").upper().split()
    except OSError:
        common = []
    titles = {w for r in tsv_rows(_ENRICH / "titles.tsv") for w in _WORD_RE.findall((r.get("name") or "").upper())}
    phrases = frozenset(m for m, plain in meanings if plain and len(m) > 1)
    return TagWords(
        given=frozenset(r["word"] for r in rows if r["kind"] == "given"),
        not_persons=frozenset(tuple(r["word"].split()) for r in rows if r["kind"] == "not-a-person"),
        places=places, longest_place=max((len(p) for p in places), default=0),
        ordinary=frozenset(common) | meaning_words | frozenset(titles), meaning_words=meaning_words,
        phrases=phrases,
    )


def place_at(words: list[str], i: int) -> int:
    """How many words from ``i`` on name a country or people (the longest match), 0 when none."""
    tw = tag_words()
    for n in range(min(tw.longest_place, len(words) - i), 0, -1):
        if tuple(words[i : i + n]) in tw.places:
            return n
    return 0


def is_namelike(word: str) -> bool:
    """A word that can be a surname: letters, not an ordinary word, not a country or people."""
    tw = tag_words()
    return word.isalpha() and word not in tw.ordinary and (word,) not in tw.places


def is_place_pair(first: str, second: str) -> bool:
    """Two words that name a place although the second is a given name (``SAN JOSE``, ``SANTO DOMINGO``)."""
    return (first, second) in tag_words().not_persons


def is_given(word: str) -> bool:
    """A given name that is not an ordinary word (``PEDRO``, ``JOHN``; not ``GRACE``)."""
    tw = tag_words()
    return word in tw.given and word not in tw.ordinary


def is_function_word(word: str) -> bool:
    """A short ordinary word that ties a phrase together (``AND``, ``OF``, ``WITH``)."""
    return len(word) <= FUNCTION_WORD_MAX and word in tag_words().ordinary
