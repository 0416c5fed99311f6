"""Seeded generator of realistic synthetic diplomatic cables, each with the truth it was built from.

Used by the demo run, the integration tests and the benchmarks. Everything here is the project's
own invention: the station table, the word lists and the prose templates imitate the *forms* of
real cables (routing headers, captions, TAGS, REF lines, portion marks), never their text, so the
module works without the reference data in ``../shared/data``.

    >>> cables = generate(3, seed=7)
    >>> [c.truth.id for c in cables] == [c.truth.id for c in generate(3, seed=7)]
    True
    >>> cables[0].truth.level in LEVELS
    True

:func:`generate` and :func:`iter_cables` are deterministic for a seed, and prefix-stable: the first
``k`` cables of ``generate(n, seed)`` are ``generate(k, seed)``. Each cable draws from its own
``random.Random`` derived from the seed and its index, so one cable's choices never shift
another's (the text for a seed may change between versions of this module). :func:`garbage`
gives byte strings that are not cables, for dead-letter tests.

Header formats (``Truth.format``):

- ``plusd-extract``: the PlusD "partial extract" banner, no routing header; half of them written
  like the seed (markdown-link tags ``[KNNP](#)``, one line per paragraph, ``NNNN``);
- ``cablegate``: ACP-127 transmission header (``VZCZC``, ``DE RUEHxx #nnnn``, ``ZNY CCCCC``, DTG,
  ``FM``/``TO``/``INFO`` with routing indicators), sometimes ``BT``-framed, as the 2010 site shows it;
- ``acp126``: DTG/``FM``/``TO``/``INFO`` in plain language, no ``VZCZC``;
- ``state-distribution``: the Department's ``ACTION XXX-00`` / ``INFO LOG-00 ...`` block, then an
  ACP-126 header;
- ``page-telegram``: a 1970s telegram as the archive prints it: ``PAGE 01`` lines, an office
  distribution block, upper case, page footers, ``E.O. 11652``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from streams.core import classification as cls
from streams.core.classification import LEVELS

__all__ = [
    "DEFAULT_CONFLICT_RATE",
    "FORMATS",
    "GARBAGE_KINDS",
    "LEVELS",
    "STATIONS",
    "Station",
    "SynthCable",
    "Truth",
    "garbage",
    "generate",
    "iter_cables",
]

FORMATS: tuple[str, ...] = (
    "plusd-extract",
    "cablegate",
    "acp126",
    "state-distribution",
    "page-telegram",
)
# Share of each header format when ``formats`` is not given: cablegate dominates like the 2010
# corpus (88% VZCZC) but every other form appears often enough to be exercised in small samples.
_FORMAT_WEIGHTS = {
    "plusd-extract": 0.14,
    "cablegate": 0.50,
    "acp126": 0.14,
    "state-distribution": 0.11,
    "page-telegram": 0.11,
}
# Share of each final level when ``levels`` is not given. Real traffic is mostly CONFIDENTIAL and
# SECRET; the rarer levels are over-represented so a sample of 200 holds every one of them.
_LEVEL_WEIGHTS = {
    cls.UNCLASSIFIED: 0.09,
    cls.CONTROLLED: 0.16,
    cls.CONFIDENTIAL: 0.35,
    cls.SECRET: 0.30,
    cls.TOP_SECRET: 0.10,
}
# Default share of cables carrying a paragraph marked above the caption (a marking conflict).
DEFAULT_CONFLICT_RATE = 0.04
# Raw size in characters: log-normal around the dev corpus median (8,871), clipped so that the
# written cable (the last sentence overshoots a little) stays within 2-15.5 KB.
_SIZE_MEDIAN = 9000
_SIZE_SIGMA = 0.55
_SIZE_MIN = 2100
_SIZE_MAX = 14400
# Body characters per section of a multi-section cable (drawn per cable): with the sizes above
# this gives roughly the corpus' mix of one, two and three-to-five sections.
_SECTION_CHARS = (2500, 6500)
# Share of NOFORN cables whose portion marks use the double slash (``S//NF``): 133 of ~1,600
# NOFORN marks in the dev corpus.
_DOUBLE_SLASH_SHARE = 0.08


# --------------------------------------------------------------------------------------------
# Public records


@dataclass(frozen=True, slots=True)
class Truth:
    """What the generator intended a cable to say; a parser's output is compared with this."""

    id: str  # canonical: 2-digit year + station as in ids + number without leading zeros
    classification: str  # normalized header classification (streams.core.classification.normalize)
    level: str  # highest of header and portion marks, one of LEVELS
    origin: str  # station as written in the caption: "LA PAZ", "STATE", "USNATO"
    origin_name: str  # plain-language origin: "Embassy La Paz", "Secretary of State"
    date: str  # YYYY-MM-DD, UTC day of the date-time group
    datetime: str  # YYYY-MM-DDTHH:MM:00Z
    number: str  # serial number as written in the caption (leading zeros kept)
    tags: tuple[str, ...]  # TAGS codes in line order; person tags whole: "OVIP (SMITH, JOHN)"
    subject: str  # whole subject, whitespace collapsed, as written (case, leading portion mark)
    format: str  # one of FORMATS
    sections: int  # 1 for a single-section cable
    highest_portion_marking: str | None  # as written: "S/NF"; None when paragraphs are unmarked
    references: tuple[str, ...]  # canonical ids of the REF line, in order
    marking_conflict: bool  # a portion mark is above the header classification
    date_in_text: bool  # False for partial extracts without any date (the seed's form)


@dataclass(frozen=True, slots=True)
class SynthCable:
    """One generated cable: the text a feed would publish and the truth it was built from."""

    raw: str
    truth: Truth


@dataclass(frozen=True, slots=True)
class Station:
    """A posting station: how it appears in ids, captions, FM lines and routing indicators."""

    code: str  # as in cable ids: LAPAZ, RIODEJANEIRO, STATE
    caption: str  # as in the caption: LA PAZ, RIO DE JANEIRO, STATE
    fm: str  # telegraphic address: AMEMBASSY LA PAZ, SECSTATE WASHDC
    ri: str  # routing indicator: RUEHLP
    name: str  # plain-language origin: Embassy La Paz
    country: str  # FIPS 10-4 geographic tag of the host country
    bureau: str  # regional bureau: EUR, NEA, SCA, EAP, WHA, AF, IO
    volume: int  # cables sent per year (modern): sets the size of serial numbers
    old: bool  # also a 1970s station (page-telegram format)


# code|caption|FM address|RI|name|country|bureau|volume|old
_STATION_TABLE = """\
ANKARA|ANKARA|AMEMBASSY ANKARA|RUEHAK|Embassy Ankara|TU|EUR|2600|1
PARIS|PARIS|AMEMBASSY PARIS|RUEHFR|Embassy Paris|FR|EUR|5000|1
MOSCOW|MOSCOW|AMEMBASSY MOSCOW|RUEHMO|Embassy Moscow|RS|EUR|12000|1
LONDON|LONDON|AMEMBASSY LONDON|RUEHLO|Embassy London|UK|EUR|3200|1
BERLIN|BERLIN|AMEMBASSY BERLIN|RUEHRL|Embassy Berlin|GM|EUR|2200|0
MADRID|MADRID|AMEMBASSY MADRID|RUEHMD|Embassy Madrid|SP|EUR|2500|1
ROME|ROME|AMEMBASSY ROME|RUEHRO|Embassy Rome|IT|EUR|2400|1
WARSAW|WARSAW|AMEMBASSY WARSAW|RUEHWR|Embassy Warsaw|PL|EUR|1300|1
KYIV|KYIV|AMEMBASSY KYIV|RUEHKV|Embassy Kyiv|UP|EUR|2000|0
OSLO|OSLO|AMEMBASSY OSLO|RUEHNY|Embassy Oslo|NO|EUR|800|1
STOCKHOLM|STOCKHOLM|AMEMBASSY STOCKHOLM|RUEHSM|Embassy Stockholm|SW|EUR|900|1
TBILISI|TBILISI|AMEMBASSY TBILISI|RUEHSI|Embassy Tbilisi|GG|EUR|2100|0
BAKU|BAKU|AMEMBASSY BAKU|RUEHKB|Embassy Baku|AJ|EUR|1500|0
ISTANBUL|ISTANBUL|AMCONSUL ISTANBUL|RUEHIT|Consulate Istanbul|TU|EUR|600|1
MUNICH|MUNICH|AMCONSUL MUNICH|RUEHMZ|Consulate Munich|GM|EUR|500|1
USNATO|USNATO|USMISSION USNATO|RUEHNO|Mission USNATO|BE|EUR|700|0
UNVIEVIENNA|UNVIE VIENNA|USMISSION UNVIE VIENNA|RUEHUNV|UNVIE|AU|IO|700|0
GENEVA|GENEVA|USMISSION GENEVA|RUEHGV|Mission Geneva|SZ|IO|1100|1
USUNNEWYORK|USUN NEW YORK|USMISSION USUN NEW YORK|RUCNDT|USUN New York|US|IO|1200|1
BAGHDAD|BAGHDAD|AMEMBASSY BAGHDAD|RUEHGB|Embassy Baghdad|IZ|NEA|3500|0
RIYADH|RIYADH|AMEMBASSY RIYADH|RUEHRH|Embassy Riyadh|SA|NEA|1700|1
TELAVIV|TEL AVIV|AMEMBASSY TEL AVIV|RUEHTV|Embassy Tel Aviv|IS|NEA|2800|1
ABUDHABI|ABU DHABI|AMEMBASSY ABU DHABI|RUEHAD|Embassy Abu Dhabi|AE|NEA|1200|0
SANAA|SANAA|AMEMBASSY SANAA|RUEHYN|Embassy Sanaa|YM|NEA|2300|1
TRIPOLI|TRIPOLI|AMEMBASSY TRIPOLI|RUEHTRO|Embassy Tripoli|LY|NEA|1000|0
RABAT|RABAT|AMEMBASSY RABAT|RUEHRB|Embassy Rabat|MO|NEA|1100|1
CAIRO|CAIRO|AMEMBASSY CAIRO|RUEHEG|Embassy Cairo|EG|NEA|2500|1
AMMAN|AMMAN|AMEMBASSY AMMAN|RUEHAM|Embassy Amman|JO|NEA|1900|1
ALGIERS|ALGIERS|AMEMBASSY ALGIERS|RUEHAS|Embassy Algiers|AG|NEA|1100|1
DAMASCUS|DAMASCUS|AMEMBASSY DAMASCUS|RUEHDM|Embassy Damascus|SY|NEA|900|1
ISLAMABAD|ISLAMABAD|AMEMBASSY ISLAMABAD|RUEHIL|Embassy Islamabad|PK|SCA|3900|1
KABUL|KABUL|AMEMBASSY KABUL|RUEHBUL|Embassy Kabul|AF|SCA|3600|1
NEWDELHI|NEW DELHI|AMEMBASSY NEW DELHI|RUEHNE|Embassy New Delhi|IN|SCA|3000|1
ASTANA|ASTANA|AMEMBASSY ASTANA|RUEHTA|Embassy Astana|KZ|SCA|2100|0
PESHAWAR|PESHAWAR|AMCONSUL PESHAWAR|RUEHPW|Consulate Peshawar|PK|SCA|300|0
BEIJING|BEIJING|AMEMBASSY BEIJING|RUEHBJ|Embassy Beijing|CH|EAP|3500|0
TOKYO|TOKYO|AMEMBASSY TOKYO|RUEHKO|Embassy Tokyo|JA|EAP|3000|1
SEOUL|SEOUL|AMEMBASSY SEOUL|RUEHUL|Embassy Seoul|KS|EAP|2000|1
BRASILIA|BRASILIA|AMEMBASSY BRASILIA|RUEHBR|Embassy Brasilia|BR|WHA|1600|1
RIODEJANEIRO|RIO DE JANEIRO|AMCONSUL RIO DE JANEIRO|RUEHRI|Consulate Rio De Janeiro|BR|WHA|500|1
BOGOTA|BOGOTA|AMEMBASSY BOGOTA|RUEHBO|Embassy Bogota|CO|WHA|4000|1
BUENOSAIRES|BUENOS AIRES|AMEMBASSY BUENOS AIRES|RUEHBU|Embassy Buenos Aires|AR|WHA|1300|1
CARACAS|CARACAS|AMEMBASSY CARACAS|RUEHCV|Embassy Caracas|VE|WHA|1800|1
LAPAZ|LA PAZ|AMEMBASSY LA PAZ|RUEHLP|Embassy La Paz|BL|WHA|3000|1
MEXICO|MEXICO|AMEMBASSY MEXICO|RUEHME|Embassy Mexico|MX|WHA|3600|1
OTTAWA|OTTAWA|AMEMBASSY OTTAWA|RUEHOT|Embassy Ottawa|CA|WHA|1500|1
HAVANA|HAVANA|USINT HAVANA|RUEHUB|US Interests Section Havana|CU|WHA|800|0
PRETORIA|PRETORIA|AMEMBASSY PRETORIA|RUEHSA|Embassy Pretoria|SF|AF|2200|1
NAIROBI|NAIROBI|AMEMBASSY NAIROBI|RUEHNR|Embassy Nairobi|KE|AF|2600|1
HARARE|HARARE|AMEMBASSY HARARE|RUEHSB|Embassy Harare|ZI|AF|1000|0
STATE|STATE|SECSTATE WASHDC|RUEHC|Secretary of State|US|S|130000|1
"""


def _load_stations() -> tuple[Station, ...]:
    rows = []
    for line in _STATION_TABLE.splitlines():
        code, caption, fm, ri, name, country, bureau, volume, old = line.split("|")
        rows.append(Station(code, caption, fm, ri, name, country, bureau, int(volume), old == "1"))
    return tuple(rows)


STATIONS: tuple[Station, ...] = _load_stations()
_BY_CODE = {s.code: s for s in STATIONS}
_POSTS = tuple(s for s in STATIONS if s.code != "STATE")
_OLD_POSTS = tuple(s for s in _POSTS if s.old)

# FIPS code|name|adjective|cities (capital first)|name pool
_COUNTRY_TABLE = """\
TU|Turkey|Turkish|Ankara,Istanbul,Izmir,Diyarbakir|turkic
FR|France|French|Paris,Marseille,Lyon,Strasbourg|french
RS|Russia|Russian|Moscow,St. Petersburg,Kazan,Vladivostok|slavic
UK|the United Kingdom|British|London,Edinburgh,Belfast,Manchester|english
GM|Germany|German|Berlin,Munich,Hamburg,Frankfurt|german
SP|Spain|Spanish|Madrid,Barcelona,Seville,Bilbao|spanish
IT|Italy|Italian|Rome,Milan,Naples,Turin|italian
PL|Poland|Polish|Warsaw,Krakow,Gdansk,Poznan|polish
UP|Ukraine|Ukrainian|Kyiv,Kharkiv,Odesa,Lviv|slavic
NO|Norway|Norwegian|Oslo,Bergen,Stavanger,Tromso|nordic
SW|Sweden|Swedish|Stockholm,Gothenburg,Malmo,Uppsala|nordic
GG|Georgia|Georgian|Tbilisi,Batumi,Kutaisi,Gori|georgian
AJ|Azerbaijan|Azerbaijani|Baku,Ganja,Sumgait,Lankaran|central
BE|Belgium|Belgian|Brussels,Antwerp,Ghent,Liege|french
AU|Austria|Austrian|Vienna,Graz,Salzburg,Linz|german
SZ|Switzerland|Swiss|Bern,Geneva,Zurich,Basel|german
US|the United States|American|Washington,New York,Chicago,Houston|english
IZ|Iraq|Iraqi|Baghdad,Basrah,Erbil,Mosul|arabic
SA|Saudi Arabia|Saudi|Riyadh,Jeddah,Dhahran,Mecca|arabic
IS|Israel|Israeli|Jerusalem,Tel Aviv,Haifa,Beersheba|hebrew
AE|the United Arab Emirates|Emirati|Abu Dhabi,Dubai,Sharjah,Al Ain|arabic
YM|Yemen|Yemeni|Sanaa,Aden,Taiz,Marib|arabic
LY|Libya|Libyan|Tripoli,Benghazi,Misrata,Sabha|arabic
MO|Morocco|Moroccan|Rabat,Casablanca,Marrakech,Tangier|arabic
EG|Egypt|Egyptian|Cairo,Alexandria,Luxor,Ismailia|arabic
JO|Jordan|Jordanian|Amman,Aqaba,Irbid,Zarqa|arabic
AG|Algeria|Algerian|Algiers,Oran,Constantine,Annaba|arabic
SY|Syria|Syrian|Damascus,Aleppo,Homs,Latakia|arabic
IR|Iran|Iranian|Tehran,Isfahan,Mashhad,Tabriz|persian
PK|Pakistan|Pakistani|Islamabad,Karachi,Lahore,Peshawar|southasian
AF|Afghanistan|Afghan|Kabul,Kandahar,Herat,Jalalabad|southasian
IN|India|Indian|New Delhi,Mumbai,Chennai,Kolkata|indian
KZ|Kazakhstan|Kazakhstani|Astana,Almaty,Atyrau,Shymkent|central
CH|China|Chinese|Beijing,Shanghai,Guangzhou,Chengdu|chinese
JA|Japan|Japanese|Tokyo,Osaka,Naha,Sapporo|japanese
KS|South Korea|South Korean|Seoul,Busan,Incheon,Daegu|korean
KN|North Korea|North Korean|Pyongyang,Kaesong,Wonsan,Sinuiju|korean
BR|Brazil|Brazilian|Brasilia,Sao Paulo,Rio de Janeiro,Recife|portuguese
CO|Colombia|Colombian|Bogota,Medellin,Cali,Cartagena|spanish
AR|Argentina|Argentine|Buenos Aires,Cordoba,Rosario,Mendoza|spanish
VE|Venezuela|Venezuelan|Caracas,Maracaibo,Valencia,Barquisimeto|spanish
BL|Bolivia|Bolivian|La Paz,Santa Cruz,Cochabamba,Sucre|spanish
MX|Mexico|Mexican|Mexico City,Monterrey,Guadalajara,Tijuana|spanish
CA|Canada|Canadian|Ottawa,Toronto,Montreal,Vancouver|english
CU|Cuba|Cuban|Havana,Santiago de Cuba,Camaguey,Holguin|spanish
SF|South Africa|South African|Pretoria,Johannesburg,Cape Town,Durban|african
KE|Kenya|Kenyan|Nairobi,Mombasa,Kisumu,Eldoret|african
ZI|Zimbabwe|Zimbabwean|Harare,Bulawayo,Mutare,Gweru|african
"""


@dataclass(frozen=True, slots=True)
class _Country:
    fips: str
    name: str
    adj: str
    cities: tuple[str, ...]
    pool: str

    @property
    def capital(self) -> str:
        return self.cities[0]


def _load_countries() -> dict[str, _Country]:
    out = {}
    for line in _COUNTRY_TABLE.splitlines():
        fips, name, adj, cities, pool = line.split("|")
        out[fips] = _Country(fips, name, adj, tuple(cities.split(",")), pool)
    return out


_COUNTRIES = _load_countries()
# Neighbours and usual third parties per host, so prose names plausible other countries.
_REGION_COUNTRIES = {
    "EUR": ("RS", "UK", "FR", "GM", "TU", "UP", "PL", "IT", "SP", "GG", "AJ", "IR"),
    "NEA": ("IZ", "SA", "IS", "EG", "JO", "SY", "IR", "AE", "YM", "LY", "MO", "AG", "TU"),
    "SCA": ("PK", "AF", "IN", "IR", "KZ", "CH", "RS"),
    "EAP": ("CH", "JA", "KS", "KN", "RS", "IN"),
    "WHA": ("BR", "CO", "AR", "VE", "BL", "MX", "CA", "CU", "SP"),
    "AF": ("SF", "KE", "ZI", "EG", "UK", "CH"),
    "IO": ("IR", "KN", "RS", "CH", "FR", "UK", "IN", "PK", "SY"),
    "S": ("RS", "CH", "IR", "IZ", "AF", "PK", "FR", "UK", "GM", "BR", "IN", "MX"),
}
# Regional organizations a cable from the bureau plausibly names.
_REGION_ORGS = {
    "EUR": ("the EU", "the OSCE", "NATO", "the European Commission", "the Council of Europe"),
    "NEA": ("the Arab League", "the GCC", "the UN", "OPEC", "the IAEA"),
    "SCA": ("the SCO", "ISAF", "the UN", "the Asian Development Bank", "SAARC"),
    "EAP": ("ASEAN", "APEC", "the UN Security Council", "the IAEA", "the Asian Development Bank"),
    "WHA": ("the OAS", "Mercosur", "UNASUR", "the Inter-American Development Bank", "the UN"),
    "AF": ("the African Union", "SADC", "the UN", "the World Bank", "the IMF"),
    "IO": ("the UN Security Council", "the IAEA", "the UN General Assembly", "UNHCR", "the WHO"),
    "S": ("the UN", "NATO", "the EU", "the IAEA", "the G-8"),
}

# Name pools (first names, surnames), all ordinary and common; combined at random.
_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "turkic": (("Mehmet", "Ahmet", "Ayse", "Mustafa", "Emre", "Zeynep", "Kemal", "Selin"),
               ("Yilmaz", "Demir", "Kaya", "Celik", "Sahin", "Ozturk", "Aydin", "Arslan")),
    "french": (("Jean", "Pierre", "Marie", "Francois", "Claire", "Philippe", "Isabelle", "Luc"),
               ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefebvre", "Girard", "Fontaine")),
    "slavic": (("Aleksandr", "Sergey", "Dmitriy", "Nikolai", "Yelena", "Olga", "Andrei", "Viktor"),
               ("Ivanov", "Petrov", "Sokolov", "Volkov", "Morozov", "Lebedev", "Kuznetsov", "Orlov")),
    "english": (("James", "Sarah", "David", "Helen", "Richard", "Emma", "Andrew", "Fiona"),
                ("Clarke", "Turner", "Hughes", "Bennett", "Whitfield", "Gordon", "Ellis", "Marsh")),
    "german": (("Klaus", "Stefan", "Andrea", "Thomas", "Michael", "Petra", "Wolfgang", "Ute"),
               ("Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner")),
    "spanish": (("Carlos", "Jose", "Maria", "Juan", "Ana", "Luis", "Fernando", "Isabel"),
                ("Garcia", "Rodriguez", "Martinez", "Lopez", "Fernandez", "Gomez", "Castillo", "Herrera")),
    "italian": (("Marco", "Giuseppe", "Francesca", "Luca", "Paolo", "Giulia", "Stefano", "Chiara"),
                ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Greco")),
    "polish": (("Tomasz", "Piotr", "Anna", "Krzysztof", "Marek", "Ewa", "Pawel", "Agnieszka"),
               ("Nowak", "Kowalski", "Wisniewski", "Zielinski", "Lewandowski", "Mazur", "Krawczyk", "Dudek")),
    "nordic": (("Lars", "Ingrid", "Erik", "Anna", "Nils", "Kari", "Magnus", "Sigrid"),
               ("Hansen", "Johansson", "Larsen", "Andersson", "Nilsen", "Lindqvist", "Berg", "Dahl")),
    "georgian": (("Giorgi", "Nino", "Davit", "Levan", "Tamar", "Zurab", "Ketevan", "Irakli"),
                 ("Beridze", "Kapanadze", "Lomidze", "Gelashvili", "Tsiklauri", "Japaridze", "Abashidze", "Nadiradze")),
    "central": (("Nurlan", "Yerlan", "Aliya", "Rashid", "Elmar", "Farid", "Gulnara", "Askar"),
                ("Abenov", "Suleimenov", "Aliyev", "Mammadov", "Bekov", "Kasymov", "Huseynov", "Tokayev")),
    "arabic": (("Ahmed", "Khalid", "Omar", "Faisal", "Youssef", "Nadia", "Hassan", "Samir"),
               ("Al-Rashid", "Haddad", "Mansour", "Khoury", "Al-Tamimi", "Nasser", "Saleh", "Hamdan")),
    "persian": (("Reza", "Ali", "Mahmoud", "Parisa", "Hossein", "Maryam", "Javad", "Saeed"),
                ("Ahmadi", "Karimi", "Hosseini", "Rahimi", "Mohammadi", "Tehrani", "Moradi", "Jafari")),
    "hebrew": (("Avi", "Yossi", "Dalia", "Moshe", "Tamar", "Eitan", "Ronit", "Uri"),
               ("Cohen", "Levi", "Mizrahi", "Peretz", "Friedman", "Katz", "Avraham", "Shapiro")),
    "southasian": (("Imran", "Tariq", "Ayesha", "Farooq", "Shahid", "Abdul", "Nazia", "Hamid"),
                   ("Khan", "Qureshi", "Malik", "Chaudhry", "Hussain", "Durrani", "Wardak", "Popal")),
    "indian": (("Rajesh", "Sunita", "Vikram", "Anil", "Priya", "Arjun", "Meera", "Sanjay"),
               ("Sharma", "Gupta", "Iyer", "Reddy", "Menon", "Nair", "Kapoor", "Joshi")),
    "chinese": (("Wei", "Jian", "Hong", "Ming", "Lin", "Qiang", "Yan", "Bo"),
                ("Zhang", "Wang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou")),
    "japanese": (("Hiroshi", "Takeshi", "Yuko", "Kenji", "Akira", "Naoko", "Masato", "Emi"),
                 ("Tanaka", "Suzuki", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi", "Sato", "Ito")),
    "korean": (("Min-ho", "Ji-hoon", "Soo-jin", "Sung-min", "Hye-jin", "Dong-hyun", "Eun-ji", "Jae-won"),
               ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han")),
    "portuguese": (("Joao", "Paulo", "Ana", "Marcos", "Luiza", "Ricardo", "Fernanda", "Tiago"),
                   ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida", "Ribeiro")),
    "african": (("Samuel", "Grace", "Joseph", "Thabo", "Amina", "Peter", "Wanjiru", "Tendai"),
                ("Mwangi", "Otieno", "Ndlovu", "Dlamini", "Moyo", "Kamau", "Nkosi", "Chikwanha")),
}
_SURNAME_FIRST = {"chinese", "korean"}
_FEMALE = {"Ayse", "Zeynep", "Selin", "Marie", "Claire", "Isabelle", "Yelena", "Olga", "Sarah",
           "Helen", "Emma", "Fiona", "Andrea", "Petra", "Ute", "Maria", "Ana", "Isabel", "Francesca",
           "Giulia", "Chiara", "Anna", "Ewa", "Agnieszka", "Ingrid", "Kari", "Sigrid", "Nino", "Tamar",
           "Ketevan", "Aliya", "Gulnara", "Nadia", "Parisa", "Maryam", "Dalia", "Ronit", "Ayesha",
           "Nazia", "Sunita", "Priya", "Meera", "Yuko", "Naoko", "Emi", "Soo-jin", "Hye-jin", "Eun-ji",
           "Luiza", "Fernanda", "Grace", "Amina", "Wanjiru"}

_US_FIRST = ("John", "Robert", "Susan", "Mary", "Michael", "Karen", "William", "Patricia", "Richard",
             "Elizabeth", "Thomas", "Linda", "Daniel", "Margaret", "Steven", "Deborah", "Charles", "Anne")
_US_LAST = ("Harrington", "Caldwell", "Whitaker", "Sullivan", "Prescott", "Holloway", "Grayson",
            "Merriman", "Fairbanks", "Thornton", "Langley", "Ashford", "Pemberton", "Callahan",
            "Redmond", "Sheffield", "Winslow", "Kendrick", "Ridley", "Garland", "Hollis", "Stanton")

# Host officials: (title at first mention, short title for later mentions).
_HOST_TITLES = (
    ("Foreign Minister", "FM"),
    ("Deputy Foreign Minister", "DFM"),
    ("Minister of Defense", "MinDef"),
    ("Interior Minister", "Minister"),
    ("Prime Minister", "PM"),
    ("Finance Minister", "FinMin"),
    ("Presidential Advisor", "Advisor"),
    ("National Security Advisor", "NSA"),
    ("MFA Director for the Americas", "Director"),
    ("MFA Political Director", "Director"),
    ("Deputy Prime Minister", "DPM"),
    ("Speaker of Parliament", "Speaker"),
    ("opposition leader", "opposition leader"),
    ("Energy Minister", "Minister"),
    ("Chief of General Staff General", "General"),
    ("Central Bank Governor", "Governor"),
)
_OLD_HOST_TITLES = (("Foreign Minister", "FONMIN"), ("Deputy Foreign Minister", "DEPFONMIN"),
                    ("Prime Minister", "PRIMIN"), ("Defense Minister", "DEFMIN"),
                    ("Finance Minister", "FINMIN"), ("Foreign Ministry Director", "DIRECTOR"))
_US_TITLES = (("DCM", "DCM"), ("Political Counselor", "PolCouns"), ("Economic Counselor", "EconCouns"),
              ("Assistant Secretary", "A/S"), ("Special Envoy", "Envoy"), ("Deputy Assistant Secretary", "DAS"))
_MINISTRIES = ("Ministry of Foreign Affairs (MFA)", "Ministry of Defense", "Ministry of Interior",
               "Ministry of Finance", "Ministry of Energy", "Ministry of Justice", "Presidential Administration",
               "National Security Council", "Central Bank", "Ministry of Trade")

# Topics: (key, TAGS subject/program codes, prose phrases, subject phrases, topic organizations).
_TOPICS = (
    ("nonproliferation", ("KNNP", "MNUC", "PARM"),
     ("the nuclear nonproliferation agenda", "the IAEA Additional Protocol", "export controls on dual-use goods",
      "the proposed nuclear fuel bank", "the enrichment program"),
     ("NONPROLIFERATION", "NUCLEAR FUEL CYCLE", "EXPORT CONTROLS", "NUCLEAR COOPERATION AGREEMENT"),
     ("the IAEA", "the UN Security Council", "the Nuclear Suppliers Group")),
    ("terrorism", ("PTER", "ASEC", "KCRM"),
     ("counterterrorism cooperation", "terrorist financing", "the extradition request",
      "border security", "the recent bombings"),
     ("COUNTERTERRORISM COOPERATION", "TERRORIST FINANCING", "BORDER SECURITY", "SECURITY SITUATION"),
     ("Interpol", "the UN 1267 Committee", "the Financial Action Task Force")),
    ("politics", ("PGOV", "KDEM", "PINR"),
     ("the parliamentary elections", "the cabinet reshuffle", "the constitutional reform package",
      "the coalition negotiations", "the presidential succession"),
     ("PARLIAMENTARY ELECTIONS", "CABINET RESHUFFLE", "CONSTITUTIONAL REFORM", "COALITION POLITICS"),
     ("the Central Election Commission", "the OSCE", "the Constitutional Court")),
    ("energy", ("ENRG", "EPET", "ECON"),
     ("the proposed gas pipeline", "oil production quotas", "the electricity tariff reform",
      "the new hydrocarbons law", "energy security"),
     ("GAS PIPELINE PROJECT", "ENERGY SECURITY", "HYDROCARBONS LAW", "OIL SECTOR OUTLOOK"),
     ("OPEC", "the International Energy Agency", "the World Bank")),
    ("trade", ("ETRD", "ECON", "EFIN"),
     ("the bilateral investment treaty", "WTO accession", "the free trade negotiations",
      "intellectual property enforcement", "the banking sector"),
     ("TRADE NEGOTIATIONS", "WTO ACCESSION", "INVESTMENT CLIMATE", "FINANCIAL SECTOR"),
     ("the WTO", "the IMF", "the World Bank")),
    ("rights", ("PHUM", "PGOV", "KJUS"),
     ("the detention of journalists", "freedom of assembly", "the treatment of religious minorities",
      "the trial of opposition activists", "press freedom"),
     ("HUMAN RIGHTS", "PRESS FREEDOM", "DETAINED ACTIVISTS", "RELIGIOUS FREEDOM"),
     ("the UN Human Rights Council", "the ICRC", "UNHCR")),
    ("narcotics", ("SNAR", "KCRM", "PREL"),
     ("counternarcotics cooperation", "coca eradication", "the interdiction program",
      "money laundering controls", "precursor chemicals"),
     ("COUNTERNARCOTICS COOPERATION", "ERADICATION", "DRUG TRAFFICKING"),
     ("UNODC", "the DEA", "the OAS")),
    ("military", ("MARR", "MOPS", "PREL"),
     ("defense cooperation", "the troop contribution", "the status of forces agreement",
      "the missile defense proposal", "arms sales"),
     ("DEFENSE COOPERATION", "TROOP CONTRIBUTION", "MISSILE DEFENSE", "ARMS SALES"),
     ("NATO", "ISAF", "the SCO")),
    ("climate", ("SENV", "KGHG", "EAID"),
     ("the climate change negotiations", "emissions targets", "deforestation",
      "the adaptation fund", "renewable energy incentives"),
     ("CLIMATE CHANGE NEGOTIATIONS", "EMISSIONS TARGETS", "DEFORESTATION"),
     ("the UNFCCC", "UNEP", "the World Bank")),
    ("relations", ("PREL", "PGOV", "ECON"),
     ("bilateral relations", "regional security", "the upcoming summit",
      "relations with the European Union", "the border dispute"),
     ("BILATERAL RELATIONS", "REGIONAL SECURITY", "SUMMIT PREPARATIONS", "BORDER DISPUTE"),
     ("the UN", "the UN Security Council", "the EU")),
)
# Not yet in existence in the 1970s: kept out of page-telegram prose.
_ANACHRONISMS = frozenset({
    "the UNFCCC", "the WTO", "the SCO", "ISAF", "Mercosur", "UNASUR", "the GCC", "the OSCE", "the EU",
    "UNODC", "the Financial Action Task Force", "the UN 1267 Committee", "the UN Human Rights Council",
    "the African Union", "SADC", "APEC", "the G-8", "SAARC", "the Council of Europe", "the International Energy Agency",
})
# 1970s names of countries whose modern entry differs; UP, GG, AJ, KZ and ZI are left out then.
_OLD_COUNTRIES = {
    "RS": ("UR", "the Soviet Union", "Soviet", "Moscow,Leningrad,Kiev,Tashkent"),
    "GM": ("GW", "West Germany", "West German", "Bonn,Munich,Hamburg,Frankfurt"),
}
_NOT_OLD = frozenset({"UP", "GG", "AJ", "KZ", "ZI"})
_OLD_TOPICS = tuple(t for t in _TOPICS if t[0] != "climate")
_OLD_TAGS = {"nonproliferation": ("PARM", "TECH"), "terrorism": ("PINS", "ASEC"), "politics": ("PINT", "PGOV"),
             "energy": ("ENRG", "EFIN"), "trade": ("ETRD", "EFIN"), "rights": ("SHUM", "PINT"),
             "narcotics": ("SNAR", "PINS"), "military": ("MASS", "MILI"), "climate": ("SENV", "TGEN"),
             "relations": ("PFOR", "PINT")}
_EXTRA_TAGS = ("PREL", "PGOV", "PINR", "ECON", "KPAO", "OREP", "EAID", "SOCI", "KISL", "KWMN", "ELAB")
_ORG_TAGS = ("NATO", "IAEA", "UNSC", "EUN", "SCO", "OSCE")

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_MONTH_ABBR = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PRECEDENCE = {"O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE", "Z": "FLASH"}

_DISTRIBUTION_OFFICES = ("EEB", "AID", "A", "ACQ", "CA", "CIAE", "COME", "DODE", "DOEE", "DS",
                         "DHSE", "EUR", "FBIE", "VCI", "H", "TEDE", "INR", "IO", "L", "MOFM", "MOF",
                         "M", "NEA", "NSAE", "ISN", "OES", "OMB", "PA", "PM", "P", "SCT", "ISNE",
                         "DOHS", "SP", "SS", "TRSE", "T", "IIP", "PMB", "DSCC", "DRL", "G", "SAS", "FA")
_OLD_OFFICES = ("OCT", "ISO", "CIAE", "DODE", "PM", "H", "INR", "L", "NSAE", "NSC", "PA", "PRS", "SP",
                "SS", "USIA", "ACDA", "EB", "TRSE", "OMB", "CIEP", "COME", "AID", "IO")
_OFFICES = {"EUR": ("RUS", "WE", "CE", "NB", "SE", "CARC", "PPD"), "NEA": ("ARP", "ELA", "IPA", "MAG", "IR", "I"),
            "SCA": ("PB", "A", "INS", "CEN"), "EAP": ("CM", "J", "K", "MLS"),
            "WHA": ("AND", "BSC", "MEX", "CAN", "CCA", "BRC"), "AF": ("S", "E", "W", "RSA"), "IO": ("UNP", "T", "PSC")}
_INFO_EXTRA = (("RHEHNSC", "NSC WASHINGTON DC"), ("RUEKJCS", "SECDEF WASHINGTON DC"),
               ("RUEAIIA", "CIA WASHINGTON DC"), ("RUEKJCS", "JOINT STAFF WASHINGTON DC"),
               ("RHMFISS", "CDR USCENTCOM MACDILL AFB FL"), ("RUEATRS", "DEPT OF TREASURY WASHINGTON DC"),
               ("RUCNMEM", "EU MEMBER STATES COLLECTIVE"), ("RUEHZL", "EUROPEAN POLITICAL COLLECTIVE"))

# Caption words, spaced as most captions are, and the VZCZC security line per base level.
_SPACED = {"CONFIDENTIAL": "C O N F I D E N T I A L", "SECRET": "S E C R E T",
           "TOP SECRET": "T O P S E C R E T"}
_ZNY = {"UNCLASSIFIED": "ZNR UUUUU ZZH", "UNCLASSIFIED//FOR OFFICIAL USE ONLY": "ZNR UUUUU ZZH",
        "LIMITED OFFICIAL USE": "ZNR UUUUU ZZH", "CONFIDENTIAL": "ZNY CCCCC ZZH",
        "SECRET": "ZNY SSSSS ZZH", "TOP SECRET": "ZNY TTTTT ZZH"}

# Base classification of a header level (the NOFORN variant is chosen separately).
_HEADER_BASES = {
    cls.UNCLASSIFIED: ("UNCLASSIFIED",),
    cls.CONTROLLED: ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "LIMITED OFFICIAL USE"),
    cls.CONFIDENTIAL: ("CONFIDENTIAL",),
    cls.SECRET: ("SECRET",),
    cls.TOP_SECRET: ("TOP SECRET",),
}
# Share of NOFORN among classified cables of a level (dev corpus: C 8%, S 42%).
_NOFORN_SHARE = {cls.CONFIDENTIAL: 0.2, cls.SECRET: 0.42, cls.TOP_SECRET: 0.5}
# Portion mark written for a paragraph at a level (plain form; NOFORN forms add "/NF").
_MARK = {cls.UNCLASSIFIED: "U", cls.CONFIDENTIAL: "C", cls.SECRET: "S", cls.TOP_SECRET: "TS"}
_REL_TO = ("NATO", "UK", "ISAF", "AUS", "CAN")
# Placeholders for header parts that depend on the number of sections, known only after the body.
_FIRST_PAGE = "\x00PAGE-01\x00"
_DE_SECTION = "\x00DE-SECTION\x00"


# --------------------------------------------------------------------------------------------
# Public API


def generate(
    n: int,
    seed: int = 0,
    *,
    levels: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    conflict_rate: float = DEFAULT_CONFLICT_RATE,
    size: int | tuple[int, int] | None = None,
) -> list[SynthCable]:
    """``n`` synthetic cables, the same list for the same arguments; see :func:`iter_cables`."""
    return list(iter_cables(n, seed, levels=levels, formats=formats, conflict_rate=conflict_rate, size=size))


def iter_cables(
    n: int | None = None,
    seed: int = 0,
    *,
    levels: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    conflict_rate: float = DEFAULT_CONFLICT_RATE,
    size: int | tuple[int, int] | None = None,
) -> Iterator[SynthCable]:
    """Yield ``n`` synthetic cables (endlessly when ``n`` is None), deterministic for ``seed``.

    ``levels`` restricts the final level (``Truth.level``, names from :data:`LEVELS`), ``formats``
    the header format (names from :data:`FORMATS`). ``conflict_rate`` is the share of cables with a
    paragraph marked above the caption. ``size`` sets the raw size in characters: an int aims at
    that size (within about 10%; a header and one paragraph make at least ~1-1.5 KB), a ``(low, high)`` pair
    draws uniformly; by default sizes follow the real corpus (2-15 KB, median ~9 KB). Ids are unique
    within one iteration.
    """
    level_choices = _check_choices("levels", levels, LEVELS, _LEVEL_WEIGHTS)
    format_choices = _check_choices("formats", formats, FORMATS, _FORMAT_WEIGHTS)
    if not 0.0 <= conflict_rate <= 1.0:
        raise ValueError(f"conflict_rate must be between 0 and 1, got {conflict_rate!r}")
    if isinstance(size, tuple) and (len(size) != 2 or size[0] > size[1]):
        raise ValueError(f"size must be an int or a (low, high) pair, got {size!r}")
    seen: set[str] = set()
    i = 0
    while n is None or i < n:
        rng = random.Random(f"cablestream-synth:{seed}:{i}")
        yield _Builder(rng, level_choices, format_choices, conflict_rate, size, seen).build()
        i += 1


GARBAGE_KINDS: tuple[str, ...] = ("binary", "latin1", "empty", "whitespace", "truncated-header", "noise")


def garbage(seed: int = 0) -> list[bytes]:
    """Inputs that are not cables, one per kind of :data:`GARBAGE_KINDS` and in that order:
    binary bytes with NULs, Latin-1 text (invalid UTF-8), empty, whitespace only, a VZCZC routing
    header cut short, and printable noise without any cable structure."""
    rng = random.Random(f"cablestream-garbage:{seed}")
    binary = b"\x00\xff\xfe\x89PNG\r\n\x1a\n\x00\x00" + bytes(rng.randrange(256) for _ in range(500))
    station = rng.choice(_POSTS)
    country = _COUNTRIES[station.country]
    latin1 = (
        f"CONFIDENTIAL {station.caption} 00{rng.randrange(1000, 9999)}\n\n"
        f"SUBJECT: RÉUNION À {country.capital.upper()} SUR LA SÉCURITÉ RÉGIONALE\n\n"
        f"1. (C) Le ministre a déclaré que la coopération était « très appréciée » "
        f"et que la réunion de São Paulo aurait lieu en été.\n"
    ).encode("latin-1")
    empty = b""
    whitespace = "".join(rng.choice(" \t\r\n") for _ in range(rng.randrange(5, 40))).encode("ascii")
    number = rng.randrange(1, 9999)
    truncated = (
        f"VZCZCXRO{rng.randrange(10000):04d}\nPP RUEHWEB\n\nDE {station.ri} #{number:04d}/01 "
        f"{rng.randrange(1, 366):03d}"
    ).encode("ascii")
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?-_=+*&%$#@~<>{}[]|/\\'\"\n"
    noise = "".join(rng.choice(alphabet) for _ in range(rng.randrange(800, 2400))).encode("ascii")
    return [binary, latin1, empty, whitespace, truncated, noise]


# --------------------------------------------------------------------------------------------
# Internals


def _check_choices(
    what: str, given: Sequence[str] | None, known: tuple[str, ...], weights: dict[str, float]
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    if given is None:
        names = known
    else:
        if isinstance(given, str):
            given = (given,)
        unknown = sorted(set(given) - set(known))
        if unknown or not given:
            raise ValueError(f"{what} must be a non-empty subset of {known}, got {list(given)!r}")
        names = tuple(k for k in known if k in set(given))
    return names, tuple(weights[k] for k in names)


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


class _Builder:
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

    # -- pieces --------------------------------------------------------------------------------

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


def _country(fips: str, old: bool) -> _Country:
    """The country of a FIPS code, under its 1970s name for old telegrams."""
    c = _COUNTRIES[fips]
    if old and fips in _OLD_COUNTRIES:
        code, name, adj, cities = _OLD_COUNTRIES[fips]
        return _Country(code, name, adj, tuple(cities.split(",")), c.pool)
    return c


def _feminine(last: str) -> str:
    """Feminine form of Slavic and Polish surnames (Ivanov -> Ivanova, Kowalski -> Kowalska)."""
    if last.endswith(("ov", "ev", "in")):
        return last + "a"
    if last.endswith("ski"):
        return last[:-1] + "a"
    return last


def _us_name(rng: random.Random) -> str:
    first, last = rng.choice(_US_FIRST), rng.choice(_US_LAST)
    if rng.random() < 0.3:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
    return f"{first} {last}"


def _mark_level(mark: str) -> str:
    """Level of a mark this module writes (it knows its own forms, including ``S//NF``)."""
    base = re.split(r"[/ ]", mark, maxsplit=1)[0]
    return cls.PORTION_BASE[base]


def _highest_mark(marks: list[str | None]) -> str | None:
    """The highest portion mark as written; among equals the first one with a caveat, else the first."""
    best: str | None = None
    best_key = (-1, False)
    for mark in marks:
        if not mark:
            continue
        key = (cls.RANK[_mark_level(mark)], "/" in mark)
        if key > best_key:
            best, best_key = mark, key
    return best
