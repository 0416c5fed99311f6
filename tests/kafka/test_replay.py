"""Which dead letters a replay takes and what it commits: never past a letter it did not replay, never one twice."""

from __future__ import annotations

from dataclasses import dataclass

from streams.kafka import replay
from streams.kafka.replay import ReplayReport, decode_offsets, encode_offsets, select


@dataclass
class Letter:
    """The parts of a consumed dead letter that the selection reads."""

    p: int
    o: int
    stage: str
    error_type: str

    def partition(self) -> int:
        return self.p

    def offset(self) -> int:
        return self.o

    def topic(self) -> str:
        return "cables.dlq"

    def key(self) -> bytes:
        return b"k"

    def value(self) -> bytes:
        return b"v"

    def headers(self) -> list[tuple[str, bytes]]:
        return [("stage", self.stage.encode()), ("error_type", self.error_type.encode())]


LETTERS = [
    Letter(0, 10, "decode", "too_large"),
    Letter(0, 11, "parse", "not_a_cable"),
    Letter(0, 12, "decode", "too_large"),
    Letter(1, 5, "decode", "too_large"),
    Letter(1, 6, "decode", "too_large"),
]


def origins(chosen) -> list[bytes]:
    return [h[0][1] for _, _, h in chosen]


def test_filter_commits_up_to_the_first_letter_it_leaves_out_and_records_what_it_replayed_after_it():
    """Partition 0 replays 10 and 12, leaves 11, commits 11 with `replayed:12`; partition 1 replays both and commits 7."""
    report = ReplayReport(read=len(LETTERS))
    chosen, commit = select(LETTERS, report, error_types={"too_large"}, stages=set(), skip_and_commit=False)
    assert origins(chosen) == [b"cables.dlq:0:10", b"cables.dlq:0:12", b"cables.dlq:1:5", b"cables.dlq:1:6"]
    assert commit == {0: (11, "replayed:12"), 1: (7, "")}
    assert (report.skipped, report.left, report.left_from) == (1, 1, {0: 11})
    assert report.left_by_reason == {("parse", "not_a_cable"): 1}


def test_a_later_replay_passes_over_what_an_earlier_one_recorded():
    """Reading from the left letter again, the recorded offset 12 is not replayed twice, and the commit moves to the end."""
    report = ReplayReport(read=2)
    chosen, commit = select(LETTERS[1:3], report, error_types=set(), stages=set(), skip_and_commit=False,
                            replayed_before={0: {12}})
    assert origins(chosen) == [b"cables.dlq:0:11"] and report.already == 1
    assert commit == {0: (13, "")}


def test_skip_and_commit_passes_over_filtered_letters_for_good():
    """With skip_and_commit every matching letter is replayed and each partition is committed to its end."""
    report = ReplayReport(read=len(LETTERS))
    chosen, commit = select(LETTERS, report, error_types={"too_large"}, stages=set(), skip_and_commit=True)
    assert len(chosen) == 4 and commit == {0: (13, ""), 1: (7, "")}
    assert (report.skipped, report.left) == (1, 0)


def test_beyond_the_metadata_budget_matching_letters_are_left_too(monkeypatch):
    """When the record of replayed offsets would outgrow its budget, later matching letters are left, not lost."""
    monkeypatch.setattr(replay, "METADATA_BUDGET", 3)  # room for one two-digit offset and its comma
    report = ReplayReport(read=len(LETTERS))
    letters = [*LETTERS[:3], Letter(0, 13, "decode", "too_large")]
    chosen, commit = select(letters, report, error_types={"too_large"}, stages=set(), skip_and_commit=False)
    assert origins(chosen) == [b"cables.dlq:0:10", b"cables.dlq:0:12"]
    assert commit == {0: (11, "replayed:12")} and report.left == 2


def test_offsets_record_round_trips_as_ranges():
    """{3, 5, 6, 7} is written `replayed:3,5-7` and read back; foreign metadata reads as nothing."""
    assert encode_offsets({7, 3, 5, 6}) == "replayed:3,5-7"
    assert decode_offsets("replayed:3,5-7") == {3, 5, 6, 7}
    assert decode_offsets("") == decode_offsets(None) == decode_offsets("someone else's") == set()
