"""What `cables publish` sends: every input validated item by item, bad ones reported where and why."""

from __future__ import annotations

import json

from streams.kafka.sources import Item, Rejected, iter_items

SEED_TEXT = "C O N F I D E N T I A L ALMATY 002231\n\nSUBJECT: A TEST\n\n1. (C) Some text of the cable body here.\n"
CSV_BODY = "1. (U) A short body of a cable, long enough to be one."


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
