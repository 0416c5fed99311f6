"""The routing header: everything before the classification caption.

ACP-127 transmission lines (``VZCZC...``, ``DE RUEHFR #5974/01 2491539``, ``ZNY CCCCC``), the
ACP-126 date-time group line (``R 151059Z JUN 06``), ``FM``, ``TO``, ``INFO`` (with routing
indicators ``RUEHC/SECSTATE WASHDC 5555``), ``BT``; State distribution blocks (``ACTION EUR-25``,
``INFO LOG-00 ...``), ``PAGE 01`` lines, the PlusD partial-extract banner, the newspaper-style
dateline and the ``CLASSIFICATION:`` line of some site copies. Each pattern is anchored and is
applied to one short line, so the cost is linear in the header and never in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from streams.core.model import Recipient
from streams.core.parse.caption import read_caption

MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_FULL_MONTHS = {m: i for i, m in enumerate(
    ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
     "OCTOBER", "NOVEMBER", "DECEMBER"), start=1)}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_CAPTION_FIRST = frozenset("CSUTLEO")  # first letters of captions, garbled ones included ("E C R E T")
LINE_SCAN_CHARS = 200  # header lines are short; longer ones are cut before matching

BANNER = "This record is a partial extract of the original cable"
# "O 071830Z SEP 07 ZDK", "O 091547Z OCT 09 (CCY ...)": operating signals and correction
# notes may follow the year.
DTG_RE = re.compile(
    r"(?:(?P<prec>[ZOPRYW]{1,2}(?: [ZOPRYW]{1,2})?) +)?(?P<day>\d\d)(?P<hh>\d\d)(?P<mm>\d\d) ?Z +"
    r"(?P<mon>[A-Za-z]{3}) +(?P<yy>\d{4}|\d\d)(?: +(?:Z[A-Z]{2}\b|\()[^\n]*)?\s*$"
)
DE_RE = re.compile(r"DE +(?P<ri>[A-Z]{4,7}) *#(?P<serial>\d{1,6})(?:/(?P<section>\d{1,3}))?")
ZNY_RE = re.compile(r"ZN[YR] +([A-Z])\1{4}")
DATELINE_RE = re.compile(
    r"(?:MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY), +(?P<day>\d{1,2}) +(?P<mon>[A-Z]+) +"
    r"(?P<year>\d{4}), +(?P<hh>\d\d):(?P<mm>\d\d)\s*$"
)
DISTRIBUTION_RE = re.compile(r"[A-Z]{1,5}-\d\d\b")  # "LOG-00", "EUR-25": office codes of a distribution list
ZNY_LEVELS = {"S": "SECRET", "C": "CONFIDENTIAL", "U": "UNCLASSIFIED", "E": "UNCLASSIFIED", "T": "TOP SECRET"}


@dataclass
class Header:
    """What the routing header says (mutable while the header is read)."""

    partial_extract: bool = False
    transmission: bool = False  # a VZCZC transmission header was seen
    distribution: bool = False  # a State distribution block (ACTION/INFO office codes) or PAGE lines
    precedence: str | None = None
    date: str | None = None
    datetime: str | None = None
    dtg_year: int | None = None
    dateline_date: str | None = None
    dateline_datetime: str | None = None
    fm: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    de_serial: str | None = None
    de_section: int | None = None
    zny: str | None = None  # normalized classification from the ZNY/ZNR line
    classification_line: str | None = None  # "CLASSIFICATION: SECRET//NOFORN" of some copies

    @property
    def routing(self) -> bool:
        """True when any routing element (not just a banner) was seen."""
        return bool(self.transmission or self.date or self.fm or self.zny or self.recipients)


def year_of(yy: str) -> int:
    """Four-digit year for a DTG year: ``06`` -> 2006, ``85`` -> 1985 (cables start in the 1960s)."""
    y = int(yy)
    if len(yy) == 4:
        return y
    return 1900 + y if y >= 50 else 2000 + y


def _valid(year: int, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return False
    return not (month == 2 and day == 29 and (year % 4 != 0 or (year % 100 == 0 and year % 400 != 0)))


def read_dtg(line: str) -> tuple[str | None, str, str, int] | None:
    """``R 151059Z JUN 06`` -> (precedence, "2006-06-15", "2006-06-15T10:59:00Z", 2006); None if not a DTG."""
    m = DTG_RE.match(line)
    if not m:
        return None
    month = MONTHS.get(m.group("mon").upper())
    year = year_of(m.group("yy"))
    day, hh, mm = int(m.group("day")), int(m.group("hh")), int(m.group("mm"))
    if month is None or not _valid(year, month, day) or hh > 23 or mm > 59:
        return None
    prec = m.group("prec")
    date = f"{year:04d}-{month:02d}-{day:02d}"
    return (prec.split()[0] if prec else None), date, f"{date}T{hh:02d}:{mm:02d}:00Z", year


def read_dateline(line: str) -> tuple[str, str] | None:
    """``Friday, 26 October 2007, 02:25`` -> ("2007-10-26", "2007-10-26T02:25:00Z"); None otherwise."""
    m = DATELINE_RE.match(line.upper())
    if not m:
        return None
    month = _FULL_MONTHS.get(m.group("mon"))
    year, day, hh, mm = int(m.group("year")), int(m.group("day")), int(m.group("hh")), int(m.group("mm"))
    if month is None or not _valid(year, month, day) or hh > 23 or mm > 59:
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    return date, f"{date}T{hh:02d}:{mm:02d}:00Z"


_PRECEDENCE_WORDS = frozenset({"IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH", "NIACT"})
_SERIAL_RE = re.compile(r"\d{1,5}(?:-\d{1,5})?")  # "5555", or a range "2276-2279" for a multi-section message


def read_recipient(kind: str, text: str) -> Recipient | None:
    """One addressee: ``RUEHC/SECSTATE WASHDC PRIORITY 5555`` -> routing indicator, address, serial.
    (String operations, not a regular expression: this runs for every line of long INFO lists.)"""
    if "//" in text:  # "RUEHC/SECSTATE WASHDC//IMMEDIATE 5555//": the double slashes of some copies
        text = text.replace("//", " ")
    words = text.split()
    if len(words) > 1 and words[0] == "PAGE" and words[1].isdigit():
        return None  # "INFO PAGE 02 STATE 050524 131535Z": a page marker inside the list
    if words and words[0].startswith("ZEN/"):  # ZEN: delivered by other means
        words[0] = words[0][4:]
    if not words or not words[0]:
        return None
    ri = None
    first = words[0]
    slash = first.find("/")
    if 4 <= slash <= 7 and first[0] == "R" and first[:slash].isalpha() and first[:slash].isupper():
        ri = first[:slash]
        if first[slash + 1 :]:
            words[0] = first[slash + 1 :]
        else:
            del words[0]
    serial = None
    if len(words) > 1 and _SERIAL_RE.fullmatch(words[-1]):
        serial = words.pop()
    while len(words) > 1 and words[-1] in _PRECEDENCE_WORDS:
        words.pop()
    address = " ".join(words)
    if not address or address.startswith("/"):
        return None
    return Recipient(kind=kind, address=address, routing_indicator=ri, serial=serial)


def _looks_like_address(s: str) -> bool:
    """A continuation line of a TO/INFO list: upper-case letters, digits and address punctuation."""
    return s.upper() == s and s.lower() != s and ":" not in s and len(s) <= 120


class HeaderReader:
    """Feed it the lines before the caption, one at a time; it fills a :class:`Header`."""

    def __init__(self) -> None:
        self.header = Header()
        self._list: str | None = None  # "to" | "info" while a recipient list continues; "xmt" in exclusions
        self._xmt_of: str = "to"  # the list an XMT exclusion block interrupts
        self._steps = (self._transmission_line, self._address_line, self._other_line)

    def feed(self, line: str) -> bool:
        """Read one stripped line; True when it was a routing line (so it belongs to the header)."""
        s = line[:LINE_SCAN_CHARS]
        if not s:
            self._list = None
            return False
        if self._list is not None and (taken := self._list_line(s)) is not None:
            return taken
        for step in self._steps:
            taken = step(s)
            if taken is not None:
                return taken
        return self._continuation(s)

    def _list_line(self, s: str) -> bool | None:
        """A routed line of a TO/INFO list (``RUEHBO/AMEMBASSY BOGOTA 4800``) or an ``XMT`` exclusion."""
        first = s[0]
        if first == "R" and self._list in ("info", "to", "xmt") and 4 <= s.find("/") <= 7:
            if self._list == "xmt":
                self._list = self._xmt_of
            self._add(self._list, s)  # the bulk of a long INFO list
            return True
        if first == "X" and self._list in ("info", "to") and s.startswith("XMT "):
            # "XMT AMEMBASSY SOFIA": posts a collective is NOT sent to, up to the next routed line
            self._xmt_of, self._list = self._list, "xmt"
            return True
        return None

    def _transmission_line(self, s: str) -> bool | None:
        """The extract banner, ``VZCZC``, ``BT``/``NNNN``, the ``DE`` and ``ZNY`` lines."""
        h = self.header
        first = s[0]
        if first == "T" and s.startswith("This record is a partial extract"):
            h.partial_extract = True
            return True
        if s.startswith("VZCZC"):
            h.transmission = True
            return True
        if s == "BT" or s == "NNNN":
            self._list = None
            return True
        if first == "D" and s.startswith("DE ") and (m := DE_RE.match(s)):
            h.transmission = True
            if h.de_serial is None:
                h.de_serial = m.group("serial")
                h.de_section = int(m.group("section")) if m.group("section") else None
            return True
        if first == "Z" and s.startswith("ZN") and (m := ZNY_RE.match(s)):
            if h.zny is None:
                h.zny = ZNY_LEVELS.get(m.group(1))
            return True
        return None

    def _address_line(self, s: str) -> bool | None:
        """The date-time group line, ``FM``, ``TO`` and ``INFO`` (or a distribution block's ``INFO``)."""
        h = self.header
        first = s[0]
        if first.isdigit() or (first in "ZOPRYW" and len(s) > 2 and (s[1] == " " or s[2] == " ")):
            dtg = read_dtg(s)
            if dtg:
                if h.date is None:
                    h.precedence, h.date, h.datetime, h.dtg_year = dtg
                self._list = None
                return True
        if first == "F" and s.startswith("FM "):
            if h.fm is None:
                h.fm = s[3:].strip()
            self._list = None
            return True
        if first == "T" and s.startswith("TO "):
            self._list = "to"
            self._add("to", s[3:])
            return True
        if first == "I" and s.startswith("INFO "):
            rest = s[5:]
            if DISTRIBUTION_RE.search(rest):
                h.distribution = True
                self._list = "distribution"
                return True
            self._list = "info"
            self._add("info", rest)
            return True
        return None

    def _other_line(self, s: str) -> bool | None:
        """Distribution and ``PAGE`` lines, the dateline, the ``CLASSIFICATION:`` line."""
        h = self.header
        first = s[0]
        if s.startswith(("ACTION ", "ORIGIN ", "PAGE ")) and DISTRIBUTION_RE.search(s) or s.startswith("PAGE 0"):
            h.distribution = True
            return True
        if first in "MTWFS" and "," in s and (dl := read_dateline(s)):
            if h.dateline_date is None:
                h.dateline_date, h.dateline_datetime = dl
            return True
        if first == "C" and s.upper().startswith("CLASSIFICATION:"):
            if h.classification_line is None:
                h.classification_line = s[15:].strip()
            return True
        return None

    def _continuation(self, s: str) -> bool:
        """A line continuing the open list (distribution codes, excluded posts, addressees)."""
        first = s[0]
        if self._list == "distribution":
            if DISTRIBUTION_RE.search(s) or s.startswith(("-", "/")):
                return True
        elif self._list == "xmt" and _looks_like_address(s):
            if not (first in _CAPTION_FIRST and (cap := read_caption(s)) is not None and cap.full):
                return True  # one more excluded post
        elif self._list in ("to", "info") and _looks_like_address(s):
            # the caption may follow the list without BT or a blank line: it is no addressee
            if not (first in _CAPTION_FIRST and (cap := read_caption(s)) is not None and cap.full):
                self._add(self._list, s)
                return True
        self._list = None
        return False

    def _add(self, kind: str, text: str) -> None:
        r = read_recipient(kind, text)
        if r is not None:
            self.header.recipients.append(r)
