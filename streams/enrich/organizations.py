"""Organizations: gazetteer names and acronyms, ``Name (ACRONYM)`` definitions, and capitalized
phrases ending in an organization noun (``Pakistan People's Party``, ``Ministry of Oil``,
``Electoral Commission of Kenya``).

The gazetteer comes from the TAGS organization codes and a curated list of modern bodies (see
``data/README.md``); spellings of one body share its normalized form (``Foreign Ministry`` and
``MFA`` are ``Ministry of Foreign Affairs``; ``Shanghai Cooperation Organization`` is ``SCO``).
An acronym defined in the text (``Independent Election Commission (IEC)``) counts wherever it
recurs. Acronyms that are also English words (``AID``, ``CARE``) are ignored in all-capitals lines.
A place in the ``of ...`` part of a name still counts as a location (``Government of Lebanon``).
"""

from __future__ import annotations

import re

from streams.enrich import gazetteer
from streams.enrich.document import Doc
from streams.enrich.mentions import ORGANIZATION, Mention

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&+/.-]{1,11})\)")
_MARKING = re.compile(r"(?:[CSU]|TS|SBU|NF|FOUO|REL|SI|TK|ORCON|PROPIN|LOU|LES)(?:/+[A-Z/ ]*)?")
_RIGHT_CAPITALS = re.compile(r"[ \t]+(?:OF|FOR|ON)[ \t]+(?:THE[ \t]+)?[A-Z][A-Z'-]+")
_RIGHT = re.compile(
    r"[ \t]+(?:of|for|on)[ \t]+(?:the[ \t]+)?[A-Z][a-z][\w'\u2019-]*"
    r"(?:[ \t]+(?:and[ \t]+)?[A-Z][a-z][\w'\u2019-]*){0,3}"
)
_HEADS = frozenset(gazetteer.ORG_HEADS)
_NAME_WORD = re.compile(r"[A-Z][\w'\u2019.&-]*|al-[A-Z][\w-]*")
_WORD = re.compile(r"\S+")
_PARTS = re.compile(r"[-/]")
_NOT_CAPITAL = re.compile(r"[^A-Z]")
_SPACE_OR_HYPHEN = re.compile(r"[\s-]+")
_DEFINED = "_defined"
_COMMON_MARKINGS = frozenset({"C", "S", "U", "SBU", "S/NF", "C/NF", "S//NF", "C//NF", "U/FOUO", "TS"})
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "de", "del", "la"})
_LEADING_STOP = frozenset(
    "the a an in on at by for from with to of and but as if this that these those its their his "
    "her our both all some most many several other another each every no yesterday today "
    "however while when after before during since also".split()
)
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){1,3}|St\.|Ft\.|Mt\.")
# Where the "of Kenya" part of "Electoral Commission of Kenya" starts: a place there still counts.
_TAIL = "_tail"
# How far back an organization's name may start before its head noun, in characters and words.
LEFT_WINDOW = 80
MAX_LEFT_WORDS = 6
# In all-capitals lines every word looks like a name: take one ("RADICAL PARTY").
MAX_LEFT_WORDS_CAPITALS = 1


def _org_named(written: str) -> gazetteer.Hit | None:
    """The gazetteer reading of a written form, if the whole form is a known organization."""
    found = gazetteer.automaton().get(gazetteer.padded(written.lower()), None)
    if found:
        for h in found[1]:
            if h.category == gazetteer.ORG and (h.case != "exact" or h.written == written):
                return h
    return None


def _left_part(doc: Doc, start: int, upper: bool) -> int:
    """Where the capitalized words before a head noun begin (``start`` when there are none).

    Walks left over capitalized words and the connectors of names (``of``, ``for``, ``and``, and
    ``the`` after ``of``/``for``); stops at a sentence end, a possessive owner (``Kazakhstan's``)
    and anything already found.
    """
    text = doc.text
    lo = max(0, start - LEFT_WINDOW)
    limit = MAX_LEFT_WORDS_CAPITALS if upper else MAX_LEFT_WORDS
    words: list[tuple[int, str]] = []  # right to left
    end = start
    while len(words) < limit + 1:
        k = end
        while k > lo and text[k - 1] in " \t\n":
            k -= 1
        if k == end or k <= lo or text.count("\n", k, end) > 1:
            break
        j = max(text.rfind(" ", lo, k), text.rfind("\n", lo, k), text.rfind("\t", lo, k)) + 1
        if j <= lo and lo > 0:
            break  # a word cut by the window
        token = text[j:k]
        if token.lower() not in _CONNECTORS and not _NAME_WORD.fullmatch(token):
            break
        words.append((j, token))
        end = j
    kept = 0
    for i, (pos, token) in enumerate(words):
        low = token.lower()
        if i >= limit or not doc.free(pos, pos + len(token)):
            break
        if token.endswith(".") and not _ABBREVIATION.fullmatch(token):
            break  # "Washington. The Communist Party": the sentence before is not part of it
        if token.endswith(("'s", "\u2019s")) and low not in ("people's", "workers'"):
            break  # "Kazakhstan's Foreign Ministry": the owner is not part of the name
        if low == "the" and (i + 1 >= len(words) or words[i + 1][1].lower() not in ("of", "for", "on")):
            break  # "the IAEA and the UN Office": "the" opens the name
        kept = i + 1
    # never start on a connector or a sentence-initial function word
    while kept and (words[kept - 1][1].lower() in _LEADING_STOP or words[kept - 1][1].lower() in _CONNECTORS):
        kept -= 1
    return words[kept - 1][0] if kept else start


def _phrases(doc: Doc) -> list[Mention]:
    """Capitalized phrases ending in (or headed by) an organization noun, and known organizations
    that grow into a longer name (``Kenya Red Cross``)."""
    found: list[Mention] = []
    text = doc.text
    heads = doc.of_category(gazetteer.ORG_HEAD)
    named = [m for m in doc.of_category(gazetteer.ORG) if text[m.start:m.end].rsplit(None, 1)[-1] in _HEADS]
    for m in heads + named:
        upper = doc.upper_line(m.start)
        if upper and text[m.start:m.end] in ("GOVERNMENT", "MISSION"):
            continue  # "KIRCHNER GOVERNMENT": in capitals the word before may be anything
        prev = text.rfind(" ", max(0, m.start - 40), m.start - 1)
        after = text[m.end:m.end + 5]
        if not text[prev + 1:prev + 2].isupper() and not after.lower().startswith((" of ", " for", " on ")):
            continue  # nothing capitalized before, no "of ..." after: "the Party", "the Army"
        begin = _left_part(doc, m.start, upper)
        end = m.end
        right = (_RIGHT_CAPITALS if upper else _RIGHT).match(text, m.end)
        if right:
            end = right.end()
        if begin == m.start and end == m.end:
            continue  # a head noun alone names nothing
        written = " ".join(text[begin:end].split())
        known = _org_named(written)
        attrs = {_TAIL: str(m.end)} if right else {}
        normalized = known.value.normalized if known else written
        found.append(Mention(ORGANIZATION, begin, end, text[begin:end], normalized, attrs))
    return found


def _initials(words: list[str]) -> str:
    return "".join(p[0] for w in words for p in _PARTS.split(w) if p and p[0].isupper())


def _definitions(doc: Doc) -> list[Mention]:
    """``Long Name (ACR)``: both spans, when the long name is an organization."""
    found: list[Mention] = []
    text = doc.text
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        if acr in _COMMON_MARKINGS or _MARKING.fullmatch(acr) or sum(c.isupper() for c in acr) < 2 \
                or doc.skipped(m.start()):
            continue
        begin = _left_part(doc, m.start(), upper=False)
        if begin >= m.start():
            continue
        spans = [(w.start() + begin, w.end() + begin) for w in _WORD.finditer(text[begin:m.start()])]
        words = [text[a:b] for a, b in spans]
        if not words:
            continue
        letters = _NOT_CAPITAL.sub("", acr)
        long_start = None
        for i in range(len(words) - 1, -1, -1):
            if words[i][0] == letters[0] and _subsequence(letters, _initials(words[i:])):
                long_start = i
                break
        if long_start is None:
            if words[-1].rstrip(",") not in gazetteer.ORG_HEADS:
                continue
            long_start = 0  # "National Electoral Council (CNE)": initials in another language
        offset, long_end = spans[long_start][0], spans[-1][1]
        long_form = " ".join(text[offset:long_end].split())
        known = _org_named(long_form) or _org_named(acr)
        if known is None and not _HEADS.intersection(_SPACE_OR_HYPHEN.split(long_form)):
            continue  # "Foreign Military Financing (FMF)": a program, not an organization
        normalized = known.value.normalized if known else acr
        found.append(Mention(ORGANIZATION, offset, long_end, text[offset:long_end], normalized, {}))
        found.append(Mention(ORGANIZATION, m.start(1), m.end(1), acr, normalized, {_DEFINED: "1"}))
    return found


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


def _gazetteer(doc: Doc) -> list[Mention]:
    found = []
    for m in doc.of_category(gazetteer.ORG):
        hit = m.get(gazetteer.ORG)
        if hit is None:
            continue
        if hit.value.wordlike and doc.upper_line(m.start):
            continue
        found.append(Mention(ORGANIZATION, m.start, m.end, doc.text[m.start:m.end], hit.value.normalized, {}))
    return found


def _by_length(c: Mention) -> tuple[int, int]:
    return c.start - c.end, c.start


def find(doc: Doc) -> list[Mention]:
    """Every organization mention not overlapping an entity already found; longest first."""
    candidates = _definitions(doc) + _phrases(doc) + _gazetteer(doc)
    candidates.sort(key=_by_length)
    kept: list[Mention] = []
    tails = []
    defined: dict[str, str] = {}
    for c in candidates:
        if doc.free(c.start, c.end):
            doc.take(c.start, c.end)
            kept.append(c)
            if c.attributes:
                if _TAIL in c.attributes:
                    tails.append((int(c.attributes[_TAIL]), c.end))
                if _DEFINED in c.attributes:
                    defined[c.text] = c.normalized
                c.attributes = {}
    # acronyms defined in this cable count wherever they recur
    text = doc.text
    for acr, normalized in defined.items():
        pos = text.find(acr)
        while pos >= 0:
            end = pos + len(acr)
            if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()) \
                    and doc.free(pos, end) and not doc.skipped(pos):
                doc.take(pos, end)
                kept.append(Mention(ORGANIZATION, pos, end, acr, normalized, {}))
            pos = text.find(acr, end)
    # "Pakistan People's Party" and "PPP" in one cable are one party
    acronyms = {c.normalized for c in kept if c.normalized.isupper() and 2 <= len(c.normalized) <= 8}
    if acronyms:
        for c in kept:
            if " " in c.normalized:
                initials = _initials([w for w in c.normalized.split() if w not in _CONNECTORS])
                if initials in acronyms:
                    c.normalized = initials
    for start, end in tails:  # "Government of Lebanon" names Lebanon too
        doc.occupied[start:end] = bytes(end - start)
    return kept
