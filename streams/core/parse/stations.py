"""Station names: telegraphic addresses (``AMEMBASSY ALMATY``) to origin names (``Embassy Almaty``).

The naming is that of the WikiLeaks cablegate site (``Embassy Paris``, ``Consulate Rio De Janeiro``,
``Secretary of State``, ``Mission USNATO``, ``US Interests Section Havana``). Known stations come
from ``data/stations.csv`` (sources in ``data/README.md``); the rest follow the address rules below.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "stations.csv"
_NON_LETTERS = re.compile(r"[^A-Z]+")

# Station (as in a caption or id) -> origin name, for posts that are not a plain embassy/consulate.
SPECIAL_STATIONS = {
    "STATE": "Secretary of State",
    "SECSTATE": "Secretary of State",
    "USNATO": "Mission USNATO",
    "USEUBRUSSELS": "USEU Brussels",
    "USEU": "USEU Brussels",
    "UNVIEVIENNA": "UNVIE",
    "UNVIE": "UNVIE",
    "RPODUBAI": "Iran RPO Dubai",
    "IRANRPODUBAI": "Iran RPO Dubai",
    "HAVANA": "US Interests Section Havana",
    "USINTHAVANA": "US Interests Section Havana",
    "USUNNEWYORK": "USUN New York",
    "AITTAIPEI": "American Institute Taiwan, Taipei",
    "TAIPEI": "American Institute Taiwan, Taipei",
    "USOSCE": "Mission USOSCE",
    "UNESCO": "Mission UNESCO",
    "GENEVA": "Mission Geneva",
    "CDGENEVA": "US Mission CD Geneva",
    "UNROME": "UN Rome",
}

# Telegraphic address prefixes (FM line) -> how the origin name is built from the rest.
_ADDRESS_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:SECSTATE|DEPT OF STATE|SECRETARY OF STATE)\b"), "Secretary of State"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN|USMISSION) USNATO\b"), "Mission USNATO"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) (?:USUN|UN) NEW YORK\b"), "USUN New York"),
    (re.compile(r"^USUN NEW YORK\b"), "USUN New York"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) UNVIE\b"), "UNVIE"),
    (re.compile(r"^UNVIE\b"), "UNVIE"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) USOSCE\b"), "Mission USOSCE"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) UNESCO\b"), "Mission UNESCO"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) CD GENEVA\b"), "US Mission CD Geneva"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) UN ROME\b"), "UN Rome"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) USTR GENEVA\b"), "USMISSION USTR GENEVA"),
    (re.compile(r"^(?:US ?MISSION|USMISSIN) GENEVA\b"), "Mission Geneva"),
    (re.compile(r"^USEU BRUSSELS\b"), "USEU Brussels"),
    (re.compile(r"^(?:IRAN )?RPO DUBAI\b"), "Iran RPO Dubai"),
    (re.compile(r"^USINT HAVANA\b"), "US Interests Section Havana"),
    (re.compile(r"^AIT TAIPEI\b"), "American Institute Taiwan, Taipei"),
)
_PREFIXED = re.compile(
    r"^(?P<kind>AMEMBASSY|AMEMB|AMCONSUL|AMCONGEN|USMISSION|USMISSIN|US MISSION|USOFFICE|USINT|"
    r"USLO|REO|USDEL)\s+(?P<station>[A-Z][A-Z .'-]*?)\s*$"
)
_KIND_NAME = {
    "AMEMBASSY": "Embassy",
    "AMEMB": "Embassy",
    "AMCONSUL": "Consulate",
    "AMCONGEN": "Consulate",
    "USMISSION": "Mission",
    "USMISSIN": "Mission",
    "US MISSION": "Mission",
    "USOFFICE": "US Office",
    "USINT": "US Interests Section",
    "USLO": "US Liaison Office",
    "REO": "REO",
    "USDEL": "US Delegation",
}
# Trailing words of an address that are not part of the station (precedence, US state codes).
_TRAILING = re.compile(r"\s+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT|\d+)\s*$")


def station_key(station: str) -> str:
    """Letters only, upper-cased: the form a station takes inside a cable id (``ABU DHABI`` -> ``ABUDHABI``)."""
    return _NON_LETTERS.sub("", station.upper())


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        with _DATA.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                names[station_key(row["station"])] = row["name"]
    except OSError:  # data file missing from an install: fall back to the rules alone
        pass
    return names


@lru_cache(maxsize=1)
def known_station_keys() -> tuple[str, ...]:
    """Every known station in its cable-id form (table and special stations), sorted."""
    return tuple(sorted({*_table(), *SPECIAL_STATIONS, "UNESCOPARISFR"}))


def is_known_station(station: str) -> bool:
    """True for a station of the shipped table or of the special rules (``LA PAZ``, ``STATE``, ``USNATO``)."""
    key = station_key(station)
    return key in SPECIAL_STATIONS or key in _table()


def _title(station: str) -> str:
    return " ".join(w.title() if not w.isdigit() else w for w in station.split())


def name_for_station(station: str | None, *, default_kind: str = "Embassy") -> str | None:
    """Origin name for a station as written in a caption or an id (``ALMATY`` -> ``Embassy Almaty``).

    Unknown stations are assumed to be embassies (``default_kind``); None for an empty station.
    """
    if not station:
        return None
    key = station_key(station)
    if not key:
        return None
    special = SPECIAL_STATIONS.get(key)
    if special:
        return special
    known = _table().get(key)
    if known:
        return known
    return f"{default_kind} {_title(station)}" if default_kind else None


def name_for_address(address: str | None) -> str | None:
    """Origin name for a telegraphic address (``AMEMBASSY ALMATY`` -> ``Embassy Almaty``,
    ``SECSTATE WASHDC`` -> ``Secretary of State``, ``AMCONSUL IZMIR`` -> ``Consulate Izmir``)."""
    if not address:
        return None
    addr = " ".join(address.upper().replace("/", " ").split())
    while True:
        trimmed = _TRAILING.sub("", addr)
        if trimmed == addr:
            break
        addr = trimmed
    for pattern, name in _ADDRESS_RULES:
        if pattern.match(addr):
            return name
    m = _PREFIXED.match(addr)
    if not m:
        return None
    kind, station = m.group("kind"), m.group("station").strip()
    if kind in ("AMEMBASSY", "AMEMB", "AMCONSUL", "AMCONGEN"):
        known = _table().get(station_key(station))
        wanted = _KIND_NAME[kind]
        if known and known.startswith(wanted + " "):
            return known
        return f"{wanted} {_title(station)}"
    if kind in ("USMISSION", "USMISSIN", "US MISSION"):
        return f"Mission {station}" if station.startswith("US") else f"Mission {_title(station)}"
    return f"{_KIND_NAME[kind]} {_title(station)}"


def station_of_address(address: str | None) -> str | None:
    """The station part of a telegraphic address, as it would appear in a caption
    (``AMEMBASSY ABU DHABI`` -> ``ABU DHABI``, ``SECSTATE WASHDC`` -> ``STATE``)."""
    if not address:
        return None
    addr = " ".join(address.upper().split())
    addr = _TRAILING.sub("", addr)
    if addr.startswith(("SECSTATE", "DEPT OF STATE", "SECRETARY OF STATE")):
        return "STATE"
    m = _PREFIXED.match(addr)
    if m:
        return m.group("station").strip()
    words = addr.split()
    return words[-1] if words else None
