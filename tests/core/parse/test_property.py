"""Property tests: decode() and parse() never raise and finish in bounded time on adversarial input.

Time is bounded through hypothesis' per-example ``deadline`` (no wall-clock assertions): inputs are
built from the fragments the parser's patterns look for, repeated thousands of times on one line or
many, which is where a backtracking regular expression or a quadratic loop would blow up.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from streams.core.model import Cable, Failure
from streams.core.parse import decode, parse

# Linear parsing of the largest generated input (~300 KB) takes a few tens of milliseconds; a
# super-linear pattern takes seconds to hours. The margin covers slow CI machines.
DEADLINE = timedelta(seconds=2)

FRAGMENTS = [
    "S E C R E T ", "C O N F I D E N T I A L", "UNCLAS", "SECTION 01 OF 03 ", "ALMATY 002231", "//NOFORN",
    "/", "//", " ", "\n", "\n\n", "\t", "\u00a0", "¶", "(", ")", "(C)", "(S/NF)", "(SBU)", "1.", "1 .", "12.",
    "A.", "B)", "(A)", "TAGS", "TAGS:", "Tags:", "TAG ", "SUBJECT:", "SUBJ:", "REF:", "REFS:",
    "E.O. 12958: DECL: 06/15/2015", "DECL:", "Classified By:", "reasons 1.4 (b) and (d)", "1.4", "(b,",
    "VZCZC", "DE RUEHFR #5974/01 2491539", "ZNY SSSSS", "ZNY CCCCC", "R 151059Z JUN 06", "151059Z",
    "FM AMEMBASSY PARIS", "TO RUEHC/SECSTATE WASHDC 5555", "INFO ", "RUEHC/", "PRIORITY", "BT", "NNNN",
    "INFO  LOG-00   EEB-00", "PAGE 01", "ACTION EUR-25", "This record is a partial extract of the original cable.",
    "CLASSIFICATION: SECRET", "Friday, 26 October 2007, 02:25", "[KNNP](#)", "OVIP (CLINTON, HILLARY)",
    "05 PARIS 123", "STATE", "0", "9", "A", "a", "-", ",", ";", ":", ".", '"', "\\", "\r", "\r\n", "\x00",
    "XXXXXXXXXXXX", "ORDWAY",
]

fragment_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=400).map("".join)
repeated = st.tuples(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4),
                     st.integers(min_value=1, max_value=20_000)).map(lambda t: "".join(t[0]) * t[1])
prefixed = st.tuples(fragment_soup, repeated, fragment_soup).map("".join)
any_text = st.text(max_size=5_000)


def _check(result: object) -> None:
    assert isinstance(result, (Cable, Failure))
    if isinstance(result, Failure):
        assert result.error_type != "internal", result.message


# Known worst cases of a line-oriented parser, always run: huge header-like, caption-like,
# field-like and paragraph-like inputs, on many lines and on one line.
WORST_CASES = [
    "S E C R E T \n\n" * 20_000,
    "TAGS: " * 30_000,
    "\n\nTAGS: " * 20_000,
    "(C)TAGS: " * 20_000,
    "R 151059Z JUN 06\n" * 20_000,
    "TO RUEHC/SECSTATE WASHDC 5555\n" + "RUEHC/" * 50_000,
    "C O N F I D E N T I A L ALMATY 002231\nREF: " + "A. " * 60_000,
    "C O N F I D E N T I A L ALMATY 002231\nClassified By: " + "1.4 (b, " * 30_000,
    "1. (" * 50_000,
    "¶" * 100_000,
    "A " * 150_000,
]


@settings(deadline=DEADLINE, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, fragment_soup, repeated, prefixed))
@example(WORST_CASES[0])
@example(WORST_CASES[1])
@example(WORST_CASES[2])
@example(WORST_CASES[3])
@example(WORST_CASES[4])
@example(WORST_CASES[5])
@example(WORST_CASES[6])
@example(WORST_CASES[7])
@example(WORST_CASES[8])
@example(WORST_CASES[9])
@example(WORST_CASES[10])
def test_parse_never_raises_and_is_bounded(text):
    """parse() returns a Cable or a typed (non-internal) Failure, within the deadline, for any text."""
    _check(parse(text))


@settings(deadline=DEADLINE, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(repeated, prefixed))
def test_parse_is_bounded_on_long_lines(text):
    """The same fragments glued on one single line (newlines removed) stay within the deadline."""
    _check(parse(text.replace("\n", " ").replace("\r", " ")))


@settings(deadline=DEADLINE, max_examples=200)
@given(st.binary(max_size=5_000))
def test_decode_then_parse_never_raise_on_bytes(raw):
    """Arbitrary bytes are decoded to text or a decode failure, and any text parses without raising."""
    text = decode(raw, 1_000_000)
    if isinstance(text, Failure):
        assert text.error_type in ("empty", "too_large", "not_utf8", "binary")
    else:
        _check(parse(text))
