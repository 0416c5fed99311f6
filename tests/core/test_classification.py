"""Normalization of written classifications and portion marks."""

from __future__ import annotations

import pytest

from streams.core import classification as cls


@pytest.mark.parametrize(
    "text,expected",
    [
        ("C O N F I D E N T I A L", "CONFIDENTIAL"),
        ("S E C R E T", "SECRET"),
        ("SECRET//NOFORN", "SECRET//NOFORN"),
        ("CONFIDENTIAL NOFORN", "CONFIDENTIAL//NOFORN"),
        ("UNCLAS", "UNCLASSIFIED"),
        ("UNCLAS SENSITIVE", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
        ("LIMITED OFFICIAL USE", "LIMITED OFFICIAL USE"),
        ("T O P S E C R E T", "TOP SECRET"),
        ("s e c r e t", "SECRET"),
        ("RESTRICTED", None),
        ("", None),
    ],
)
def test_normalize(text, expected):
    """Each written form normalizes to the canonical name (or None when it names none)."""
    assert cls.normalize(text) == expected


@pytest.mark.parametrize(
    "mark,level",
    [("U", cls.UNCLASSIFIED), ("SBU", cls.CONTROLLED), ("C", cls.CONFIDENTIAL), ("C/NF", cls.CONFIDENTIAL),
     ("S", cls.SECRET), ("S/NF", cls.SECRET), ("S//NF", cls.SECRET), ("U//FOUO", cls.CONTROLLED), ("U/SBU", cls.CONTROLLED), ("TS", cls.TOP_SECRET), ("1", None), ("XYZ", None)],
)
def test_portion_level(mark, level):
    """Portion marks map to levels by their base; unknown marks map to None."""
    assert cls.portion_level(mark) == level


def test_levels_are_ordered():
    """The level order is the policy: unclassified < controlled < confidential < secret < top secret."""
    assert [cls.RANK[lv] for lv in cls.LEVELS] == sorted(cls.RANK[lv] for lv in cls.LEVELS)
    assert cls.highest([cls.SECRET, None, cls.CONFIDENTIAL]) == cls.SECRET
    assert cls.level_of("SECRET//NOFORN") == cls.SECRET
    assert cls.level_of("UNCLASSIFIED//FOR OFFICIAL USE ONLY") == cls.CONTROLLED
