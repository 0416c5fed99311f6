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


from streams.synth.generate import GARBAGE_KINDS, garbage, generate, iter_cables
from streams.synth.records import DEFAULT_CONFLICT_RATE, FORMATS, Station, SynthCable, Truth
from streams.synth.world import STATIONS
from streams.vocab import LEVELS

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
