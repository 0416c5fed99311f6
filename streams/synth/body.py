"""The body's pieces: subject, references, TAGS, front matter, paragraphs and sections (a mixin of the builder)."""

from __future__ import annotations

import datetime as dt

from streams.core import classification as cls
from streams.synth.prose import _HEADINGS, _SUBJECT_TEMPLATES, _Slots, _wrap
from streams.synth.records import _SECTION_CHARS
from streams.synth.world import (
    _BY_CODE,
    _EXTRA_TAGS,
    _MONTH_NAMES,
    _OFFICES,
    _OLD_POSTS,
    _OLD_TAGS,
    _ORG_TAGS,
    _POSTS,
    _us_name,
)

class _BodyWriter:
    """Writes the parts of a cable after the caption; mixed into :class:`_Builder`."""

    def make_subject(self) -> str:
        r = self.rng
        if r.random() < 0.05 and not self.old:
            visitor = self.us_cast[-1] if len(self.us_cast) > 1 else None
            who = visitor.full.upper() if visitor else "CODEL " + _us_name(r).split()[-1].upper()
            subject = f"SCENESETTER FOR {who} VISIT TO {self.country.capital.upper()}"
            self.ovip = visitor
        else:
            self.ovip = None
            host = self.cast[0]
            title = host.full.rsplit(" ", 2)[0].upper()
            subject = r.choice(_SUBJECT_TEMPLATES).format(
                CN=self.country.name.upper().removeprefix("THE "),
                TS=r.choice(self.topic[3]),
                TITLE=title,
                LAST=host.last.upper(),
                ADJ=self.country.adj.upper(),
                ORGU=r.choice(self.orgs).upper().removeprefix("THE "),
                MON=_MONTH_NAMES[(self.when.month + r.randrange(1, 4)) % 12].upper(),
                OCN=self.other.name.upper().removeprefix("THE "),
            )
        # A few subjects carry the caption's portion mark, as in the corpus ("(C) EXILED ...").
        if self.marked and not self.conflict and r.random() < 0.06:
            subject = f"({self.mark_for(self.header_level)}) {subject}"
        return subject

    def make_refs(self) -> tuple[str, list[str]]:
        """The REF line (with its trailing blank line) and the canonical ids it names."""
        r = self.rng
        if r.random() > 0.55:
            return "", []
        count = r.choices((1, 2, 3, 4), (0.5, 0.25, 0.15, 0.1))[0]
        written, ids = [], []
        for _ in range(count):
            x = r.random()
            if x < 0.45:
                st = self.station
            else:
                st = _BY_CODE["STATE"] if x < 0.8 else r.choice(_OLD_POSTS if self.old else _POSTS)
            prev_year = r.random() < 0.2
            yy = (self.yy - 1) % 100 if prev_year else self.yy
            top = st.volume * (3 if self.old and st.code != "STATE" else 1)
            if prev_year:
                num = r.randrange(1, top)
            else:
                num = r.randrange(1, max(2, int(top * self.when.timetuple().tm_yday / 366)))
            num_text = f"{num:04d}" if r.random() < 0.1 and num < 1000 else str(num)
            text = (f"{yy:02d} " if prev_year else "") + f"{st.caption} {num_text}"
            cid = f"{yy:02d}{st.code}{num}"
            if cid == self.id or cid in ids:
                continue
            written.append(text)
            ids.append(cid)
        if not written:  # every draw was the cable itself or a repeat
            return "", []
        letters = "ABCDEFG"
        label = "REFS" if len(written) > 1 and r.random() < 0.2 else "REF"
        if len(written) == 1:
            line = f"{label}: {written[0]}"
        else:
            style = r.randrange(3)
            if style == 0:  # one per line, the site's pilcrow before each later letter
                pil = "¶" if self.pilcrow else ""
                parts = [f"{label}: A. {written[0]}"]
                parts += [f"{pil}{letters[i]}. {w}" for i, w in enumerate(written[1:], 1)]
                line = "\n".join(parts)
            elif style == 1:
                line = f"{label}: " + " ".join(f"({letters[i]}) {w}" for i, w in enumerate(written))
            else:
                line = f"{label}: " + ", ".join(f"{letters[i]}) {w}" for i, w in enumerate(written))
        return line, ids

    def make_tags(self) -> list[str]:
        r = self.rng
        if self.old:
            subj = list(_OLD_TAGS[self.topic[0]])
            tags = ["PFOR"] + [t for t in subj if t != "PFOR"]
            tags = tags[: r.randrange(1, 4)]
            geo = [self.country.fips]
            if r.random() < 0.4:
                geo.append(self.other.fips)
            return tags + geo
        subj = list(self.topic[1])
        r.shuffle(subj)
        tags = subj[: r.randrange(1, len(subj) + 1)]
        if "PREL" not in tags and r.random() < 0.7:
            tags.insert(0, "PREL")
        for extra in r.sample(_EXTRA_TAGS, r.randrange(0, 3)):
            if extra not in tags:
                tags.append(extra)
        geo = [self.country.fips]
        if r.random() < 0.3:
            geo.append(self.other.fips)
        if r.random() < 0.5:
            tags += geo
        else:  # geographic codes first, or mixed in
            tags = geo + tags if r.random() < 0.3 else tags[:1] + geo + tags[1:]
        if r.random() < 0.12:
            tags.append(r.choice(_ORG_TAGS))
        if self.ovip is not None:
            *first, last = self.ovip.name.upper().split()
            tags.insert(0, f"OVIP ({last}, {' '.join(first)})")
        return list(dict.fromkeys(tags))

    def tags_line(self, tags: list[str]) -> str:
        r = self.rng
        if self.seed_style:
            return "TAGS: " + " ".join(f"[{t}](#)" for t in tags)
        if self.old:
            return "TAGS: " + ", ".join(tags)
        style = r.random()
        if style < 0.55:
            return "TAGS: " + " ".join(tags)
        if style < 0.8:
            return "TAGS: " + ", ".join(tags)
        return "TAGS " + ", ".join(tags)

    def eo_line(self) -> str:
        r = self.rng
        unclass = self.header_level in (cls.UNCLASSIFIED, cls.CONTROLLED)
        if self.old:
            if unclass:
                return "E.O. 11652: N/A"
            if self.when.year >= 1979:
                decl = self.when.replace(year=self.when.year + 6)
                who = f"{self.ambassador.split()[-1].upper()}, {self.ambassador[0]}."
                return f"E.O. 12065: GDS {decl.month}/{decl.day}/{decl.year % 100:02d} ({who}) OR-P"
            return "E.O. 11652: " + r.choice(("GDS", "XGDS-1", "XGDS-2"))
        order = "13526" if self.when >= dt.datetime(2010, 1, 1) else "12958"
        eo = r.choice((f"E.O. {order}:", f"E.O. {order}:", f"EO {order}"))
        if unclass:
            return f"{eo} N/A"
        years = 10 if r.random() < 0.7 else 25
        decl = self.when.date().replace(day=min(self.when.day, 28), year=self.when.year + years)
        return f"{eo} DECL: {decl.month:02d}/{decl.day:02d}/{decl.year}"

    def classified_by(self) -> str:
        if self.header_level in (cls.UNCLASSIFIED, cls.CONTROLLED) or self.old:
            return ""
        r = self.rng
        if self.station.code == "STATE":
            bureau = "EUR" if self.bureau == "S" else self.bureau
            who = f"{bureau} {r.choice(('DAS', 'A/S', 'Office Director'))} {_us_name(r)}"
        else:
            who = r.choice((f"Ambassador {self.ambassador}", f"DCM {_us_name(r)}",
                            f"Political Counselor {_us_name(r)}", f"Charge d'Affaires {_us_name(r)}"))
        reason = r.choice(("1.4 (b) and (d)", "1.4 (B) and (D)", "1.4(b), (d)", "1.4 (c)", "1.4 (b), (d) and (h)"))
        form = r.randrange(3)
        if form == 0:
            line = f"Classified By: {who}, reasons {reason}."
        elif form == 1:
            line = f"Classified By: {who}; reasons {reason}."
        else:
            line = f"CLASSIFIED BY: {who.upper()}, REASONS {reason.upper()}."
        return line

    def front_matter(self, subject: str, tags: list[str], refs: str) -> str:
        """Everything between the caption line and the first paragraph."""
        r = self.rng
        lines: list[str] = [""]
        if self.old and self.noforn:
            lines += ["NOFORN", ""]
        if not self.old:
            if r.random() < 0.9:
                lines += ["SIPDIS", ""]
                if r.random() < 0.3:
                    lines += ["SIPDIS", ""]
            if self.noforn:
                lines.insert(1 if r.random() < 0.5 else len(lines), "NOFORN")
                lines.insert(2 if lines[1] == "NOFORN" else len(lines), "")
            if self.base == "UNCLASSIFIED//FOR OFFICIAL USE ONLY" and not self.sensitive_in_caption:
                lines += ["SENSITIVE", ""]
            if self.header_level in (cls.UNCLASSIFIED, cls.CONTROLLED) and r.random() < 0.3:
                lines += ["NOT FOR INTERNET DISTRIBUTION", ""]
            if self.station.code != "STATE" and r.random() < 0.45:
                bureau = "EUR" if self.bureau == "S" else self.bureau
                office = f"{bureau}/{r.choice(_OFFICES[bureau])}"
                also = f" AND {r.choice(('INR', 'DRL', 'EEB', 'ISN', 'S/CT'))}" if r.random() < 0.5 else ""
                lines += [f"{r.choice(('DEPT FOR', 'STATE FOR', 'DEPARTMENT FOR'))} {office}{also}", ""]
                if r.random() < 0.3:
                    lines.insert(-1, f"NSC FOR {_us_name(r).split()[-1].upper()}")
        lines.append(self.eo_line())
        lines.append(self.tags_line(tags))
        subj = "SUBJECT: " + subject
        lines.append(_wrap(subj, self.wrap or 10_000, self.trailing) if self.wrap and len(subj) > 62 else subj)
        lines.append("")
        if refs:
            lines += [refs, ""]
        cb = self.classified_by()
        if cb:
            lines += [_wrap(cb, self.wrap, self.trailing) if self.wrap else cb, ""]
        if self.base == "UNCLASSIFIED//FOR OFFICIAL USE ONLY" and r.random() < 0.3:
            lines += ["Sensitive but unclassified; please protect accordingly.", ""]
        if self.seed_style:  # the seed separates every header field by a blank line
            lines = [ln for ln in lines if ln]
            return "\n\n" + "\n\n".join(lines) + "\n\n"
        t = self.trailing
        return "\n".join(ln + t if ln else ln for ln in lines) + "\n"

    def write_paragraphs(self, texts: list[str], marks: list[str | None], slots: _Slots) -> list[str]:
        r = self.rng
        out = []
        headings = r.random() < 0.3 and not self.seed_style
        for i, (text, mark) in enumerate(zip(texts, marks), 1):
            if headings and i > 2 and r.random() < 0.25:
                h = r.choice(_HEADINGS).format_map(slots).upper()
                rule = "-" * len(h)
                out.append(f"{rule}\n{h}\n{rule}\n")
            num = f"{i}." if not (self.seed_style and i == 1 and r.random() < 0.3) else f"{i} ."
            lead = ("¶" if self.pilcrow else "") + num
            if mark:
                lead += f" ({mark})"
            para = f"{lead} {text}"
            if self.wrap:
                para = "\n".join(_wrap(line, self.wrap, self.trailing) for line in para.split("\n"))
            out.append(para + "\n")
        return out

    def join_sections(self, paras: list[str]) -> tuple[int, str]:
        """Split paragraphs into sections and write the boundary markers of the format."""
        total = sum(len(p) for p in paras)
        per = self.rng.randrange(*_SECTION_CHARS)
        sections = max(1, min(len(paras), round(total / per)))
        self.sections = sections
        if sections == 1:
            return 1, self.paginate("\n".join(paras), 1, 1) if self.old else "\n".join(paras)
        # Boundaries at paragraph starts nearest to equal shares of the text.
        bounds, acc, k = [], 0, 1
        for i, p in enumerate(paras):
            if k < sections and acc >= total * k / sections and i > 0:
                bounds.append(i)
                k += 1
            acc += len(p)
        chunks, prev = [], 0
        for b in bounds + [len(paras)]:
            chunks.append("\n".join(paras[prev:b]))
            prev = b
        sections = len(chunks)
        self.sections = sections
        out = []
        for k, chunk in enumerate(chunks, 1):
            if k > 1:
                out.append(self.section_marker(k, sections))
            out.append(self.paginate(chunk, k, sections) if self.old else chunk)
        return sections, "\n".join(out)
