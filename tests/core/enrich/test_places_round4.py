"""Places of the fourth round (issue 14): shorter forms of ISO 3166-2 and GeoNames names that
cables write, singular forms of plural regions, and Arabic names that only contain a town's name.
Each fragment is quoted from a cable of ``shared/data/corpus/dev-cables.jsonl`` (its id in the
docstring)."""

from __future__ import annotations

from streams.core.enrich import enrich
from streams.core.model import Cable, Entity, Tag


def entities_of(body: str, *tags: str) -> list[Entity]:
    return list(enrich(Cable(body=body, tags=tuple(Tag(t) for t in tags))).entities)


def places(found: list[Entity]) -> dict[str, Entity]:
    return {" ".join(e.text.split()): e for e in found if e.type == "location"}


def test_a_chinese_province_without_its_type_word_is_a_place_in_a_cable_about_china() -> None:
    """09BEIJING1247 (tagged CH): ``local authorities in Gansu Province had detained a British
    Consul``: ISO 3166-2 writes ``Gansu Sheng``; cables write ``Gansu``."""
    found = entities_of("Wood reported that local authorities in Gansu Province had detained a British\n"
                        "Consul, reflecting the authorities' nervousness.\n", "CH")
    assert places(found)["Gansu"].attributes.get("iso") == "CN"


def test_an_iraqi_province_without_its_arabic_article_is_a_place_in_a_cable_about_iraq() -> None:
    """10BAGHDAD167 (tagged IZ): ``he reported on Iranian activities in Muthanna``: ISO 3166-2
    writes ``Al Muthanna``."""
    found = entities_of("the Americans did nothing for him, even after he reported on Iranian activities "
                        "in Muthanna (Ref A).\n", "IZ")
    assert places(found)["Muthanna"].attributes.get("iso") == "IQ"


def test_the_singular_of_a_plural_region_is_the_region() -> None:
    """10PRISTINA44: ``a grave threat to stability in Kosovo and the Western Balkan region``: the
    Western Balkans (not ``Balkan``, a province of Turkmenistan)."""
    found = entities_of("a grave threat to stability in Kosovo and the Western Balkan region.\n")
    assert places(found)["Western Balkan"].normalized == "Western Balkans"
    assert all(e.attributes.get("iso") != "TM" for e in found)


def test_a_town_name_after_a_hyphenated_arabic_article_is_part_of_a_longer_name() -> None:
    """09SANAA1662 (here tagged IZ, where ``Al Alam`` is a town): ``Iranian al-Alam TV quoted rebel
    leader Yahya al-Houthi``: ``Alam`` is part of the broadcaster's name, not the town."""
    found = entities_of("On August 24, Iranian al-Alam TV quoted rebel leader Yahya al-Houthi.\n", "IZ")
    assert "Alam" not in places(found)


def test_a_name_before_an_area_noun_is_a_place_and_so_are_its_other_mentions() -> None:
    """08KABUL3030: ``installing an Alizai ally as chief of Kajaki district``: Kajaki (no data set
    here lists it) is a place, and so is the later bare ``Kajaki`` of the same cable."""
    found = entities_of("his recent success in installing an Alizai ally as chief of Kajaki district. "
                        "Security in Kajaki remains poor.\n")
    assert places(found)["Kajaki"].count == 2
    assert places(found)["Kajaki"].attributes == {"kind": "region"}


def test_two_names_before_a_plural_area_noun_are_two_places_and_an_adjective_is_none() -> None:
    """09SANAA1662 ``especially Hadramout and Shabwa governorates`` names two places; 09KABUL4150
    ``distributing weapons to Balkh's Pashtun districts`` names none (an ethnic adjective)."""
    found = entities_of("He had been instructed to study the south of Yemen, especially Hadramout and Shabwa\n"
                        "governorates. Others were distributing weapons to the Pashtun districts.\n")
    assert {"Hadramout", "Shabwa"} <= set(places(found))
    assert "Pashtun" not in places(found)


def test_us_is_the_country_in_mixed_case_but_not_the_pronoun_in_capitals_nor_a_currency() -> None:
    """08RPODUBAI49 ``after US forces had detained Iranian officers`` names the United States;
    08LAPAZ1667's heading ``GIVE US THE CASH`` is the pronoun and 09BRASILIA1460's ``(about
    US$3 million)`` a currency."""
    found = entities_of("STOP THE CONSPIRACY AND GIVE US THE CASH\n\n"
                        "The fund will provide Reals $5.4 million (about US$3 million). Cards had become more "
                        "important after US forces had detained Iranian officers.\n")
    us = [e for e in found if e.type == "location" and e.normalized == "US"]
    assert [(e.text, e.count) for e in us] == [("US", 1)]
