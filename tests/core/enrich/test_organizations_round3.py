"""Organizations and places of the third round (issue 14): media named after a cue noun or ending
in a media noun, State office symbols, company suffixes, and English names of subdivisions."""

from __future__ import annotations

from streams.core.enrich import enrich
from streams.core.model import Cable, Entity, Tag


def entities_of(body: str, *tags: str) -> list[Entity]:
    return list(enrich(Cable(body=body, tags=tuple(Tag(t) for t in tags))).entities)


def texts(found: list[Entity], kind: str) -> list[str]:
    return [" ".join(e.text.split()) for e in found if e.type == kind]


def test_a_paper_named_after_a_cue_noun_is_an_organization_everywhere_in_the_cable() -> None:
    """``the daily Dnevnik Vremya`` (a name no list holds) is an organization, not a person, and
    so is the same name written later without its cue."""
    found = entities_of("The opposition daily Dnevnik Vremya reported the plan.\n"
                        "Dnevnik Vremya later quoted the minister.\n")
    orgs = [e for e in found if e.type == "organization"]
    assert [(e.text, e.count) for e in orgs] == [("Dnevnik Vremya", 2)]
    assert texts(found, "person") == []


def test_a_cue_noun_before_a_month_or_a_day_names_nothing() -> None:
    """``the weekly Wednesday meeting`` and ``the daily July report`` name no paper."""
    found = entities_of("He attended the weekly Wednesday meeting and read the daily July report.\n")
    assert texts(found, "organization") == []


def test_a_name_ending_in_a_media_noun_is_an_organization_but_not_after_a_demonym_alone() -> None:
    """``Kanal7 TV`` names a broadcaster; ``Spanish TV`` is a country's television (nothing)."""
    found = entities_of("Kanal7 TV broadcast the speech, and Spanish TV showed parts of it.\n")
    assert texts(found, "organization") == ["Kanal7 TV"]


def test_state_office_symbols_are_organizations_and_markings_are_not() -> None:
    """``ISN/MTR`` and ``EEB/ESC/TFS`` are offices of State bureaus; ``S/NF`` is a marking and
    ``AF/PAK`` a region."""
    found = entities_of("ISN/MTR Director Smith and EEB/ESC/TFS staff met (S/NF) on AF/PAK issues.\n")
    assert texts(found, "organization") == ["ISN/MTR", "EEB/ESC/TFS"]


def test_a_company_suffix_ends_a_name_with_its_dot_and_does_not_start_one() -> None:
    """``Pinya Manufacturing Co. Ltd.`` is one company with its dot; the next name does not run
    on from ``Ltd.`` (``Ltd. Koral Optics Division`` is not one name)."""
    found = entities_of("The buyer was Pinya Manufacturing Co. Ltd. and the seller Koral Optics Division.\n")
    assert texts(found, "organization") == ["Pinya Manufacturing Co. Ltd.", "Koral Optics Division"]


def test_english_names_of_subdivisions_and_historic_states_are_places() -> None:
    """``Bavaria`` (ISO 3166-2 writes ``Bayern``) is a region of Germany; ``USSR`` is the Soviet
    Union, a place and not an organization."""
    found = entities_of("Officials in Bavaria recalled the USSR and its collapse.\n")
    places = {e.text: e for e in found if e.type == "location"}
    assert places["Bavaria"].attributes.get("iso") == "DE"
    assert places["USSR"].normalized == "Soviet Union"
    assert texts(found, "organization") == []


def test_a_us_mission_is_the_embassy_with_its_city_and_an_imperative_is_not_part_of_it() -> None:
    """``Request Embassy Beijing deliver`` names the organization ``Embassy Beijing`` (the city
    inside it is no place of its own), and ``U.S. Embassy Kabul`` keeps its ``U.S.``."""
    found = entities_of("Request Embassy Beijing deliver the note. U.S. Embassy Kabul agreed.\n")
    assert texts(found, "organization") == ["Embassy Beijing", "U.S. Embassy Kabul"]
    assert texts(found, "location") == []
