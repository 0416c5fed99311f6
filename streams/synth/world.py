"""The invented world cables are written about: stations, countries, people, titles, topics, offices,
header forms and portion marks (the project's own invention, imitating the forms of real cables)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from streams.core import classification as cls
from streams.synth.records import Station

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
