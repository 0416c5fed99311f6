"""The cable parser on the formats and variants the raw topic accepts (inline snippets, seed cable)."""

from __future__ import annotations

import textwrap

import pytest

from streams import vocab as stages
from streams.core.model import Cable, Failure, Recipient, Reference
from streams.core.parse import parse

CABLEGATE = textwrap.dedent("""\
    VZCZCXRO2589
    PP RUEHDBU RUEHFL
    DE RUEHTA #2231/01 1661059
    ZNY CCCCC ZZH
    R 151059Z JUN 06
    FM AMEMBASSY ALMATY
    TO RUEHC/SECSTATE WASHDC 5555
    INFO RUEHMO/AMEMBASSY MOSCOW PRIORITY 1234
    RUCNCIS/CIS COLLECTIVE
    BT

    C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 002231

    SIPDIS

    DEPT FOR EUR/CACEN

    E.O. 12958: DECL: 06/15/2016
    TAGS: PREL PGOV KNNP KZ
    SUBJECT: KAZAKHSTAN: FOREIGN MINISTER ON THE
    NUCLEAR-FREE ZONE TREATY

    REF: A. STATE 109258 B. 05 ALMATY 1234

    Classified By: Ambassador John Ordway, reasons 1.4 (b) and (d).

    ¶1. (C) Summary: Foreign Minister Tokayev said the treaty would be signed.
    End summary.

    ¶2. (U) The meeting took place on June 14.

    ORDWAY
    """)


def _ok(text: str) -> Cable:
    result = parse(text)
    assert isinstance(result, Cable), result
    return result


def test_cablegate_routing_header_fields():
    """A VZCZC routing header gives precedence, date-time, origin, recipients and the source format."""
    c = _ok(CABLEGATE)
    assert c.source_format == "cablegate"
    assert c.precedence == "R"
    assert (c.date, c.datetime) == ("2006-06-15", "2006-06-15T10:59:00Z")
    assert (c.origin, c.origin_name, c.number, c.id) == ("ALMATY", "Embassy Almaty", "002231", "06ALMATY2231")
    assert c.recipients[0] == Recipient("to", "SECSTATE WASHDC", "RUEHC", "5555")
    assert c.recipients[1] == Recipient("info", "AMEMBASSY MOSCOW", "RUEHMO", "1234")
    assert c.recipients[2] == Recipient("info", "CIS COLLECTIVE", "RUCNCIS", None)


def test_cablegate_caption_and_fields():
    """The caption gives classification and sections; the field zone gives E.O., tags, subject, refs."""
    c = _ok(CABLEGATE)
    assert c.classification == "CONFIDENTIAL"
    assert (c.section, c.sections) == (1, 3)
    assert c.handling == ("SIPDIS",)
    assert (c.executive_order, c.declassify_on) == ("12958", "2016-06-15")
    assert [t.code for t in c.tags] == ["PREL", "PGOV", "KNNP", "KZ"]
    assert c.subject == "KAZAKHSTAN: FOREIGN MINISTER ON THE NUCLEAR-FREE ZONE TREATY"
    assert c.references == (
        Reference("A", "STATE 109258", "06STATE109258"),
        Reference("B", "05 ALMATY 1234", "05ALMATY1234"),
    )
    assert c.classified_by is not None and c.classified_by.name == "John Ordway"
    assert c.classified_by.title == "Ambassador"
    assert c.reasons == ("1.4(b)", "1.4(d)")


def test_cablegate_paragraphs_marks_and_signer():
    """Numbered paragraphs keep their number and portion mark; the signature line is the signer."""
    c = _ok(CABLEGATE)
    assert [(p.number, p.marking) for p in c.paragraphs] == [("1", "C"), ("2", "U")]
    assert c.paragraphs[0].text.startswith("Summary: Foreign Minister Tokayev")
    assert c.highest_portion_marking == "C"
    assert c.signer == "ORDWAY"
    assert c.body.startswith("C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 002231")


def test_seed_cable(seed_cable):
    """The PlusD partial extract of the seed parses with its banner, spaced caption and markdown TAGS."""
    c = _ok(seed_cable)
    assert c.source_format == "plusd-extract"
    assert c.partial_extract is True
    assert (c.classification, c.origin, c.origin_name, c.number) == (
        "CONFIDENTIAL", "ALMATY", "Embassy Almaty", "002231")
    assert [t.code for t in c.tags] == ["KNNP", "KZ", "MNUC", "PARM", "PREL", "WMD", "POLITICAL"]
    assert c.subject == "KAZAKHSTAN: CANWFZ TREATY"
    assert c.references == (Reference(None, "STATE 109258", None),)  # no year known: no id
    assert c.recipients == ()
    assert (c.executive_order, c.declassify_on) == ("12958", "2015-06-15")
    assert c.reasons == ("1.4(b)", "1.4(d)")
    assert c.classified_by is not None and c.classified_by.name == "John Ordway"
    assert [(p.number, p.marking) for p in c.paragraphs] == [("1", "C"), ("12", "C"), ("13", "C")]
    assert c.signer == "ORDWAY"
    assert "ORDWAY" not in c.paragraphs[-1].text


def test_seed_cable_has_no_date_so_no_id(seed_cable):
    """Without a date-time group the year is unknowable: date, datetime and id stay null."""
    c = _ok(seed_cable)
    assert (c.date, c.datetime, c.id) == (None, None, None)


ACP126 = textwrap.dedent("""\
    PAGE 01        STATE  034567
    ORIGIN EUR-12

    INFO  OCT-01  ADS-00  INR-10  SS-15  CIAE-00  DODE-00
          ------------------082301  121310Z /38
    P 121249Z FEB 85
    FM SECSTATE WASHDC
    TO AMEMBASSY BONN PRIORITY
    INFO AMEMBASSY PARIS
    USMISSION USNATO
    BT
    C O N F I D E N T I A L STATE 034567

    E.O. 12356: DECL: OADR
    TAGS: PREL, NATO, GE
    SUBJ: INF DEPLOYMENT: DEMARCHE TO FRG

    REF: A) BONN 01234 B) 84 STATE 356789

    1. (C) ENTIRE TEXT.

    2. EMBASSY SHOULD DRAW ON THE FOLLOWING POINTS.
    CONFIDENTIAL

    PAGE 02        STATE  034567
    3. THE DEPARTMENT APPRECIATES THE EMBASSY'S EFFORTS.
    SHULTZ
    """)


def test_acp126_telegram():
    """An older ACP-126 telegram: distribution block skipped, DTG/FM/TO/INFO read, PAGE lines dropped."""
    c = _ok(ACP126)
    assert c.source_format == "acp126"
    assert (c.precedence, c.date, c.datetime) == ("P", "1985-02-12", "1985-02-12T12:49:00Z")
    assert (c.origin, c.origin_name, c.id) == ("STATE", "Secretary of State", "85STATE34567")
    assert c.classification == "CONFIDENTIAL"
    assert (c.executive_order, c.declassify_on) == ("12356", "OADR")
    assert [t.code for t in c.tags] == ["PREL", "NATO", "GE"]
    assert c.subject == "INF DEPLOYMENT: DEMARCHE TO FRG"
    assert [(r.letter, r.id) for r in c.references] == [("A", "85BONN1234"), ("B", "84STATE356789")]
    assert [r.address for r in c.recipients] == ["AMEMBASSY BONN", "AMEMBASSY PARIS", "USMISSION USNATO"]
    assert [r.kind for r in c.recipients] == ["to", "info", "info"]
    assert [p.number for p in c.paragraphs if p.number] == ["1", "2", "3"]
    assert not any("PAGE 02" in p.text for p in c.paragraphs)
    assert c.signer == "SHULTZ"


@pytest.mark.parametrize(
    ("tags_line", "expected"),
    [
        ("TAGS PREL, PGOV, ICTY, EUC, HR", ["PREL", "PGOV", "ICTY", "EUC", "HR"]),
        ("Tags: prel, pgov, pins, tu", ["PREL", "PGOV", "PINS", "TU"]),
        ("TAGS; PREL PGOV SP", ["PREL", "PGOV", "SP"]),
        ("TAG: PTER, PGOV", ["PTER", "PGOV"]),
        ("TAGS:\u00a0PTER, PGOV", ["PTER", "PGOV"]),
        ("TAGS: PREL OVIP (CLINTON, HILLARY) KS", ["PREL", "OVIP", "CLINTON, HILLARY", "KS"]),
        ("TAGS: PREL, OVIP (STEINBERG, JAMES B.), KS", ["PREL", "OVIP", "STEINBERG, JAMES B.", "KS"]),
        ("TAGS: PREL PGOV USEU BRUSSELS", ["PREL", "PGOV", "USEU", "BRUSSELS"]),
        ("TAGS: PREL, USEU BRUSSELS, BE", ["PREL", "USEU BRUSSELS", "BE"]),
        ("TAGS: PTER KTFN PGOV\nKJUS, KHLS, GM", ["PTER", "KTFN", "PGOV", "KJUS", "KHLS", "GM"]),
    ],
)
def test_tags_variants(tags_line, expected):
    """TAGS with or without colon, lower case, semicolon, singular, person tags (tags of their own), wrapped lines."""
    text = f"S E C R E T STATE 012345\n\nE.O. 12958: DECL: 01/01/2019\n{tags_line}\nSUBJECT: TEST\n\n1. (S) Text.\n"
    assert [t.code for t in _ok(text).tags] == expected


def test_tags_glued_on_eo_line_lower_case():
    """A lower-cased copy with Tags: and Subject: glued onto the E.o. line still yields both."""
    text = ("C o n f i d e n t i a l section 01 of 04 ankara 000348\n\nSipdis\n\n"
            "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. goes to washington\n\n"
            "(U) Classified by Ambassador Eric Edelman; reasons: 1.5 (b,d).\n\n¶1. (C) Summary: text.\n")
    c = _ok(text)
    assert [t.code for t in c.tags] == ["PREL", "PGOV", "PINS", "TU"]
    assert c.subject == "turkish p.m. goes to washington"
    assert (c.classification, c.section, c.sections, c.origin) == ("CONFIDENTIAL", 1, 4, "ANKARA")
    assert c.reasons == ("1.5(b)", "1.5(d)")
    assert c.classified_by is not None and c.classified_by.name == "Eric Edelman"


def test_subj_keyword_and_missing_subject():
    """``SUBJ:`` is a subject; a cable without any SUBJECT still parses with subject None."""
    with_subj = _ok("UNCLAS STATE 000001\n\nTAGS: PREL\nSUBJ: SHORT FORM\n\n1. Text.\n")
    assert with_subj.subject == "SHORT FORM"
    without = _ok("UNCLAS STATE 000001\n\nTAGS: PREL\n\n1. Text.\n")
    assert without.subject is None and without.classification == "UNCLASSIFIED"


def test_multiline_subject_ends_at_next_field_without_blank_line():
    """A multi-line subject is joined and stops at the next field even with no blank line between."""
    text = ("C O N F I D E N T I A L ZAGREB 000694\nSIPDIS\nEO 12958 DECL: 01/01/2019\nTAGS PREL, HR\n"
            "SUBJECT: PUSHING CROATIA FORWARD ON ICTY COOPERATION AND EU\nACCESSION\n"
            "Classified By: Amb. James Foley, reasons 1.4 (b) & (d).\n¶1. (C) SUMMARY: text.\n")
    c = _ok(text)
    assert c.subject == "PUSHING CROATIA FORWARD ON ICTY COOPERATION AND EU ACCESSION"
    assert c.reasons == ("1.4(b)", "1.4(d)")
    assert c.classified_by is not None and c.classified_by.name == "James Foley"


def test_references_parenthesised_letters_and_four_digit_years():
    """``(A) 2005 STATE 165022`` style lists and ``A)`` markers resolve to canonical ids."""
    text = ("S E C R E T STATE 014070\n\nNOFORN\n\nE.O. 12958: DECL: 01/29/2019\nTAGS: ETTC\n"
            "SUBJECT: TRANSFER\n\nREFS:\n(A) 2005 STATE 165022\n(B) 2005 MOSCOW 11807\n(C) CIS DOC.\n\n"
            "CLASSIFIED BY EUR/FO IAN KELLY, REASONS: 1.4 (B) AND (D).\n\n¶1. (S/NF) Text.\n")
    c = _ok(text)
    assert [(r.letter, r.raw, r.id) for r in c.references] == [
        ("A", "2005 STATE 165022", "05STATE165022"),
        ("B", "2005 MOSCOW 11807", "05MOSCOW11807"),
        ("C", "CIS DOC.", None),
    ]
    assert c.classification == "SECRET//NOFORN"
    assert c.caveats == ("NOFORN",)
    assert c.highest_portion_marking == "S/NF"


@pytest.mark.parametrize(
    ("caption", "classification", "origin", "section"),
    [
        ("S E C R E T SECTION 01 OF 03 BAGHDAD 001234", "SECRET", "BAGHDAD", 1),
        ("CONFIDENTIAL//NOFORN", "CONFIDENTIAL//NOFORN", None, None),
        ("SS E C R E T SECTION 01 OF 02 PARIS 001699", "SECRET", "PARIS", 1),
        ("E C R E T SANAA 000473", "SECRET", "SANAA", None),
        ("C ONFIDENTIAL SECTION 01 of 03 BAKU 000744", "CONFIDENTIAL", "BAKU", 1),
        ("S e c r e t state 015220", "SECRET", "STATE", None),
        ("UNCLAS SECTION 01 OF 03 RIO DE JANEIRO 001242", "UNCLASSIFIED", "RIO DE JANEIRO", 1),
        ("LIMITED OFFICIAL USE MOSCOW 001234", "LIMITED OFFICIAL USE", "MOSCOW", None),
        ("S E C R E T BOGOTA 000243 SIPDIS NOFORN", "SECRET//NOFORN", "BOGOTA", None),
    ],
)
def test_caption_variants(caption, classification, origin, section):
    """Spaced, garbled, lower-cased, plain and caveated captions give the normalized classification."""
    c = _ok(f"{caption}\n\nE.O. 12958: DECL: 01/01/2019\nTAGS: PREL\nSUBJECT: X\n\n1. Text.\n")
    assert (c.classification, c.origin, c.section) == (classification, origin, section)


def test_unclas_sensitive_is_for_official_use_only():
    """An UNCLAS caption with a SENSITIVE line is UNCLASSIFIED//FOR OFFICIAL USE ONLY."""
    c = _ok("UNCLAS MADRID 000572\n\nSIPDIS\n\nSENSITIVE\n\nE.O. 12958: N/A\nTAGS: ASEC\nSUBJECT: X\n\n1. (SBU) T.\n")
    assert c.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert c.declassify_on == "N/A"
    assert c.highest_portion_marking == "SBU"


@pytest.mark.parametrize("mark", ["C", "S", "U", "SBU", "S/NF", "C/NF"])
def test_portion_marks(mark):
    """Each portion mark is kept as written inside the parentheses."""
    c = _ok(f"S E C R E T STATE 000001\n\nTAGS: PREL\nSUBJECT: X\n\n1. ({mark}) Text of the paragraph.\n")
    assert c.paragraphs[0].marking == mark
    assert c.highest_portion_marking == mark


def test_highest_portion_marking_includes_the_subject():
    """A subject marked (S/NF) above every paragraph mark is the highest portion marking."""
    c = _ok("C O N F I D E N T I A L LONDON 001991\n\nTAGS: PREL\nSUBJECT: (S/NF) A SECRET SUBJECT\n\n"
            "1. (C) Text.\n\n2. (U) More.\n")
    assert c.highest_portion_marking == "S/NF"


def test_conflicting_markings_take_the_highest_and_are_reported():
    """Caption CONFIDENTIAL under a ZNY SSSSS header is SECRET, with the conflict recorded."""
    text = CABLEGATE.replace("ZNY CCCCC ZZH", "ZNY SSSSS ZZH")
    c = _ok(text)
    assert c.classification == "SECRET"
    assert c.classification_conflict == "caption CONFIDENTIAL; ZNY SECRET"


def test_agreeing_markings_report_no_conflict():
    """When caption and ZNY line agree there is no conflict."""
    assert _ok(CABLEGATE).classification_conflict is None


def test_classification_line_of_site_copies_counts_as_a_marking():
    """A ``CLASSIFICATION: SECRET//NOFORN`` line above a CONFIDENTIAL caption wins (fail closed)."""
    c = _ok("ID: 190648\nCLASSIFICATION: SECRET//NOFORN\n\nC O N F I D E N T I A L KUWAIT 000110\n\n"
            "TAGS: PREL\nSUBJECT: X\n\n1. (C) Text.\n")
    assert c.classification == "SECRET//NOFORN"
    assert c.classification_conflict is not None


def test_missing_caption_uses_zny_and_missing_everything_gives_none():
    """No caption: the ZNY line classifies; no marking at all: classification None, still parsed."""
    header = "VZCZCXYZ0002\nDE RUEHLP #3262/01 3482321\nZNY SSSSS ZZH\nO 142321Z DEC 07\nFM AMEMBASSY LA PAZ\n"
    fields = "\nSIPDIS\n\nE.O. 12958: DECL: 12/15/2027\nTAGS: ASEC\nSUBJECT: X\n\n1. (S) T.\n"
    assert _ok(header + fields).classification == "SECRET"
    bare = _ok("O 142321Z DEC 07\nFM AMEMBASSY LA PAZ\n" + fields)
    assert bare.classification is None
    assert (bare.origin_name, bare.id) == ("Embassy La Paz", None)  # no caption number: no id


def test_dtg_with_operating_signal_and_dual_precedence():
    """``O R 161415Z DEC 09`` and ``O 071830Z SEP 07 ZDK`` are date-time groups."""
    a = _ok("O R 161415Z DEC 09\nFM AMEMBASSY NAIROBI\n\nS E C R E T NAIROBI 002497\n\nTAGS: KE\n\n1. T.\n")
    assert (a.precedence, a.datetime, a.id) == ("O", "2009-12-16T14:15:00Z", "09NAIROBI2497")
    b = _ok("O 071830Z SEP 07 ZDK\nFM AMEMBASSY PARIS\n\nC O N F I D E N T I A L PARIS 003733\n\nTAGS: FR\n")
    assert b.date == "2007-09-07"


def test_dateline_gives_the_date_when_there_is_no_dtg():
    """The newspaper-style dateline dates a cable that has no date-time group."""
    c = _ok("Friday, 26 October 2007, 02:25\nS E C R E T MOSCOW 005154\n\nTAGS: RS\nSUBJECT: X\n\n1. (S) T.\n")
    assert (c.date, c.datetime, c.id) == ("2007-10-26", "2007-10-26T02:25:00Z", "07MOSCOW5154")


@pytest.mark.parametrize(
    ("fm", "name"),
    [
        ("AMEMBASSY ALMATY", "Embassy Almaty"),
        ("SECSTATE WASHDC", "Secretary of State"),
        ("AMCONSUL IZMIR", "Consulate Izmir"),
        ("USMISSION USUN NEW YORK", "USUN New York"),
        ("USMISSION USNATO", "Mission USNATO"),
        ("USINT HAVANA", "US Interests Section Havana"),
        ("USEU BRUSSELS", "USEU Brussels"),
        ("AMCONSUL RIO DE JANEIRO", "Consulate Rio De Janeiro"),
    ],
)
def test_origin_name_from_fm_line(fm, name):
    """The FM address maps to the site's origin naming."""
    c = _ok(f"R 151059Z JUN 06\nFM {fm}\nTO SECSTATE WASHDC\nBT\nC O N F I D E N T I A L X 000001\n\nTAGS: PREL\n")
    assert c.origin_name == name


def test_origin_name_from_caption_station_for_a_consulate():
    """Without an FM line the caption station is looked up: a known consulate is not called an embassy."""
    c = _ok("UNCLAS SECTION 01 OF 02 RIO DE JANEIRO 001242\n\nTAGS: PREL\nSUBJECT: X\n\n1. T.\n")
    assert c.origin_name == "Consulate Rio De Janeiro"


@pytest.mark.parametrize(
    ("text", "error_type"),
    [
        ("Hello, this is just a note about lunch.\nSee you.", "not_a_cable"),
        ("VZCZCXRO2589\nPP RUEHDBU\nDE RUEHTA #2231/01 1661059\nZNY CCCCC ZZH\nR 151059Z JUN 06\n", "truncated"),
        ("   \n\t ", "empty"),
    ],
)
def test_parse_failures_are_typed(text, error_type):
    """Text with no cable structure, a header without a message, or blank text is a typed failure."""
    result = parse(text)
    assert isinstance(result, Failure)
    assert (result.stage, result.error_type) == (stages.PARSE, error_type)


def test_parse_of_non_text_is_a_failure_not_an_exception():
    """Bytes passed to parse() are reported, not raised."""
    result = parse(b"C O N F I D E N T I A L")  # type: ignore[arg-type]
    assert isinstance(result, Failure) and result.error_type == "not_text"


def test_crlf_line_endings():
    """Windows line endings parse like Unix ones."""
    assert _ok(CABLEGATE.replace("\n", "\r\n")) == _ok(CABLEGATE)


@pytest.mark.parametrize(
    ("eo_line", "eo", "decl"),
    [
        ("E.O. 12958: DECL: 06/15/2015", "12958", "2015-06-15"),
        ("EO 12958 DECL: 01/05/2034", "12958", "2034-01-05"),
        ("E.o. 12958: decl: 2019/12/16", "12958", "2019-12-16"),
        ("E.O. 12958: N/A", "12958", "N/A"),
        ("E.O. 12356: DECL: OADR", "12356", "OADR"),
        ("E.O. 12065: GDS 12/31/85 (CONSTABLE, PETER) OR-M", "12065", "1985-12-31"),
        ("E.O. 11652: XGDS-1", "11652", "XGDS-1"),
        ("E.O. 12958: DECL: 1.6X1", "12958", "1.6X1"),
    ],
)
def test_executive_order_and_declassification(eo_line, eo, decl):
    """E.O. 12958, 12356, 11652 and 12065 lines give the order and a normalized declassification."""
    c = _ok(f"C O N F I D E N T I A L STATE 000001\n\n{eo_line}\nTAGS: PREL\nSUBJECT: X\n\n1. (C) T.\n")
    assert (c.executive_order, c.declassify_on) == (eo, decl)


@pytest.mark.parametrize(
    ("line", "name", "title", "reasons"),
    [
        ("Classified By: Ambassador John Ordway, reasons 1.4 (B) and (D).", "John Ordway", "Ambassador",
         ("1.4(b)", "1.4(d)")),
        ("CLASSIFIED BY: Rachel Meyers, Deputy Political Counselor, State, POL;\nreason: 1.4(a), (b), (d)",
         "Rachel Meyers", "Deputy Political Counselor, State, POL", ("1.4(a)", "1.4(b)", "1.4(d)")),
        ("CLASSIFIED BY EAP DAS THOMAS J. CHRISTENSEN: 1.4 (B) AND (D).", "THOMAS J. CHRISTENSEN", "EAP DAS",
         ("1.4(b)", "1.4(d)")),
        ("Classified By: Charge J. Robert Manzanares per 1.5 (b,d)", "J. Robert Manzanares", "Charge",
         ("1.5(b)", "1.5(d)")),
        ("Classified By: DCM Hugo Llorens for reasons 1.4 b/d", "Hugo Llorens", "DCM", ("1.4(b)", "1.4(d)")),
        ("Classified By: Charge d'Affaires, a.i. Dan Piccuta, reasons 1.4(b) and (d)", "Dan Piccuta",
         "Charge d'Affaires a.i", ("1.4(b)", "1.4(d)")),
        ("Classified By: PolMC Josiah Rosenblatt for reasons 1.4 (B & D).", "Josiah Rosenblatt", "PolMC",
         ("1.4(b)", "1.4(d)")),
    ],
)
def test_classified_by_name_title_and_reasons(line, name, title, reasons):
    """The Classified By line gives the classifier's name and title and the reasons, whatever the form."""
    c = _ok(f"S E C R E T STATE 000001\n\nTAGS: PREL\nSUBJECT: X\n\n{line}\n\n1. (S) T.\n")
    assert c.classified_by is not None
    assert (c.classified_by.name, c.classified_by.title, c.reasons) == (name, title, reasons)


def test_caveat_after_spaced_caption_and_double_slash_marks():
    """``S E C R E T //NOFORN`` carries NOFORN, and ``(S//NF)`` is a portion mark."""
    c = _ok("S E C R E T //NOFORN\nSTATE 000001\n\nTAGS: PREL\nSUBJECT: X\n\n1. (S//NF) T.\n\n2. (C) U.\n")
    assert c.classification == "SECRET//NOFORN"
    assert [p.marking for p in c.paragraphs] == ["S//NF", "C"]
    assert c.highest_portion_marking == "S//NF"


def test_highest_portion_marking_prefers_a_caveated_mark_among_equals():
    """Among marks of the same level the first with a caveat is the highest (``S`` then ``S/NF``)."""
    c = _ok("S E C R E T STATE 000001\n\nTAGS: PREL\nSUBJECT: X\n\n1. (S) T.\n\n2. (S/NF) U.\n")
    assert c.highest_portion_marking == "S/NF"


def test_unclas_sensitive_under_zny_uuuuu_is_not_a_conflict():
    """ZNR UUUUU carries SENSITIVE unclassified cables too: no conflict is reported."""
    text = ("VZCZCXYZ0001\nDE RUEHMD #0572 0451234\nZNR UUUUU ZZH\nR 141234Z FEB 05\nFM AMEMBASSY MADRID\n"
            "TO RUEHC/SECSTATE WASHDC 1234\nBT\nUNCLAS MADRID 000572\n\nSIPDIS\n\nSENSITIVE\n\n"
            "E.O. 12958: N/A\nTAGS: ASEC\nSUBJECT: X\n\n1. (SBU) T.\n")
    c = _ok(text)
    assert (c.classification, c.classification_conflict) == ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", None)


def test_signer_glued_to_the_last_sentence():
    """``... END COMMENT. DUDDY`` (the site joined the lines) gives signer DUDDY, cut from the text."""
    c = _ok("C O N F I D E N T I A L CARACAS 000147\n\nTAGS: VE\nSUBJECT: X\n\n"
            "1. (C) Comment: the management may not be up to the task. END COMMENT. DUDDY\n")
    assert c.signer == "DUDDY"
    assert c.paragraphs[-1].text.endswith("END COMMENT.")


def test_unnumbered_marked_paragraphs_and_excerpts():
    """A body of unnumbered ``(SBU) ...`` paragraphs, or one starting at ¶7, still yields paragraphs."""
    c = _ok("S E C R E T CARACAS 000107\n\nSIPDIS\nNOFORN\n\nE.O. 12958: DECL: 2020/01/28\nTAGS: ASEC\n"
            "SUBJECT: CIWG\n\nCLASSIFIED BY: Andres Barcenas, ARSO;\nREASON: 1.4(G)\n\n"
            "(SBU) On January 5 the group met.\n\n(S/NF) RSO stated the threat levels.\n")
    assert [(p.number, p.marking) for p in c.paragraphs] == [(None, "SBU"), (None, "S/NF")]
    assert c.reasons == ("1.4(g)",)
    excerpt = _ok("C O N F I D E N T I A L MADRID 004687\n\nTAGS: SP\nSUBJECT: X\n\nClassified By: Charge Bob "
                  "Manzanares; reasons 1.5 (B) and (D)\n\nXXXXXXXXXXXX\n//U.S.-SPAIN RELATIONS//\n\n"
                  "¶7. (C) Leon said that Spain is divided.\n")
    assert [(p.number, p.marking) for p in excerpt.paragraphs] == [(None, None), ("7", "C")]


def test_a_ten_megabyte_text_is_parsed():
    """A 10 MB cable text (under the parser's own limit) parses; the decode stage refuses it earlier."""
    text = "C O N F I D E N T I A L STATE 000001\n\nTAGS: PREL\nSUBJECT: X\n\n" + "1. (C) Text.\n" * 700_000
    c = _ok(text[:9_999_000])
    assert c.classification == "CONFIDENTIAL" and len(c.paragraphs) > 100_000


def test_zen_recipients_and_serial_ranges():
    """``ZEN/`` (delivered by other means) is not part of the address; a serial may be a range."""
    text = CABLEGATE.replace("RUCNCIS/CIS COLLECTIVE", "ZEN/AMEMBASSY BELMOPAN NIACT IMMEDIATE 2276-2279")
    assert _ok(text).recipients[2] == Recipient("info", "AMEMBASSY BELMOPAN", None, "2276-2279")


def test_lettered_list_items_are_not_portion_marks():
    """``(A) ... (B) ... (C) ...`` list items are not read as a (C) portion mark."""
    c = _ok("UNCLAS STATE 000001\n\nTAGS: PREL\nSUBJECT: X\n\n1. (U) Posts should:\n\n(A) report;\n\n"
            "(B) consult;\n\n(C) follow up.\n")
    assert [p.marking for p in c.paragraphs] == ["U", None, None, None]
    assert c.highest_portion_marking == "U"


def test_references_that_are_not_cables_get_no_id():
    """``YOUR EMAIL OF 5/12`` is kept as raw text without a made-up id; ``STATE 123`` still resolves."""
    c = _ok("C O N F I D E N T I A L PARIS 000001\n\nTAGS: FR\nSUBJECT: X\nREF: A. YOUR EMAIL OF 5/12 "
            "B. STATE 123\n\n1. (C) T.\n".replace("PARIS 000001", "PARIS 000001").replace("\n\nTAGS", "\n\nTAGS"))
    assert [(r.letter, r.id) for r in c.references] == [("A", None), ("B", None)]  # no DTG: no year
    dated = _ok("R 151059Z JUN 06\nFM AMEMBASSY PARIS\n\nC O N F I D E N T I A L PARIS 000001\n\nTAGS: FR\n"
                "REF: A. YOUR EMAIL OF 5/12 B. STATE 123 C. LA PAZ 3261\n\n1. (C) T.\n")
    assert [(r.letter, r.id) for r in dated.references] == [("A", None), ("B", "06STATE123"), ("C", "06LAPAZ3261")]


def test_caption_right_after_the_info_list_is_not_an_addressee():
    """A caption that follows the INFO list without BT or a blank line is still the caption."""
    text = ("P 281327Z SEP 06\nFM AMEMBASSY TRIPOLI\nTO RUEHC/SECSTATE WASHDC PRIORITY 7169\n"
            "INFO RUEKJCS/SECDEF WASHINGTON DC\nAMEMBASSY ROME\nLIMITED OFFICIAL USE TRIPOLI 000696\n\n"
            "SIPDIS\n\nTAGS: LY\nSUBJECT: X\n\n1. (SBU) T.\n")
    c = _ok(text)
    assert (c.classification, c.number) == ("LIMITED OFFICIAL USE", "000696")
    assert [r.address for r in c.recipients] == ["SECSTATE WASHDC", "SECDEF WASHINGTON DC", "AMEMBASSY ROME"]


def test_stray_higher_classification_line_wins():
    """A ``TOP SECRET`` line anywhere in a SECRET cable raises it (fail closed) and is reported."""
    text = "top secret\n" + CABLEGATE.replace("ZNY CCCCC", "ZNY SSSSS").replace("C O N F I D E N T I A L", "S E C R E T")
    c = _ok(text)
    assert c.classification == "TOP SECRET"
    assert c.classification_conflict == "caption SECRET; ZNY SECRET; line TOP SECRET"


def test_portion_mark_before_the_routing_header_counts():
    """A marked paragraph line before the routing header still counts for the highest portion marking."""
    c = _ok("1. (C) Inserted paragraph text.\n" + CABLEGATE.replace("¶1. (C)", "¶1. (U)"))
    assert c.highest_portion_marking == "C"


def test_a_parser_bug_is_an_internal_failure_without_the_text(monkeypatch):
    """An unexpected exception inside the parser becomes an ``internal`` failure naming no cable text."""
    import streams.core.parse as parse_pkg

    def boom(text):
        raise ValueError(f"bad input: {text[:20]}")

    monkeypatch.setattr(parse_pkg, "parse_text", boom)
    result = parse_pkg.parse("S E C R E T STATE 000001\n")
    assert isinstance(result, Failure) and result.error_type == "internal"
    assert "S E C R E T" not in result.message and result.message.startswith("ValueError at ")
