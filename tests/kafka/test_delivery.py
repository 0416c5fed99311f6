"""OffsetTracker: a committed position never passes an input whose output is unacknowledged."""

from __future__ import annotations

from streams.kafka.delivery import OffsetTracker

TP = ("cables.raw", 0)
OTHER = ("cables.raw", 1)


def test_nothing_is_committable_until_the_first_output_is_acknowledged():
    """Acknowledgements after a gap do not move the position: the gap's input would be lost."""
    t = OffsetTracker()
    for offset in (10, 11, 12):
        t.started(TP, offset)
    t.acked(TP, 11)
    t.acked(TP, 12)
    assert t.to_commit() == {}
    assert t.in_flight == 1


def test_the_position_is_one_past_the_acknowledged_prefix():
    """Once the gap is acknowledged, the position jumps past every acknowledged input after it."""
    t = OffsetTracker()
    for offset in (10, 11, 12, 13):
        t.started(TP, offset)
    for offset in (11, 10, 13):
        t.acked(TP, offset)
    assert t.to_commit() == {TP: 12}
    assert t.pending(TP) == 1


def test_partitions_are_independent_and_committed_positions_are_not_offered_again():
    """A slow partition does not hold another back; a committed position is offered once."""
    t = OffsetTracker()
    t.started(TP, 5)
    t.started(OTHER, 7)
    t.acked(OTHER, 7)
    assert t.to_commit() == {OTHER: 8}
    t.committed({OTHER: 8})
    assert t.to_commit() == {}
    t.acked(TP, 5)
    assert t.to_commit() == {TP: 6}


def test_forgotten_partitions_ignore_late_acknowledgements():
    """After a partition is given up, a late acknowledgement neither fails nor offers a commit."""
    t = OffsetTracker()
    t.started(TP, 1)
    t.started(TP, 2)
    t.forget([TP])
    t.acked(TP, 1)
    assert t.to_commit() == {} and t.in_flight == 0
