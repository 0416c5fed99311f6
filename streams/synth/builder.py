"""One cable's builder: draws every choice from its own random stream, then writes text and truth."""

from __future__ import annotations

import datetime as dt
import math
import random

from streams.core import classification as cls
from streams.vocab import LEVELS
from streams.synth.body import _BodyWriter
from streams.synth.header import _HeaderWriter
from streams.synth.prose import (
    _ACTION,
    _BODY,
    _COMMENT,
    _LEAD_INS,
    _LOWERABLE,
    _NO_LEAD_IN,
    _OPENING,
    _POINTS,
    _Person,
    _Slots,
)
from streams.synth.records import (
    SynthCable,
    Truth,
    _DOUBLE_SLASH_SHARE,
    _SIZE_MAX,
    _SIZE_MEDIAN,
    _SIZE_MIN,
    _SIZE_SIGMA,
)
from streams.synth.world import (
    _ANACHRONISMS,
    _BY_CODE,
    _FEMALE,
    _HEADER_BASES,
    _HOST_TITLES,
    _MARK,
    _MONTH_ABBR,
    _MONTH_NAMES,
    _NOFORN_SHARE,
    _NOT_OLD,
    _OLD_HOST_TITLES,
    _OLD_POSTS,
    _OLD_TOPICS,
    _POOLS,
    _POSTS,
    _REGION_COUNTRIES,
    _REGION_ORGS,
    _REL_TO,
    _SPACED,
    _SURNAME_FIRST,
    _TOPICS,
    _US_TITLES,
    _country,
    _feminine,
    _highest_mark,
    _us_name,
)

class _Builder(_BodyWriter, _HeaderWriter):
    """Builds one cable: draws every choice from its own ``rng``, then writes raw text and truth."""

    def __init__(
        self,
        rng: random.Random,
        level_choices: tuple[tuple[str, ...], tuple[float, ...]],
        format_choices: tuple[tuple[str, ...], tuple[float, ...]],
        conflict_rate: float,
        size: int | tuple[int, int] | None,
        seen: set[str],
    ) -> None:
        self.rng = rng
        r = rng
        self.format = r.choices(*format_choices)[0]
        self.old = self.format == "page-telegram"
        final_level = r.choices(*level_choices)[0]
        # Marking conflict: the caption is one level below the final level, one paragraph carries it.
        # Not below CONFIDENTIAL: an UNCLAS caption over (SBU) paragraphs is how real SBU cables look,
        # so that "conflict" would be indistinguishable from a plain SBU cable.
        self.conflict = cls.RANK[final_level] >= cls.RANK[cls.CONFIDENTIAL] and r.random() < conflict_rate
        header_level = LEVELS[cls.RANK[final_level] - 1] if self.conflict else final_level
        self.level, self.header_level = final_level, header_level
        bases = _HEADER_BASES[header_level]
        if self.old:  # no SBU in the 1970s: controlled means LIMITED OFFICIAL USE
            bases = tuple(b for b in bases if b == "LIMITED OFFICIAL USE") or bases
        self.base = r.choice(bases)
        self.noforn = r.random() < _NOFORN_SHARE.get(header_level, 0.0)
        self.classification = self.base + ("//NOFORN" if self.noforn else "")
        self.double_slash = self.noforn and r.random() < _DOUBLE_SLASH_SHARE
        fouo = self.base == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        self.sensitive_in_caption = fouo and r.random() < 0.3
        if self.base in _SPACED:  # spaced capitals in 93% of the corpus' captions
            self.caption_words = _SPACED[self.base] if r.random() < 0.9 else self.base
        elif self.base == "LIMITED OFFICIAL USE":
            self.caption_words = "LIMITED OFFICIAL USE"
        else:
            self.caption_words = "UNCLAS SENSITIVE" if self.sensitive_in_caption else "UNCLAS"

        # Station, date, number.
        if r.random() < 0.12:
            self.station = _BY_CODE["STATE"]
            self.target = r.choice(_OLD_POSTS if self.old else _POSTS)
        else:
            self.station = r.choice(_OLD_POSTS if self.old else _POSTS)
            self.target = None
        about = self.target or self.station
        fips = about.country if about.country != "US" else r.choice(_REGION_COUNTRIES["IO"])
        if self.old and fips in _NOT_OLD:
            fips = "RS"
        self.country = _country(fips, self.old)
        self.bureau = about.bureau
        others = [c for c in _REGION_COUNTRIES[about.bureau] if c != fips and not (self.old and c in _NOT_OLD)]
        self.other = _country(r.choice(others), self.old)
        if self.old:
            start, days = dt.datetime(1973, 1, 1), 7 * 365
        else:
            start, days = dt.datetime(2004, 1, 1), 6 * 365 + 60
        self.when = start + dt.timedelta(days=r.randrange(days), minutes=r.randrange(24 * 60))
        self.yy = self.when.year % 100
        volume = self.station.volume * (3 if self.old and self.station.code != "STATE" else 1)
        doy = self.when.timetuple().tm_yday
        number = max(1, int(volume * doy / 366 * r.uniform(0.85, 1.0)))
        cap = 999999 if self.station.code == "STATE" or not self.old else 99999
        number = min(number, cap)
        while f"{self.yy:02d}{self.station.code}{number}" in seen:
            number += 1
        self.number = number
        self.id = f"{self.yy:02d}{self.station.code}{number}"
        seen.add(self.id)
        width = 6 if (not self.old or self.station.code == "STATE") else 5
        self.number_text = f"{number:0{width}d}"

        # Topic and cast.
        self.topic = r.choice(_OLD_TOPICS if self.old else _TOPICS)
        orgs = self.topic[4] + _REGION_ORGS[self.bureau]
        if self.old:
            orgs = tuple(o for o in orgs if o not in _ANACHRONISMS) or ("the UN",)
        self.orgs = orgs
        pool = _POOLS[self.country.pool]
        titles = _OLD_HOST_TITLES if self.old else _HOST_TITLES
        self.cast: list[_Person] = []
        # Distinct titles and surnames, so that a later "FM Ivanov" or "Ivanov" names one person.
        count = r.randrange(2, 5)
        for (title, short), last in zip(r.sample(titles, count), r.sample(pool[1], count)):
            first = r.choice(pool[0])
            if first in _FEMALE:
                last = _feminine(last)
            name = f"{last} {first}" if self.country.pool in _SURNAME_FIRST else f"{first} {last}"
            self.cast.append(_Person(f"{title} {name}", f"{short} {last}", last, name))
        self.ambassador = _us_name(r)
        amb_last = self.ambassador.split()[-1]
        self.us_cast = [_Person(f"Ambassador {self.ambassador}", f"Ambassador {amb_last}", "the Ambassador",
                                self.ambassador)]
        for _ in range(r.randrange(0, 2)):
            title, short = r.choice(_US_TITLES)
            nm = _us_name(r)
            self.us_cast.append(_Person(f"{title} {nm}", f"{short} {nm.split()[-1]}", nm.split()[-1], nm))
        self.host_i = self.last_host = 0
        self.deck: list[str] = []
        self.date_abbr = r.random() < 0.4
        self.redact = self.format in ("cablegate", "acp126") and r.random() < 0.1

        # Writing style.
        fmt = self.format
        self.seed_style = fmt == "plusd-extract" and r.random() < 0.5
        self.upper = self.old or (fmt != "plusd-extract" and r.random() < 0.12)
        self.pilcrow = not self.old and not self.seed_style and r.random() < 0.92
        self.wrap = 0 if self.seed_style or (not self.old and r.random() < 0.15) else r.choice((64, 66, 68, 70))
        self.trailing = " " if (self.wrap and r.random() < 0.5) else ""
        self.marked = not self.old or self.conflict or r.random() < 0.55
        if size is None:
            target = int(min(_SIZE_MAX, max(_SIZE_MIN, r.lognormvariate(math.log(_SIZE_MEDIAN), _SIZE_SIGMA))))
        elif isinstance(size, tuple):
            target = r.randint(size[0], size[1])
        else:
            target = size
        self.target_size = target

    # -- mentions ------------------------------------------------------------------------------

    def host_person(self, other: bool = False) -> str:
        """Mention a host-country cast member; ``other``: not the one mentioned last."""
        if other:
            self.host_i = (self.last_host + 1) % len(self.cast)
        p = self.cast[self.host_i % len(self.cast)]
        self.last_host = self.host_i % len(self.cast)
        self.host_i += 1 if self.rng.random() < 0.6 else 0
        text = p.mention(self.rng)
        if self.redact and self.rng.random() < 0.3:  # the site's redaction of names
            return "XXXXXXXXXXXX"
        return text

    def us_person(self) -> str:
        return self.rng.choice(self.us_cast).mention(self.rng)

    def prose_date(self, future: bool = False) -> str:
        """A day near the cable's date: before it, or after it for what is yet to happen."""
        days = self.rng.randrange(1, 30) if future else -self.rng.randrange(0, 25)
        d = self.when + dt.timedelta(days=days)
        month = (_MONTH_ABBR if self.date_abbr else _MONTH_NAMES)[d.month - 1]
        return f"{month} {d.day}"

    # -- marks ---------------------------------------------------------------------------------

    def mark_for(self, level: str) -> str:
        """The portion mark written for a paragraph at ``level`` in this cable."""
        if level == cls.CONTROLLED:
            if self.old or (self.base == "LIMITED OFFICIAL USE" and self.rng.random() < 0.5):
                return "LOU"
            return "SBU"
        mark = _MARK[level]
        if level in (cls.CONFIDENTIAL, cls.SECRET, cls.TOP_SECRET):
            if self.noforn:
                return mark + ("//NF" if self.double_slash else "/NF")
            if level != cls.TOP_SECRET and self.rng.random() < 0.02:
                return f"{mark}/REL {self.rng.choice(_REL_TO)}"
        return mark

    def paragraph_levels(self, count: int) -> list[str]:
        """Level of each paragraph: the first at the caption's level, some lower, one higher on conflict."""
        r, h = self.rng, self.header_level
        lower = LEVELS[max(0, cls.RANK[h] - 1)]
        out = [h]
        for _ in range(count - 1):
            x = r.random()
            out.append(h if x < 0.62 else lower if x < 0.85 else cls.UNCLASSIFIED)
        if self.conflict:
            out[r.randrange(1, count) if count > 1 else 0] = self.level
        return out

    # -- assembly ------------------------------------------------------------------------------

    def sentence(self, template: str, slots: _Slots) -> str:
        s = template.format_map(slots)
        return s[0].upper() + s[1:]

    def body_sentence(self, slots: _Slots) -> str:
        """Next body sentence: templates dealt from a shuffled deck, sometimes with a lead-in."""
        r = self.rng
        if not self.deck:
            self.deck = list(_BODY)
            r.shuffle(self.deck)
        s = self.deck.pop().format_map(slots)
        first = s.split(" ", 1)[0]
        if first not in _NO_LEAD_IN and r.random() < 0.18:
            lead = r.choice(_LEAD_INS).format_map(slots)
            s = lead + (s[0].lower() + s[1:] if first in _LOWERABLE else s)
        return s[0].upper() + s[1:]

    def build(self) -> SynthCable:
        r = self.rng
        slots = _Slots(self)
        subject = self.make_subject()
        refs_written, refs = self.make_refs()
        tags = self.make_tags()
        front = self.front_matter(subject, tags, refs_written)
        header = self.header()
        fixed = len(header) + len(front) + 120
        # Wrapping, paragraph leads and section markers add ~3% to the prose: aim a little low.
        budget = max(600, int((self.target_size - fixed) * 0.97))

        # Paragraph texts, built sentence by sentence until the size budget is reached.
        texts: list[str] = []
        total = 0
        opening = r.choice(_ACTION if self.station.code == "STATE" else _OPENING)
        texts.append(self.sentence(opening, slots))
        total += len(texts[0])
        if self.station.code == "STATE":
            pts = r.sample(_POINTS, r.randrange(3, len(_POINTS) + 1))
            texts.append("\n".join(["Begin points:"] + [p.format_map(slots) for p in pts] + ["End points."]))
            total += len(texts[-1])
        comment = self.sentence(r.choice(_COMMENT), slots) if r.random() < 0.5 else None
        if comment:
            budget -= len(comment)
        while total < budget:
            para: list[str] = []
            plen = 0
            goal = r.randrange(300, 1100)
            while plen < goal and total + plen < budget:
                s = self.body_sentence(slots)
                para.append(s)
                plen += len(s) + 1
            texts.append(" ".join(para))
            total += plen
        if comment:
            texts.append(comment)
        levels = self.paragraph_levels(len(texts))
        marks = [self.mark_for(lv) for lv in levels] if self.marked else [None] * len(texts)
        if self.conflict and not any(marks):  # unreachable: conflict cables are always marked
            raise AssertionError("conflict cable without marks")

        body_paras = self.write_paragraphs(texts, marks, slots)
        sections, body = self.join_sections(body_paras)
        caption = self.caption(sections)
        signer = self.signer()
        body_text = caption + front + body + signer
        if self.upper:
            body_text = body_text.upper()
            subject = subject.upper()
        raw = self.assemble(header, body_text)

        highest = _highest_mark(marks)
        truth = Truth(
            id=self.id,
            classification=self.classification,
            level=self.level,
            origin=self.station.caption,
            origin_name=self.station.name,
            date=self.when.strftime("%Y-%m-%d"),
            datetime=self.when.strftime("%Y-%m-%dT%H:%M:00Z"),
            number=self.number_text,
            tags=tuple(tags),
            subject=" ".join(subject.split()),
            format=self.format,
            sections=sections,
            highest_portion_marking=highest,
            references=tuple(refs),
            marking_conflict=self.conflict,
            date_in_text=self.date_in_text,
        )
        return SynthCable(raw=raw, truth=truth)
