"""Logging: one structlog configuration and the bridge that puts Faust's, mode's and
aiokafka's standard-library logs into the same stream.

Call :func:`configure_logging` once at start-up. Every line, ours or a library's, then
goes through the same processors and comes out on stderr as one JSON object per line
(or, on a terminal, as structlog's console rendering): ``timestamp`` (ISO 8601, UTC),
``level``, ``logger``, ``event``, the context bound for the current message and the
call's own fields.

Per message the worker binds the context and emits one canonical line::

    with logs.message_context(topic=tp.topic, partition=tp.partition, offset=offset):
        logs.mark_sensitive(text)                      # after decoding, see below
        ...
        structlog.contextvars.bind_contextvars(cable_id=..., classification=..., route=...)
        ...
        logs.log_cable_processed(log, outcome=logs.ROUTED, duration_seconds=elapsed)

Confidentiality rule (the cable's text never reaches a log line, whatever its
classification; ids and fields only). Two processors, on every line:

1. :func:`redact_cable_fields`: the value of any key named ``body``, ``subject``, ``raw``,
   ``text`` or ``paragraphs``, at any depth, becomes ``"[redacted]"``, always, even for
   UNCLASSIFIED cables: deciding per classification would trust the classification of
   a cable that has not been routed yet. Model objects (``Cable``, ``Entity``, ...) are
   turned into dicts first, so their text fields are redacted too; ``bytes`` (a raw
   payload) are replaced by their length; any other object by its ``repr``.
2. :func:`scrub_sensitive_text`: text registered for the current message with
   :func:`mark_sensitive` (the decoded cable, and its subject once parsed) is searched for
   in every other string value, the ``event`` message and formatted exceptions included: a
   line of a value that repeats :data:`SHINGLE_WORDS` consecutive words of a marked text (or
   the whole of a marked text of two to five words, such as a short subject) is replaced by
   ``"[redacted]"``. This catches text that arrives by another route, such as an exception
   message that quotes a line of the cable or a library logging a record's value. Shorter
   fragments (a single word, a pair of words out of a long body) are not caught: rule 1 and
   not putting text in messages remain the guarantee.

Wiring: the worker and every command call :func:`configure_logging` at start-up (it also
replaces any console handler already on the root logger). A stdlib handler
added by someone else still receives the libraries' records as they were logged; our
structlog events reach it already redacted.

Tracebacks are formatted without local variables (a local named ``text`` would otherwise
be printed whole).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import logging
import logging.config
import re
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

import structlog

from streams.core.model import as_record

if TYPE_CHECKING:
    from streams.settings import Settings

REDACTED = "[redacted]"
REDACTED_KEYS = frozenset({"body", "subject", "raw", "text", "paragraphs"})
"""Keys whose value is always replaced by :data:`REDACTED`, at any depth."""

# Fields that are ids or bounded vocabularies, never free text: not searched for cable text,
# so a short registered text can never blank the fields an operator filters on.
FIELD_KEYS = frozenset(
    {"timestamp", "level", "logger", "topic", "partition", "offset", "cable_id", "classification",
     "route", "outcome", "stage", "error_type", "duration_seconds"}
)

# Six consecutive words are specific to one text (ordinary phrases rarely repeat six words
# of a cable by chance), yet short enough to catch a one-line quote in an exception message.
SHINGLE_WORDS = 6

CABLE_PROCESSED = "cable.processed"
"""Event name of the one canonical line per consumed message."""
from streams.vocab import DEAD_LETTER, QUARANTINED, ROUTED  # noqa: E402,F401 (the outcome field's values)
OUTCOMES = (ROUTED, QUARANTINED, DEAD_LETTER)  # the values of streams.core.pipeline

_WORD = re.compile(r"\w+")
_SHORT_TEXT_CHARS = 120  # five words of a cable rarely exceed this; longer texts are only shingled
_HANDLER_MARK = "_cablestream_handler"


# --- processors -------------------------------------------------------------------------------


def redact_cable_fields(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Replace the value of every key in :data:`REDACTED_KEYS` (at any depth) by ``[redacted]``;
    turn model objects into dicts, ``bytes`` into their length and other objects into their repr."""
    return {key: _redact(key, value) for key, value in event_dict.items()}


def _redact(key: str, value: Any) -> Any:
    if key in REDACTED_KEYS and value is not None:
        return REDACTED
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"[{len(value)} bytes redacted]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = as_record(value)
    if isinstance(value, dict):
        return {str(k): _redact(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_redact("", v) for v in value]
    return repr(value)


class _Sensitive:
    """The texts marked for the current message; their word index is built on first need."""

    __slots__ = ("texts", "_long", "_short")

    def __init__(self, texts: tuple[str, ...] = ()) -> None:
        self.texts = texts
        self._long: str | None = None  # " w1 w2 ... " of every text of SHINGLE_WORDS words or more
        self._short: tuple[tuple[str, ...], ...] | None = None  # word tuples of shorter texts

    def _long_index(self) -> str:
        if self._long is None:
            parts = [" ".join(w.casefold() for w in _WORD.findall(text)) for text in self.texts]
            self._long = " " + " | ".join(p for p in parts if p.count(" ") + 1 >= SHINGLE_WORDS) + " "
        return self._long

    def _short_phrases(self) -> tuple[tuple[str, ...], ...]:
        if self._short is None:
            phrases = []
            for text in self.texts:
                if len(text) <= _SHORT_TEXT_CHARS:  # a long text has more than five words anyway
                    words = tuple(w.casefold() for w in _WORD.findall(text))
                    if 2 <= len(words) < SHINGLE_WORDS:  # one word is no quotation, and blanks too much
                        phrases.append(words)
            self._short = tuple(phrases)
        return self._short

    def hits(self, words: list[str]) -> set[int]:
        """Indices of the words that belong to a run repeating a marked text."""
        hit: set[int] = set()
        if len(words) >= SHINGLE_WORDS:  # only then is the (costlier) index of long texts built
            index = self._long_index()
            for i in range(len(words) - SHINGLE_WORDS + 1):
                if " " + " ".join(words[i : i + SHINGLE_WORDS]) + " " in index:
                    hit.update(range(i, i + SHINGLE_WORDS))
        for phrase in self._short_phrases():
            size = len(phrase)
            for i in range(len(words) - size + 1):
                if tuple(words[i : i + size]) == phrase:
                    hit.update(range(i, i + size))
        return hit


_SENSITIVE: contextvars.ContextVar[_Sensitive] = contextvars.ContextVar(
    "cablestream_sensitive", default=_Sensitive()
)


def mark_sensitive(*texts: str | None) -> None:
    """Register text of the current message (the decoded cable, its subject) so that no log line
    repeats it, until the enclosing :func:`message_context` exits (outside one: for the rest of
    the current context). Costs nothing until a line carries free text of two words or more."""
    added = tuple(t for t in texts if t)
    if added:
        _SENSITIVE.set(_Sensitive(_SENSITIVE.get().texts + added))


def scrub_sensitive_text(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Replace each line of a string value that repeats marked cable text by ``[redacted]``
    (:data:`FIELD_KEYS` are not searched)."""
    sensitive = _SENSITIVE.get()
    if not sensitive.texts:
        return event_dict
    return {
        key: value if key in FIELD_KEYS else _scrub(value, sensitive)
        for key, value in event_dict.items()
    }


def _scrub(value: Any, sensitive: _Sensitive) -> Any:
    if isinstance(value, str):
        return _scrub_str(value, sensitive)
    if isinstance(value, dict):
        return {k: _scrub(v, sensitive) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, sensitive) for v in value]
    return value


def _scrub_str(value: str, sensitive: _Sensitive) -> str:
    lines = value.splitlines()
    tokens = [(m.group().casefold(), n) for n, line in enumerate(lines) for m in _WORD.finditer(line)]
    if len(tokens) < 2:
        return value
    hit_lines = {tokens[i][1] for i in sensitive.hits([w for w, _ in tokens])}
    if not hit_lines:
        return value
    return "\n".join(REDACTED if n in hit_lines else line for n, line in enumerate(lines))


# --- per-message context ----------------------------------------------------------------------


@contextlib.contextmanager
def message_context(*, topic: str, partition: int, offset: int, **fields: Any) -> Iterator[None]:
    """Bind ``topic``, ``partition``, ``offset`` (and ``fields``) to every log line inside the
    block; on exit restore the previous context exactly, so fields bound inside (cable id,
    classification, route) and text marked sensitive never carry over to the next message."""
    saved = structlog.contextvars.get_contextvars()
    token = _SENSITIVE.set(_SENSITIVE.get())
    structlog.contextvars.bind_contextvars(topic=topic, partition=partition, offset=offset, **fields)
    try:
        yield
    finally:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(**saved)
        _SENSITIVE.reset(token)


def log_cable_processed(
    logger: Any, *, outcome: str, duration_seconds: float, **fields: Any
) -> None:
    """Emit the canonical ``cable.processed`` line: info for routed or quarantined cables,
    warning for dead-lettered ones."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {OUTCOMES}")
    method = logger.warning if outcome == DEAD_LETTER else logger.info
    method(CABLE_PROCESSED, outcome=outcome, duration_seconds=round(duration_seconds, 6), **fields)


# --- configuration ----------------------------------------------------------------------------


def _level(name: str) -> int:
    level = logging.getLevelNamesMapping().get(str(name).upper())
    if level is None:
        raise ValueError(f"CABLES_LOG_LEVEL: unknown level {name!r} (DEBUG, INFO, WARNING, ERROR)")
    return level


def _use_json(log_format: str, stream: IO[str]) -> bool:
    if log_format == "json":
        return True
    if log_format == "console":
        return False
    if log_format != "auto":
        raise ValueError(f"CABLES_LOG_FORMAT: unknown format {log_format!r} (auto, json, console)")
    isatty = getattr(stream, "isatty", None)
    return not (isatty and isatty())


def _shared_processors() -> list[Any]:
    """Run on every line before the formatter: ours (structlog) and foreign (stdlib) alike."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    ]


def _safety_processors() -> list[Any]:
    """Exceptions as plain text without local variables, then the two redaction steps. Run in
    structlog's chain (so any other stdlib handler receives redacted event dicts) and again in
    our handler's formatter (for the libraries' records); running twice changes nothing."""
    return [
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        redact_cable_fields,
        scrub_sensitive_text,
    ]


def _default_stream() -> IO[str]:
    """stderr; the real one when the Faust worker has redirected it into logging (mode's
    ``FileLogProxy``), where a handler writing to it would feed its own lines back to itself."""
    if isinstance(getattr(sys.stderr, "logger", None), logging.Logger) and sys.__stderr__ is not None:
        return sys.__stderr__
    return sys.stderr


def _order_keys(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Put ``timestamp``, ``level``, ``logger`` and ``event`` first, for readers of raw lines."""
    head = {k: event_dict[k] for k in ("timestamp", "level", "logger", "event") if k in event_dict}
    return head | event_dict


def make_handler(log_format: str = "auto", stream: IO[str] | None = None) -> logging.Handler:
    """A stdlib handler that renders every record, ours or a library's, through the redacting
    processors: JSON, or console rendering (see :func:`configure_logging` for ``auto``)."""
    stream = _default_stream() if stream is None else stream
    if _use_json(log_format, stream):
        renderer: Any = structlog.processors.JSONRenderer()
    else:
        isatty = getattr(stream, "isatty", None)
        renderer = structlog.dev.ConsoleRenderer(
            colors=bool(isatty and isatty()), exception_formatter=structlog.dev.plain_traceback
        )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *_safety_processors(),
            _order_keys,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    return handler


def _is_console_handler(handler: logging.Handler) -> bool:
    """A handler printing to the process's stdout or stderr (basicConfig's, mode's colorlog)."""
    streams = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    return (
        isinstance(handler, logging.StreamHandler)
        and not isinstance(handler, logging.FileHandler)
        and handler.stream in streams
    )


def configure_logging(settings: Settings, *, stream: IO[str] | None = None) -> None:
    """Configure structlog and the stdlib root logger from ``settings.log_level`` and
    ``settings.log_format``: JSON lines on ``stream`` (stderr) when the format is ``json``, or
    ``auto`` and the stream is not a terminal; console rendering otherwise. Idempotent: a
    second call replaces the handler of the first, and a plain console handler installed by
    someone else (``logging.basicConfig``) is removed so that the stream stays one format."""
    level = _level(settings.log_level)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            *_safety_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: tests (capture_logs) and a second configure_logging() must reach loggers
        # that module-level code obtained earlier; the lookup costs microseconds per line.
        cache_logger_on_first_use=False,
    )
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False) or _is_console_handler(handler):
            root.removeHandler(handler)
    root.addHandler(make_handler(settings.log_format, stream))
    root.setLevel(level)
