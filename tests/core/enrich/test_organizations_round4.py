"""Organizations and places of the fourth round (issue 14): conventions of the blind gold's guide
checked on the whole corpus. Each fragment is quoted from a cable of
``shared/data/corpus/dev-cables.jsonl`` (its id in the docstring)."""

from __future__ import annotations

from streams.core.enrich import enrich
from streams.core.model import Cable, Entity, Tag


def entities_of(body: str, *tags: str) -> list[Entity]:
    return list(enrich(Cable(body=body, tags=tuple(Tag(t) for t in tags))).entities)


def texts(found: list[Entity], kind: str) -> list[str]:
    return [" ".join(e.text.split()) for e in found if e.type == kind]


def test_the_of_part_of_a_name_may_continue_on_the_next_line() -> None:
    """06PARIS2358: ``The Government of \\nColombia`` (wrapped) is the government of Colombia, and
    Colombia inside it is no place of its own (flat rule)."""
    found = entities_of("the detention of non-state actors. The Government of \n"
                        "Colombia, Fraper added, had also had expressed concerns, yet \n")
    assert [(e.normalized, e.attributes.get("country")) for e in found if e.type == "organization"] == [
        ("Government of Colombia", "CO")]
    assert texts(found, "location") == []


def test_a_title_and_a_name_after_the_of_part_end_the_organization() -> None:
    """08BEIJING1141: ``Department of Arms Control Director General Cheng Jingye``: the department
    ends before the title that introduces a person."""
    found = entities_of("export control is remarkable, MFA Department of Arms Control Director General "
                        "Cheng Jingye told Staffdel Januzzi March 24.\n")
    orgs = texts(found, "organization")
    assert "Department of Arms Control" in orgs and "MFA" in orgs
    assert not any("Director" in t for t in orgs)


def test_a_title_inside_the_name_stays_when_no_person_follows() -> None:
    """09BOGOTA1588: ``the UN Office of the High Commissioner on Human Rights (UNHCHR)``: ``High
    Commissioner`` is part of the office's name (no person's name after it)."""
    found = entities_of("He noted that the UN Office of the High Commissioner on Human Rights (UNHCHR) "
                        "also regularly visited.\n")
    assert any(t.startswith("UN Office of the High Commissioner") for t in texts(found, "organization"))


def test_and_before_a_known_organization_ends_the_name() -> None:
    """09MUNICH273: ``the Department of Defense and Congress`` is two bodies."""
    found = entities_of("extend beyond the Department of State to the Department of Defense and\n"
                        "Congress, notably through the vehicle of the annual\n")
    orgs = texts(found, "organization")
    assert "Department of Defense" in orgs and "Congress" in orgs
    assert not any("and" in t.split() for t in orgs)


def test_a_possessive_ends_the_of_part() -> None:
    """09MAPUTO713: ``the Department of Treasury's Office of Technical Assistance``: the department
    ends at its possessive; the office is a name of its own."""
    found = entities_of("Via the Department of Treasury's Office of Technical Assistance, the USG is "
                        "providing training.\n")
    orgs = texts(found, "organization")
    assert "Department of Treasury" in orgs and "Office of Technical Assistance" in orgs


def test_an_acronym_the_cable_spells_out_as_something_else_is_no_organization() -> None:
    """09DOHA728: ``the Tehran Research Reactor (TRR)`` ... ``the TRR deal``: the acronym names a
    reactor (its long form ends in an ordinary noun, not an organization noun), not a body."""
    found = entities_of("(S) Referring to the current proposal on the Tehran Research Reactor (TRR), "
                        "Deputy Secretary Poneman stressed the offer. The Russians appear to be holding a "
                        "similar line to the USG on the TRR deal and we remain in close contact.\n")
    assert "TRR" not in texts(found, "organization")


def test_an_acronym_spelled_out_as_a_name_without_an_organization_noun_stays_a_body() -> None:
    """09PESHAWAR147: ``the Tehrik-i-Taliban Pakistan (TTP)`` ... ``the formation of the TTP``: a
    group's own name (not an ordinary noun at its end) keeps the acronym an organization."""
    found = entities_of("against Baitullah Mehsud (ref C) and the Tehrik-i-Taliban Pakistan (TTP), it has "
                        "narrowed the focus. He announced the formation of the TTP in December 2007. "
                        "The TTP, an umbrella group, claimed the attacks.\n")
    assert "TTP" in texts(found, "organization")


def test_a_ministry_acronym_before_a_department_is_a_body_of_its_own() -> None:
    """08MOSCOW1991: ``the IOPS and MFA Middle East\\nDepartment Deputy Director Oleg Ozerov``: the
    ministry (``MFA``) and its department (``Middle East Department``) are two organizations."""
    found = entities_of("Sergey Stepashin, is Chairman of the IOPS and MFA Middle East\n"
                        "Department Deputy Director Oleg Ozerov heads its international work.\n")
    orgs = {" ".join(e.text.split()): e.normalized for e in found if e.type == "organization"}
    assert orgs.get("Middle East Department") == "Middle East Department"
    assert orgs.get("MFA") == "Ministry of Foreign Affairs"


def test_a_leaders_government_and_the_us_administration_are_no_organizations() -> None:
    """05MADRID541 ``the Zapatero Government is hoping`` and 09BRASILIA177 ``Since the new U.S.
    Administration has come on board``: the guide counts the person and the country, not the
    phrase; ``the Spanish Government`` stays an organization."""
    found = entities_of("In return for these gestures, the Zapatero Government is\nhoping for support. "
                        "Since the new U.S. Administration has come on board, he has changed course. "
                        "The Spanish Government agreed.\n")
    assert texts(found, "organization") == ["Spanish Government"]
    assert "U.S." in texts(found, "location")


def test_an_acronym_spelled_out_with_its_connectors_as_something_else_is_no_organization() -> None:
    """08ISLAMABAD1998: ``the Global War on Terror (GWOT)`` ... ``responsibility for the GWOT``:
    the initials count ``on``; a war is no body."""
    found = entities_of("Zardari stressed that the Global War on Terror (GWOT) was Pakistan's war. Zardari "
                        "blamed President Pervez Musharraf for not taking enough responsibility for the GWOT "
                        "in Pakistan.\n")
    assert "GWOT" not in texts(found, "organization")


def test_a_body_spelled_out_with_its_connectors_stays_an_organization() -> None:
    """10BEIJING367: ``The UK's Department for International Development (DFID) was offered as an
    example`` ... ``DFID's success``: an organization noun in the long form keeps it a body."""
    found = entities_of("The UK's Department for International Development (DFID) was offered as an example "
                        "of an organization that has managed well. DFID's success has come from focusing "
                        "on small projects.\n")
    assert "DFID" in texts(found, "organization")


def test_the_air_force_alone_is_a_bare_type_noun_and_the_brazilian_air_force_a_body() -> None:
    """09BRASILIA41: ``acknowledged by contacts in the Brazilian Air Force`` is an organization;
    ``the initial review of the proposals will be done by the Air Force`` names none (the guide's
    bare type nouns: ``the army``, ``the Armed Forces``)."""
    found = entities_of("It is acknowledged by contacts in the Brazilian Air Force as offering the best plane. "
                        "While the initial review of the proposals will be done by the Air Force, final "
                        "decisions will be made at higher levels.\n")
    assert texts(found, "organization") == ["Brazilian Air Force"]
    assert [e.count for e in found if e.type == "organization"] == [1]


def test_an_acronym_the_cable_writes_in_the_plural_is_no_organization() -> None:
    """09PARIS559: ``an e-mail warning from the ISP`` ... ``their ISP contracts`` ... ``records from
    ISPs``: a kind of company, not one body."""
    found = entities_of("Users caught downloading illegal content will first receive an e-mail warning from "
                        "the ISP. Others continue paying their ISP contracts. It will have the right to obtain "
                        "personal records from ISPs.\n")
    assert "ISP" not in texts(found, "organization")


def test_an_acronym_for_a_document_named_after_a_body_is_no_organization_nor_is_the_body_in_it() -> None:
    """08STATE128877: ``the steps that countries should take to implement United Nations Security
    Council Resolution (UNSCR) 1803's call``: a resolution (the guide's documents), and the council
    inside its name is no mention of its own (the flat rule)."""
    found = entities_of("guidance on the steps that countries should take to implement United Nations "
                        "Security Council Resolution (UNSCR) 1803's call for vigilance.\n")
    assert texts(found, "organization") == []


def test_a_school_is_an_organization() -> None:
    """09TUNIS492: ``a clumsy effort to impose new and retroactive taxes on the American Cooperative
    School of Tunis``: schools are organizations (GUIDE.md 5, notes_b 11), and Tunis inside the
    name is no place of its own."""
    found = entities_of("This was a clumsy effort to impose new and retroactive taxes on the American "
                        "Cooperative School of Tunis.\n")
    assert texts(found, "organization") == ["American Cooperative School of Tunis"]
    assert texts(found, "location") == []
