"""A hostile feed: low cables with one higher classification marking written into them.

The catalogue below is written by hand (each spelling with the level a human reader takes from
it), independently of ``streams.core.markings``; the property tests and the measurement both
use it. ``python -m devtools.hostile_markings`` injects every spelling, in every placement and
line-break style, into the real UNCLASSIFIED and controlled cables of the dev corpus (and
generated low cables) and prints how many route at or above the injected level or go to
quarantine (the target is all of them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from streams.vocab import CONFIDENTIAL, CONTROLLED, LEVELS, SECRET, TOP_SECRET

# Portion marks as written inside the parentheses, with the level a reader takes from them.
PORTION_MARKS: tuple[tuple[str, str], ...] = (
    ("S", SECRET), ("S/NF", SECRET), ("S-NF", SECRET), ("S NF", SECRET), ("S//NF", SECRET),
    ("S//REL TO USA, FVEY", SECRET), (" S ", SECRET), ("SECRET", SECRET), ("SECRET//NOFORN", SECRET),
    ("S // NF", SECRET), ("s/nf", SECRET), ("S\\NF", SECRET), ("S//ORCON/NOFORN", SECRET),
    ("S E C R E T", SECRET), ("S/REL Pakistan", SECRET), ("Secret/Rel Armenia", SECRET),
    ("TS", TOP_SECRET), ("TS-SCI", TOP_SECRET), ("TS//SI", TOP_SECRET), ("TS/SCI", TOP_SECRET),
    ("TOP SECRET", TOP_SECRET), ("TOP SECRET//SCI//NOFORN", TOP_SECRET), ("TS//SI//TK//NF", TOP_SECRET),
    ("C", CONFIDENTIAL), ("C/NF", CONFIDENTIAL), ("C-NF", CONFIDENTIAL), ("C NF", CONFIDENTIAL),
    ("CONFIDENTIAL", CONFIDENTIAL), ("C//REL TO USA, GBR", CONFIDENTIAL), ("CONFIDENTIAL//NOFORN", CONFIDENTIAL),
    ("SBU", CONTROLLED), ("FOUO", CONTROLLED), ("LOU", CONTROLLED), ("U//FOUO", CONTROLLED),
    ("SBU//NF", CONTROLLED), ("SBU-NF", CONTROLLED), ("U/SBU", CONTROLLED),
    ("SENSITIVE BUT UNCLASSIFIED", CONTROLLED), ("FOR OFFICIAL USE ONLY", CONTROLLED),
)
# Where a portion mark is written ({m} is the parenthesised mark): after a paragraph prefix, or
# inside a paragraph after a sentence (a run-together paragraph).
PARAGRAPH_PLACES: tuple[str, ...] = (
    "1. {m} ", "12. {m} ", "123. {m} ", "1234. {m} ", "¶7. {m} ", "7.{m} ", "A. {m} ", "(A) {m} ",
    "a) {m} ", "IV. {m} ", "1.a. {m} ", "-- {m} ", "- {m} ", "• {m} ", '"1. {m} ', "{m} ", "  {m} ",
    "The talks ended. {m} ", "2. (U) The talks ended.  {m} ",
)
SUBJECT_PLACE = "subject"
# Whole lines that mark the text: banners, page markers, classification lines.
LINES: tuple[tuple[str, str], ...] = (
    ("SECRET - ENTIRE TEXT", SECRET), ("CONFIDENTIAL - ENTIRE TEXT", CONFIDENTIAL),
    ("TOP SECRET - ENTIRE TEXT", TOP_SECRET), ("SENSITIVE BUT UNCLASSIFIED - ENTIRE TEXT", CONTROLLED),
    ("SECRET PAGE 02 STATE 123456", SECRET), ("CONFIDENTIAL PAGE 03 ANKARA 001234", CONFIDENTIAL),
    ("S E C R E T", SECRET), ("SECRET//NOFORN", SECRET), ("TOP SECRET", TOP_SECRET),
    ("SECRET//NOFORN - ENTIRE TEXT", SECRET), ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", CONTROLLED),
    ("UNCLAS SENSITIVE", CONTROLLED), ("SENSITIVE BUT UNCLASSIFIED", CONTROLLED), ("LIMITED OFFICIAL USE", CONTROLLED),
)
# Line-break characters a reader treats as a paragraph break (str.splitlines()).
LINE_BREAKS: tuple[str, ...] = ("\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
# Disguises of a mark: invisible characters inside it, look-alike letters, compatibility forms.
ZERO_WIDTH: tuple[str, ...] = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
LOOK_ALIKES: dict[str, tuple[str, ...]] = {
    "S": ("\u0405", "\u13da", "\ua4e2"),  # Cyrillic DZE, Cherokee DU, Lisu SA
    "C": ("\u0421", "\u03f9", "\u2ca4"),  # Cyrillic ES, Greek lunate sigma, Coptic SIMA
    "T": ("\u0422", "\u03a4", "\u13a2"),  # Cyrillic TE, Greek TAU, Cherokee I
    "U": ("\u054d", "\ua4f4"),  # Armenian SEH, Lisu U
    "O": ("\u041e", "\u039f"),
    "E": ("\u0415", "\u0395"),
}
DISGUISES: tuple[str, ...] = ("none", "zero_width", "look_alike", "fullwidth", "nbsp", "bidi_reversed")


@dataclass(frozen=True)
class Injection:
    """One higher marking written into a cable: what, where, how."""

    spelling: str  # the mark as written (before any disguise)
    level: str  # the level a human reader takes from it
    place: str  # a PARAGRAPH_PLACES pattern, SUBJECT_PLACE or "line"
    line_break: str
    disguise: str = "none"
    variant: int = 0  # which zero-width character / look-alike letter


def disguise(mark: str, how: str, variant: int = 0) -> str:
    """``mark`` with an invisible character inside, a look-alike letter, fullwidth letters,
    no-break spaces or reversed behind a right-to-left override (``how`` from :data:`DISGUISES`)."""
    if how == "zero_width":
        zw = ZERO_WIDTH[variant % len(ZERO_WIDTH)]
        cut = max(1, len(mark) // 2)
        return mark[:cut] + zw + mark[cut:]
    if how == "look_alike":
        for i, ch in enumerate(mark):
            if ch.upper() in LOOK_ALIKES:
                options = LOOK_ALIKES[ch.upper()]
                return mark[:i] + options[variant % len(options)] + mark[i + 1 :]
        return mark
    if how == "fullwidth":
        return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in mark)
    if how == "bidi_reversed":  # stored reversed behind a right-to-left override: displays as written
        return "\u202e" + mark[::-1] + "\u202c"
    if how == "nbsp":
        return mark.replace(" ", "\u00a0").replace("(", "(\u00a0").replace(")", "\u00a0)")
    return mark


def _line_starts(text: str) -> list[int]:
    """Offsets just after a line break in the body half of ``text`` (where a paragraph may start)."""
    half = len(text) // 3
    return [m.end() for m in re.finditer("\n", text) if m.end() > half] or [len(text)]


def inject(text: str, inj: Injection, where: float = 0.5) -> str:
    """``text`` with the marking of ``inj`` written in (``where`` picks the body line, 0..1)."""
    brk = inj.line_break
    if inj.place == SUBJECT_PLACE:
        mark = disguise(f"({inj.spelling})", inj.disguise, inj.variant)
        new, n = re.subn(r"(SUBJ(?:ECT)?\s*:\s*)", lambda m: m.group(1) + mark + " ", text, count=1, flags=re.I)
        if n:
            return new
        place = "1. {m} "  # no subject line: a numbered paragraph instead
    else:
        place = inj.place
    starts = _line_starts(text)
    pos = starts[min(len(starts) - 1, int(where * len(starts)))]
    if place == "line":
        para = disguise(inj.spelling, inj.disguise, inj.variant)
    else:
        mark = disguise(f"({inj.spelling})", inj.disguise, inj.variant)
        para = place.format(m=mark) + "The minister said more than he meant to."
    head = text[: pos - 1] if pos > 0 and text[pos - 1] == "\n" else text[:pos]
    return head + brk + brk + para + brk + brk + text[pos:]


def all_injections(disguises: tuple[str, ...] = DISGUISES) -> list[Injection]:
    """Every spelling in every placement, each with a line-break style and a disguise (cycled,
    so that every style and disguise is used many times without a full cross product)."""
    out: list[Injection] = []
    k = 0
    for spelling, level in PORTION_MARKS:
        for place in (*PARAGRAPH_PLACES, SUBJECT_PLACE):
            out.append(Injection(spelling, level, place, LINE_BREAKS[k % len(LINE_BREAKS)],
                                 disguises[k % len(disguises)], k))
            k += 1
    for spelling, level in LINES:
        for brk in LINE_BREAKS:
            out.append(Injection(spelling, level, "line", brk, disguises[k % len(disguises)], k))
            k += 1
    return out


def low_corpus_cables(path: Path) -> list[tuple[str, str, str]]:
    """(id, level, raw) of the real UNCLASSIFIED and controlled cables of the dev corpus."""
    from streams.core.classification import level_of

    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            level = level_of(rec["expected"]["classification"])
            if level in LEVELS[:2]:
                out.append((rec["id"], level, rec["raw"]))
    return out


def outcome_ok(raw: str, level: str, parser_only: bool = False) -> tuple[bool, str]:
    """(routed at or above ``level`` or quarantined or dead-lettered, where it went) of one text;
    ``parser_only`` routes on the parser's findings alone (the behaviour before the reader)."""
    from streams.core.model import Failure
    from streams.core.parse import parse
    from streams.core.pipeline import process
    from streams.core.route import route

    if parser_only:
        cable = parse(raw)
        if isinstance(cable, Failure):
            return True, "dead_letter"
        decision = route(cable)
        where = "quarantined" if decision.quarantined else decision.level
    else:
        out = process(raw.encode("utf-8"), max_bytes=10_000_000, do_enrich=False)
        where = out.topic if out.kind == "routed" else out.kind
    if where in ("quarantined", "dead_letter"):
        return True, where
    return LEVELS.index(where) >= LEVELS.index(level), where


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(os.environ.get("CABLES_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--corpus", type=Path, default=shared / "corpus" / "dev-cables.jsonl")
    ap.add_argument("--synth", type=int, default=40, help="generated low cables to add")
    ap.add_argument("--show", type=int, default=10, help="misses to print")
    ap.add_argument("--parser-only", action="store_true", help="route on the parser alone (before the reader)")
    args = ap.parse_args(argv)
    from streams import synth

    bases = low_corpus_cables(args.corpus)
    gen = synth.generate(args.synth, seed=12, levels=LEVELS[:2])
    bases += [(c.truth.id, c.truth.level, c.raw) for c in gen]
    injections = all_injections()
    total = ok = 0
    kinds: Counter[str] = Counter()
    quarantined_by: Counter[str] = Counter()
    misses = []
    for i, (cid, base_level, raw) in enumerate(bases):
        for j, inj in enumerate(injections):
            if LEVELS.index(inj.level) <= LEVELS.index(base_level):
                continue
            text = inject(raw, inj, where=((i * 7 + j * 3) % 10) / 10)
            good, where = outcome_ok(text, inj.level, args.parser_only)
            total += 1
            ok += good
            kinds[where] += 1
            if where == "quarantined":
                quarantined_by[inj.disguise] += 1
            if not good:
                misses.append((cid, inj, where))
    print(f"base cables: {len(bases)} ({len(bases) - len(gen)} real, {len(gen)} generated); "
          f"spellings: {len(PORTION_MARKS)} portion marks x {len(PARAGRAPH_PLACES) + 1} placements, "
          f"{len(LINES)} lines x {len(LINE_BREAKS)} line breaks")
    print(f"injected higher markings: {total}; routed at or above or quarantined: {ok} ({ok / total:.2%})")
    print("outcomes:", dict(kinds))
    print("quarantined, by disguise of the mark:", dict(quarantined_by.most_common()))
    by_kind: Counter[str] = Counter()
    for _, inj, _ in misses:
        by_kind[f"{inj.place if inj.place in ('line', SUBJECT_PLACE) else 'paragraph'}/{inj.disguise}"] += 1
    if misses:
        print("misses by placement/disguise:", dict(by_kind.most_common()))
    for cid, inj, where in misses[: args.show]:
        print("MISS", cid, where, inj)
    return 0 if ok == total else 1


if __name__ == "__main__":
    sys.exit(main())
