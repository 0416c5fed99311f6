"""The TAGS dictionary: kinds, meanings, countries and ISO codes, unknown and person tags."""

from __future__ import annotations

import csv

import pytest

from streams.core.enrich import enrich
from streams.core.enrich.tags import describe
from streams.core.model import Cable, Tag
from tests.conftest import require_shared


@pytest.mark.parametrize(
    ("fips", "iso", "country"),
    [
        ("RS", "RU", "Russia"),
        ("SF", "ZA", "South Africa"),
        ("IZ", "IQ", "Iraq"),
        ("KZ", "KZ", "Kazakhstan"),
        ("UK", "GB", "United Kingdom"),
        ("KN", "KP", "North Korea"),
        ("KS", "KR", "South Korea"),
        ("GM", "DE", "Germany"),
        ("SP", "ES", "Spain"),
        ("KV", "XK", "Kosovo"),
    ],
)
def test_geographic_tags_map_fips_codes_to_iso_codes(fips: str, iso: str, country: str) -> None:
    """A FIPS 10-4 geographic tag gets its country name and its ISO 3166-1 alpha-2 code."""
    tag = describe(fips)
    assert (tag.kind, tag.iso_code, tag.country) == ("geographic", iso, country)


def test_subject_tag_gets_kind_and_meaning() -> None:
    """A subject tag gets kind ``subject`` and its meaning from the dictionary."""
    tag = describe("PREL")
    assert tag.kind == "subject"
    assert tag.meaning and "External Political Relations" in tag.meaning
    assert tag.country is None and tag.iso_code is None


def test_organization_tag_gets_kind_and_meaning() -> None:
    """An organization tag gets kind ``organization`` and the organization's name."""
    tag = describe("IAEA")
    assert (tag.kind, tag.meaning) == ("organization", "International Atomic Energy Agency")


def test_world_region_tag_has_no_iso_code() -> None:
    """A world-region tag is geographic but names no single country."""
    tag = describe("2C")
    assert tag.kind == "geographic" and tag.meaning and "Central Asia" in tag.meaning
    assert tag.iso_code is None


def test_program_tag_kind_follows_from_its_form() -> None:
    """A K + three letters code missing from the dictionary is still a program tag, meaning unknown."""
    tag = describe("KNNP")
    assert (tag.kind, tag.meaning) == ("program", None)


def test_known_gap_from_missing_list_keeps_its_expected_kind() -> None:
    """A subject code listed in missing.txt (no meaning anywhere) still gets its kind."""
    assert describe("ETTC").kind == "subject"


def test_unknown_tag_is_kept_and_marked_unknown() -> None:
    """A code nobody knows keeps its spelling and gets kind ``unknown``."""
    tag = describe("POLITICAL")
    assert tag == Tag(code="POLITICAL", kind="unknown")


def test_lower_case_tags_are_looked_up_ignoring_case() -> None:
    """Lower-cased cables write ``tu``: it is Turkey, and the code stays as written."""
    tag = describe("tu")
    assert (tag.code, tag.iso_code) == ("tu", "TR")


@pytest.mark.parametrize("code", ["OVIP (CLINTON, HILLARY)", "CLINTON, HILLARY"])
def test_person_tags_become_persons(code: str) -> None:
    """A person tag has kind ``person`` and the name as meaning, and adds a person entity."""
    tag = describe(code)
    assert (tag.kind, tag.meaning) == ("person", "Hillary Clinton")
    cable = enrich(Cable(body="Secretary Clinton arrives on Monday.", tags=(Tag(code=code),)))
    persons = [e for e in cable.entities if e.type == "person"]
    assert [p.normalized for p in persons] == ["Hillary Clinton"]


def test_codes_run_together_are_not_a_person() -> None:
    """``EINV,EFIN`` (two codes without a space) is not read as a person's name."""
    assert describe("EINV,EFIN").kind == "unknown"


def test_enrich_describes_every_tag_in_order_and_drops_none() -> None:
    """Enrichment keeps every tag, in order, unknown ones included."""
    codes = ["KNNP", "KZ", "MNUC", "PARM", "PREL", "WMD", "POLITICAL"]
    cable = enrich(Cable(body="", tags=tuple(Tag(code=c) for c in codes)))
    assert [t.code for t in cable.tags] == codes
    assert [t.kind for t in cable.tags] == [
        "program", "geographic", "subject", "subject", "subject", "unknown", "unknown",
    ]


def test_dictionary_meanings_are_the_shared_data_verbatim() -> None:
    """Every row of shared tags.csv is in the package dictionary with the same kind and meaning."""
    path = require_shared("tags", "tags.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        tag = describe(row["code"])
        assert (tag.kind, tag.meaning) == (row["kind"], row["meaning"]), row["code"]
