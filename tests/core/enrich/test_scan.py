"""The gazetteer scan and the fast paths of the finders: spelling checks, skipped lines, the
backwards walk over an organization's name, places grouped in one pass."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.enrich import enrich, gazetteer
from streams.core.enrich import organizations as orgs
from streams.core.enrich.document import Doc
from streams.core.model import Cable, Entity, Tag


def entities_of(body: str) -> list[Entity]:
    return list(enrich(Cable(body=body)).entities)


def test_spelling_checked_keys_read_the_same_every_time() -> None:
    """``U.S.`` is the country and ``U/S`` the Under Secretary (one key, two spellings), on every
    scan: the remembered outcome of a spelling check is the computed one."""
    body = "The U.S. and U/S Burns met; the U.S. agreed, the U.S said no.\n"
    first = entities_of(body)
    assert entities_of(body) == first
    us = [e for e in first if e.type == "location" and e.normalized == "US"]
    assert len(us) == 1 and us[0].spans == ((4, 8), (32, 36))  # "U.S" without its "." is not it
    burns = [e for e in first if e.type == "person"]
    assert [(e.normalized, e.attributes["title"]) for e in burns] == [("Burns", "Under Secretary")]


def test_a_match_starting_in_lower_case_keeps_only_role_nouns() -> None:
    """``leader`` introduces a name in lower case; ``iran`` in lower case is no country."""
    found = entities_of("PML-N leader Nawaz Sharif spoke of iran.\n")
    assert [e.normalized for e in found if e.type == "person"] == ["Nawaz Sharif"]
    assert [e for e in found if e.type == "location"] == []


def test_tags_lines_are_skipped_at_the_text_start_and_after_a_pilcrow() -> None:
    """A TAGS line is skipped on the text's first line and after ``¶``; ``tags`` inside a
    sentence is ordinary text."""
    for body, start in (("TAGS: PREL, PGOV, Iran\nIran said.", 23), ("\u00b6 TAGS: Iran\nIran said.", 13)):
        (iran,) = entities_of(body)
        assert (iran.normalized, iran.spans) == ("IR", ((start, start + 4),))
    (iran,) = entities_of("The tags on Iran were removed.")
    assert iran.spans == ((12, 16),)


def test_organization_name_walks_back_to_the_text_start_not_past_a_blank_line() -> None:
    """A name may start the text; a blank line between the words and the head noun ends it."""
    (party,) = entities_of("Pakistan People's Party leaders met.")
    assert party.spans == ((0, 23),)
    assert entities_of("Liberal\n\nParty leaders met.") == []


def test_a_word_cut_by_the_window_is_not_part_of_an_organization() -> None:
    """Only whole words within LEFT_WINDOW characters of the head noun are read."""
    long_word = "A" + "a" * 85
    body = f"The {long_word} Liberal Party met."
    (party,) = entities_of(body)
    start = body.index("Liberal")
    assert (party.text, party.spans) == ("Liberal Party", ((start, start + len("Liberal Party")),))


def test_places_are_grouped_with_the_demonym_rule() -> None:
    """Mentions of one country are one entity with every span; ``via: demonym`` stays only when
    the country is never named (and then only for a tagged country)."""
    (brazil,) = entities_of("Brazilian officials said Brazil would act.")
    assert (brazil.text, brazil.count, brazil.spans) == ("Brazilian", 2, ((0, 9), (25, 31)))
    assert "via" not in brazil.attributes
    (brazil,) = enrich(Cable(body="Brazilian officials said so.", tags=(Tag("BR"),))).entities
    assert brazil.attributes["via"] == "demonym"


def test_matches_of_a_category_come_in_text_order() -> None:
    """A category whose matches have different sets of readings (``MOSCOW``: a city and a
    station; ``Iran``: a country) still lists them in text order."""
    doc = Doc.of("Talks on Iran in MOSCOW; see MOSCOW 1234 on Iran.")
    starts = [m.start for m in doc.of_category(gazetteer.PLACE)]
    assert starts == sorted(starts) and len(starts) == 4
    assert [m.start for m in doc.of_category(gazetteer.STATION)] == starts[1:3]


def test_lookup_reads_a_phrase_as_a_whole_key() -> None:
    """``lookup`` gives every reading of a phrase that is a key, in any case, and none otherwise."""
    (ministry,) = gazetteer.lookup("foreign ministry")
    assert ministry.category == gazetteer.ORG and ministry.value.normalized == "Ministry of Foreign Affairs"
    assert gazetteer.lookup("no such words") == ()


def _left_part_by_characters(doc: Doc, start: int, upper: bool) -> int:
    """The character-by-character walk that ``organizations._left_words`` replaces (kept here
    as the reference it must agree with)."""
    text = doc.text
    lo = max(0, start - orgs.LEFT_WINDOW)
    limit = orgs.MAX_LEFT_WORDS_CAPITALS if upper else orgs.MAX_LEFT_WORDS
    words: list[tuple[int, str]] = []
    end = start
    while len(words) < limit + 1:
        k = end
        while k > lo and text[k - 1] in " \t\n":
            k -= 1
        if k == end or k <= lo or text.count("\n", k, end) > 1:
            break
        j = max(text.rfind(" ", lo, k), text.rfind("\n", lo, k), text.rfind("\t", lo, k)) + 1
        if j <= lo and lo > 0:
            break
        token = text[j:k]
        if token.lower() not in orgs._CONNECTORS and not orgs._NAME_WORD.fullmatch(token):
            break
        words.append((j, token))
        end = j
    kept = 0
    for i, (pos, token) in enumerate(words):
        low = token.lower()
        if i >= limit or not doc.free(pos, pos + len(token)):
            break
        if token.endswith(".") and not orgs._ABBREVIATION.fullmatch(token):
            break
        if token.endswith(("'s", "\u2019s")) and low not in ("people's", "workers'"):
            break
        if low == "the" and (i + 1 >= len(words) or words[i + 1][1].lower() not in ("of", "for", "on")):
            break
        if low == "and" and i + 1 < len(words) and orgs._ends_a_name(doc, *words[i + 1]):
            break  # two bodies joined by "and": the name starts after it (the same rule as the walk's)
        if i and orgs._is_title(doc, pos):
            break  # a title opens the phrase (the same rule as the walk's)
        kept = i + 1
    while kept and words[kept - 1][1].lower() in (orgs._LEADING_STOP | orgs._CONNECTORS):
        kept -= 1
    return words[kept - 1][0] if kept else start


_NAMEISH = st.lists(
    st.sampled_from(["Party", "People's", "Kenya", "of", "OF", "the", "The", "and", "de", "la", "al-Qaida", "al-",
                     "U.S.", "St.", "Washington.", "Kazakhstan's", "Workers'", "iPhone", "x", "A", "Électorale",
                     "Ünion", "(IEC)", "\u2019s", "Bin", "-", "a" * 30, "A" + "b" * 40]),
    max_size=12,
)
_SEPARATORS = st.sampled_from([" ", " ", "  ", "\t", "\n", " \n ", "\n\n", "\r\n", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(words=_NAMEISH, seps=st.lists(_SEPARATORS, min_size=13, max_size=13), upper=st.booleans(),
       taken=st.integers(min_value=0, max_value=200))
def test_backwards_walk_agrees_with_the_character_walk(words, seps, upper, taken) -> None:
    """The one-expression backwards read of an organization's words finds the same start as a
    walk over the characters, whatever the separators, words, window and found spans."""
    text = "".join(w + s for w, s in zip(words, seps)) + "Party"
    doc = Doc.of(text)
    start = len(text) - len("Party")
    doc.take(taken % (start + 1), taken % (start + 1) + 3)
    assert orgs._left_part(doc, start, upper) == _left_part_by_characters(doc, start, upper)


def test_both_matchers_find_the_same_hits(corpus) -> None:
    """Hyperscan (where it has a wheel) and pyahocorasick find the same keys at the same places,
    overlapping hits included, on real cables: either may run the scan."""
    if "hyperscan" not in gazetteer.MATCHERS:
        msg = "hyperscan is not installed on this platform (pyahocorasick runs the scan)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    hyperscan, ahocorasick = gazetteer.matcher("hyperscan"), gazetteer.matcher("ahocorasick")
    total = 0
    for rec in corpus[:200]:
        hay = gazetteer.haystack(rec["body"])
        by_hyperscan = sorted((end, value[0]) for end, value in hyperscan(hay))
        assert by_hyperscan == sorted((end, value[0]) for end, value in ahocorasick(hay)), rec["id"]
        total += len(by_hyperscan)
    assert total > 10_000  # ~150 hits a cable: the comparison compared something


def test_the_scan_is_the_same_with_either_matcher(seed_cable) -> None:
    text = seed_cable
    scans = [gazetteer.scan(text, False, find=gazetteer.matcher(name))[0] for name in gazetteer.MATCHERS]
    assert len(scans[0]) > 20 and all(s == scans[0] for s in scans)


def test_an_unknown_matcher_is_refused_and_auto_is_the_default() -> None:
    before = gazetteer._selected[0], gazetteer._auto[0]
    try:
        with pytest.raises(ValueError, match="no matcher"):
            gazetteer.select_matcher("regex")
        assert gazetteer.select_matcher("auto") == gazetteer.DEFAULT_MATCHER
        assert gazetteer.select_matcher("ahocorasick") == "ahocorasick"
        assert gazetteer.selected_matcher() == "ahocorasick"
    finally:
        gazetteer._selected[0], gazetteer._auto[0] = before


def test_auto_falls_back_to_pyahocorasick_when_the_chosen_matcher_cannot_build(monkeypatch) -> None:
    """A Hyperscan that cannot build its database here (an unsupported CPU) leaves the scan to
    pyahocorasick under ``auto``, with a warning; asked for by name, the failure is raised."""
    before = gazetteer._selected[0], gazetteer._auto[0]

    def broken(keys):
        raise RuntimeError("no SSSE3")

    monkeypatch.setitem(gazetteer.MATCHERS, "broken", broken)
    gazetteer._built.cache_clear()
    try:
        gazetteer._selected[0], gazetteer._auto[0] = "broken", True
        with pytest.warns(RuntimeWarning, match="broken unusable"):
            found = gazetteer.scan("Ambassador Ordway met officials in Astana.\n", False)[0]
        assert gazetteer.selected_matcher() == "ahocorasick" and len(found) >= 2
        gazetteer._selected[0], gazetteer._auto[0] = "broken", False
        with pytest.raises(RuntimeError, match="no SSSE3"):
            gazetteer.scan("Astana\n", False)
    finally:
        gazetteer._built.cache_clear()
        gazetteer._selected[0], gazetteer._auto[0] = before


def test_readings_know_whether_a_key_names_only_towns() -> None:
    """A key whose every reading is a city or a local place is marked as such (the person finders
    let it stand inside a name, ``Wayne``); a country or an organization reading clears the mark."""
    table = gazetteer.table()
    by_key = {key.strip(): value[1] for key, value in table.items()}
    assert by_key["pakistan"].towns_only is False and by_key["pakistan"].local_only is False
    assert by_key["party"].towns_only is False
    towns = [r for r in by_key.values() if r is not None and r.towns_only]
    assert towns and all(h.category == gazetteer.PLACE for r in towns for h in r.hits)
    assert any(not r.local_only for r in towns)  # cities of 100,000 people are no local places
