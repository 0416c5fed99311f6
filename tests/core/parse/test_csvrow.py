"""The CSV message form (one cables.csv row as one raw message): recognised, read back, parsed."""

from __future__ import annotations

from streams.core.model import Cable, Failure
from streams.core.parse import parse
from streams.core.parse.csvrow import looks_like_row, read_row, to_message

def test_csv_row_classification_above_the_text_wins_with_a_conflict():
    """A row classified above its text's caption is kept at the row's level and flagged."""
    msg = to_message(["1", "1/2/2009 10:00", "09PARIS1", "Embassy Paris", "SECRET", "", "",
                      "C O N F I D E N T I A L PARIS 000001\n\nTAGS: FR\n\n1. (C) T.\n"])
    c = parse(msg)
    assert isinstance(c, Cable)
    assert c.classification == "SECRET"
    assert c.classification_conflict == "row SECRET; text CONFIDENTIAL"


def test_csv_message_form_round_trips():
    """to_message() output is recognised and read back to the same 8 fields."""
    row = ["1", "12/28/1966 18:48", "66X1", "Embassy X", "UNCLASSIFIED", "", 'a "q"', "line1\nline2"]
    msg = to_message(row)
    assert looks_like_row(msg)
    assert read_row(msg) == row
    assert not msg.endswith("\n")


def test_a_broken_csv_message_is_a_typed_failure():
    """A message that starts like a row but is not 8 fields is ``bad_csv_row``."""
    result = parse('"1","12/28/1966 18:48","66X1"')
    assert isinstance(result, Failure) and result.error_type == "bad_csv_row"
