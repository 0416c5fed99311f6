"""iter_messages() and the CSV message form: files, folders, JSON Lines and cables.csv dumps."""

from __future__ import annotations

import io
import json
import sys

import pytest

from streams.core.model import Cable, Failure
from streams.core.parse import parse
from streams.core.parse.csvrow import looks_like_row, read_row, to_message
from streams.core.parse.inputs import iter_messages

HEADER = "R 221128Z FEB 08\nFM AMEMBASSY ALGIERS\nTO SECSTATE WASHDC PRIORITY 5295\nBT"
BODY = ('S E C R E T ALGIERS 000198\n\nSIPDIS\n\nE.O. 12958: DECL: 02/21/2018\nTAGS: PTER, AG\n'
        'SUBJECT: \\"BOUTEF\\" AND THE \\"ARMY\\"\n\nREF: ALGIERS 150\n\n1. (S) The \\"army\\" text.\n')
# Two rows of a cables.csv dump as WikiLeaks' export writes them: quotes escaped with a backslash.
DUMP = (
    f'"7","2/22/2008 11:28","08ALGIERS198","Embassy Algiers","SECRET","08ALGIERS150",'
    f'"{HEADER}","{BODY}"\n'
    '"8","12/28/1966 18:48","66BUENOSAIRES2481","Embassy Buenos Aires","UNCLASSIFIED","",'
    '"","UNCLAS BUENOS AIRES 2481\n\nSUBJ: TRADE\n\n1. TEXT.\n"\n'
)


def test_csv_dump_yields_one_message_per_row_in_order(tmp_path):
    """A cables.csv dump gives one CSV-form message per row, labelled with the row and refid."""
    path = tmp_path / "cables.csv"
    path.write_text(DUMP, encoding="utf-8")
    messages = list(iter_messages(path))
    assert [label for label, _ in messages] == [f"{path}:1:08ALGIERS198", f"{path}:2:66BUENOSAIRES2481"]
    row = read_row(messages[0][1])
    assert row is not None and row[2] == "08ALGIERS198"
    assert 'THE "ARMY"' in row[7]  # the backslash escape is undone, the quote kept


def test_csv_message_parses_with_the_row_metadata(tmp_path):
    """A CSV-form message parses its text and takes id and origin name from the row."""
    path = tmp_path / "cables.csv"
    path.write_text(DUMP, encoding="utf-8")
    (_, first), (_, second) = list(iter_messages(path))
    c = parse(first)
    assert isinstance(c, Cable)
    assert (c.source_format, c.id, c.origin_name, c.date) == ("csv-row", "08ALGIERS198", "Embassy Algiers",
                                                              "2008-02-22")
    assert c.classification == "SECRET"
    assert [t.code for t in c.tags] == ["PTER", "AG"]
    assert c.subject == '"BOUTEF" AND THE "ARMY"'
    old = parse(second)
    assert isinstance(old, Cable)
    assert (old.date, old.datetime) == ("1966-12-28", "1966-12-28T18:48:00Z")  # no DTG: the row's date
    assert old.subject == "TRADE"


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


def test_jsonl_yields_raw_fields_in_order(tmp_path):
    """JSON Lines give each record's ``raw``, in order, blank lines skipped, other fields ignored."""
    path = tmp_path / "dev.jsonl"
    lines = [json.dumps({"id": "A1", "raw": "first", "expected": {}}), "",
             json.dumps({"raw": "second", "header": "x"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(iter_messages(path)) == [(f"{path}:1:A1", "first"), (f"{path}:3", "second")]


def test_jsonl_without_raw_field_is_an_error(tmp_path):
    """A JSON Lines record without a string ``raw`` is reported with its line number."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        list(iter_messages(path))


def test_raw_file_and_folder(tmp_path):
    """A raw file is one message; a folder yields its files sorted, hidden files skipped."""
    (tmp_path / "b.txt").write_text("UNCLAS STATE 2", encoding="utf-8")
    (tmp_path / "a.txt").write_text("UNCLAS STATE 1", encoding="utf-8")
    (tmp_path / ".hidden").write_text("no", encoding="utf-8")
    assert list(iter_messages(tmp_path / "a.txt")) == [(str(tmp_path / "a.txt"), "UNCLAS STATE 1")]
    assert [text for _, text in iter_messages(tmp_path)] == ["UNCLAS STATE 1", "UNCLAS STATE 2"]


def test_non_utf8_file_keeps_its_bytes(tmp_path):
    """A Latin-1 file is yielded with surrogates so the publisher can send the original bytes."""
    raw = "CONFIDENTIAL BOGOTÁ".encode("latin-1")
    (tmp_path / "x.txt").write_bytes(raw)
    ((_, text),) = list(iter_messages(tmp_path / "x.txt"))
    assert text.encode("utf-8", "surrogateescape") == raw


def test_stdin_is_sniffed(monkeypatch):
    """``-`` reads standard input as JSON Lines when it starts with an object."""
    data = json.dumps({"raw": "one"}) + "\n" + json.dumps({"raw": "two"}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    assert [t for _, t in iter_messages("-")] == ["one", "two"]


def test_missing_path_is_an_error(tmp_path):
    """A path that does not exist raises FileNotFoundError (a CLI usage error, not a message)."""
    with pytest.raises(FileNotFoundError):
        list(iter_messages(tmp_path / "nope"))
