"""Organizations: gazetteer names and acronyms, ``Name (ACRONYM)`` definitions, and capitalized
phrases ending in an organization noun (``Pakistan People's Party``, ``Ministry of Oil``,
``Electoral Commission of Kenya``).

The gazetteer comes from the TAGS organization codes and a curated list of modern bodies (see
``data/README.md``); spellings of one body share its normalized form (``Foreign Ministry`` and
``MFA`` are ``Ministry of Foreign Affairs``; ``Shanghai Cooperation Organization`` is ``SCO``).
An acronym defined in the text (``Independent Election Commission (IEC)``) counts wherever it
recurs. Acronyms that are also English words (``AID``, ``CARE``) are ignored in all-capitals lines.
A place inside a name is no mention of its own (the blind gold's flat rule: ``Kenya`` in
``Government of Kenya``, ``Pakistan`` in ``State Bank of Pakistan``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from typing import Callable, Sequence

from streams.core.enrich import gazetteer, resources
from streams.core.enrich.document import TAKEN, Doc, claimed
from streams.core.enrich.mentions import ORGANIZATION, Mention
from streams.core.enrich.resources import Org

_ACRONYM: Final = re.compile(r"\(([A-Z][A-Za-z0-9&+/.-]{1,11})\)")
_MARKING: Final = re.compile(r"(?:[CSU]|TS|SBU|NF|FOUO|REL|SI|TK|ORCON|PROPIN|LOU|LES)(?:/+[A-Z/ ]*)?")
# Between the words of a name: spaces, and at most one line break (cables are wrapped at ~70
# characters: "The Government of \nColombia"); a blank line ends the name.
_GAP: Final = r"(?:[ \t]+\n?|\n)[ \t]*"
_RIGHT_CAPITALS: Final = re.compile(rf"{_GAP}(?:OF|FOR|ON){_GAP}(?:THE{_GAP})?[A-Z][A-Z'-]+")
_RIGHT: Final = re.compile(
    rf"{_GAP}(?:of|for|on){_GAP}(?:the{_GAP})?[A-Z][a-z][\w'\u2019-]*"
    rf"(?:{_GAP}(?:and{_GAP})?[A-Z][a-z][\w'\u2019-]*){{0,3}}"
)
_FACTION: Final = re.compile(r"-[A-Z]{1,2}(?![\w-])")
_HEADS: Final = frozenset(gazetteer.ORG_HEADS)
# In a definition the last word of a two-word head is enough (``Provincial Reconstruction Team (PRT)``).
_DEFINITION_HEADS: Final = _HEADS | {h.rsplit(None, 1)[-1] for h in gazetteer.ORG_HEADS if " " in h}
_DOTTED_HEADS: Final = frozenset({"Inc", "Ltd", "Corp"})  # company suffixes written with a dot
# Nouns that end the name of a newspaper or broadcaster (``Wall Street Journal``, ``TOLO TV``).
_MEDIA_HEADS: Final = frozenset({"TV", "News", "Times", "Journal", "Herald", "Gazette", "Tribune"})
_WORDS_IN_CAPITALS: Final = _MEDIA_HEADS | {"Corps", "Division", "Holding", "Holdings"}
_MEDIA_CONNECTOR: Final = re.compile(r"(?<!\S)(?:of|for|and|the|on|de|del|la|[a-z][\w-]*)\s+")
_HEADS_LOWER: Final = frozenset(h.lower() for h in gazetteer.ORG_HEADS)  # a key's last word may be a head
# A word of a name (read backwards by _NAME_WORD_REVERSED below; tests compare the two).
_NAME_WORD: Final = re.compile(r"[A-Z][\w'\u2019.&-]*|al-[A-Z][\w-]*")
_PARTS: Final = re.compile(r"[-/]")
_NOT_CAPITAL: Final = re.compile(r"[^A-Z]")
_TWO_CAPITALS: Final = re.compile(r"[A-Z].*[A-Z]")  # an acronym (ASCII by _ACRONYM) has two or more
_SPACE_OR_HYPHEN: Final = re.compile(r"[\s-]+")
_DEFINED: Final = "_defined"
COUNTRY: Final = "country"  # attribute of a government: the ISO code of its country
_COMMON_MARKINGS: Final = frozenset({"C", "S", "U", "SBU", "S/NF", "C/NF", "S//NF", "C//NF", "U/FOUO", "TS"})
_CONNECTORS: Final = frozenset({"of", "for", "and", "the", "on", "de", "del", "la"})
_LEADING_STOP: Final = frozenset(
    "the a an in on at by for from with to of and but as if this that these those its their his "
    "her our both all some most many several other another each every no yesterday today "
    "however while when after before during since also "
    "request please recommend urge ask tell inform see per dear thanks visit".split()  # imperatives: "Request Embassy ..."
)
_ABBREVIATION: Final = re.compile(r"(?:[A-Z]\.){1,3}|St\.|Ft\.|Mt\.|Co\.|Corp\.")
_PRIVATE: Final = (_DEFINED,)  # working attributes, not part of the entity
# How far back an organization's name may start before its head noun, in characters and words.
LEFT_WINDOW: Final = 80
MAX_LEFT_WORDS: Final = 6
# In all-capitals lines every word looks like a name: take one ("RADICAL PARTY").
MAX_LEFT_WORDS_CAPITALS: Final = 1
# Read backwards (the text reversed): up to N words that may be part of a name, each after its
# separators (spaces and tabs, at most one line break: a blank line ends a name) and whole (a
# separator follows it). A word is a connector (any case) or a name word (_NAME_WORD reversed).
_SEPARATOR_BEFORE: Final = r"(?:[ \t]+\n?|\n)[ \t]*"
_CONNECTOR_REVERSED: Final = "|".join(c[::-1] for c in sorted(_CONNECTORS, key=len, reverse=True))
_NAME_WORD_REVERSED: Final = r"[\w'\u2019.&-]*[A-Z]|[\w-]*[A-Z]-la"
_NAME_WORD_BEFORE: Final = rf"{_SEPARATOR_BEFORE}(?:(?ai:{_CONNECTOR_REVERSED})|{_NAME_WORD_REVERSED})(?=[ \t\n])"
_NAME_WORDS_BEFORE: Final = {  # word limit -> pattern (one word more than the limit: "the" looks one further)
    n: re.compile(rf"(?:{_NAME_WORD_BEFORE}){{0,{n + 1}}}") for n in (MAX_LEFT_WORDS, MAX_LEFT_WORDS_CAPITALS)
}


@lru_cache(maxsize=4096)  # phrases recur within a cable and across cables; bounded for a long-running worker
def _org_named(written: str) -> gazetteer.Hit | None:
    """The gazetteer reading of a written form, if the whole form is a known organization."""
    for h in gazetteer.lookup(written):
        if h.category == gazetteer.ORG and (h.case != "exact" or h.written == written):
            return h
    return None


def _left_words(doc: Doc, start: int, upper: bool) -> list[tuple[int, str]]:
    """The capitalized words before a head noun, as (offset, word) in text order ([] for none).

    Walks left over capitalized words and the connectors of names (``of``, ``for``, ``and``, and
    ``the`` after ``of``/``for``); stops at a sentence end, a possessive owner (``Kazakhstan's``)
    and anything already found.
    """
    text = doc.text
    lo = max(0, start - LEFT_WINDOW)
    limit = MAX_LEFT_WORDS_CAPITALS if upper else MAX_LEFT_WORDS
    # The words that may belong to the name, found by one match over the window read backwards
    # (a Python loop over characters or words cost ~1.5 us a word). At the text's start a space
    # is added, so that a word there is whole; a word cut by the window's start is not.
    backwards = text[lo:start][::-1] + (" " if lo == 0 else "")
    words_match = _NAME_WORDS_BEFORE[limit].match(backwards)  # matches always (zero words or more)
    chain = words_match.end() if words_match else 0
    if not chain:
        return []
    words: list[tuple[int, str]] = []  # right to left
    pos = start - chain
    for word in text[pos:start].split():  # the chain has words and separators only
        pos = text.find(word, pos)
        words.append((pos, word))
        pos += len(word)
    words.reverse()
    kept = 0
    owner_title = False  # inside the title that owns an office ("Prosecutor General's Office")
    occupied = doc.occupied
    for i, (pos, token) in enumerate(words):
        low = token.lower()
        if i >= limit or claimed(occupied, pos, pos + len(token)):
            break  # already found (a place, a person)
        if token.endswith(".") and not _ABBREVIATION.fullmatch(token):
            break  # "Washington. The Communist Party": the sentence before is not part of it
        if token.endswith(("'s", "\u2019s")) and low.replace("\u2019", "'") not in ("people's", "workers'"):
            if i == 0 and _title_owns_office(text, start, token):
                owner_title = True
                kept = 1
                continue  # "Prime Minister's Office": a title's office is a body of its own
            break  # "Kazakhstan's Foreign Ministry": the owner is not part of the name
        if owner_title and low in _CONNECTORS:
            break  # "Director of the Foreign Minister's Office": the office is named by its title
        if low == "the" and (i + 1 >= len(words) or words[i + 1][1].lower() not in ("of", "for", "on")):
            break  # "the IAEA and the UN Office": "the" opens the name
        if low == "and" and i + 1 < len(words) and _ends_a_name(doc, *words[i + 1]):
            break  # "the Duma and Federation Council": two bodies, the name starts after "and"
        if i and not owner_title and _is_title(doc, pos):
            break  # "Director of the NATO Department": a title opens the phrase, not the name
        kept = i + 1
    # never start on a connector or a sentence-initial function word
    while kept and (words[kept - 1][1].lower() in _LEADING_STOP or words[kept - 1][1].lower() in _CONNECTORS):
        kept -= 1
    return words[:kept][::-1]


def _title_owns_office(text: str, start: int, owner: str) -> bool:
    """True when the head at ``start`` is ``Office`` and its possessive owner ends a title of the
    gazetteer (``Prosecutor General's Office``, ``Prime Minister's Office``; not ``Treasury's``)."""
    if not text.startswith("Office", start):
        return False
    return any(h.category == gazetteer.TITLE for h in gazetteer.lookup(owner[:-2]))


def _ends_a_name(doc: Doc, pos: int, word: str) -> bool:
    """True when ``word`` (at ``pos``, before an ``and``) ends a name of its own: an acronym
    (``ANA``), an organization noun (``Crescent``) or a gazetteer organization (``Duma``)."""
    word = word.rstrip(",")
    if len(word) >= 2 and word.isupper() or word in _HEADS:
        return True
    for m in doc.of_category(gazetteer.ORG):
        if m.end == pos + len(word):
            return True
        if m.start > pos:
            break
    return False


def _is_title(doc: Doc, pos: int) -> bool:
    """True when a title (and no organization) of the gazetteer starts at ``pos``."""
    m = doc.by_start.get(pos)
    return m is not None and m.readings.title is not None and m.readings.org is None


def _left_part(doc: Doc, start: int, upper: bool) -> int:
    """Where the capitalized words before a head noun begin (``start`` when there are none)."""
    words = _left_words(doc, start, upper)
    return words[0][0] if words else start


name_start = _left_part  # for the facility finder: the same walk before a facility noun


def _phrases(doc: Doc, countries: Countries) -> list[Mention]:
    """Capitalized phrases ending in (or headed by) an organization noun, and known organizations
    that grow into a longer name (``Kenya Red Cross``)."""
    found: list[Mention] = []
    text = doc.text
    heads = doc.of_category(gazetteer.ORG_HEAD)
    named = [m for m in doc.of_category(gazetteer.ORG)
             if m.readings.last_word in _HEADS_LOWER and text[m.start:m.end].rsplit(None, 1)[-1] in _HEADS]
    for m in heads + named:
        lo = max(0, m.start - 40)
        prev = text.rfind(" ", lo, m.start - 1)  # the word before; after a line break only in mixed case
        if text.find("\n", prev + 1, m.start - 1) >= 0 and not doc.upper_line(m.start):
            prev = text.rfind("\n", lo, m.start - 1)
        after = text[m.end:m.end + 5].lower().replace("\n", " ")
        if not text[prev + 1:prev + 2].isupper() and not after.startswith((" of ", " for", " on ")):
            continue  # nothing capitalized before, no "of ..." after: "the Party", "the Army"
        upper = doc.upper_line(m.start)
        if upper and text[m.start:m.end] in ("GOVERNMENT", "MISSION"):
            continue  # "KIRCHNER GOVERNMENT": in capitals the word before may be anything
        head = text[m.start:m.end]
        if upper and head in _WORDS_IN_CAPITALS:
            continue  # "NEWS OF THE ...", "STILL HOLDING": in capitals these are mostly words
        begin = _left_part(doc, m.start, upper)
        if head in _MEDIA_HEADS and begin < m.start:
            begin = _media_start(doc, begin, m.start)
        elif begin < m.start and text[begin + 1:begin + 2].isupper():  # an acronym first ("MFA ...")
            begin = _after_ministry(doc, begin, m.start)
        end = m.end
        right = (_RIGHT_CAPITALS if upper else _RIGHT).match(text, m.end)
        if right:
            end = _right_end(doc, m.end, right.end())
        else:
            faction = _FACTION.match(text, m.end)
            if faction:
                end = faction.end()  # "Pakistan Muslim League-N": the faction letter is part of the name
            elif head == "Embassy" and not upper:
                end = _post_after(doc, m.end)  # "Embassy Beijing": a US mission named by its city
        if begin == m.start and end == m.end:
            continue  # a head noun alone names nothing
        if end == m.end and head in _LEADER_HEADS and _names_a_leader(doc, begin, m.start, head):
            continue  # "the Zapatero Government", "the Bush Administration": the person's, no body
        if end == m.end and head in _DOTTED_HEADS and text.startswith(".", end):
            end += 1  # "Co. Inc.": the abbreviation's dot
        written = " ".join(text[begin:end].split())
        known = _org_named(written)
        normalized, attrs = _normal(known.value, countries) if known else (written, {})
        found.append(Mention(ORGANIZATION, begin, end, text[begin:end], normalized, attrs))
    return found


# Head nouns that a leader's name or a country's name may precede without naming a body: "the
# Zapatero Government", "the Bush Administration" (the guide: the person is a person, the phrase no
# organization), "the U.S. Administration" (a bare type noun after the country).
_LEADER_HEADS: Final = frozenset({"Government", "Administration"})


def _names_a_leader(doc: Doc, begin: int, head_start: int, head: str) -> bool:
    """True when the one word before ``Government``/``Administration`` is a name that is no place,
    organization or ordinary word (``Zapatero``, ``Bush``), or, before ``Administration``, a
    country (``U.S.``); ``Spanish Government``, ``Central Government``, ``Labour Government`` and
    names of two words or more (``Transportation Security Administration``) are not."""
    word = doc.text[begin:head_start].strip()
    if not word or any(c.isspace() for c in word):
        return False
    m = doc.by_start.get(begin)
    if m is not None and m.end == begin + len(word):
        r = m.readings
        if head == "Administration" and r.country is not None:
            return True
        if r.org is not None or r.title is not None or r.place is None or not r.place.value.local:
            return False  # a town's name ("Obama", Japan) may be a leader's: read on
    return word.isalpha() and not word.isupper() and word.lower() not in resources.common_words()


def _after_ministry(doc: Doc, begin: int, head: int) -> int:
    """Where a ministry's department starts when the name opens with the ministry's acronym
    (``MFA Middle East Department``, ``MOD Political-Military Bureau``, ``MFA-affiliated China
    Institute``): after that word, so that the ministry and its department are two bodies (as the
    blind gold writes them); else ``begin``."""
    m = doc.by_start.get(begin)
    if m is None or m.readings.org is None or m.end >= head or not m.readings.org.value.normalized.startswith("Ministry") \
            or not doc.text[m.start:m.end].isupper():
        return begin
    nxt = _NEXT_WORD.match(doc.text, m.start)  # after the whole word: "MFA-affiliated China Institute"
    return nxt.end() if nxt and nxt.end() <= head else begin


_NEXT_WORD: Final = re.compile(r"\S+\s+")
_RIGHT_WORD: Final = re.compile(r"[^\s]+")
_NAME_NEXT: Final = re.compile(r"\.?[ \t]+\n?[ \t]*[A-Z]")  # a capitalized word follows (a person's name)


def _right_end(doc: Doc, start: int, end: int) -> int:
    """Where the ``of ...`` part of a name (``text[start:end]``) really ends: before a title after
    its first name word when a name follows (``Department of Arms Control Director General Cheng
    Jingye``; ``Office of the High Commissioner on ...`` keeps it), before ``and`` and a known
    organization (``Department of Defense and Congress``) or a possessive owner (``Ministry of
    Energy and Russia's Rosatom``), at a possessive (``Department of Treasury's Office``)."""
    text = doc.text
    segment = text[start:end]
    parts = segment.split()
    if len(parts) - (parts[1] in ("the", "THE")) <= 2 and "'" not in segment and "\u2019" not in segment:
        return end  # "of Defense", "of the Interior": one name word, nothing to cut
    words = list(_RIGHT_WORD.finditer(text, start, end))
    names = 0
    for i, w in enumerate(words):
        word = w.group()
        if word[0].isupper() and word not in ("OF", "FOR", "ON", "THE"):
            if names and _is_title(doc, w.start()) and _NAME_NEXT.match(text, doc.by_start[w.start()].end):
                return _before_and(words, i)
            names += 1
            if word.endswith(("'s", "\u2019s")):
                return _before_and(words, i) if i and words[i - 1].group() == "and" else w.end() - 2
        elif word == "and" and i + 1 < len(words):
            nxt = doc.by_start.get(words[i + 1].start())
            if nxt is not None and nxt.readings.org is not None:
                return words[i - 1].end()
    return end


def _before_and(words: list[re.Match[str]], i: int) -> int:
    """The end of the word before ``words[i]``, or before the ``and`` that precedes it."""
    if words[i - 1].group() == "and":
        i -= 1
    return words[i - 1].end()


def _post_after(doc: Doc, end: int) -> int:
    """The end of a city named right after ``Embassy`` (``Embassy Beijing``), else ``end``."""
    if doc.text[end:end + 1] not in (" ", "\n"):
        return end
    m = doc.by_start.get(end + 1)
    if m is None or m.readings.place is None or m.readings.org is not None \
            or m.readings.place.value.kind != "city" or not doc.free(m.start, m.end) \
            or doc.text[m.start:m.end].isupper():  # "Embassy CLINTON": a name in capitals
        return end
    return m.end


def _media_start(doc: Doc, begin: int, head: int) -> int:
    """Where the name before a media noun starts: only the capitalized words right before it
    (``the Azeri-language Seher TV``: ``Seher TV``), and none after a demonym alone (``Spanish TV``
    is a country's television, not a named outlet)."""
    text = doc.text
    connectors = list(_MEDIA_CONNECTOR.finditer(text, begin, head))
    if connectors:
        begin = connectors[-1].end()
    m = doc.by_start.get(begin)
    if m is not None and m.readings.place is not None and m.readings.place.value.kind == "demonym" \
            and not text[m.end:head].strip():
        return head
    return begin


def _initials(words: list[str]) -> str:
    """The capital initials of the words and of their hyphenated parts (``Al-Aqsa`` -> ``AA``)."""
    return "".join(map(_word_initials, words))


@lru_cache(maxsize=4096)  # words recur; bounded for a long-running worker
def _word_initials(word: str) -> str:
    return "".join(p[0] for p in _PARTS.split(word) if p and p[0].isupper())


@lru_cache(maxsize=4096)  # names recur; bounded for a long-running worker
def _name_initials(name: str) -> str:
    """``Pakistan People's Party`` -> ``PPP`` (connectors such as ``of`` left out)."""
    return _initials([w for w in name.split() if w not in _CONNECTORS])


def _definitions(doc: Doc, explained: set[str]) -> list[Mention]:
    """``Long Name (ACR)``: both spans, when the long name is an organization; an acronym whose
    long name is something else (``Tehran Research Reactor (TRR)``, ``Global War on Terror
    (GWOT)``) goes into ``explained``."""
    found: list[Mention] = []
    text = doc.text
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        if acr in _COMMON_MARKINGS or _MARKING.fullmatch(acr) or not _TWO_CAPITALS.search(acr) \
                or doc.skipped(m.start()) or _is_title_key(acr):
            continue
        left = _left_words(doc, m.start(), upper=False)
        if not left:
            continue
        spans = [(pos, pos + len(word)) for pos, word in left]
        words = [word for _, word in left]
        letters = _NOT_CAPITAL.sub("", acr)
        long_start = None
        for i in range(len(words) - 1, -1, -1):
            if words[i][0] == letters[0] and _subsequence(letters, _initials(words[i:])):
                long_start = i
                break
        if long_start is None:
            if words[-1].rstrip(",") not in gazetteer.ORG_HEADS:
                if _spells_out(letters, words):
                    explained.add(acr)  # "Global War on Terror (GWOT)", "Request for Proposal (RFP)"
                continue
            long_start = 0  # "National Electoral Council (CNE)": initials in another language
        offset, long_end = spans[long_start][0], spans[-1][1]
        long_form = " ".join(text[offset:long_end].split())
        known = _org_named(long_form) or _org_named(acr)
        if known is None and _names_a_thing(words[long_start:]):
            explained.add(acr)  # "United Nations Security Council Resolution (UNSCR)": a document,
            doc.take(offset, long_end)  # and no body inside its name is a mention (the flat rule)
            continue
        if known is None and not _DEFINITION_HEADS.intersection(_SPACE_OR_HYPHEN.split(long_form)):
            last = words[-1].rstrip(",")
            if last.lower() in resources.common_words() and _singular(last) not in _HEADS:
                explained.add(acr)  # "Tehran Research Reactor (TRR)"; not "Tehrik-i-Taliban Pakistan (TTP)"
            continue  # "Foreign Military Financing (FMF)": a program, not an organization
        normalized = known.value.normalized if known else acr
        found.append(Mention(ORGANIZATION, offset, long_end, text[offset:long_end], normalized, {}))
        found.append(Mention(ORGANIZATION, m.start(1), m.end(1), acr, normalized, {_DEFINED: "1"}))
    return found


def _singular(word: str) -> str:
    """``Parties`` -> ``Party``, ``Institutes`` -> ``Institute`` (plural head nouns: ``Joint Meeting
    Parties``); other words as they are."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


# Two capital letters or more, in the case classes of the text: a bytes search with a literal
# start, which skips the lower-case text in C (a look-behind for the letter before made the same
# search try every position: ~8% of the stage); the letters either side are checked after.
_CAPITALS: Final = re.compile(rb"\x03\x03+")
# Not followed by a number: "UNSCR 1244", "F 16" designate documents and things, not bodies.
_ACRONYM_TOKEN: Final = re.compile(r"[A-Z]{2,8}(?:-[A-Z])?(?![\w/-]|[ \t]*\d)")
_THE_BEFORE: Final = re.compile(r"(?<![\w-])(?:the|The)[ \t]*\n?[ \t]*$")
# An acronym counts when used at least this often (a single all-capitals word may be anything).
MIN_ACRONYM_USES: Final = 2
MAX_ACRONYM_LETTERS: Final = 8


def _capital_runs(doc: Doc) -> dict[str, list[int]]:
    """Whole words of 2 to MAX_ACRONYM_LETTERS capitals (``MDC``; ``PML`` of ``PML-N``) -> their
    starts, in order of first use, from the first line with a lower-case letter on (the lines
    before it, the routing header, the caption and often the subject, are all in capitals, where
    no use of an acronym counts: ~40% of the runs, ~15 us a cable)."""
    classes = doc.classes
    n = len(classes)
    text = doc.text
    runs: dict[str, list[int]] = {}
    first_lower = classes.find(gazetteer.LOWER_ASCII)
    begin = text.rfind("\n", 0, first_lower) + 1 if first_lower > 0 else 0
    for caps in _CAPITALS.finditer(classes, begin):
        start, end = caps.span()
        if end - start > MAX_ACRONYM_LETTERS or (start and classes[start - 1]) or (end < n and classes[end]):
            continue  # part of a longer word ("McDONALD") or too long for an acronym
        runs.setdefault(text[start:end], []).append(start)
    return runs


def _used_acronyms(doc: Doc, explained: set[str] | frozenset[str] = frozenset()) -> list[Mention]:
    """Acronyms the text uses as names of bodies: all-capitals words in mixed-case lines, used
    MIN_ACRONYM_USES times or more and at least once as ``the MDC`` or ``MDC's``, that are no
    ordinary word, gazetteer key, TAGS code or marking (``the MDC``, ``the FDP``, ``UMP's``), and
    that the cable does not spell out as something else (``explained``: ``the TRR``)."""
    if doc.uppercase or doc.lowercase:
        return []
    text = doc.text
    found: list[Mention] = []
    for letters, starts in _capital_runs(doc).items():
        if len(starts) < MIN_ACRONYM_USES or not _unknown_acronym(letters):
            continue  # most runs: a tag, a marking, a known name, a word of a subject line, used once
        uses: dict[str, list[int]] = {}
        cued: set[str] = set()
        for start in starts:
            m = _ACRONYM_TOKEN.match(text, start)
            if m is None or (start and text[start - 1] in "/-") or not doc.free(start, m.end()) \
                    or doc.upper_line(start) or doc.skipped(start):
                continue
            token = m.group(0)
            uses.setdefault(token, []).append(start)
            if _THE_BEFORE.search(text, max(0, start - 8), start) or text.startswith(("'s", "\u2019s"), m.end()):
                cued.add(token)
        for token, at in uses.items():
            if token not in cued or len(at) < MIN_ACRONYM_USES or token in explained or not _unknown_acronym(token) \
                    or _plural_written(text, token):
                continue
            for start in at:
                found.append(Mention(ORGANIZATION, start, start + len(token), token, token, {}))
                doc.take(start, start + len(token))
    return found


def _plural_written(text: str, token: str) -> bool:
    """True when the text writes the acronym in the plural (``ISPs``, ``IDPs``, ``FTAs``): a kind of
    thing or person, not the name of one body."""
    plural = token + "s"
    pos = text.find(plural)
    while pos >= 0:
        end = pos + len(plural)
        if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
            return True
        pos = text.find(plural, end)
    return False


@lru_cache(maxsize=4096)  # acronyms recur across cables; bounded for a long-running worker
def _is_title_key(acr: str) -> bool:
    """``Chief of the Army Staff (COAS)`` defines a title, not an organization."""
    return any(h.category == gazetteer.TITLE for h in gazetteer.lookup(acr))


@lru_cache(maxsize=4096)  # acronyms recur across cables; bounded for a long-running worker
def _unknown_acronym(token: str) -> bool:
    """An acronym no data here explains: not an ordinary word, a gazetteer key, a TAGS code or a
    classification marking (``SBU``)."""
    return not (token.lower() in resources.common_words() or gazetteer.lookup(token)
                or token in resources.tag_dictionary() or _MARKING.fullmatch(token) or not token.strip("X"))


# State Department bureaus whose office symbols name offices (``EUR/RPM``, ``ISN/MTR``,
# ``EEB/ESC/TFS``; ``S/CT`` and the other ``S/`` offices are gazetteer keys: ``S/NF`` is a marking).
_BUREAUS: Final = frozenset(
    "EUR EAP SCA NEA WHA AF IO ISN INR DRL INL PRM OES EEB EB PM CA DS PA IIP VCI AVC CT ECA".split())
_SYMBOL: Final = re.compile(r"([A-Z]{2,3})(?:/[A-Z][A-Z0-9]{0,7}){1,3}(?![\w/-])")
_NOT_SYMBOLS: Final = frozenset({"AF/PAK"})  # "Af/Pak": a region, not an office


def _office_symbols(doc: Doc) -> list[Mention]:
    """State office symbols: a bureau, a slash and an office (``EUR/RPM``, ``EEB/ESC/TFS``), found
    from the slashes of the text (~17 a cable; a regular expression over the text cost ~65 us)."""
    found: list[Mention] = []
    raw, text = doc.raw, doc.text
    i = raw.find(b"/")
    while i >= 0:
        j = i
        while j and 65 <= raw[j - 1] <= 90 and i - j < 3:
            j -= 1
        m = _SYMBOL.match(text, j) if i - j >= 2 and not (j and (raw[j - 1] in _GLUE)) else None
        if m is not None and m.group(1) in _BUREAUS and m.group(0) not in _NOT_SYMBOLS and not doc.skipped(j):
            found.append(Mention(ORGANIZATION, j, m.end(), m.group(0), m.group(0), {}))
            i = raw.find(b"/", m.end())
        else:
            i = raw.find(b"/", i + 1)
    return found


_GLUE: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-_")

# Media named after a cue noun: "the daily Le Monde", "newspaper Kommersant", "news agency EFE".
_MEDIA_CUES: Final = (b"newspaper", b"daily", b"weekly", b"magazine", b"tabloid", b"news agency")
_MEDIA_NAME: Final = re.compile(
    r"[ \t]+\n?[ \t]*((?:[A-Z][\w'\u2019&-]*|[A-Z]{2,}|Al-[A-Z][\w'-]*)"
    r"(?:[ \t]*\n?[ \t]*(?:(?:al|el|de|da|do|di|du|la|le|los|las|des|of|the)[ \t]+)?(?:[A-Z][\w'\u2019&-]*)){0,3})"
)
# Words that join the words of a name and never end one ("Le Monde", "Corriere della Sera").
_NAME_PARTICLES: Final = _CONNECTORS | {"al", "el", "da", "do", "di", "du", "le", "los", "las", "des"}
_NOT_MEDIA_WORDS: Final = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An In On At This That".split())


def media(doc: Doc) -> list[Mention]:
    """Newspapers, magazines and agencies named after a cue noun (``the daily El Pais``,
    ``newspaper Kommersant``, ``news agency EFE``), and the same name wherever else the text
    writes it; claims their spans. Runs before the person finders: two capitalized words after
    ``daily`` name a paper, not a person (``Le Monde``, ``Vremya Novostei``)."""
    if doc.uppercase or doc.lowercase:
        return []
    text, raw = doc.text, doc.raw  # raw: the same offsets, searched faster (bytes)
    names: dict[str, None] = {}
    for cue in _MEDIA_CUES:
        pos = raw.find(cue)
        while pos >= 0:
            after = pos + len(cue)
            if (pos == 0 or not text[pos - 1].isalpha()) and not text[after:after + 1].isalpha():
                m = _MEDIA_NAME.match(text, after)
                if m is not None:
                    name = _media_name(doc, m.start(1), m.group(1))
                    if name:
                        names[name] = None
            pos = raw.find(cue, after)
    found: list[Mention] = []
    for name in names:
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()) \
                    and doc.free(pos, end) and not doc.skipped(pos):
                doc.take(pos, end)
                found.append(Mention(ORGANIZATION, pos, end, text[pos:end], " ".join(name.split()), {}))
            pos = text.find(name, end)
    return found


def _media_name(doc: Doc, start: int, run: str) -> str | None:
    """The name in a capitalized run after a media cue: its words up to a day, a month, a title,
    a country or an ordinary word; None when nothing is left, or the name is a demonym or place."""
    words = run.split()
    kept: list[str] = []
    pos = start
    text = doc.text
    for word in words:
        at = text.find(word, pos)
        pos = at + len(word)
        w = word[:-2] if word.endswith(("'s", "\u2019s")) else word.rstrip(".,;:")
        m = doc.by_start.get(at)
        if w in _NOT_MEDIA_WORDS or (m is not None and m.readings.org is None and (
                m.readings.title is not None or m.readings.month is not None
                or (m.readings.place is not None and m.end >= at + len(w)))):
            break
        if w.lower() in resources.common_words() and not kept:
            break
        kept.append(w)
        if w != word:
            break
    while kept and kept[-1].lower() in _NAME_PARTICLES:
        kept.pop()
    if not kept:
        return None
    first = text.find(kept[0], start)
    end = text.find(kept[-1], first) + len(kept[-1])
    return text[first:end]


def _names_a_thing(words: list[str]) -> bool:
    """True when an organization noun inside a long form is followed only by capitalized words, the
    last an ordinary noun (``Security Council Resolution``, ``National Intelligence Estimate``):
    the body names a thing of its own; ``Department for International Development`` (a connector
    after the noun) and ``Independent Election Commission`` are bodies."""
    last = words[-1].rstrip(",")
    if _singular(last) in _HEADS or last.lower() not in resources.common_words():
        return False
    for i in range(len(words) - 2, -1, -1):
        word = words[i].rstrip(",")
        if word in _CONNECTORS:
            return False
        if _singular(word) in _HEADS:
            return True
    return False


def _spells_out(letters: str, words: list[str]) -> bool:
    """True when the acronym's letters are the initials of the last words before it, connectors
    counted (``Global War on Terror`` for ``GWOT``), the last of those words is an ordinary noun
    and none is an organization noun (a war, a document, a program: no body; ``Department for
    International Development (DFID)`` is one)."""
    tail = words[-len(letters):]
    last = words[-1].rstrip(",")
    return (len(tail) == len(letters) and "".join(w[0].upper() for w in tail) == letters
            and last.lower() in resources.common_words() and not any(_singular(w) in _HEADS for w in tail))


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


# The countries a cable is about, in order of weight (its geographic tags, then the countries its
# text names): asked only when a government abbreviation has to be resolved.
Countries = Callable[[], Sequence[str]]


def _no_countries() -> Sequence[str]:
    return ()


def government_name(iso: str) -> str:
    """``Government of Kenya``, ``Government of the United States``."""
    name = resources.country_names().get(iso, iso)
    the = "the " if name.endswith(("s", "Republic", "Kingdom")) or name.startswith(("United", "Republic")) else ""
    return f"Government of {the}{name}"


def _normal(org: Org, countries: Countries) -> tuple[str, dict[str, str]]:
    """An organization's normalized form and attributes; a government (``GOK``, ``Kenyan
    government``) is the government of the one country it can be (``GOK``: the first of Kenya,
    Kazakhstan, Kuwait ... the cable is about), with that country's ISO code; unresolved, as written."""
    isos = org.government
    if not isos:
        return org.normalized, {}
    iso = isos[0] if len(isos) == 1 else next((c for c in countries() if c in isos), None)
    if iso is None:
        return org.normalized, {}
    return government_name(iso), {COUNTRY: iso}


def _gazetteer(doc: Doc, countries: Countries) -> list[Mention]:
    found = []
    text = doc.text
    for m in doc.of_category(gazetteer.ORG):
        start, end, readings = m.start, m.end, m.readings
        org: Org = readings.org.value  # type: ignore[union-attr]  # filed under ORG: it has one
        if readings.title is not None or (org.wordlike and doc.upper_line(start)):
            continue  # a title first ("NSA Narayanan": the National Security Advisor)
        normalized, attrs = _normal(org, countries) if org.government else (org.normalized, {})
        found.append(Mention(ORGANIZATION, start, end, text[start:end], normalized, attrs))
    return found


# The armed services named by their type alone (the guide: "the army", "the Armed Forces" are bare
# type nouns, GUIDE.md 5 and its clarification 5), unlike "the Brazilian Air Force".
_BARE_SERVICES: Final = frozenset({"air force", "air forces", "armed forces", "task force"})
_BARE_LONGEST: Final = max(map(len, _BARE_SERVICES)) + 2  # longer mentions need no look (a line break or two)
_THE: Final = re.compile(r"(?i:the)[ \t]+\n?[ \t]*$")


def _bare_service(doc: Doc, c: Mention) -> bool:
    """True for ``the Air Force``, ``the Armed Forces``, ``the Task Force`` (and the same alone in
    a line of capitals): a type of body, not a named one."""
    if " ".join(c.text.split()).lower() not in _BARE_SERVICES:
        return False
    return doc.upper_line(c.start) or _THE.search(doc.text, max(0, c.start - 6), c.start) is not None


def _by_length(c: Mention) -> tuple[int, int]:
    return c.start - c.end, c.start


def find(doc: Doc, countries: Countries = _no_countries) -> list[Mention]:
    """Every organization mention not overlapping an entity already found; longest first.
    ``countries``: what the cable is about, to tell whose government ``GOK`` is."""
    explained: set[str] = set()  # acronyms spelled out as something other than a body
    candidates = _definitions(doc, explained) + _phrases(doc, countries) + _gazetteer(doc, countries) + _office_symbols(doc)
    candidates.sort(key=_by_length)
    kept: list[Mention] = []
    defined: dict[str, str] = {}
    occupied = doc.occupied
    for c in candidates:
        if not claimed(occupied, c.start, c.end):  # free: claim it
            occupied[c.start:c.end] = TAKEN[:c.end - c.start]
            kept.append(c)
            if c.attributes:
                if _DEFINED in c.attributes:
                    defined[c.text] = c.normalized
                c.attributes = {k: v for k, v in c.attributes.items() if k not in _PRIVATE}
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
    kept += _used_acronyms(doc, explained)
    kept = [c for c in kept if c.end - c.start > _BARE_LONGEST or not _bare_service(doc, c)]
    # "Pakistan People's Party" and "PPP" in one cable are one party
    acronyms = {c.normalized for c in kept if c.normalized.isupper() and 2 <= len(c.normalized) <= 8}
    if acronyms:
        for c in kept:
            if " " in c.normalized:
                initials = _name_initials(c.normalized)
                if initials in acronyms:
                    c.normalized = initials
    return kept
