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
