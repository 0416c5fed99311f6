"""Prose: line wrapping, the cast of people and the sentence templates a cable body is written from."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from streams.synth.world import _MINISTRIES

if TYPE_CHECKING:  # only an annotation: the builder imports this module
    from streams.synth.builder import _Builder

_WRAP_CACHE: dict[int, re.Pattern[str]] = {}


def _wrap(text: str, width: int, trailing: str = "") -> str:
    """Break ``text`` into lines of at most ``width`` characters at spaces (fast, regex-based)."""
    pattern = _WRAP_CACHE.get(width)
    if pattern is None:
        pattern = _WRAP_CACHE[width] = re.compile(r"(.{1,%d})(?: +|$)" % width)
    return (trailing + "\n").join(m for m in pattern.findall(text) if m)


class _Person:
    """A cast member: full form at first mention, then surname or short title + surname."""

    __slots__ = ("full", "short", "last", "name", "mentioned")

    def __init__(self, full: str, short: str, last: str, name: str) -> None:
        self.full, self.short, self.last, self.name = full, short, last, name
        self.mentioned = False

    def mention(self, rng: random.Random) -> str:
        if not self.mentioned:
            self.mentioned = True
            return self.full
        r = rng.random()
        return self.short if r < 0.4 else self.last if r < 0.85 else self.full


class _Slots(dict):
    """Values for the prose templates, drawn only when a template asks for them."""

    def __init__(self, b: _Builder) -> None:
        super().__init__()
        self.b = b

    def __missing__(self, key: str) -> str:  # not cached: each use draws again
        b, rng = self.b, self.b.rng
        if key == "H":
            return b.host_person()
        if key == "US":
            return b.us_person()
        if key == "C":
            return b.country.name
        if key == "A":
            return b.country.adj
        if key == "CAP":
            return b.country.capital
        if key == "CITY":
            return rng.choice(b.country.cities)
        if key == "O":
            return b.other.name
        if key == "OA":
            return b.other.adj
        if key == "OCAP":
            return b.other.capital
        if key == "ORG":
            return rng.choice(b.orgs)
        if key == "ORGN":
            return rng.choice(b.orgs).removeprefix("the ")
        if key == "H2":
            return b.host_person(other=True)
        if key == "MIN":
            return rng.choice(_MINISTRIES)
        if key == "D":
            return b.prose_date()
        if key == "FD":
            return b.prose_date(future=True)
        if key == "T":
            return rng.choice(b.topic[2])
        if key == "N":
            return str(rng.randrange(3, 60))
        if key == "PCT":
            return str(rng.randrange(5, 70))
        raise KeyError(key)


# Prose templates: plain text with {slots}. Roles: opening, body, comment, action (State cables).
_OPENING = (
    "Summary: {H} told {US} on {D} that {C} would not move forward on {T} without firm assurances "
    "from {ORG}. {H} also raised {T}, asking for continued U.S. engagement. End Summary.",
    "Summary: In a meeting with {US} on {D}, {H} outlined the government's position on {T} and signaled "
    "that {CAP} was prepared to compromise if {O} did the same. End Summary.",
    "Summary: In a call with {US} on {D}, {H} pressed for U.S. understanding of the {A} approach to {T}. "
    "{H} warned that domestic opposition in {CITY} was growing. End Summary.",
    "Summary: {A} officials remain divided over {T}. {H} favors quick agreement with {ORG}, while {H2} "
    "argues that {C} should wait for the outcome of talks with {O}. End Summary.",
    "Summary and comment: {H} is emerging as the government's leading voice on {T}. The "
    "remarks in {CITY} on {D} were aimed at {OCAP} as much as at Washington. End summary and comment.",
)
_BODY = (
    "{H} said that the government in {CAP} remained committed to {T}, but warned that opposition "
    "within the governing coalition was growing.",
    "According to {H}, the {MIN} had already briefed {ORGN} officials in {CITY} on the proposal.",
    "{US} underscored that the United States expected {C} to honor its commitments under the {ORGN} framework.",
    "{H} noted that {O} had offered similar assistance during a visit to {CAP} on {D}.",
    "The {A} side was clearly prepared for the discussion and had reviewed our points in advance.",
    "Asked about the timetable, {H} said a decision would likely come after the cabinet meets on {FD}.",
    "{H} complained that Western partners too often ignored the security concerns of {C}.",
    "Local press reported on {D} that {H} would travel to {OCAP} for talks with {OA} counterparts.",
    "Contacts in {CITY} described the mood as cautious but not pessimistic.",
    "{US} pressed for a clear answer on whether {C} would raise {T} at the next {ORGN} meeting.",
    "{H} acknowledged the concern but insisted that cooperation with {ORG} was unaffected.",
    "The {MIN} is expected to issue a formal reply before {FD}.",
    "{H}, who was joined by {H2}, said the government had not yet decided how to proceed on {T}.",
    "A senior official at the {MIN} separately told PolOff that the issue had been discussed at the highest levels.",
    "{H} characterized relations with {O} as correct but cool and predicted no change before the summit.",
    "The opposition, led by {H}, has called for a parliamentary inquiry into {T}.",
    "EconOff met on {D} with representatives of the {MIN} and local business leaders in {CAP}.",
    "Several interlocutors in {CITY} expressed concern that the dispute over {T} could deter foreign investment.",
    "{H} asked that the United States support the candidacy of {C} for a seat on the {ORGN} board.",
    "According to the {ORGN} representative in {CAP}, a review mission would return on {FD} to assess progress.",
    "{H} estimated that {PCT} percent of the public supported the government's line on {T}.",
    "{US} reminded {H} that Washington had raised {T} repeatedly since {D}.",
    "{H} said that {N} officials from the {MIN} had been assigned to a working group on {T}.",
    "The {OA} ambassador in {CAP} told us on {D} that {O} shared many of our concerns.",
    "{H} predicted that {ORG} would take up the matter only after the {OA} delegation had consulted {OCAP}.",
    "In a separate meeting, {H} dismissed press reports that {CAP} had offered concessions to {O}.",
    "{H} stressed that any agreement on {T} would have to be approved by parliament, where the ruling "
    "party lacks a majority.",
    "{US} welcomed the statement and encouraged {H} to share the draft with {ORG} before {FD}.",
    "Turning to {T}, {H} said that the {MIN} was preparing new guidelines to be published by {FD}.",
    "{H} appeared well briefed and took careful notes throughout the meeting.",
    "Embassy officers who attended a conference in {CITY} on {D} heard similar views from {A} academics.",
    "{H} cautioned that hardliners in {CAP} would portray any concession on {T} as a surrender to outside pressure.",
)
_LEAD_INS = ("Separately, ", "On {D}, ", "Privately, ", "In a follow-up conversation, ", "At the same time, ",
             "Speaking on background, ", "As expected, ", "Later that week, ")
_LOWERABLE = frozenset({"The", "A", "Several", "Local", "Contacts"})
_NO_LEAD_IN = frozenset({"Asked", "According", "In", "Turning", "EconOff", "Embassy"})
_COMMENT = (
    "Comment: {H}'s remarks reflect a growing confidence in {CAP} that {C} can balance its relationships "
    "with Washington and {OCAP}. We should not expect quick movement on {T}, but the door remains open. End Comment.",
    "Comment: The government's handling of {T} suggests that {H} has won the internal argument, at least for "
    "now. We will watch for signals ahead of the {ORGN} meeting. End Comment.",
    "Comment: This is the clearest statement yet of the {A} position. Post recommends that Washington use "
    "the visit of {US} to reinforce our message on {T}. End Comment.",
)
_ACTION = (
    "This is an action request. Embassy is requested to deliver the points in paragraph {N} to appropriate "
    "officials at the {MIN}, at the highest appropriate level, and report the response by {FD}.",
    "Posts should draw on the following points in discussions with host government officials on {T}, "
    "emphasizing that the United States will raise the matter at the next {ORGN} meeting.",
    "Department requests that Embassy {CAP} approach the {MIN} before {FD} to urge {C} to support our "
    "position on {T} at {ORG}.",
)
_POINTS = (
    "-- The United States values its partnership with {C} on {T}.",
    "-- We urge {C} to make its views known before the {ORGN} meeting on {FD}.",
    "-- We are concerned by recent reports that {O} has sought to expand its role in {T}.",
    "-- We would welcome the opportunity to discuss these issues further with {H}.",
    "-- The United States stands ready to provide technical assistance through {ORG}.",
)
_HEADINGS = ("BACKGROUND", "GOVERNMENT POSITION", "THE VIEW FROM {CAP}", "NEXT STEPS", "ECONOMIC ANGLE",
             "REGIONAL DIMENSION", "MEETING WITH {H}", "PRESS REACTION")
_SUBJECT_TEMPLATES = (
    "{CN}: {TS}",
    "{CN}: {TITLE} {LAST} ON {TS}",
    "AMBASSADOR'S MEETING WITH {TITLE} {LAST} ON {TS}",
    "{TS}: {ADJ} GOVERNMENT SEEKS U.S. SUPPORT",
    "{CN} HEDGES ON {TS} AHEAD OF {ORGU} MEETING",
    "{TS} -- {ADJ} OFFICIALS DIVIDED, DECISION UNLIKELY BEFORE {MON}",
    "{CN}: {TS} AND RELATIONS WITH {OCN}",
)
