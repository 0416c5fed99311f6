"""Entities of the second round (issue 14): local places, facilities, coordinated organizations,
and the untitled-name runs found from Hyperscan's pairs of capitalized words."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from streams.core.enrich import enrich, gazetteer, persons
from streams.core.enrich.document import Doc
from streams.core.model import Cable, Entity, Tag

CORPUS = Path(os.environ.get("CABLES_SHARED_DATA", Path(__file__).resolve().parents[3].parent / "shared" / "data")) \
    / "corpus" / "dev-cables.jsonl"


def entities_of(body: str, *tags: str) -> list[Entity]:
    return list(enrich(Cable(body=body, tags=tuple(Tag(t) for t in tags))).entities)


def locations(found: list[Entity]) -> list[str]:
    return [e.normalized for e in found if e.type == "location"]


def test_a_town_is_a_place_only_in_a_cable_about_its_country() -> None:
    """``Passau`` (a German town below the city floor) counts in a cable tagged Germany (FIPS
    ``GM``) or naming Germany, and not in a cable about another country."""
    body = "The delegation travelled to Passau on Monday to meet local officials.\n"
    assert "Passau" in locations(entities_of(body, "GM"))
    assert "Passau" in locations(entities_of("Germany said so. " + body))
    assert "Passau" not in locations(entities_of(body, "FR"))


def test_a_multi_word_town_is_a_place_not_an_untitled_person() -> None:
    """``Lashkar Gah`` in a cable tagged Afghanistan is a location, not a person named Lashkar Gah."""
    found = entities_of("Officials in Lashkar Gah said the road was open again.\n", "AF")
    assert "Lashkar Gah" in locations(found)
    assert [e for e in found if e.type == "person"] == []


def test_facilities_are_locations_named_with_their_noun() -> None:
    """A capitalized name before a facility noun or after a leading one is a location of kind
    ``facility``; the noun alone names nothing."""
    found = entities_of("Troops left Camp Bastion for the Sangin Valley. Lula met him at Planalto Palace.\n"
                        "Later the Palace said nothing.\n")
    facilities = {e.normalized: e.attributes.get("kind") for e in found if e.type == "location"}
    assert facilities == {"Camp Bastion": "facility", "Sangin Valley": "facility", "Planalto Palace": "facility"}


def test_a_place_inside_a_facility_is_not_a_mention_of_its_own() -> None:
    """``Tehran`` in ``Tehran Research Reactor`` is part of the facility's name (flat annotation)."""
    assert locations(entities_of("Fuel for the Tehran Research Reactor was discussed.\n")) == [
        "Tehran Research Reactor"]


def test_two_bodies_joined_by_and_are_two_organizations() -> None:
    """``the Duma and Federation Council`` names the Duma and the Federation Council, not one body."""
    found = entities_of("He met the heads of the Duma and Federation Council committees.\n")
    assert sorted(e.normalized for e in found if e.type == "organization") == ["Duma", "Federation Council"]


def test_an_organization_name_does_not_start_with_a_title() -> None:
    """``Director of the Asia Department`` names the Asia Department; the title is not part of it."""
    found = entities_of("We met the Director of the Asia Department yesterday.\n")
    assert [e.normalized for e in found if e.type == "organization"] == ["Asia Department"]


@pytest.mark.parametrize("body", [
    "Both Jose Bove and Zacarias Moussaoui spoke.\n",
    "Met Aa Bb\u4e00Cc Dd and Ee\u2019s Ff Gg here.\n",  # a non-Latin-1 character glued to a word
    "Abc-Def Ghi de la Jkl; Mno\n\nPqr Stu Vwx\nYz Ab\n",
])
def test_runs_from_pairs_equal_the_whole_text_search(body: str) -> None:
    """The capitalized runs found from Hyperscan's pairs are those of the whole-text expression."""
    if not gazetteer.HAVE_HYPERSCAN:
        pytest.skip("hyperscan is not installed here")
    previous = gazetteer.select_matcher("hyperscan")
    try:
        doc = Doc.of(body)
        assert [r.span() for r in persons._runs(doc)] == [r.span() for r in persons._CAPITALIZED_RUN.finditer(body)]
    finally:
        gazetteer.select_matcher(previous)


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_runs_from_pairs_equal_the_whole_text_search_on_the_corpus() -> None:
    """On 300 corpus cables, the runs found from the pairs are those of the whole-text search."""
    if not gazetteer.HAVE_HYPERSCAN:
        pytest.skip("hyperscan is not installed here")
    previous = gazetteer.select_matcher("hyperscan")
    try:
        with CORPUS.open(encoding="utf-8") as fh:
            bodies = [json.loads(line)["body"] for _, line in zip(range(300), fh)]
        for body in bodies:
            doc = Doc.of(body)
            assert [r.span() for r in persons._runs(doc)] == \
                [r.span() for r in persons._CAPITALIZED_RUN.finditer(body)]
    finally:
        gazetteer.select_matcher(previous)


def organizations(found: list[Entity]) -> list[str]:
    return [e.normalized for e in found if e.type == "organization"]


def test_an_acronym_used_as_a_body_is_an_organization() -> None:
    """An unknown acronym used twice, once as ``the MDC``, is an organization at every use."""
    found = entities_of("Talks between ZANU-PF and the MDC went on. The MDC said no.\n")
    (mdc,) = [e for e in found if e.normalized == "MDC"]
    assert mdc.type == "organization" and mdc.count == 2


def test_an_acronym_used_once_or_without_the_is_not_an_organization() -> None:
    """One use, or uses never written as ``the X``/``X's``, say nothing about what an acronym names."""
    assert "MDC" not in organizations(entities_of("Talks with the MDC went on.\n"))
    assert "QRZ" not in organizations(entities_of("QRZ levels rose. QRZ levels fell.\n"))


def test_an_acronym_before_a_number_designates_a_document() -> None:
    """``the UNSCR 1244`` twice is a resolution, not an organization."""
    assert organizations(entities_of("Under the UNSCR 1244 regime, the UNSCR 1244 mandate holds.\n")) == []


def test_an_acronym_that_is_a_title_introduces_a_person() -> None:
    """``NSA Narayanan`` is the National Security Advisor, not the organization NSA."""
    found = entities_of("NSA Narayanan met the Ambassador.\n")
    assert organizations(found) == []
    assert [(e.normalized, e.attributes.get("title")) for e in found if e.type == "person"] == [
        ("Narayanan", "National Security Advisor")]


def test_organization_names_across_typography() -> None:
    """A faction letter ends a party's name (``League-N``), a typographic apostrophe keeps
    ``People\u2019s`` in it, and a name may start a line after ``the``."""
    found = entities_of("The Pakistan Muslim League-N and the Pakistan People\u2019s Party met; the\n"
                        "Colombian Army said so.\n")
    assert organizations(found) == ["Pakistan Muslim League-N", "Pakistan People\u2019s Party", "Colombian Army"]
