"""The header's pieces: caption, section markers, pages, date-time group, addressees (a mixin of the builder)."""

from __future__ import annotations

from streams.synth.records import Station
from streams.synth.world import (
    _BY_CODE,
    _DE_SECTION,
    _DISTRIBUTION_OFFICES,
    _FIRST_PAGE,
    _INFO_EXTRA,
    _MONTHS,
    _MONTH_NAMES,
    _OLD_OFFICES,
    _OLD_POSTS,
    _POSTS,
    _PRECEDENCE,
    _WEEKDAYS,
    _ZNY,
    _us_name,
)

class _HeaderWriter:
    """Writes the routing header, caption and page furniture; mixed into :class:`_Builder`."""

    def section_marker(self, k: int, n: int) -> str:
        if self.old:
            return ""  # the page header of the next section carries "02 OF 03"
        if self.format == "acp126" and self.rng.random() < 0.5:  # caption repeated per section
            return f"\n{self.caption_words} SECTION {k:02d} OF {n:02d} {self.station.caption} {self.number_text}\n"
        return f"\n{self.station.caption} {self.number:08d}  {k:03d} OF {n:03d}\n\n"

    def paginate(self, text: str, section: int, sections: int) -> str:
        """Old telegram pages: a classification footer and a ``PAGE nn`` header every ~45 lines."""
        lines = text.split("\n")
        out, page = [], 1 if section == 1 else 0
        for i in range(0, len(lines), 45):
            if i or section > 1:
                page += 1
                out += ["", self.base, "", self.page_line(page, section, sections), ""]
            out += lines[i : i + 45]
        return "\n".join(out)

    def page_line(self, page: int, section: int, sections: int) -> str:
        sec = f"{section:02d} OF {sections:02d}  " if sections > 1 else ""
        return f"PAGE {page:02d}        {self.station.caption}  {self.number_text}  {sec}{self.when:%d%H%M}Z"

    def caption(self, sections: int) -> str:
        words = self.caption_words
        sec = f" SECTION 01 OF {sections:02d}" if sections > 1 else ""
        line = f"{words}{sec} {self.station.caption} {self.number_text}"
        t = self.trailing
        if self.seed_style:
            return line
        if self.format == "cablegate" and self.rng.random() < 0.08:  # newspaper-style dateline
            w = self.when
            line = f"{_WEEKDAYS[w.weekday()]}, {w.day:02d} {_MONTH_NAMES[w.month - 1]} {w.year}, {w:%H:%M}\n" + line
        return line + t + "\n"

    def signer(self) -> str:
        r = self.rng
        if self.station.code == "STATE":
            name = r.choice(("HOLBROOK", "MARSHALL", "WENTWORTH", "CALLOWAY", "DAVENPORT"))
        elif r.random() < 0.85:
            name = self.ambassador.split()[-1].upper()
        else:
            name = _us_name(r).split()[-1].upper()
        if self.seed_style:
            return f"\n{name}\n\nNNNN"
        return f"\n{name}\n"

    def dtg(self) -> str:
        self.precedence = self.rng.choices("OPRZ", (0.35, 0.3, 0.33, 0.02))[0]
        w = self.when
        return f"{self.precedence} {w:%d%H%M}Z {_MONTHS[w.month - 1]} {w.year % 100:02d}"

    def addressees(self, with_ri: bool) -> list[str]:
        """TO and INFO lines."""
        r = self.rng
        word = _PRECEDENCE[self.precedence]
        word = "" if word == "ROUTINE" and r.random() < 0.7 else " " + word

        def addr(st: Station) -> str:
            name = "SECSTATE WASHDC" if st.code == "STATE" else st.fm
            return f"{st.ri}/{name}" if with_ri else name

        if self.station.code == "STATE":
            to = [self.target]
        else:
            to = [_BY_CODE["STATE"]]
        lines = [f"TO {addr(to[0])}{word} {r.randrange(1, 9999):04d}"]
        pool = [s for s in (_OLD_POSTS if self.old else _POSTS) if s.code not in (self.station.code, to[0].code)]
        infos = []
        for st in r.sample(pool, r.randrange(0, 7)):
            serial = f" {r.randrange(1, 9999):04d}" if r.random() < 0.6 else ""
            infos.append(addr(st) + (word if r.random() < 0.5 else "") + serial)
        if not self.old:
            for ri, name in r.sample(_INFO_EXTRA, r.randrange(0, 3)):
                infos.append(f"{ri}/{name}" if with_ri else name)
        if infos:
            lines.append("INFO " + infos[0])
            lines += infos[1:]
        return lines

    def distribution_block(self) -> str:
        r = self.rng
        offices = ["LOG-00"] + [f"{o}-{0 if r.random() < 0.9 else r.randrange(1, 9):02d}"
                                for o in r.sample(_DISTRIBUTION_OFFICES, r.randrange(12, 40))]
        rows = ["   ".join(f"{o:<6}" for o in offices[i : i + 7]).rstrip() for i in range(0, len(offices), 7)]
        block = "INFO  " + "\n      ".join(rows) + f"    /{r.randrange(0, 12):03d}{r.choice('RW')}"
        if self.station.code != "STATE":
            action = {"S": "EUR", "IO": "IO"}.get(self.bureau, self.bureau)
            block = f"ACTION {action}-00 \n\n" + block
        return block

    def header(self) -> str:
        """The routing header (or banner) before the caption, per format; fixes the date's presence."""
        r = self.rng
        fmt = self.format
        self.date_in_text = True
        if fmt == "plusd-extract":
            banner = ("This record is a partial extract of the original cable. "
                      "The full text of the original cable is not available.")
            if self.seed_style:
                self.date_in_text = False
                return "\n\n" + banner
            if r.random() < 0.5:
                w = self.when
                return f"{banner}\n\n{w:%d%H%M}Z {_MONTHS[w.month - 1].title()} {w.year % 100:02d}"
            self.date_in_text = False
            return banner
        dtg = self.dtg()
        fm = f"FM {self.station.fm}"
        if fmt == "cablegate":
            w = self.when
            seq = f"VZCZC{r.choice(('XRO', 'XYZ'))}{r.randrange(10000):04d}"
            prec2 = self.precedence * 2 if self.precedence != "Z" else "ZZ"
            de = f"DE {self.station.ri} #{self.number % 10000:04d}{_DE_SECTION} {w.timetuple().tm_yday:03d}{w:%H%M}"
            lines = [seq, f"{prec2} RUEHWEB", "", de, _ZNY[self.base], dtg, fm] + self.addressees(True)
            if r.random() < 0.4:
                lines.append("BT")
                self.bt_trailer = f"BT\n#{self.number % 10000:04d}\n\nNNNN"
            return "\n".join(lines)
        if fmt == "acp126":
            return "\n".join([dtg, fm] + self.addressees(False))
        if fmt == "state-distribution":
            return self.distribution_block() + "\n\n \n" + "\n".join([dtg, fm] + self.addressees(False))
        # page-telegram
        first = _FIRST_PAGE  # written once the number of sections is known
        action = {"S": "EUR", "IO": "IO"}.get(self.bureau, self.bureau)
        offices = [f"{o}-{r.randrange(0, 16):02d}" for o in r.sample(_OLD_OFFICES, r.randrange(8, 18))]
        rows = ["  ".join(offices[i : i + 8]) for i in range(0, len(offices), 8)]
        total = sum(int(o.split("-")[1]) for o in offices)
        info = "INFO  " + "\n      ".join(rows) + f"  /{total:03d} W"
        rule = " " * 30 + "-" * 18 + f" {r.randrange(100000):06d}"
        return "\n".join([first, f"ACTION {action}-{r.randrange(5, 16):02d}", "", info, rule, dtg, fm]
                         + self.addressees(False))

    def assemble(self, header: str, body: str) -> str:
        if self.format == "page-telegram":
            header = header.replace(_FIRST_PAGE, self.page_line(1, 1, self.sections), 1)
            return header + "\n\n" + body + "\n\n" + self.base + "\n"
        raw = header.replace(_DE_SECTION, "/01" if self.sections > 1 else "") + "\n\n" + body
        trailer = getattr(self, "bt_trailer", None)
        if trailer:
            raw += "\n" + trailer
        return raw
