"""decode(): raw message bytes to text, or a typed failure with a reason for the dead-letter topic."""

from __future__ import annotations

import pytest

from streams import vocab as stages
from streams.core.model import Failure
from streams.core.parse import decode

LIMIT = 1_000_000


def _failure(raw: bytes, limit: int = LIMIT) -> Failure:
    result = decode(raw, limit)
    assert isinstance(result, Failure), result
    assert result.stage == stages.DECODE
    return result


def test_utf8_text_is_decoded():
    """Valid UTF-8 (curly quotes, ¶) comes back as the same text."""
    text = "C O N F I D E N T I A L ALMATY 002231\n¶1. (C) ZAW ZAW’S “reform”."
    assert decode(text.encode("utf-8"), LIMIT) == text


def test_byte_order_mark_is_dropped():
    """A UTF-8 byte-order mark is not part of the cable text."""
    assert decode(b"\xef\xbb\xbfUNCLAS STATE 000001", LIMIT) == "UNCLAS STATE 000001"


@pytest.mark.parametrize("raw", [b"", b"   ", b"\n\r\n\t "])
def test_empty_or_whitespace_is_empty(raw):
    """Empty and whitespace-only messages are ``empty``."""
    assert _failure(raw).error_type == "empty"


def test_larger_than_limit_is_too_large():
    """A message above max_bytes is ``too_large`` and is not decoded."""
    failure = _failure(b"A" * 101, limit=100)
    assert failure.error_type == "too_large"
    assert "101" in failure.message


def test_ten_megabytes_is_too_large_under_the_default_limit():
    """A 10 MB text is refused by size under the worker's 1 MB limit."""
    assert _failure(b"SECRET " * (10_000_000 // 7), limit=LIMIT).error_type == "too_large"


def test_latin1_bytes_are_not_utf8_and_not_guessed():
    """Latin-1 bytes are dead-lettered as ``not_utf8`` with the offset, never re-decoded as Latin-1."""
    failure = _failure("CONFIDENTIAL BOGOTÁ 000123".encode("latin-1"))
    assert failure.error_type == "not_utf8"
    assert "byte 18" in failure.message  # the Á


def test_nul_bytes_are_binary():
    """A NUL byte marks binary data."""
    assert _failure(b"UNCLAS\x00STATE").error_type == "binary"


def test_mostly_control_characters_are_binary():
    """Bytes that are mostly control characters are ``binary`` even without NUL."""
    assert _failure(bytes(range(1, 32)) * 20).error_type == "binary"


def test_a_few_stray_control_characters_are_tolerated():
    """One form feed or bell in a long teletype text does not make it binary."""
    text = "UNCLAS STATE 000001\n" + "TEXT OF THE CABLE. " * 50 + "\x07\x0c"
    assert decode(text.encode(), LIMIT) == text


def test_the_failure_message_never_carries_the_text():
    """Failure messages describe the problem without quoting the cable."""
    failure = _failure("SECRET NAME Müller".encode("latin-1"))
    assert "Müller" not in failure.message and "SECRET" not in failure.message
