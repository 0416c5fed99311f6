"""Misspelt title words in Classified By lines are titles; names are not (the fuzzy check's bounds)."""

from __future__ import annotations

import pytest

from streams.core.parse.classified import is_title_word


@pytest.mark.parametrize("word", ["Ambassadot", "Ambassaor", "AMBASSAD0R", "CIEF", "Counsleor", "Cousnelor",
                                  "Polticial", "Coordinater", "SECRETRY"])
def test_misspelt_titles_are_title_words(word):
    """A long title word with a letter or two wrong, missing or swapped is still a title word."""
    assert is_title_word(word)


@pytest.mark.parametrize("word", ["Richard", "Charles", "Jessica", "Deborah", "Ordway", "Hoagland", "Simons",
                                  "Llorens", "Directorate", "Amb4ssadorial"])
def test_names_are_not_title_words(word):
    """Names, even ones sharing many letters with a title, are not title words."""
    assert not is_title_word(word)
