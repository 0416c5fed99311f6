"""The marking reader: normalisation, every spelling and placement, unknown and ambiguous marks,
and how the router uses what it reads. Expected levels are written by hand."""

from __future__ import annotations

import pytest

from streams.core.markings import normalise, read_group, read_markings
from streams.core.model import Cable, Paragraph
from streams.core.pipeline import process
from streams.core.route import route
from streams.vocab import (
    CONFIDENTIAL,
    CONTROLLED,
    QUARANTINED,
    SECRET,
    TOP_SECRET,
    UNCLASSIFIED,
    UNKNOWN_MARKING,
)

BODY = "SUBJECT: TRADE TALKS\n\n1. (U) The talks went well.\n\n{para}\n\n3. (U) More text.\n"


def level_in(para: str, *, brk: str = "\n") -> str | None:
    """Level the reader finds in a small body holding ``para`` (line breaks in style ``brk``)."""
    return read_markings(BODY.format(para=para).replace("\n", brk)).level


@pytest.mark.parametrize(
    ("mark", "level"),
    [
        ("(S/NF)", SECRET), ("(S-NF)", SECRET), ("(S NF)", SECRET), ("(S//NF)", SECRET),
        ("(S//REL TO USA, FVEY)", SECRET), ("( S )", SECRET), ("(SECRET)", SECRET),
        ("(SECRET//NOFORN)", SECRET), ("(S/Rel to Ukraine)", SECRET), ("(Secret/Rel Armenia)", SECRET),
        ("(S//Rel NATO, ISAF)", SECRET), ("(S E C R E T)", SECRET), ("(s/nf)", SECRET),
        ("(TOP SECRET)", TOP_SECRET), ("(TS-SCI)", TOP_SECRET), ("(TS//SI)", TOP_SECRET),
        ("(TS//SI//TK//NF)", TOP_SECRET), ("(CONFIDENTIAL)", CONFIDENTIAL), ("(C/REL GERMANY)", CONFIDENTIAL),
        ("(U)", UNCLASSIFIED), ("(SBU)", CONTROLLED), ("(FOUO)", CONTROLLED), ("(LOU)", CONTROLLED),
        ("(U//FOUO)", CONTROLLED), ("(SBU//NF)", CONTROLLED), ("(SENSITIVE BUT UNCLASSIFIED)", CONTROLLED),
    ],
)
def test_portion_mark_spellings(mark, level):
    """Every real spelling of a portion mark on a numbered paragraph is read at its level."""
    assert level_in(f"2. {mark} The minister said.") == level


@pytest.mark.parametrize(
    "prefix",
    ["2. ", "1234. ", "¶2. ", "2.", "2) ", "A. ", "a) ", "(A) ", "1.a. ", "IV. ", "-- ", "- ", "• ", "", "   ",
     "SUBJECT: ", "SUBJ: ", "Subject - ", '"1. ', "§ 3. ", "● ", "| "],
)
def test_placements(prefix):
    """A (S) after any paragraph prefix (numbers of any width, letters, bullets, none) is read."""
    assert level_in(f"{prefix}(S) The minister said.") == SECRET


@pytest.mark.parametrize("brk", ["\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_line_break_styles(brk):
    """A paragraph start after any line-break character str.splitlines() knows is a paragraph start."""
    assert level_in("2. (S) The minister said.", brk=brk) == SECRET


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("SECRET - ENTIRE TEXT", SECRET), ("CONFIDENTIAL - ENTIRE TEXT", CONFIDENTIAL),
        ("Summary ends here. CONFIDENTIAL - ENTIRE TEXT.", CONFIDENTIAL), ("TOP SECRET ENTIRE TEXT", TOP_SECRET),
        ("SECRET PAGE 02 STATE 123456", SECRET), ("S E C R E T SECTION 01 OF 02 ANKARA 001234", SECRET),
        ("SECRET", SECRET), ("SECRET//NOFORN", SECRET), ("CONFIDENTIAL ANKARA 001234", CONFIDENTIAL),
        ("CLASSIFICATION: SECRET", SECRET), ("ZNY SSSSS", SECRET), ("TOP SECRET", TOP_SECRET),
        ("SECRET//NOFORN - ENTIRE TEXT", SECRET), ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", CONTROLLED),
        ("LIMITED OFFICIAL USE", CONTROLLED), ("S.E.C.R.E.T", SECRET), ("C-O-N-F-I-D-E-N-T-I-A-L - ENTIRE TEXT", CONFIDENTIAL),
    ],
)
def test_banners_page_markers_and_classification_lines(line, level):
    """Banners, page-marker lines and classification lines are read at their level."""
    assert level_in(line) == level


@pytest.mark.parametrize("prose", ["Secret talks in London went on.", "SECRETARY RICE MET THE MINISTER.",
                                   "2. (U) The (S) key was pressed.", "(U.S. Forces in Korea) said",
                                   "(C-RE8-02675)", "The U.S. (S/CT) office said.", "(c) 2009 Agence France-Presse",
                                   "(C) Copyright Reuters"])
def test_prose_is_not_a_marking(prose):
    """Prose, dotted initials, INR tasking numbers, office symbols and copyright lines are not markings."""
    r = read_markings(BODY.format(para=prose))
    assert r.level == UNCLASSIFIED and not r.unknown and not r.ambiguous


@pytest.mark.parametrize(("text", "level"), [("He said so. (S) The minister left.", SECRET),
                                             ("The talks (S//NF) went on.", SECRET),
                                             ("2. (U) Fine.  (TS) Hidden.", TOP_SECRET),
                                             ("The talks (Secret/Rel Armenia) went on.", SECRET)])
def test_marks_inside_a_run_together_paragraph(text, level):
    """A mark inside a line after a sentence (or any multi-letter mark after a space) is read."""
    assert level_in(text) == level


@pytest.mark.parametrize("prose", ["the paper(s) will underline", "we held a (secret) meeting",
                                   "Reasons 1.4 (b), (c) and (d).", "as follows: (A) x; (B) y; (C) z",
                                   "The Embassy (S/CT) said so."])
def test_parentheses_in_prose_are_not_marks(prose):
    """Plurals, lower-case words, reason letters and office symbols inside a line are not marks."""
    r = read_markings(BODY.format(para=prose))
    assert r.level == UNCLASSIFIED and not r.unknown and not r.ambiguous


def test_normalise_removes_format_characters_and_counts_them():
    """Zero-width and other format characters are removed and counted; NFKC folds fullwidth letters."""
    n = normalise("(\u200bS\u00ad/\u2060NF) \uff33")
    assert n.text == "(S/NF) S" and n.removed == 3


def test_normalise_maps_every_line_break_to_newline():
    """Every line-break character becomes one newline (CR LF counts once)."""
    n = normalise("a\r\nb\rc\vd\fe\x1cf\x85g\u2028h\u2029i")
    assert n.text == "a\nb\nc\nd\ne\nf\ng\nh\ni"


def test_zero_width_inside_a_mark_still_reads():
    """A mark with invisible characters inside is read at its level and the removal is noted."""
    r = read_markings(BODY.format(para="2. (S\u200b/\u200dNF) The minister said."))
    assert r.level == SECRET and r.removed == 2


@pytest.mark.parametrize("fake", ["(\u0405)", "(\u13da//NF)", "(T\u0405)", "(\u0421)", "\u0405ECRET - ENTIRE TEXT"])
def test_look_alike_letter_counts_and_is_unknown(fake):
    """A look-alike letter in a mark counts at the level it imitates and makes the mark unknown."""
    r = read_markings(BODY.format(para=f"2. {fake} The minister said." if fake.startswith("(") else fake))
    assert r.level in (SECRET, TOP_SECRET, CONFIDENTIAL) and r.unknown


@pytest.mark.parametrize("group", ["S/CT", "NF", "REL TO USA", "/Rel UK", "CLASSIFIED", "RESTRICTED", "S//XYZZY"])
def test_marking_like_groups_are_unknown(group):
    """A parenthesised group that looks like a marking but does not parse is unknown, not ignored."""
    assert read_group(group).kind == "unknown"


def test_short_non_latin_group_is_unknown():
    """A short group of non-Latin letters at a paragraph start may hide a mark: unknown."""
    assert read_markings("2. (\u0416) text").unknown


def test_list_letter_after_b_is_ambiguous():
    """(C) after (B) may be a list item: reported as ambiguous, not as a mark."""
    r = read_markings("(A) one\n(B) two\n(C) three\n")
    assert r.level is None and [lv for _, lv in r.ambiguous] == [CONFIDENTIAL]


def cable(classification: str, *marks: str) -> Cable:
    return Cable(body="x", classification=classification,
                 paragraphs=tuple(Paragraph(str(i), m, "t") for i, m in enumerate(marks)))


def test_route_takes_the_readers_level():
    """A SECRET mark only the reader found sends an UNCLASSIFIED cable to secret, flagged as a conflict."""
    r = route(cable("UNCLASSIFIED", "U"), read_markings("x\n\u20282. (S-NF) y"))
    assert r.level == SECRET and r.marking_conflict and "(S//NF)" in r.markings_seen


def test_route_quarantines_unknown_markings():
    """An unknown marking sends the cable to quarantine with reason unknown_marking."""
    r = route(cable("SECRET", "S"), read_markings("2. (\u0405) y"))
    assert r.quarantined and r.quarantine_reason.startswith(UNKNOWN_MARKING)


def test_ambiguous_letter_above_the_level_quarantines_below_does_not():
    """A list-or-mark (C) quarantines an UNCLASSIFIED cable but not a SECRET one."""
    reading = read_markings("(A) one\n(B) two\n(C) three\n")
    assert route(cable("UNCLASSIFIED"), reading).quarantined
    assert route(cable("SECRET"), reading).level == SECRET


def test_markings_seen_notes_removed_characters():
    """The route's markings_seen names the reader's marks and the invisible characters removed."""
    r = route(cable("UNCLASSIFIED"), read_markings("2. (\u200bSBU) y"))
    assert "(SBU)" in r.markings_seen and any("invisible" in s for s in r.markings_seen)


def test_pipeline_reads_markings_the_parser_misses(seed_cable):
    """The pipeline runs the reader: a (S) paragraph after a U+2028 break in a low cable never routes low."""
    low = seed_cable.replace("C O N F I D E N T I A L", "UNCLAS").replace("(C)", "(U)")
    assert process(low.encode(), max_bytes=10**6, do_enrich=False).topic in (UNCLASSIFIED, CONTROLLED)
    hostile = low + "\u2029\u20291234. (S E C R E T) The minister said.\u2029"
    out = process(hostile.encode(), max_bytes=10**6, do_enrich=False)
    assert out.kind == QUARANTINED or out.topic in (SECRET, TOP_SECRET)


def test_bidirectional_override_is_unknown():
    """(U+202E FN/S) displays as (S/NF): any bidirectional override makes the marks untrustworthy."""
    assert read_markings("x\n1. (\u202eFN/S) The minister said.").unknown


@pytest.mark.parametrize("refs", ["Refs: (A) Colombo 2304\n-      (B) State 240035\n-      (C) State 240015",
                                  "Refs:  (A) Rio 00190  (B) Rio de Janeiro\n00723  (C) Brasilia 01392"])
def test_reference_list_items_are_not_marks(refs):
    """A (C) item naming a cable after a (B) item, behind a bullet or a wrapped number, is a list item (cablemap cases)."""
    r = read_markings(refs)
    assert r.level is None and not r.ambiguous and not r.unknown


def test_list_letter_after_a_bullet_is_ambiguous():
    """A (C) after a (B) item behind a bullet, not naming a cable, may be a list item or a mark: ambiguous."""
    r = read_markings("(A) one\n-- (B) two\n-- (C) The minister said.")
    assert r.level is None and [lv for _, lv in r.ambiguous] == [CONFIDENTIAL]


def test_numbered_paragraph_mark_is_never_a_list_letter():
    """"1. (C)" after a (B) reference is a portion mark: numbered paragraphs are not list items."""
    assert read_markings("REF: (A) X 1 (B) Y 2\n\n1. (C) Summary.").level == CONFIDENTIAL


def test_skeleton_never_holds_a_non_ascii_letter_whose_capital_is_ascii():
    """The skeleton maps every non-ASCII character whose capital is an ASCII letter (so the
    ``SUBJ``/``ENTIRE TEXT`` searches may upper-case ASCII letters only)."""
    upper_to_ascii = [chr(cp) for cp in range(0x80, 0x110000)
                      if len(chr(cp).upper()) == 1 and chr(cp).upper().isascii()]
    assert upper_to_ascii  # "ı" and "ſ" today; whichever they are, none may reach the skeleton
    for ch in upper_to_ascii:
        skeleton = normalise(f"x{ch}x").skeleton
        assert not any(c in skeleton for c in upper_to_ascii), ch


@pytest.mark.parametrize("special", ["\u0131", "\u017f", "\u00e9", "\u00df", "\u2019", "\u00b6", "\u202e",
                                     "\x00", "\x7f", "\r", "\ud800", "\udc00\ud800", "\U0001f600"])
def test_special_characters_are_found_whatever_their_encoding(special):
    """Every character outside printable ASCII, tab and newline is one the normalisation visits."""
    from streams.core.markings import _SPECIAL_RE, _specials

    text = f"a\t{special}b\n{special}~ "
    assert _specials(text) == set(special) == set(_SPECIAL_RE.findall(text))


@pytest.mark.parametrize(("line", "banner"), [("SECRET - ENTIRE TEXT", True), ("SECRET - entire text.", True),
                                              ("SECRET - ENTIRE TEXTS", False), ("SECRET - ENTIRE TEXT\u00e9", False),
                                              ("SECRET - ENTIRE TEXT_", False), ("SECRET - ENTIRE\tTEXT;", True)])
def test_entire_text_banner_ends_at_a_word_boundary(line, banner):
    """``ENTIRE TEXT`` makes a banner only as whole words (a letter of any script after it spoils it)."""
    r = read_markings(f"Subject: talks\n\nHe said {line} then left.")
    assert ("SECRET - ENTIRE TEXT" in r.marks) is banner


def test_line_look_ahead_admits_every_level_phrase():
    """The classification-line pattern's first-letter look-ahead lets every level phrase through."""
    from streams.core.markings import _LINE_FIRST_LETTERS, _LINE_LEVELS

    assert all(phrase[0] in _LINE_FIRST_LETTERS for phrase in _LINE_LEVELS)
    for phrase in _LINE_LEVELS:
        assert read_markings(f"Subject: talks\n\n{phrase}\n\n1. Text.\n").marks, phrase
