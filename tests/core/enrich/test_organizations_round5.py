"""Organizations of the fifth round (issue 14): head nouns and shapes mined from the corpus (runs of
capitalized words the extractor gave no entity). Each fragment is quoted from a cable of
``shared/data/corpus/dev-cables.jsonl`` (its id in the docstring)."""

from __future__ import annotations

from streams.core.enrich import enrich
from streams.core.model import Cable, Entity, Tag


def entities_of(body: str, *tags: str) -> list[Entity]:
    return list(enrich(Cable(body=body, tags=tuple(Tag(t) for t in tags))).entities)


def texts(found: list[Entity], kind: str) -> list[str]:
    return [" ".join(e.text.split()) for e in found if e.type == kind]


def test_a_unit_is_an_organization() -> None:
    """08LONDON1001: ``head of HMG's existing Stabilization Unit``: a unit is a body (GUIDE.md 5)."""
    found = entities_of("Richard Teutten, head of HMG\u2019s existing Stabilization Unit for post-conflict "
                        "reconstruction (please protect), said\n")
    assert "Stabilization Unit" in texts(found, "organization")


def test_a_unit_spelled_out_before_its_acronym_defines_it() -> None:
    """08ISLAMABAD3010: ``The\\nFinancial Monitoring Unit (FMU) is reportedly functioning``: the
    acronym is the unit's."""
    found = entities_of("No timeline was provided. The\nFinancial Monitoring Unit (FMU) is reportedly "
                        "functioning and\nsubmitting reports. The FMU said\n")
    orgs = [(" ".join(e.text.split()), e.normalized, e.count) for e in found if e.type == "organization"]
    assert orgs == [("Financial Monitoring Unit", "FMU", 3)]


def test_a_fleet_is_an_organization() -> None:
    """08MOSCOW587: ``the status of the\\nBlack Sea Fleet and GOR-funded activities``: a fleet is a
    body (navies are organizations, GUIDE.md 5)."""
    found = entities_of("including a possible re-examination of the status of the\nBlack Sea Fleet and "
                        "GOR-funded activities in and around\nSevastopol.\n")
    assert "Black Sea Fleet" in texts(found, "organization")


def test_a_battalion_is_an_organization() -> None:
    """10ISLAMABAD175: ``the \n12th Northern Light Infantry Battalion (from Sialkot, Punjab)``: a
    battalion is a body."""
    found = entities_of("al forces \nare the 14th Punjab Battalion (from Kwazakhela, Swat, the \n"
                        "12th Northern Light Infantry Battalion (from Sialkot, Punjab) \nand the 4th\n", "PK")
    assert "Northern Light Infantry Battalion" in texts(found, "organization")


def test_the_office_of_a_title_is_an_organization() -> None:
    """09BOGOTA2963: ``The Prosecutor General's Office (Fiscalia) must be involved``: the office a
    title owns is a body, the title included."""
    found = entities_of("as much as possible within the next week. The Prosecutor General's Office "
                        "(Fiscalia) must be involved in the transition.\n")
    assert "Prosecutor General's Office" in texts(found, "organization")


def test_the_office_of_a_title_wrapped_and_after_a_title_of_its_own() -> None:
    """09PARIS933: ``Deputy Director of the \\nForeign Minister's Office, Michele Boccoz``: the office
    starts at the title that owns it, not at the role before ``of the``."""
    found = entities_of("Chevallier was joined by Deputy Director of the \nForeign Minister's Office, "
                        "Michele Boccoz; MFA Deputy\n")
    assert "Foreign Minister's Office" in texts(found, "organization")
    assert not [t for t in texts(found, "organization") if t.startswith(("Deputy", "Director"))]


def test_a_possessive_owner_that_is_no_title_still_ends_the_name() -> None:
    """09STATE14070 (``the U.S. Department of\nTreasury's Office of Foreign Assets Control``): only a
    title's office takes its owner; ``Treasury`` is no title (a guard: true before this round too)."""
    found = entities_of("-- In September 2008, the U.S. Department of\nTreasury's Office of Foreign Assets "
                        "Control (OFAC) designated\n")
    assert not [t for t in texts(found, "organization") if "Treasury's" in t]


def test_a_provincial_reconstruction_team_is_an_organization_with_its_acronym() -> None:
    """07PARIS4357: ``standing up a Provincial Reconstruction Team (PRT)``: the team and its acronym
    are one body, found wherever the acronym recurs."""
    found = entities_of("including by standing up a Provincial Reconstruction Team (PRT). We understand "
                        "the\nPresidency favors the PRT in Kapisa.\n")
    orgs = [(" ".join(e.text.split()), e.normalized, e.count) for e in found if e.type == "organization"]
    assert ("Provincial Reconstruction Team", "PRT", 3) in orgs


def test_a_watch_is_an_organization() -> None:
    """09SANAA2250: ``a critical and widely read\\nHuman Rights Watch report``: the watchdog is a body
    (NGOs are organizations, GUIDE.md 5)."""
    found = entities_of("comes on the heels of a critical and widely read\nHuman Rights Watch report focused "
                        "on the ROYG's\n")
    assert "Human Rights Watch" in texts(found, "organization")
