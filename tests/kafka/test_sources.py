"""What `cables publish` sends: every input validated item by item, bad ones reported where and why."""

from __future__ import annotations

import io
import json
import sys

from streams.core.model import Cable
from streams.core.parse import parse
from streams.core.parse.csvrow import read_row
from streams.kafka.sources import Item, Rejected, iter_items, label_of

SEED_TEXT = "C O N F I D E N T I A L ALMATY 002231\n\nSUBJECT: A TEST\n\n1. (C) Some text of the cable body here.\n"
CSV_BODY = "1. (U) A short body of a cable, long enough to be one."


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


def items(path) -> list[Item | Rejected]:
    return list(iter_items(path))


def test_jsonl_bad_lines_are_rejected_with_line_and_reason_and_the_rest_still_goes(tmp_path):
    """A broken JSON line, a non-object and an empty raw are rejected by line number; the good lines around them are items."""
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([
        json.dumps({"raw": SEED_TEXT, "id": "05ALMATY2231"}),
        '{"raw": broken',
        "",
        "[1, 2]",
        json.dumps({"raw": "  "}),
        json.dumps({"raw": SEED_TEXT, "id": 7}),
        json.dumps({"raw": SEED_TEXT}),
    ]) + "\n", encoding="utf-8")
    out = items(path)
    kinds = [type(x).__name__ for x in out]
    assert kinds == ["Item", "Rejected", "Rejected", "Rejected", "Rejected", "Item"]
    assert [r.where for r in out if isinstance(r, Rejected)] == [f"{path}:{n}" for n in (2, 4, 5, 6)]
    assert "not JSON" in out[1].reason and "empty" in out[3].reason and "not a string" in out[4].reason
    assert out[0].key == b"05ALMATY2231"
    assert dict(out[5].headers)["source"] == f"{path}:7".encode()


def test_csv_header_row_names_columns_in_any_order(tmp_path):
    """A header row is honoured: columns are read by name, and the refid becomes the key."""
    path = tmp_path / "dump.csv"
    path.write_text(
        "body,refid,date,header,classification\n"
        f'"{CSV_BODY}","66BUENOSAIRES2481","12/28/1966 18:48","UNCLASSIFIED BUENOS AIRES 2481","UNCLASSIFIED"\n',
        encoding="utf-8")
    [item] = items(path)
    assert isinstance(item, Item) and item.key == b"66BUENOSAIRES2481"
    value = item.value.decode()
    assert value.startswith('"2","12/28/1966 18:48","66BUENOSAIRES2481","","UNCLASSIFIED",""'), value
    assert value.endswith(f'"{CSV_BODY}"')


def test_csv_bad_date_and_wrong_field_count_are_rejected_by_row(tmp_path):
    """A malformed or impossible date and a short row are rejected with line and row; the valid row is still an item."""
    path = tmp_path / "dump.csv"
    path.write_text(
        f'"1","12/28/1966 18:48","66BUENOSAIRES2481","Embassy","UNCLASSIFIED","","HDR","{CSV_BODY}"\n'
        f'"2","1966-12-28","66BUENOSAIRES2482","Embassy","UNCLASSIFIED","","HDR","{CSV_BODY}"\n'
        f'"3","2/30/1966 10:00","66BUENOSAIRES2483","Embassy","UNCLASSIFIED","","HDR","{CSV_BODY}"\n'
        '"4","12/28/1966 18:48","66BUENOSAIRES2484"\n',
        encoding="utf-8")
    out = items(path)
    assert isinstance(out[0], Item)
    assert [str(r) for r in out[1:]] == [
        f"{path}:2 (row 2): date '1966-12-28' is not a date in M/D/YYYY H:MM form (e.g. 12/28/1966 18:48)",
        f"{path}:3 (row 3): date '2/30/1966 10:00' is not a date in M/D/YYYY H:MM form (e.g. 12/28/1966 18:48)",
        f"{path}:4 (row 4): 3 fields, expected 8 (id, date, refid, origin, classification, references, header, body)",
    ]


def test_csv_header_without_a_required_column_rejects_the_file_once(tmp_path):
    """A header lacking `date` rejects the whole file with one line naming the missing column."""
    path = tmp_path / "dump.csv"
    path.write_text('refid,header,body\n"X","H","B"\n"Y","H","B"\n', encoding="utf-8")
    [rejected] = items(path)
    assert isinstance(rejected, Rejected) and "lacks column(s) date" in rejected.reason


def test_folder_sends_cable_files_and_rejects_empty_ones_keyed_by_parsed_id_or_label(tmp_path):
    """In a folder an empty file is rejected, a binary one still goes (the worker dead-letters it), and keys fall back to the label."""
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\xff\xfe")
    (tmp_path / ".hidden").write_text(SEED_TEXT, encoding="utf-8")
    out = items(tmp_path)
    assert [type(x).__name__ for x in out] == ["Rejected", "Item"]
    assert out[0].reason == "empty: no cable text"
    assert out[1].value == b"\x00\xff\xfe" and out[1].key == str(tmp_path / "b.bin").encode()


def test_csv_row_message_is_one_the_worker_parses_as_a_row(tmp_path):
    """A published CSV row is in the CSV message form the worker recognises, with the row's refid as the cable id."""
    from streams.core import pipeline

    path = tmp_path / "dump.csv"
    path.write_text(
        "refid,date,classification,header,body\n"
        '"66BUENOSAIRES2481","12/28/1966 18:48","CONFIDENTIAL","CONFIDENTIAL BUENOS AIRES 2481",'
        '"SUBJECT: A TEST\n\n1. (C) A paragraph of a cable body that is long enough."\n', encoding="utf-8")
    [item] = items(path)
    outcome = pipeline.process(item.value, max_bytes=1_000_000, do_enrich=False)
    assert outcome.cable is not None and outcome.cable.id == "66BUENOSAIRES2481"
    assert outcome.cable.source_format == "csv-row"


def test_csv_dump_yields_one_message_per_row_in_order_keyed_by_refid(tmp_path):
    """A cables.csv dump without a header row gives one CSV-form message per row, keyed by its refid, the backslash escape undone."""
    path = tmp_path / "cables.csv"
    path.write_text(DUMP, encoding="utf-8")
    out = items(path)
    assert [x.key for x in out] == [b"08ALGIERS198", b"66BUENOSAIRES2481"]
    assert [label_of(x) for x in out] == [f"{path}:1", f"{path}:2"]
    row = read_row(out[0].value.decode())
    assert row is not None and row[2] == "08ALGIERS198"
    assert 'THE "ARMY"' in row[7]


def test_csv_message_parses_with_the_row_metadata(tmp_path):
    """A CSV-form message parses its text and takes id, origin name and (without a DTG) date from the row."""
    path = tmp_path / "cables.csv"
    path.write_text(DUMP, encoding="utf-8")
    first, second = (parse(x.value.decode()) for x in items(path))
    assert isinstance(first, Cable)
    assert (first.source_format, first.id, first.origin_name, first.date) == (
        "csv-row", "08ALGIERS198", "Embassy Algiers", "2008-02-22")
    assert first.classification == "SECRET"
    assert [t.code for t in first.tags] == ["PTER", "AG"]
    assert first.subject == '"BOUTEF" AND THE "ARMY"'
    assert isinstance(second, Cable)
    assert (second.date, second.datetime) == ("1966-12-28", "1966-12-28T18:48:00Z")
    assert second.subject == "TRADE"


def test_jsonl_gives_raw_fields_in_order_keyed_by_id_or_label(tmp_path):
    """JSON Lines give each record's ``raw`` in order, blank lines skipped, other fields ignored; the key is ``id`` or ``path:line``."""
    path = tmp_path / "dev.jsonl"
    lines = [json.dumps({"id": "A1", "raw": "first", "expected": {}}), "",
             json.dumps({"raw": "second", "header": "x"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [(x.key, x.value) for x in items(path)] == [(b"A1", b"first"), (f"{path}:3".encode(), b"second")]


def test_raw_file_and_folder_sorted_hidden_skipped(tmp_path):
    """A raw file is one message; a folder gives its files sorted, hidden files skipped."""
    (tmp_path / "b.txt").write_text("UNCLAS STATE 2", encoding="utf-8")
    (tmp_path / "a.txt").write_text("UNCLAS STATE 1", encoding="utf-8")
    (tmp_path / ".hidden").write_text("no", encoding="utf-8")
    assert [x.value for x in items(tmp_path / "a.txt")] == [b"UNCLAS STATE 1"]
    assert [x.value for x in items(tmp_path)] == [b"UNCLAS STATE 1", b"UNCLAS STATE 2"]


def test_non_utf8_file_is_sent_with_its_original_bytes(tmp_path):
    """A Latin-1 file goes as the bytes it holds (the worker dead-letters it with the reason), not repaired."""
    raw = "CONFIDENTIAL BOGOTÁ".encode("latin-1")
    (tmp_path / "x.txt").write_bytes(raw)
    assert [x.value for x in items(tmp_path / "x.txt")] == [raw]


def test_stdin_is_sniffed_as_json_lines(monkeypatch):
    """``-`` reads standard input as JSON Lines when it starts with an object."""
    data = json.dumps({"raw": "one"}) + "\n" + json.dumps({"raw": "two"}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    assert [x.value for x in items("-")] == [b"one", b"two"]


def test_missing_path_is_rejected(tmp_path):
    """A path that does not exist is one rejection naming it, not an exception."""
    [r] = items(tmp_path / "nope")
    assert isinstance(r, Rejected) and r.reason == "no such file or folder"
