"""Routing fails closed: never below any marking, quarantine when in doubt."""

from __future__ import annotations

from streams.core import classification as cls
from streams.core.model import Cable, Paragraph
from streams.core.route import CONTRADICTORY, NO_CLASSIFICATION, UNKNOWN_PORTION_MARK, route


def cable(classification, *marks):
    return Cable(body="x", classification=classification, paragraphs=tuple(Paragraph(str(i), m, "t") for i, m in enumerate(marks)))


def test_header_level_when_portions_agree():
    """A CONFIDENTIAL cable with (C) and (U) paragraphs goes to the confidential topic."""
    r = route(cable("CONFIDENTIAL", "C", "U"))
    assert r.level == cls.CONFIDENTIAL and not r.marking_conflict and not r.quarantined


def test_portion_above_header_routes_up_and_flags_conflict():
    """A (S) paragraph in a CONFIDENTIAL cable sends it to SECRET and flags the conflict."""
    r = route(cable("CONFIDENTIAL", "C", "S"))
    assert r.level == cls.SECRET and r.marking_conflict


def test_noforn_portion_counts_by_its_base_level():
    """(S/NF) counts as SECRET."""
    assert route(cable("CONFIDENTIAL//NOFORN", "S/NF")).level == cls.SECRET


def test_sbu_is_controlled():
    """UNCLASSIFIED//FOUO and (SBU) portions route to the controlled topic, not unclassified."""
    assert route(cable("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "SBU")).level == cls.CONTROLLED
    assert route(cable("UNCLASSIFIED", "SBU")).level == cls.CONTROLLED


def test_missing_classification_is_quarantined_even_with_portions():
    """Without a header classification the cable is quarantined, whatever its portions say."""
    r = route(cable(None, "S"))
    assert r.quarantined and r.quarantine_reason == NO_CLASSIFICATION


def test_unknown_classification_is_quarantined():
    """A header classification outside the vocabulary is quarantined with the reason."""
    r = route(cable("COSMIC PURPLE"))
    assert r.quarantined and "unknown classification" in r.quarantine_reason


def test_unknown_portion_mark_is_quarantined():
    """An unrecognised portion mark is a doubt, so quarantine, never a guess."""
    r = route(cable("SECRET", "S", "XQ"))
    assert r.quarantined and r.quarantine_reason.startswith(UNKNOWN_PORTION_MARK)


def test_top_secret_is_highest():
    """TOP SECRET outranks SECRET portions."""
    assert route(cable("TOP SECRET", "S")).level == cls.TOP_SECRET


def test_contradictory_header_markings_are_quarantined():
    """A caption that disagrees with the transmission line is quarantined, not settled by a guess."""
    c = Cable(body="x", classification="SECRET", classification_conflict="caption SECRET; ZNY CONFIDENTIAL")
    r = route(c)
    assert r.quarantined and r.quarantine_reason.startswith(CONTRADICTORY)
