"""The parsing conventions of issue 14, each pinned on real fragments (from the peer cases and the corpus).

Each fragment is put under a small routing header and caption of a 2007 cable, as in a real one;
the expected values are read off the fragment by hand, never taken from the parser.
"""

from __future__ import annotations

import pytest

from streams.core.model import Cable
from streams.core.parse import parse

HEAD_2007 = "R 150000Z MAR 07\nFM AMEMBASSY TBILISI\nTO SECSTATE WASHDC\nBT\nC O N F I D E N T I A L TBILISI 001234\n\n"


def _cable(fragment: str, head: str = HEAD_2007) -> Cable:
    c = parse(head + fragment)
    assert isinstance(c, Cable), c
    return c


def _tags(line: str) -> list[str]:
    return [t.code for t in _cable(f"E.O. 12958: N/A\n{line}\nSUBJECT: X\n\n1. (U) Text.\n").tags]


def _ref_ids(fragment: str, head: str = HEAD_2007) -> list[str]:
    return [r.id for r in _cable(fragment, head).references if r.id]


# --- TAGS ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # 09BEIJING2964 (the person in parentheses is a tag of its own)
        ("TAGS: OVIP (STEINBERG, JAMES B.) PREL MNUC SN CH KN",
         ["OVIP", "STEINBERG, JAMES B.", "PREL", "MNUC", "SN", "CH", "KN"]),
        # 09BEIJING2964 as other copies write it: a known person tag without its comma
        ("TAGS: OVIP STEINBERG JAMES PREL MNUC SN CH KN",
         ["OVIP", "STEINBERG, JAMES B.", "PREL", "MNUC", "SN", "CH", "KN"]),
        # 09SANTIAGO331: two unknown words after OVIP are the visitor's name
        ("TAGS: OVIP BIDEN JOSEPH PREL ECON PGOV SOCI EU",
         ["OVIP", "BIDEN, JOSEPH", "PREL", "ECON", "PGOV", "SOCI", "EU"]),
        # 02ROME1059: repeated codes once, in first-seen order
        ("TAGS: ECON, EFIN, EFIN, EFIN, EFIN, IT", ["ECON", "EFIN", "IT"]),
        # 06SANJOSE2802: known codes run together
        ("TAGS: ETRDEINVECINPGOVCS", ["ETRD", "EINV", "ECIN", "PGOV", "CS"]),
        # 06TELAVIV344: a run of unknown words is one free-text tag
        ("TAGS: IS KMDR MEDIA REACTION REPORT", ["IS", "KMDR", "MEDIA REACTION REPORT"]),
        # 07KUWAIT624: a continuation line in capitals, without a trailing comma
        ("TAGS: OREP AMGT ASEC AFIN GM IZ IC KU COUNTRY\nCLEARANCE",
         ["OREP", "AMGT", "ASEC", "AFIN", "GM", "IZ", "IC", "KU", "COUNTRY CLEARANCE"]),
        # 05SANJOSE2199 and 07BAKU855: known misspellings
        ("TAGS: PREL SCUL ETRD CS UNDESCO", ["PREL", "SCUL", "ETRD", "CS", "UNESCO"]),
        ("TAGS PTER MARR, MOPPS", ["PTER", "MARR", "MOPS"]),
        # 00LIMA2475: page markers of the old telegram run into the line
        ("TAGS: PINR, PGOV, PREL, PE                          SECRET       PAGE 02        LIMA  02475  "
         "01 OF 03  251228Z PINR, PE", ["PINR", "PGOV", "PREL", "PE"]),
        # 09AMMAN1518: a misspelt keyword
        ("TAGES:  OIIP, KPAO, PREL, JO", ["OIIP", "KPAO", "PREL", "JO"]),
    ],
)
def test_tags_conventions(line, expected):
    """TAGS: person tags apart, spellings normalised, glued codes split, free text whole, continuation, once each."""
    assert _tags(line) == expected


def test_lower_case_text_after_the_tags_line_is_no_tag():
    """A lower-case line after the TAGS line (cablemap's ``TAGS something\\nhere``) is not read as a tag."""
    c = _cable("TAGS: PREL\nhere is a note\n\n1. (U) Text.\n")
    assert [t.code for t in c.tags] == ["PREL"]


# --- References ---------------------------------------------------------------------------------
def test_a_reference_without_year_takes_the_cables_year():
    """``REF: TBILISI 1605`` in a 2007 cable is 07TBILISI1605."""
    assert _ref_ids("SUBJECT: X\n\nREF: TBILISI 1605\n\n1. (C) Text.\n") == ["07TBILISI1605"]


def test_references_mid_line_after_the_subject():
    """A REF list on the subject's line (06BRASILIA, 09CAIRO2205) is read, and the subject stops before it."""
    c = _cable("SUBJECT: ENERGY INSTALLATIONS REF: BRASILIA 861\n\n1. (U) Text.\n")
    assert (c.subject, [r.id for r in c.references]) == ("ENERGY INSTALLATIONS", ["07BRASILIA861"])
    glued = _cable("SUBJECT: FBI DIRECTOR MUELLER'S VISIT TO EGYPTREF: CAIRO 493\n\n1. (U) Text.\n")
    assert (glued.subject, [r.id for r in glued.references]) == ("FBI DIRECTOR MUELLER'S VISIT TO EGYPT",
                                                                 ["07CAIRO493"])


def test_a_lettered_list_over_several_lines_and_blank_lines():
    """05TAIPEI4305 and 06PANAMA: ``A.`` ... ``F.`` items continue past blank lines; written years are kept."""
    frag = ("SUBJECT: X\n\nRef:  Ref A) Taipei 3393 B) Taipei 03793 C) Taipei 03856 D) \n \n"
            "Taipei 03196 E) Taipei 03197 F) 05 Taipei 03525 \n \n1. (U) Text.\n")
    assert _ref_ids(frag) == ["07TAIPEI3393", "07TAIPEI3793", "07TAIPEI3856", "07TAIPEI3196", "07TAIPEI3197",
                              "05TAIPEI3525"]
    frag = "REF: A. PANAMA 651\n\n     ¶B. PANAMA 1213\n     ¶C. PANAMA 1293\n     ¶D. 2005PANAMA2342\n\n1. (U) T.\n"
    assert _ref_ids(frag) == ["07PANAMA651", "07PANAMA1213", "07PANAMA1293", "05PANAMA2342"]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("Ref(s): A) 08 RIO DE JAN 138; B) 08 RIO DE JAN 0044 and previous", ["08RIODEJANEIRO138", "08RIODEJANEIRO44"]),
        ("REFTELS: A) 2008 BRASILIA 672, B) 2008 BRASILIA 593", ["08BRASILIA672", "08BRASILIA593"]),
        ("PROGRAM REF: A. A) SECSTATE 54183 B. B) 06 BRASILIA 1868", ["07STATE54183", "06BRASILIA1868"]),
        ("REF A: STATE 3836 B: 05 SANTIAG0 465", ["07STATE3836", "05SANTIAGO465"]),
        ("REF: A. QUITO 4525-91 B. AMMAN 5049-01", ["91QUITO4525", "01AMMAN5049"]),
        ("REF: A. A. STATE 56282 B. C. STATE 41252 AND 44603", ["07STATE56282", "07STATE41252", "07STATE44603"]),
        ("REF: (99) ROME 2196", ["99ROME2196"]),
        ("REF: STATE 1234 (05); PARIS 567 (NOTAL)", ["05STATE1234", "07PARIS567"]),
        ("REF: A. 08 HAGUE 468 B. UNVIE 148 C. USUN NEW YORK 827", ["08THEHAGUE468", "07UNVIEVIENNA148",
                                                                    "07USUNNEWYORK827"]),
        ("REF: A. BRASILIA 1099 B. BRASILA 931 C. BISHTEK 1194", ["07BRASILIA1099", "07BRASILIA931",
                                                                   "07BISHKEK1194"]),
        ("REF: (A) LAGOS O1512, (B) BAGHDAD #3565", ["07LAGOS1512", "07BAGHDAD3565"]),
        ("REF: O) UNSCR 1737 SANCTIONS COMMITTEE NOTICE", []),
    ],
)
def test_reference_forms(fragment, expected):
    """Ref(s):, REFTELS:, PROGRAM REF:, REF A: forms, -YY years, AND-lists, cable-id stations, misspellings."""
    assert _ref_ids(f"SUBJECT: X\n\n{fragment}\n\n1. (U) Text.\n") == expected


# --- Subject ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fragment", "subject"),
    [
        ("SUBJECT: ZIM NOTES 11-09-2009 \n----------- \n1. SUMMARY\n", "ZIM NOTES 11-09-2009"),
        ("SUBJECT: SCENESETTER FOR AMBASSADOR CROCKER'S VISIT TO CAIROClassified By: DEPUTY CHIEF OF MISSION "
         "STUART JONES. REASONS: 1.4 (B) and (D)\n1. (S) Welcome to Cairo.\n",
         "SCENESETTER FOR AMBASSADOR CROCKER'S VISIT TO CAIRO"),
        ("SUBJECT: LITTLE PROGRESS AND MUCH CONFUSION \\\nLEAD TO ADJOURNMENT \\\n \\\nGENEVA 00002654  001.2 OF 004 "
         "\\\n\\\nClassified By: X\n", "LITTLE PROGRESS AND MUCH CONFUSION LEAD TO ADJOURNMENT"),
        ("SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE \nPAGE 02 HARARE 01234 281347Z\n",
         "ASSISTANT SECRETARY MEETS WITH ZIMBABWE"),
        ("UBJECT: BAHRAIN WILL FORMALLY REQUEST QATAR REF: A. A) MANAMA 20 \n", "BAHRAIN WILL FORMALLY REQUEST QATAR"),
        # 09ISLAMABAD3037: the site's dateline and a repeated caption after the subject
        ("SUBJECT: BALOCH REQUEST UNHCR FACILITATE MOVEMENT OF BRAHMDAGH BUGTI TO IRELAND\nFriday, 18 December "
         "2009, 11:04\nS E C R E T SECTION 01 OF 02 ISLAMABAD 003037\n",
         "BALOCH REQUEST UNHCR FACILITATE MOVEMENT OF BRAHMDAGH BUGTI TO IRELAND"),
        ("SUBJECT: SOURCES OF GENERATION - ELECTRICITY SERIES #2\nSENSITIVE BUT UNCLASSIFED--PLEASE PROTECT\n",
         "SOURCES OF GENERATION - ELECTRICITY SERIES #2"),
    ],
)
def test_subject_stops(fragment, subject):
    """The subject stops at a rule, Classified By:, a section or page marker, REF:, a dateline, a handling line."""
    assert _cable(fragment).subject == subject


# --- Classified By ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fragment", "name"),
    [
        ("1.  (U)  CLASSIFIED BY POLOFF JEFFREY JACOBS, 1.5 (D).\n\n2.  (C) Text.\n", "JEFFREY JACOBS"),
        ("1.  CONFIDENTIAL - ENTIRE TEXT.  CLASSIFIED BY DCM\nTHEODORE KATTOUF - 1.5 B,D.\n\n2.  (C) T.\n",
         "THEODORE KATTOUF"),
        ("1.  (U) CLASSIFIED BY THOMAS W. SIMONS, JR., AMBASSADOR.\nREASON:  1.5 (B), (C) AND (D).\n",
         "THOMAS W. SIMONS, JR."),
        ("REF: 10 GENEVA 231 (SFO-GVA-VIII-088) CLASSIFIED BY: Rose E. Gottemoeller, Assistant Secretary, "
         "Department of State, VCI; REASON: 1.4(B), (D)\n", "Rose E. Gottemoeller"),
        ("Classified By: Classified by Acting Charge d'Affaires, Ambassador Richa \nrd Hoagland, for reasons "
         "1.4(B) and (D). \n", "Richard Hoagland"),
        ("Classified By: Ambassadot John F. Tefft, reasons 1.4 (b) and (d)\n", "John F. Tefft"),
        ("Classified By: USEU Political Minister Counselor Larry Wohlers \nfor reasons 1.4 (b) and (d). \n",
         "Larry Wohlers"),
    ],
)
def test_classified_by_name(fragment, name):
    """Classified By inside paragraph 1, after ENTIRE TEXT, mid-line and wrapped: the person's name only."""
    c = _cable("SUBJECT: X\n\n" + fragment)
    assert c.classified_by is not None and c.classified_by.name == name


def test_classified_by_a_section_is_no_person():
    """``CLASSIFIED BY SECTION 1.5 (B)`` names no person."""
    c = _cable("SUBJECT: X\n\n1.  CONFIDENTIAL - ENTIRE TEXT.  CLASSIFIED BY SECTION 1.5 (B)\nAND (D).\n")
    assert c.classified_by is None and c.reasons == ("1.5(b)", "1.5(d)")


# --- Signer -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tail", "signer"),
    [
        ("PRODUCTION. \nSEMBLER \n \n                          SECRET \n \n> \n 2002ROME01748 - Classification: SECRET",
         "SEMBLER"),
        ("REFORM.\nEND COMMENT.\nPETERSON\n\nNOTE: NOT PASSED TO ABOVE ADDRESSEE(S)\n\n    CONFIDENTIAL", "PETERSON"),
        ("AGENT IN CHINA.\n\nLORD\nLIMITED OFFICIAL USE\nNNNN", "LORD"),
        ("MONTHS.\n\nSULLIVAN\n\nCONFIDENTIAL\n\nDeclassified/Released US Department of State EO Systematic\n"
         "Review 30 JUN 2006\n", "SULLIVAN"),
        ("AS USUAL.\n\nGILLESPIE##\n", "GILLESPIE"),
    ],
)
def test_signer_past_trailers(tail, signer):
    """The signer is found past classification lines, NOTE lines, ``##`` and archive footers."""
    assert _cable(f"SUBJECT: X\n\n1. (C) TEXT OF THE CABLE, LONG ENOUGH TO BE A PARAGRAPH\n{tail}").signer == signer


# --- Recipients ---------------------------------------------------------------------------------
def test_xmt_exclusions_and_page_markers_are_no_addressees():
    """``XMT`` lines exclude posts from a collective; a page marker in an INFO list is no addressee."""
    head = ("FM AMEMBASSY SOFIA\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 3355\nRUEHX/EUROPEAN POLITICAL COLLECTIVE\n"
            "XMT AMEMBASSY SOFIA\nAMEMBASSY BUCHAREST\nINFO PAGE 02        STATE   050524  131535Z\n"
            "AMEMBASSY BAGHDAD PRIORITY\n\nBT\nUNCLAS SOFIA 000123\n\n")
    c = _cable("SUBJECT: X\n\n1. (U) Text of the cable.\n", head)
    assert [(r.kind, r.address, r.routing_indicator) for r in c.recipients] == [
        ("to", "SECSTATE WASHDC", "RUEHC"), ("to", "EUROPEAN POLITICAL COLLECTIVE", "RUEHX"),
        ("info", "AMEMBASSY BAGHDAD", None)]


def test_routing_indicators_precedence_and_double_slashes():
    """``RUEHC/SECSTATE WASHDC//IMMEDIATE 5555//``: routing indicator, address and serial; no precedence word."""
    head = ("FM AMEMBASSY TBILISI\nTO RUEHC/SECSTATE WASHDC//IMMEDIATE 5555//\nINFO AMEMBASSY PARIS PRIORITY//\n"
            "BT\nUNCLAS TBILISI 000123\n\n")
    c = _cable("SUBJECT: X\n\n1. (U) Text of the cable.\n", head)
    assert [(r.kind, r.address, r.routing_indicator, r.serial) for r in c.recipients] == [
        ("to", "SECSTATE WASHDC", "RUEHC", "5555"), ("info", "AMEMBASSY PARIS", None, None)]


# --- Ids ----------------------------------------------------------------------------------------
EXTRACT = ("This record is a partial extract of the original cable. The full text of the original cable is "
           "not available.\n\nC O N F I D E N T I A L ALMATY 002231\n\nSIPDIS\n\nE.O. 12958: DECL: 06/15/2015\n"
           "TAGS: KNNP KZ\nSUBJECT: KAZAKHSTAN: CANWFZ TREATY\n\n1 . (C) Text.\n")


def test_a_partial_extract_without_a_date_gets_no_guessed_id():
    """A partial extract whose text carries no date keeps station and number but no id (no year to build it)."""
    c = _cable(EXTRACT, head="")
    assert (c.origin, c.number, c.date, c.id) == ("ALMATY", "002231", None, None)


def test_a_partial_extract_with_a_date_gets_its_id():
    """Caption station and serial with the year of a date in the text give the id: ``05ALMATY2231``."""
    c = _cable(EXTRACT.replace("\n\nC O N", "\n\nR 151200Z JUN 05\n\nC O N"), head="")
    assert (c.date, c.id) == ("2005-06-15", "05ALMATY2231")
