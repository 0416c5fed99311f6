"""Build the TAGS reader's word list (``streams/core/parse/data/tag_words.tsv``).

Run from the repository root, with the project venv::

    .venv/bin/python devtools/build_tag_words.py            # writes the file
    .venv/bin/python devtools/build_tag_words.py --check    # fails if the file would change

Free-text tags written without commas (``NOVO GUILLERMO REMON PEDRO``, ``ITALY NATIONAL ELECTIONS
ITALIAN POLITICS``) are told apart with two kinds of words:

- ``given``: given names of the US Census 1990 name lists (``dist.male.first``, ``dist.female.first``,
  public domain, as shipped by the ``names`` package, installed only to run this script), less the
  names that are ordinary English words (``streams/core/enrich/data/common_words.txt``: GRACE, MAY,
  WILL) or, unless among the 100 most frequent of a list (GEORGE), one-word place names of the
  gazetteer (JORDAN, ISRAEL, SYDNEY, SALVADOR);
- ``place``: country names and demonyms of the enrichment gazetteer
  (``streams/core/enrich/data/places.tsv``, kinds ``country`` and ``demonym``; pycountry and
  countryinfo), upper-cased, as they are written on TAGS lines (``NEW ZEALAND``, ``ITALIAN``);
- ``not-a-person``: two-word place names of the gazetteer (any kind) whose second word is one of the
  given names above (``SAN JOSE``, ``SANTO DOMINGO``).

Nothing is derived from the corpus cables' metadata.
"""

from __future__ import annotations

import argparse
import csv
import sys
from importlib.resources import files
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENRICH = REPO / "streams" / "core" / "enrich" / "data"
OUT = REPO / "streams" / "core" / "parse" / "data" / "tag_words.tsv"
PLACE_KINDS = ("country", "demonym")
TOP_RANK = 100  # given names this frequent stay even when a place is so called (GEORGE, FLORENCE)


def place_words() -> tuple[set[str], set[str], set[str]]:
    """Country names and demonyms of the gazetteer, upper-cased (only plain words: letters, blanks,
    hyphens); every one-word place name of it (cities and regions too: SYDNEY, SALVADOR); and every
    two-word place name of it (SAN JOSE, SANTO DOMINGO)."""
    countries, one_word, two_words = set(), set(), set()
    with (ENRICH / "places.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            name = " ".join(row["name"].upper().split())
            if len(name) > 2 and name.replace(" ", "").replace("-", "").isalpha():
                if row["kind"] in PLACE_KINDS:
                    countries.add(name)
                if " " not in name:
                    one_word.add(name)
                elif name.count(" ") == 1:
                    two_words.add(name)
    return countries, one_word, two_words


def given_names(ordinary: set[str], places: set[str]) -> set[str]:
    """Census given names (first column of the male and female lists) that are not ordinary words,
    nor place names unless among the ``TOP_RANK`` most frequent of a list (GEORGE stays, DALLAS goes)."""
    census = files("names")
    out = set()
    for name in ("dist.male.first", "dist.female.first"):
        for line in census.joinpath(name).read_text(encoding="ascii").splitlines():
            if line.strip():
                word, rank = line.split()[0].upper(), int(line.split()[3])
                plain = word.isalpha() and len(word) > 1 and word not in ordinary
                if plain and (rank <= TOP_RANK or word not in places):
                    out.add(word)
    return out


def build() -> str:
    """The file's text: a header, then ``word<TAB>kind`` rows sorted by kind and word."""
    common = {w.strip().upper() for w in (ENRICH / "common_words.txt").read_text(encoding="utf-8").splitlines()}
    places, place_names, place_pairs = place_words()
    given = given_names(common, places | place_names)
    # two-word places whose second word is a given name: never a person (SAN JOSE, SANTO DOMINGO)
    pairs = {p for p in place_pairs if p.split()[1] in given and p not in places}
    rows = ([f"{w}\tgiven" for w in sorted(given)] + [f"{w}\tplace" for w in sorted(places)]
            + [f"{w}\tnot-a-person" for w in sorted(pairs)])
    return "word\tkind\n" + "\n".join(rows) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the shipped file differs from a rebuild")
    args = ap.parse_args()
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(REPO)}: {'current' if same else 'STALE: run devtools/build_tag_words.py'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
