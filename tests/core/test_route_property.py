"""Property: the chosen level is never below any classification marking present in a cable's text.

The oracle below reads markings from the text independently of the parser:
caption lines (spaced or plain classification words at a line start), the
``ZNY SSSSS`` precedence line of the transmission header, and portion marks at
paragraph starts. Cables are generated, then mutated (marks swapped or raised,
lines dropped, text truncated, case changed) by hypothesis.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.core import classification as cls
from streams import synth
from streams.core.model import Failure
from streams.core.parse import parse
from streams.core.route import route

CABLES = [c.raw for c in synth.generate(60, seed=99)]

_CAPTION = re.compile(
    r"^\s*(T\s*O\s*P\s+S\s*E\s*C\s*R\s*E\s*T|S\s*E\s*C\s*R\s*E\s*T|C\s*O\s*N\s*F\s*I\s*D\s*E\s*N\s*T\s*I\s*A\s*L"
    r"|L\s*I\s*M\s*I\s*T\s*E\s*D\s+O\s*F\s*F\s*I\s*C\s*I\s*A\s*L\s+U\s*S\s*E)\b",
    re.I | re.M,
)
_ZNY = re.compile(r"^ZNY\s+(SSSSS|CCCCC)\s*$", re.M)
_PORTION = re.compile(r"^\s*(?:¶\s*)?\d{1,3}\s*\.\s*\(([A-Z/]{1,12})\)", re.M)


def oracle_levels(text: str) -> list[str]:
    """Every level a marking in ``text`` asserts (independently of the parser)."""
    found = []
    for m in _CAPTION.finditer(text):
        found.append(cls.level_of(cls.normalize(m.group(1))))
    for m in _ZNY.finditer(text):
        found.append(cls.SECRET if m.group(1) == "SSSSS" else cls.CONFIDENTIAL)
    for m in _PORTION.finditer(text):
        found.append(cls.portion_level(m.group(1)))
    return [lv for lv in found if lv]


def assert_not_below(text: str) -> None:
    cable = parse(text)
    if isinstance(cable, Failure):
        return  # dead-lettered: never routed to any level
    decision = route(cable)
    if decision.quarantined:
        return
    floor = cls.highest(oracle_levels(text))
    if floor is not None:
        assert cls.RANK[decision.level] >= cls.RANK[floor], (
            f"routed to {decision.level} but the text carries a {floor} marking"
        )


MARKS = ["(U)", "(SBU)", "(C)", "(S)", "(S/NF)", "(TS)", "(C/NF)", "(LOU)", "(U//FOUO)"]


@st.composite
def mutated_cables(draw) -> str:
    text = draw(st.sampled_from(CABLES))
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["raise_mark", "drop_line", "truncate", "lower", "insert_para", "dup_caption"]))
        if op == "raise_mark":
            idx = [i for i, ln in enumerate(lines) if _PORTION.match(ln)]
            if idx:
                i = draw(st.sampled_from(idx))
                lines[i] = re.sub(r"\([A-Z/]{1,12}\)", draw(st.sampled_from(MARKS)), lines[i], count=1)
        elif op == "drop_line" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif op == "truncate" and len(lines) > 2:
            lines = lines[: draw(st.integers(1, len(lines) - 1))]
        elif op == "lower":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = lines[i].lower()
        elif op == "insert_para":
            i = draw(st.integers(0, len(lines)))
            lines.insert(i, f"{draw(st.integers(1, 30))}. {draw(st.sampled_from(MARKS))} Inserted paragraph text.")
        elif op == "dup_caption":
            i = draw(st.integers(0, len(lines)))
            lines.insert(i, draw(st.sampled_from(["S E C R E T", "TOP SECRET", "C O N F I D E N T I A L"])))
    return "\n".join(lines)


def test_generated_cables_route_at_or_above_every_marking():
    """Unmutated generated cables of every level route at or above each marking in their text."""
    for text in CABLES:
        assert_not_below(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_cables())
def test_mutated_cables_never_route_below_a_marking(text):
    """Mutated and truncated cables never route below any marking present in their text."""
    assert_not_below(text)
