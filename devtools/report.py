"""Fidelity report in one command: the parser on data we did not write, entities on the blind gold.

    .venv/bin/python -m devtools.report

1. The parser on cablemap's peer cases (development half, ``../shared/data/peer/``), per field and overall
   (``devtools/peer.py``; ``--show`` there lists the failures).
2. The parser on the 1,034 real corpus cables against their trusted metadata, per field
   (``devtools/measure_parse.py``).
3. Entity precision, recall and F1 on the **test half** of the frozen blind gold (``devtools/gold/``),
   totals only (``devtools/measure_enrich.py --blind test``).

Prints numbers and asserts nothing; the tests pin the figures separately.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from devtools import measure_enrich, measure_parse, peer

    sections = (
        ("parser on cablemap's peer cases (development half)", peer.main, []),
        ("parser on the real corpus, against its metadata", measure_parse.main, ["--runs", "1"]),
        ("entities on the blind gold, test half", measure_enrich.main, ["--blind", "test"]),
    )
    status = 0
    for title, run, args in sections:
        print(f"\n== {title}", flush=True)
        status |= run(args) or 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
