"""Which dead letters a replay takes and how far it commits: never past a letter it did not replay."""

from __future__ import annotations

from dataclasses import dataclass

from streams.kafka.replay import ReplayReport, select


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


def test_filter_stops_at_the_first_letter_it_leaves_out_and_commits_only_up_to_it():
    """Partition 0 replays offset 10, leaves 11 (filtered) and 12 (after it), and commits 11; partition 1 replays both and commits 7."""
    report = ReplayReport(read=len(LETTERS))
    chosen, commit_at = select(LETTERS, report, error_types={"too_large"}, stages=set(), skip_and_commit=False)
    assert [h[0][1] for _, _, h in chosen] == [b"cables.dlq:0:10", b"cables.dlq:1:5", b"cables.dlq:1:6"]
    assert commit_at == {0: 11, 1: 7}
    assert (report.skipped, report.left, report.left_from) == (1, 2, {0: 11})
    assert report.left_by_reason == {("parse", "not_a_cable"): 1, ("decode", "too_large"): 1}


def test_skip_and_commit_passes_over_filtered_letters_for_good():
    """With skip_and_commit every matching letter is replayed and each partition is committed to its end."""
    report = ReplayReport(read=len(LETTERS))
    chosen, commit_at = select(LETTERS, report, error_types={"too_large"}, stages=set(), skip_and_commit=True)
    assert len(chosen) == 4 and commit_at == {0: 13, 1: 7}
    assert (report.skipped, report.left) == (1, 0)


def test_no_filter_replays_everything_and_commits_to_the_end():
    """Without a filter nothing is skipped or left."""
    report = ReplayReport(read=len(LETTERS))
    chosen, commit_at = select(LETTERS, report, error_types=set(), stages=set(), skip_and_commit=False)
    assert len(chosen) == 5 and commit_at == {0: 13, 1: 7} and report.left == 0
