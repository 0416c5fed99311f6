"""The ``Classified By`` line: who classified the cable (name and title) and the reasons.

``Classified By: Ambassador John Ordway, reasons 1.4 (b) and (d).``, ``CLASSIFIED BY: Rachel Meyers,
Deputy Political Counselor; reason: 1.4(a)``, and the forms of older cables inside paragraph 1
(``1. (U) CLASSIFIED BY POLOFF JEFFREY JACOBS, 1.5 (D).``, ``1. CONFIDENTIAL - ENTIRE TEXT.
CLASSIFIED BY DCM THEODORE KATTOUF - 1.5 B,D.``). The name is the person only: the title or office
before it (misspelt titles such as ``Ambassadot`` included) and after it (``ROBERT P. FINN, DEPUTY
CHIEF OF MISSION``) go to ``title``; a suffix stays with the name (``THOMAS W. SIMONS, JR.``).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from streams.core.model import Person
from streams.core.parse.fields import first_block

WRAP_WIDTH = 40  # the site's copies wrap lines near 70 characters (less the keyword), sometimes inside a word

# Where the person part ends: the reasons, or the words that lead to them.
_WHO_END_RE = re.compile(
    r"(?:;|\br\s?e\s?a\s?s\s?[o0]\s?n|\breaons\b|\brsns?\b|\bE\.\s?O\b|\b1\.[4-6]|\(\s*[a-h]\s*\)"
    r"|\b(?:for|per|under|f0r)\s+(?:the\s+)?(?:rea|rsn|1\.|sec|e\.?\s?o|\(|\d)|\bf0r\b"
    r"|\bdue\s+to\b|\bbased\s+(?:up)?on\b|\bfo\s?r?\s+(?:rea|rsn)|\bby\s+(?:rea|rsn)"
    r"|\b(?:for|per|under)\s*$|[.,:]\s*$)",
    re.IGNORECASE,
)
_REASON_RE = re.compile(r"\b1\.([4-6])\s*((?:\(?\s*[a-hA-H]\s*\)?(?:\s*(?:,|/|&|\band\b)\s*)?){1,8})",
                        re.IGNORECASE)
_TITLE_WORDS = frozenset(
    """AMBASSADOR AMB AMB. CHARGE CHARGE' D'AFFAIRES D’AFFAIRES AFFAIRES A.I DCM A/DCM DEPUTY CHIEF OF MISSION
    POLITICAL POL ECONOMIC ECON ECOPOL POLECON POLMIL COUNSELOR COUNSELLOR COUNCELOR COUNSEL MINISTER DIRECTOR
    OFFICER SECRETARY ASSISTANT ACTING CONSUL GENERAL PRINCIPAL SECTION HEAD AND FOR THE A/S DAS PDAS UNDER EAP
    SENIOR ADVISOR COORDINATOR SPECIAL ENVOY REPRESENTATIVE MANAGER ATTACHE DEFENSE LEGAL AFFAIRS PUBLIC
    DIPLOMACY MILITARY ADVISER CONSULATE EMBASSY OFFICE REGIONAL DEPARTMENT STATE INR CDA SCA USEU POLOFF
    ECONOFF POLCOUNS POLCOUNSELOR POLMINCOUNS POLMC ECONCOUNS ECMIN ECONMIN CONSOFF MGMTOFF PAO RSO ARSO DATT
    LEGATT EXECUTIVE ASSOCIATE INTERIM TEMPORARY OFFICE-IN-CHARGE PRT TEAM LEADER DELEGATE DELEGATION
    CONTROL OFF BY AT IN TO ON LARGE AT-LARGE SECURITY GOVERNANCE AI A.I. DOS ISN EUR NEA WHA SCA IO PM DRL INL
    OES EEB PRM VCI MGMT MANAGEMENT CG U/S""".split()
)
# Long title words a misspelling is compared with ("Ambassadot", "Counsleor", "AMBASSAD0R", "CIEF").
_FUZZY_TITLES = tuple(w for w in _TITLE_WORDS if len(w) >= 5 and w.isalpha()) + ("CHIEF",)
FUZZY_RATIO = 0.8  # "Ambassaor"/AMBASSADOR is 0.95, "CIEF"/CHIEF 0.89; names stay below ("Richard"/CHARGE 0.62)
FUZZY_LENGTH_GAP = 2  # a misspelling is compared only with titles at most this many letters longer or shorter
# The fuzzy titles a word of each length is compared with (built once: most words meet a handful).
_FUZZY_BY_LENGTH = {
    n: tuple(t for t in _FUZZY_TITLES if abs(len(t) - n) <= FUZZY_LENGTH_GAP)
    for n in range(4, max(map(len, _FUZZY_TITLES)) + FUZZY_LENGTH_GAP + 1)
}
_NAME_WORD_RE = re.compile(r"^(?:[A-Z][\w'’.-]*[A-Za-z0-9]|[A-Z]\.?)$")
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]$")
_SUFFIX_RE = re.compile(r"(,?)\s*\b((?:JR|SR|Jr|Sr)\.?|III|II|IV)(?=[\s,.;]|$)")
_SUFFIX_MARK = "\x01"  # a suffix written after a comma ("SIMONS, JR.")
_SUFFIX_MARK_BARE = "\x02"  # and without one ("J.D. Crouch II")
_CAMEL_NAME_RE = re.compile(r"(?:Mc|Mac|De|Di|La|Le|[A-Z]['’])[A-Z]")
ACRONYM_MAX = 4  # in mixed-case text an all-capitals word this short is an acronym (DCM, PRT, USEU)
# a word broken at the wrap ("Richa \nrd", "r \neasons"), not a whole word on the next line ("for \nreasons")
_WRAPPED_WORD_RE = re.compile(
    r"(?<=[A-Za-z]) \n(?!(?:for|and|reasons?|the|of|per|under|to|in|on|by|at)\b)(?=[a-z]{1,12}\b)")


_REASON_LETTER_RE = re.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")
_DOUBLED_KEYWORD_RE = re.compile(r"^(?:classified\s+by\s*:?\s*)+", re.IGNORECASE)
_GLUED_SEMICOLON_RE = re.compile(r";(?=[A-Za-z])")


def parse_reasons(value: str) -> list[str]:
    """Classification reasons: ``1.4 (B) and (D)`` -> ``["1.4(b)", "1.4(d)"]``; ``1.5 (b,d)`` likewise."""
    out: list[str] = []
    for m in _REASON_RE.finditer(value[:400]):
        for letter in _REASON_LETTER_RE.findall(m.group(2)):
            r = f"1.{m.group(1)}({letter.lower()})"
            if r not in out:
                out.append(r)
    return out


@lru_cache(maxsize=2048)
def is_title_word(word: str) -> bool:
    """``Ambassador``, ``DCM``, ``MINISTER-COUNSELOR``, ``POL/ECON``, and misspelt long titles
    (``Ambassadot``): a word of a title, not of a name."""
    w = word.upper().strip(".,;:").replace("0", "O")
    if w in _TITLE_WORDS:
        return True
    parts = [p for p in re.split(r"[-/]", w) if p]
    if len(parts) > 1:  # "MINISTER-COUNSELOR", "POL/ECON", "Minister-Couselor"
        return all(len(p) <= 3 or is_title_word(p) for p in parts)
    if len(w) >= 4 and w.isalpha():
        return any(_close(w, t) for t in _FUZZY_BY_LENGTH.get(len(w), ()))
    return False


# Per fuzzy title, a str.translate table that deletes its letters: what is left of a word are the
# letters the title lacks.
_TITLE_LETTERS = {t: dict.fromkeys(map(ord, t)) for t in _FUZZY_TITLES}


def _close(word: str, title: str) -> bool:
    """``SequenceMatcher(None, word, title).ratio() >= FUZZY_RATIO``, with cheap upper bounds tried
    first (most names share too few letters with any title to need the full match): the word's
    letters found in the title at all (one translate in C; never fewer than difflib's
    ``quick_ratio`` counts), then difflib's own two."""
    kept = len(word) - len(word.translate(_TITLE_LETTERS[title]))
    if 2.0 * kept / (len(word) + len(title)) < FUZZY_RATIO:
        return False
    m = _title_matcher(title)
    m.set_seq1(word)
    return m.real_quick_ratio() >= FUZZY_RATIO and m.quick_ratio() >= FUZZY_RATIO and m.ratio() >= FUZZY_RATIO


@lru_cache(maxsize=None)
def _title_matcher(title: str) -> SequenceMatcher:
    """A matcher with ``title`` as its second sequence (difflib indexes that one once)."""
    return SequenceMatcher(None, "", title)


def _unwrap(block: str) -> str:
    """Join a word the site's copy broke at the wrap width (``Ambassador Richa \\nrd Hoagland``)."""
    lines = block.split("\n")
    if len(lines) < 2 or len(lines[0]) < WRAP_WIDTH:
        return block
    return _WRAPPED_WORD_RE.sub("", block, count=1)


def _name_like(word: str, mixed: bool) -> bool:
    if not _NAME_WORD_RE.match(word) or is_title_word(word):
        return False
    if mixed and 1 < len(word) <= ACRONYM_MAX and word.isupper() and word.isalpha():
        return False  # "DCM Hugo Llorens": in mixed-case text a short all-capitals word is an acronym
    if not mixed or "." in word or word.isupper():
        return True
    # "PolMC", "EconMinCouns" are titles; "McGeehan", "D'Elia", "Carl-Yoder" are names
    return all(sum(ch.isupper() for ch in part) <= 1 or _CAMEL_NAME_RE.match(part)
               for part in re.split(r"-", word) if part)


def _name_span(words: list[str], mixed: bool) -> int:
    """Index in ``words`` where the trailing name starts (``len(words)`` when there is none): a
    surname, initials, one given name (two when a title word stands right before them)."""
    i = len(words)
    if i and words[-1][:1] in (_SUFFIX_MARK, _SUFFIX_MARK_BARE):
        i -= 1
    if not i or _INITIALS_RE.match(words[i - 1]) or not _name_like(words[i - 1], mixed):
        return len(words)
    i -= 1  # the surname
    given = 0
    while i > 0:
        w = words[i - 1]
        if is_title_word(w):  # "A.I." is a title, not initials
            break
        if mixed and len(w) > 1 and w.isupper() and w.isalpha() and not all(x.isupper() for x in words[i:]):
            break  # "ECONMINCOUNS Matthias Mitman": capitals before a mixed-case name are a title
        if _INITIALS_RE.match(w):
            i -= 1
        elif given < 2 and _name_like(w, mixed):
            if given == 1 and not (i >= 2 and is_title_word(words[i - 2])):
                break  # a second given name only right after a title ("Officer Jessica Davis Ba")
            given += 1
            i -= 1
        else:
            break
    return i


@lru_cache(maxsize=4096)  # the same classifiers recur across cables; bounded for odd texts
def _person(who: str) -> Person | None:
    """The person of the ``who`` part: the first comma-separated segment that ends with a name."""
    mixed = who != who.upper()
    who = _SUFFIX_RE.sub(lambda m: f" {_SUFFIX_MARK if m.group(1) else _SUFFIX_MARK_BARE}{m.group(2)}", who)
    who = who.replace(":", " ")
    segments = [s.split() for s in who.split(",")]
    for k, words in enumerate(segments):
        start = _name_span(words, mixed)
        if start == len(words):
            continue
        name = " ".join(words[start:]).replace(f" {_SUFFIX_MARK}", ", ").replace(_SUFFIX_MARK_BARE, "").strip(" ,")
        before = " ".join(w for seg in (*segments[:k], words[:start]) for w in seg)
        after = ", ".join(" ".join(seg) for seg in segments[k + 1 :] if seg)
        title = " ".join(x for x in (before, after) if x).strip(" ,.;-") or None
        return Person(name=name, title=title)
    return None


def parse_classified_by(value: str) -> tuple[Person | None, list[str]]:
    """(who, reasons) of a ``Classified By`` value such as ``Ambassador John Ordway, reasons 1.4 (B) and (D).``"""
    block = " ".join(_unwrap(first_block(value.lstrip(" \t\u00a0:"))).split())[:400]
    reasons = parse_reasons(block)
    # "Classified by: Classified by IO/DAS Gerald Anderson" (doubled keyword in some copies)
    block = _DOUBLED_KEYWORD_RE.sub("", block)
    block = _GLUED_SEMICOLON_RE.sub(" ", block)  # "DCM;DOUG SILLIMAN"
    m = _WHO_END_RE.search(block)
    who = (block[: m.start()] if m else block).strip(" ,.;:-")
    who = who.replace(" - ", ", ")  # "ISN - C. S. ELIOT KANG": a title, a dash, the name
    if not who:
        return None, reasons
    return _person(who), reasons
