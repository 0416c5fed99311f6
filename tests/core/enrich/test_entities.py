"""Entity extraction: persons, organizations, locations, dates and cable references."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.obs import metrics
from streams.core.enrich import enrich
from streams.vocab import ENTITY_TYPES
from streams.core.model import Cable, Entity, Person, Reference, Tag


def entities_of(body: str, **fields) -> list[Entity]:
    return list(enrich(Cable(body=body, **fields)).entities)


def one(found: list[Entity], etype: str, normalized: str) -> Entity:
    hits = [e for e in found if e.type == etype and e.normalized == normalized]
    assert len(hits) == 1, (etype, normalized, [(e.type, e.normalized) for e in found])
    return hits[0]


def normalized(found: list[Entity], etype: str) -> set[str]:
    return {e.normalized for e in found if e.type == etype}


@pytest.fixture(scope="module")
def seed(seed_cable: str) -> Cable:
    """The seed cable as the parser hands it over, dated (the extract has no date line)."""
    parse = pytest.importorskip("streams.core.parse").parse
    cable = parse(seed_cable)
    assert isinstance(cable, Cable)
    return enrich(dataclasses.replace(cable, date=cable.date or "2005-06-15"))


# --- the seed cable -----------------------------------------------------------------------------

def test_seed_foreign_minister_tokayev(seed: Cable) -> None:
    """``FM Tokayev`` is the person Tokayev with the title Foreign Minister, counted at each mention."""
    tokayev = one(list(seed.entities), "person", "Tokayev")
    assert tokayev.attributes["title"] == "Foreign Minister"
    assert tokayev.count == 4


def test_seed_ambassador_ordway_from_header_and_body(seed: Cable) -> None:
    """``Ambassador John Ordway`` (Classified By) and the signer ORDWAY are one person."""
    ordway = one(list(seed.entities), "person", "John Ordway")
    assert ordway.attributes["title"] == "Ambassador"
    assert set(ordway.attributes["role"].split(",")) == {"classified_by", "signer"}
    assert ordway.count == 3  # Classified By, "Ambassadors Sharp and Ordway", the signature


def test_seed_other_people(seed: Cable) -> None:
    """The UK Ambassador and the Kazakhstani Ambassador to the UN are found with their title."""
    found = list(seed.entities)
    assert one(found, "person", "James Sharp").attributes["title"] == "Ambassador"
    assert one(found, "person", "Yerzhan Kazykhanov").attributes["title"] == "Ambassador"


def test_seed_countries_and_places(seed: Cable) -> None:
    """Kazakhstan is KZ; the UK, the U.S., Uzbekistan, Almaty, Astana and Central Asia are found."""
    found = list(seed.entities)
    kz = one(found, "location", "KZ")
    assert kz.attributes == {"kind": "country", "iso": "KZ", "name": "Kazakhstan"}
    assert {"KZ", "GB", "US", "UZ", "Almaty", "Astana", "Central Asia"} <= normalized(found, "location")
    assert one(found, "location", "Almaty").attributes == {"kind": "city", "iso": "KZ"}


def test_seed_organizations(seed: Cable) -> None:
    """SCO (written out), the UN, the P-3 and the P-5 are organizations."""
    assert {"SCO", "UN", "P-3", "P-5"} <= normalized(list(seed.entities), "organization")


def test_seed_dates_and_reference(seed: Cable) -> None:
    """June 14 and July 5 take the cable's year; REF STATE 109258 is a cable reference."""
    found = list(seed.entities)
    assert {"2005-06-14", "2005-07-05", "2005-10"} <= normalized(found, "date")
    ref = one(found, "cable_reference", "05STATE109258")
    assert ref.attributes["year"] == "assumed"


def test_seed_spans_point_into_the_body(seed: Cable) -> None:
    """Every span is an offset pair into ``cable.body`` covering the mention."""
    for e in seed.entities:
        for start, end in e.spans:
            assert 0 <= start < end <= len(seed.body)
        if e.spans:
            start, end = e.spans[0]
            assert seed.body[start:end] == e.text


# --- persons --------------------------------------------------------------------------------------

def test_titled_names_with_abbreviated_and_lower_case_roles() -> None:
    """``PM``, ``A/S``, ``Deputy Foreign Minister`` and ``leader`` introduce names with their title."""
    found = entities_of(
        "PM Nuri al-Maliki met A/S Stephen Mull and Deputy Foreign Minister Rapil Zhoshybayev. "
        "PML-N leader Nawaz Sharif was not there.\n"
    )
    assert one(found, "person", "Nuri al-Maliki").attributes["title"] == "Prime Minister"
    assert one(found, "person", "Stephen Mull").attributes["title"] == "Assistant Secretary"
    assert one(found, "person", "Rapil Zhoshybayev").attributes["title"] == "Deputy Foreign Minister"
    assert one(found, "person", "Nawaz Sharif").attributes["title"] == "leader"


def test_later_surname_joins_the_full_name() -> None:
    """A later bare surname counts for the full name introduced earlier."""
    found = entities_of("President Hamid Karzai spoke first. Karzai then left; KARZAI returned.\n")
    karzai = one(found, "person", "Hamid Karzai")
    assert karzai.count == 2  # capitals are looked for in subject lines only


def test_shared_surname_stays_apart() -> None:
    """A bare surname two people share is not given to either of them."""
    found = entities_of(
        "President Nestor Kirchner and Senator Cristina Fernandez de Kirchner met. Kirchner spoke.\n"
    )
    assert one(found, "person", "Nestor Kirchner").count == 1
    assert one(found, "person", "Cristina Fernandez de Kirchner").count == 1


def test_all_capitals_lines_stop_names_at_ordinary_words() -> None:
    """In capitals, ``PRIME MINISTER SERGEY IVANOV TOLD`` gives Sergey Ivanov, not Ivanov Told."""
    found = entities_of("SUBJECT: PRIME MINISTER SERGEY IVANOV TOLD THE AMBASSADOR\n")
    assert one(found, "person", "Sergey Ivanov").attributes["title"] == "Prime Minister"


def test_header_people_without_body_mention() -> None:
    """The Classified By person is a person even when the body does not name them."""
    found = entities_of("1. (C) Nothing here.\n", classified_by=Person(name="Anne W. Patterson", title="Ambassador"))
    p = one(found, "person", "Anne W. Patterson")
    assert p.spans == () and p.attributes == {"role": "classified_by", "title": "Ambassador"}


def test_a_country_is_not_a_name() -> None:
    """``Ambassador to Spain`` names no person called Spain."""
    found = entities_of("The Ambassador to Spain met officials in Spain.\n")
    assert normalized(found, "person") == set()
    assert "ES" in normalized(found, "location")


# --- organizations ----------------------------------------------------------------------------------

def test_organization_spellings_share_one_entity() -> None:
    """``Foreign Ministry`` and ``MFA`` are the Ministry of Foreign Affairs; NATO is NATO."""
    found = entities_of("The Foreign Ministry and the MFA spokesman denied it. NATO agreed.\n")
    mfa = one(found, "organization", "Ministry of Foreign Affairs")
    assert mfa.count == 2
    one(found, "organization", "NATO")


def test_defined_acronym_counts_where_it_recurs() -> None:
    """``Independent Election Commission (IEC)`` defines IEC; a later IEC is the same body."""
    found = entities_of(
        "The Independent Election Commission (IEC) set a date. Later the IEC changed it.\n"
    )
    iec = one(found, "organization", "IEC")
    assert iec.count == 3


def test_parties_and_ministries_by_their_head_noun() -> None:
    """Capitalized names ending in Party or headed by Ministry are organizations."""
    found = entities_of(
        "The Grand National Party criticized the Ministry of National Defense on Monday.\n"
    )
    assert {"Grand National Party", "Ministry of National Defense"} <= normalized(found, "organization")


def test_place_in_the_of_part_of_an_organization_is_no_mention_of_its_own() -> None:
    """``Electoral Commission of Kenya`` is an organization, and Kenya inside it is no location
    (the blind gold's flat rule, GUIDE.md section 6; ents-4)."""
    found = entities_of("The Electoral Commission of Kenya met.\n")
    assert "Electoral Commission of Kenya" in normalized(found, "organization")
    assert "KE" not in normalized(found, "location")


# --- locations ----------------------------------------------------------------------------------------

def test_countries_cities_and_regions() -> None:
    """Countries are ISO codes, cities and regions keep their name with the country's code."""
    found = entities_of("Talks in Tashkent on Darfur and Iran; the ROK and the UAE joined.\n")
    assert {"IR", "KR", "AE"} <= normalized(found, "location")
    assert one(found, "location", "Tashkent").attributes == {"kind": "city", "iso": "UZ"}
    assert one(found, "location", "Darfur").attributes == {"kind": "region", "iso": "SD"}


def test_demonym_names_its_country() -> None:
    """``Brazilian President Lula`` in a cable tagged BR names Brazil: one country entity marked as
    found by demonym; untagged, a demonym alone is an adjective (``French diplomats``), no place."""
    assert normalized(entities_of("Brazilian President Lula spoke.\n"), "location") == set()
    found = entities_of("Brazilian President Lula spoke.\n", tags=(Tag("PREL"), Tag("BR")))
    br = one(found, "location", "BR")
    assert br.text == "Brazilian" and br.attributes["via"] == "demonym"
    found = entities_of("Brazilian officials said Brazil agrees.\n")
    assert "via" not in one(found, "location", "BR").attributes


def test_lower_case_words_are_not_places() -> None:
    """``turkey`` and ``chad`` in lower case are not countries in an ordinary cable."""
    assert normalized(entities_of("We ate turkey with chad and jordan almonds.\n"), "location") == set()


def test_government_abbreviation_is_the_government_of_the_cables_country() -> None:
    """``GOI`` in a cable tagged IN is the Government of India, one entity with ``Indian
    government``; in a cable tagged IZ (Iraq) it is the Government of Iraq."""
    body = "The GOI said the Indian government would act.\n"
    india = one(entities_of(body, tags=(Tag("PREL"), Tag("IN"))), "organization", "Government of India")
    assert india.count == 2 and india.attributes["country"] == "IN" and india.text == "GOI"
    iraq = one(entities_of("The GOI will decide.\n", tags=(Tag("IZ"),)), "organization", "Government of Iraq")
    assert iraq.attributes["country"] == "IQ"


def test_government_abbreviation_without_a_country_stays_as_written() -> None:
    """``GOK`` in a cable about none of Kenya, Kazakhstan, Kuwait ... keeps its written form."""
    gok = one(entities_of("The GOK did not reply.\n"), "organization", "GOK")
    assert "country" not in gok.attributes


def test_government_of_a_country_named_in_the_text() -> None:
    """``SAG`` resolves by the countries the text names when the tags do not say (South Africa)."""
    found = entities_of("The SAG told us that South Africa would abstain.\n")
    assert one(found, "organization", "Government of South Africa").attributes["country"] == "ZA"


def test_untitled_full_names_are_persons_and_their_surnames_count() -> None:
    """``Jose Bove and Zacarias Moussaoui`` (no title) are two persons; a later ``Moussaoui``
    joins the full name; an ordinary word before a name is not part of it."""
    found = entities_of("She defended both Jose Bove and Zacarias Moussaoui in court.\n"
                        "Later Moussaoui appealed.\n")
    assert one(found, "person", "Jose Bove").count == 1
    assert one(found, "person", "Zacarias Moussaoui").count == 2


def test_capitalized_runs_naming_other_things_are_not_persons() -> None:
    """Words next to a place or organization word (``Orthodox Church``, ``Bilawal House``), set
    phrases (``End Summary``) and runs in a skipped caption line are not untitled names."""
    found = entities_of("End Summary.\nHe visited the Orthodox Church and Bilawal House in Karachi.\n")
    assert normalized(found, "person") == set()


def test_keys_with_a_dot_inside_match_as_written() -> None:
    """``U.S. government`` (a dot and a space: two separators in the scanned text) is the US
    government; ``St. Petersburg`` is the city."""
    found = entities_of("He said the U.S. government would help St. Petersburg.\n")
    assert one(found, "organization", "Government of the United States").text == "U.S. government"
    assert one(found, "location", "Saint Petersburg").attributes["iso"] == "RU"


# --- dates -------------------------------------------------------------------------------------------

def test_day_and_month_take_the_cables_year() -> None:
    """``June 14`` in a cable of 2005-06-15 is 2005-06-14; ``14 June`` too."""
    found = entities_of("He met them June 14 and again on 14 June.\n", date="2005-06-15")
    assert one(found, "date", "2005-06-14").count == 2


def test_december_in_a_january_cable_is_last_year() -> None:
    """A date closer to the cable's date in the previous year is in the previous year."""
    found = entities_of("Since December 18 nothing moved.\n", date="2009-01-12")
    assert normalized(found, "date") == {"2008-12-18"}


def test_ranges_explicit_years_months_and_years() -> None:
    """Ranges, explicit years, months with a year, a month alone and a year alone are normalized
    (``October`` in a January cable is the October before: three months away, not nine)."""
    found = entities_of(
        "Meetings Jan. 28-29; the vote of August 31, 2006; the January 2009 crisis; in October; "
        "in mid-2008.\n",
        date="2004-01-20",
    )
    assert normalized(found, "date") == {
        "2004-01-28/2004-01-29", "2006-08-31", "2009-01", "2003-10", "2008",
    }


def test_date_without_cable_date_has_no_year() -> None:
    """Without a cable date a day and month normalize to the ISO truncated form ``--06-14``."""
    assert normalized(entities_of("On June 14 they met.\n"), "date") == {"--06-14"}


def test_declassification_date_is_not_a_mention() -> None:
    """The E.O. 12958 line's declassification date is skipped."""
    found = entities_of("E.O. 12958: DECL: 06/15/2015\nTAGS: PREL KZ\n\n1. Nothing.\n", date="2005-06-15")
    assert normalized(found, "date") == set()


def test_may_as_a_verb_is_not_a_month() -> None:
    """``May`` without a preposition or a day is the verb; ``in May`` is the month."""
    assert normalized(entities_of("May we add this?\n", date="2006-09-28"), "date") == set()
    assert normalized(entities_of("He signed in May.\n", date="2006-09-28"), "date") == {"2006-05"}


# --- cable references -----------------------------------------------------------------------------------

def test_references_are_normalized_to_cable_ids() -> None:
    """``08 BAGHDAD 3921``, ``STATE 104512`` and ``09KABUL3364`` become canonical ids."""
    body = "REF: A. 08 BAGHDAD 3921 B. STATE 104512 C. 09KABUL3364\n\n1. (C) As reported in STATE 104512.\n"
    found = entities_of(body, date="2009-01-12")
    assert normalized(found, "cable_reference") == {"08BAGHDAD3921", "09STATE104512", "09KABUL3364"}
    assert one(found, "cable_reference", "09STATE104512").count == 2


def test_own_caption_is_not_a_reference() -> None:
    """The caption ``ASTANA 000512`` is the cable itself, not a reference."""
    found = entities_of("C O N F I D E N T I A L ASTANA 000512\n\n1. Text.\n", date="2005-06-15")
    assert normalized(found, "cable_reference") == set()


def test_parser_references_without_body_text_are_kept() -> None:
    """A reference from the parser's REF list is an entity even if its text is not in the body."""
    found = entities_of("1. Text.\n", date="2005-06-15",
                        references=(Reference(letter="A", raw="STATE 1", id="05STATE1"),))
    assert normalized(found, "cable_reference") == {"05STATE1"}


# --- the stage as a whole -------------------------------------------------------------------------

def test_entities_are_deduplicated_per_cable() -> None:
    """One entity per type and normalized form, whatever the number of mentions."""
    found = entities_of("Iran, Iran and IRAN. The IAEA and the IAEA.\n")
    keys = [(e.type, e.normalized) for e in found]
    assert len(keys) == len(set(keys))
    assert one(found, "location", "IR").count == 3


def test_entity_types_are_the_metric_labels() -> None:
    """Entity types are exactly the bounded label set of ``cables_entities_extracted_total``."""
    assert tuple(ENTITY_TYPES) == tuple(metrics.ENTITY_TYPES)


def test_enrich_marks_the_cable_and_keeps_everything_else() -> None:
    """Enrich returns the same cable with tags, entities and ``enriched=True``, nothing else changed."""
    cable = Cable(body="Iran.", id="05X1", tags=(Tag("IR"),), date="2005-01-01")
    out = enrich(cable)
    assert out.enriched and out.id == cable.id and out.body == cable.body and out.date == cable.date
    assert out.tags[0].iso_code == "IR"


@settings(max_examples=200, deadline=None)
@given(
    body=st.text(max_size=400),
    date=st.one_of(st.none(), st.text(max_size=12), st.dates().map(str)),
    signer=st.one_of(st.none(), st.text(max_size=20)),
    tags=st.lists(st.text(max_size=25), max_size=5),
)
def test_enrich_never_raises(body: str, date: str | None, signer: str | None, tags: list[str]) -> None:
    """Whatever the body, date, signer or tags, enrich returns an enriched cable of valid entities."""
    cable = Cable(body=body, date=date, signer=signer, tags=tuple(Tag(code=t) for t in tags),
                  classified_by=Person(name=signer) if signer else None)
    out = enrich(cable)
    assert out.enriched
    for e in out.entities:
        assert e.type in ENTITY_TYPES
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in e.attributes.items())
        assert all(0 <= s < t <= len(body) for s, t in e.spans)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz.,()-'0123456789\n\u00b6", max_size=600))
def test_extraction_does_not_fail_on_cable_like_text(body: str) -> None:
    """The finders themselves (not only enrich's safety net) handle cable-like random text."""
    from streams.core.enrich import entities

    entities.extract(Cable(body=body, date="2008-02-29"))


def test_new_entity_builds_the_same_frozen_entity_as_the_dataclass() -> None:
    """``mentions.new_entity`` (slot setters, for speed) gives an Entity equal to ``Entity(...)``,
    still frozen."""
    from streams.core.enrich.mentions import new_entity

    args = ("person", "Tokayev", "Kassymzhomart Tokayev", 2, ((0, 7), (20, 27)), {"title": "Foreign Minister"})
    built = new_entity(*args)
    assert built == Entity(*args)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.count = 3  # type: ignore[misc]
