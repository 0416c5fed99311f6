"""The public entry points: :func:`generate`, :func:`iter_cables` and :func:`garbage`."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from streams.vocab import LEVELS
from streams.synth.builder import _Builder
from streams.synth.records import DEFAULT_CONFLICT_RATE, FORMATS, SynthCable, _FORMAT_WEIGHTS, _LEVEL_WEIGHTS
from streams.synth.world import _COUNTRIES, _POSTS

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
