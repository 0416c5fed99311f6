"""Which input offsets may be committed: only those whose output the broker has acknowledged.

The worker sends many outputs at once. Acknowledgements arrive in any order across partitions
(and, after a retry, possibly out of order within one), so each partition keeps its inputs in
consumption order with a flag per input; the committable position of a partition is one past the
longest acknowledged prefix. An input whose output is still in flight holds back the commit of
every later input of its partition, so a crash re-processes at most what was in flight and never
skips an input. No Kafka import: the worker feeds it offsets, tests drive it directly.
"""

from __future__ import annotations

from collections import deque

Partition = tuple[str, int]


class _Pending:
    """One input whose output has been produced; ``acked`` once the broker acknowledged it."""

    __slots__ = ("offset", "acked")

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.acked = False


class OffsetTracker:
    """Per partition, the inputs in flight and the position that is safe to commit."""

    def __init__(self) -> None:
        self._queues: dict[Partition, deque[_Pending]] = {}
        self._by_offset: dict[Partition, dict[int, _Pending]] = {}
        self._safe: dict[Partition, int] = {}  # next offset to read after the acknowledged prefix
        self._committed: dict[Partition, int] = {}
        self.in_flight = 0

    def started(self, tp: Partition, offset: int) -> None:
        """Record that the output of input ``offset`` of ``tp`` has been handed to the producer."""
        entry = _Pending(offset)
        queue = self._queues.get(tp)
        if queue is None:
            queue = self._queues[tp] = deque()
            self._by_offset[tp] = {}
        queue.append(entry)
        self._by_offset[tp][offset] = entry
        self.in_flight += 1

    def acked(self, tp: Partition, offset: int) -> None:
        """The broker acknowledged the output of input ``offset``: advance the safe position over
        the acknowledged prefix. Unknown offsets (a partition given up meanwhile) are ignored."""
        entry = self._by_offset.get(tp, {}).pop(offset, None)
        if entry is None:
            return
        entry.acked = True
        self.in_flight -= 1
        queue = self._queues[tp]
        while queue and queue[0].acked:
            self._safe[tp] = queue.popleft().offset + 1

    def to_commit(self) -> dict[Partition, int]:
        """Partition -> offset to commit (one past the acknowledged prefix), only where it moved
        since the last :meth:`committed`."""
        return {tp: pos for tp, pos in self._safe.items() if self._committed.get(tp) != pos}

    def committed(self, positions: dict[Partition, int]) -> None:
        """Note that ``positions`` were committed, so :meth:`to_commit` stops offering them."""
        self._committed.update(positions)

    def pending(self, tp: Partition) -> int:
        """Inputs of ``tp`` whose output is not acknowledged yet."""
        return len(self._by_offset.get(tp, ()))

    def forget(self, tps: list[Partition]) -> None:
        """Drop the partitions (given up in a rebalance); late acknowledgements are then ignored."""
        for tp in tps:
            self.in_flight -= len(self._by_offset.pop(tp, ()))
            self._queues.pop(tp, None)
            self._safe.pop(tp, None)
            self._committed.pop(tp, None)
