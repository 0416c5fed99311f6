"""The TAGS reader's free-text conventions: persons without commas, runs of free-text tags, codes run
onto a word, and the word list they use (reproducible from its sources).

Lines marked with a cable id are real TAGS lines (peer cases of cablemap's suite); the others are
written here to pin one rule each. Expected values are read off the line by hand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from streams.core.parse import tagline, tagwords
from streams.core.parse.tagline import split_word_codes, tags_of

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # 04PANAMA672: persons written without commas, one after another, then free text
        ("CASC CJAN SNAR PHUM CU PM NOVO GUILLERMO REMON PEDRO JIMENEZ GASPAR CONSULAR AFFAIRS",
         ["CASC", "CJAN", "SNAR", "PHUM", "CU", "PM", "NOVO, GUILLERMO", "REMON, PEDRO", "JIMENEZ, GASPAR",
          "CONSULAR AFFAIRS"]),
        # 05ROME3585: free-text tags one after another, each starting with a country or people
        ("PREL PGOV CVIS IT ITALY NATIONAL ELECTIONS ITALIAN POLITICS IRAQI FREEDOM",
         ["PREL", "PGOV", "CVIS", "IT", "ITALY NATIONAL ELECTIONS", "ITALIAN POLITICS", "IRAQI FREEDOM"]),
        # 04PANAMA586: a one-word tag, a written-out meaning, and two codes run onto its last word
        ("MARR PREL PINS EWWT MOPS PM LABOR HUMAN RIGHTSPOLMIL",
         ["MARR", "PREL", "PINS", "EWWT", "MOPS", "PM", "LABOR", "HUMAN RIGHTS", "POL", "MIL"]),
    ],
)
def test_real_lines(line: str, expected: list[str]) -> None:
    """Real blank-separated TAGS lines with persons and free text read as cablemap's tests read them."""
    assert list(tags_of(line)) == expected


def test_two_peoples_at_the_start_of_a_tag_stay_in_it() -> None:
    """A second country or people right after the first word does not start a new tag."""
    assert list(tags_of("PREL KPAL IS ISRAELI PALESTINIAN RELATIONS")) == ["PREL", "KPAL", "IS",
                                                                          "ISRAELI PALESTINIAN RELATIONS"]


def test_a_short_ordinary_word_ties_a_tag_together() -> None:
    """``WITH`` between two free-text words belongs to the tag, and a country after it does not cut it."""
    assert list(tags_of("PREL ECON TRADE WITH CHINA")) == ["PREL", "ECON", "TRADE WITH CHINA"]


def test_a_meaning_with_a_word_that_is_no_meaning_stays_whole() -> None:
    """``HUMAN RIGHTS VETTING`` is one tag: ``VETTING`` is no word of a TAGS meaning."""
    assert list(tags_of("PREL HUMAN RIGHTS VETTING")) == ["PREL", "HUMAN RIGHTS VETTING"]


def test_free_text_without_given_names_is_no_person() -> None:
    """Words of free text are not read as a person when no given name follows a surname-like word."""
    assert list(tags_of("IS KMDR MEDIA REACTION REPORT")) == ["IS", "KMDR", "MEDIA REACTION REPORT"]


def test_a_place_named_with_a_given_name_is_no_person() -> None:
    """``SANTO DOMINGO`` is a place although ``DOMINGO`` is a given name."""
    assert list(tags_of("PGOV PREL SANTO DOMINGO")) == ["PGOV", "PREL", "SANTO DOMINGO"]


def test_a_chain_of_persons_stops_at_ordinary_words() -> None:
    """After a person, two more surname-like words are a person; ordinary words end the chain."""
    assert list(tags_of("PREL ROOD JOHN CROS GERARD COUNTRY CLEARANCE")) == [
        "PREL", "ROOD, JOHN", "CROS, GERARD", "COUNTRY CLEARANCE"]


def test_codes_after_a_person_are_codes() -> None:
    """Known codes after a person stay codes (the OVIP visitor rule and the given-name rule alike)."""
    assert list(tags_of("OVIP BIDEN JOSEPH PREL ECON")) == ["OVIP", "BIDEN, JOSEPH", "PREL", "ECON"]
    assert list(tags_of("PREL PGOV SMITH JOHN PREL ECON")) == ["PREL", "PGOV", "SMITH, JOHN", "ECON"]


@pytest.mark.parametrize("word", ["TRAFFICKING", "ELECTIONS", "NATIONAL", "INTERNATIONAL", "PEACEKEEPING"])
def test_ordinary_words_are_not_cut_into_codes(word: str) -> None:
    """An ordinary word is never split into a word and codes (``TRAFFIC`` + ``KING`` is not a reading)."""
    assert split_word_codes(word) is None
    assert list(tags_of(f"PREL {word}")) == ["PREL", word]


def test_codes_run_onto_a_word_are_split() -> None:
    """A word with dictionary codes run onto it gives the word and the codes."""
    assert split_word_codes("TERRORISMPTER") == ("TERRORISM", ("PTER",))


def test_comma_separated_lines_keep_their_items() -> None:
    """With commas, each item is one tag as written: a free-text item is not cut at a country."""
    assert list(tags_of("PREL, HUMAN RIGHTS, MEETINGS WITH ITALY")) == ["PREL", "HUMAN RIGHTS", "MEETINGS WITH ITALY"]


def test_word_lists_load() -> None:
    """The word lists hold given names, places and meanings, and keep ordinary words out of the names."""
    tw = tagwords.tag_words()
    assert {"PEDRO", "GUILLERMO", "JOHN"} <= tw.given
    assert not {"GRACE", "MAY", "JORDAN", "ISRAEL"} & tw.given
    assert {("ITALY",), ("ITALIAN",), ("NEW", "ZEALAND")} <= tw.places
    assert ("HUMAN", "RIGHTS") in tw.phrases
    assert tagwords.is_place_pair("SAN", "JOSE")


def test_word_list_is_documented() -> None:
    """The parser data README names the word list and its sources."""
    readme = (REPO / "streams" / "core" / "parse" / "data" / "README.md").read_text(encoding="utf-8")
    assert "`tag_words.tsv`" in readme and "Census" in readme


def test_word_list_is_reproducible() -> None:
    """``devtools/build_tag_words.py --check`` rebuilds exactly the shipped word list."""
    pytest.importorskip("names")
    run = subprocess.run([sys.executable, str(REPO / "devtools" / "build_tag_words.py"), "--check"],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_vocabulary_is_read_once() -> None:
    """The word lists and the code vocabulary are cached: a second call returns the same object."""
    assert tagwords.tag_words() is tagwords.tag_words()
    assert tagline.vocabulary() is tagline.vocabulary()


def test_handling_captions_are_not_tags() -> None:
    """A distribution caption run into the TAGS line (``SIPDIS``) is dropped; the codes stay."""
    assert list(tags_of("ECON ETRD PGOV CA MX SIPDIS")) == ["ECON", "ETRD", "PGOV", "CA", "MX"]
    assert list(tags_of("PREL, PGOV, NOFORN")) == ["PREL", "PGOV"]


def test_handling_captions_are_caption_markings() -> None:
    """Every word dropped as a handling caption is a marking word of the caption reader, and no TAGS code."""
    from streams.core.parse.caption import MARKING_WORDS

    assert tagline.HANDLING_CAPTIONS <= MARKING_WORDS
    assert not tagline.HANDLING_CAPTIONS & tagline.vocabulary()


def test_comma_separated_items_read_persons_and_glued_codes() -> None:
    """In a comma-separated line, an item of a surname and a given name is a person, and a word with
    codes run onto it gives the word and the codes, as in a blank-separated line."""
    assert list(tags_of("PREL, PGOV, NOVO GUILLERMO, MEDIA REACTION, RIGHTSPOLMIL")) == [
        "PREL", "PGOV", "NOVO, GUILLERMO", "MEDIA REACTION", "RIGHTS", "POL", "MIL"]
