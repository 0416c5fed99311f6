"""Raw message bytes to text, or a typed failure for the dead-letter topic.

The raw topic carries UTF-8 text. Anything else is dead-lettered with a reason from a
small fixed vocabulary (:data:`DECODE_ERRORS`); nothing is guessed (no Latin-1 fallback).
"""

from __future__ import annotations

from streams.core.model import Failure
from streams.vocab import BINARY, DECODE, EMPTY, NOT_UTF8, TOO_LARGE

DECODE_ERRORS = (EMPTY, TOO_LARGE, NOT_UTF8, BINARY)

# Control characters other than tab, LF, FF, CR. Teletype text has none; a few stray ones
# are tolerated, more than this share of the first block means the bytes are not a cable.
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13)) + b"\x7f"
_CONTROL_SHARE_MAX = 0.05
_SNIFF_BYTES = 4096  # the binary check looks at the first block only: it is a sniff, not a scan


def decode(raw: bytes, max_bytes: int) -> str | Failure:
    """Decode ``raw`` (UTF-8) to text; a :class:`Failure` (stage ``decode``) when it is empty,
    larger than ``max_bytes``, binary (NUL bytes, mostly control characters) or not valid UTF-8."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        return Failure(DECODE, BINARY, f"expected bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    size = len(raw)
    if size > max_bytes:
        return Failure(DECODE, TOO_LARGE, f"{size} bytes > limit {max_bytes}")
    if not raw.strip():
        return Failure(DECODE, EMPTY, "empty or whitespace-only message")
    if b"\x00" in raw:
        return Failure(DECODE, BINARY, f"NUL byte at offset {raw.index(0)}")
    head = raw[:_SNIFF_BYTES]
    controls = len(head) - len(head.translate(None, _CONTROL))
    if controls > _CONTROL_SHARE_MAX * len(head):
        return Failure(DECODE, BINARY, f"{controls} control bytes in the first {len(head)}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Failure(DECODE, NOT_UTF8, f"invalid UTF-8 at byte {exc.start}: {exc.reason}")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return Failure(DECODE, EMPTY, "empty or whitespace-only message")
    return text
