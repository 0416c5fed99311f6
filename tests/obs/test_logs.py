"""Tests of streams.obs.logs: one JSON stream for ours and the libraries' logs, bound context, and
no cable text in any log line."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
import structlog

from streams.obs import logs
from streams.core.model import Cable, Entity, Paragraph, Reference
from streams.settings import Settings

SECRET_SUBJECT = "IRAN: FOREIGN MINISTER PRIVATELY CONCEDES ENRICHMENT TIMELINE SLIPPED"
SECRET_PARAGRAPHS = (
    "The foreign minister told the ambassador over dinner that the centrifuge cascade at the "
    "northern site would not be ready before the spring, contrary to public statements.",
    "He asked that this not be shared with the other delegations until after the next round.",
)
SECRET_BODY = "\n\n".join(f"{n}. (S) {p}" for n, p in enumerate(SECRET_PARAGRAPHS, start=1))
# Distinctive runs of words that must never appear in any output.
SECRET_PHRASES = (
    "PRIVATELY CONCEDES ENRICHMENT",
    "centrifuge cascade",
    "contrary to public statements",
    "not be shared with the other delegations",
)


@pytest.fixture(autouse=True)
def _restore_logging():
    """Leave the root logger, structlog and the context as they were before each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _configure(log_format: str = "json", level: str = "INFO", stream: io.StringIO | None = None) -> io.StringIO:
    stream = io.StringIO() if stream is None else stream
    logs.configure_logging(Settings(log_format=log_format, log_level=level), stream=stream)
    return stream


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _secret_cable() -> Cable:
    return Cable(
        body=SECRET_BODY,
        id="09TEHRAN123",
        classification="SECRET//NOFORN",
        subject=SECRET_SUBJECT,
        paragraphs=tuple(Paragraph(str(n), "S", p) for n, p in enumerate(SECRET_PARAGRAPHS, start=1)),
        references=(Reference("A", "TEHRAN 99 (centrifuge cascade report)", "09TEHRAN99"),),
        entities=(Entity("location", "northern site", "northern site"),),
    )


def test_structlog_lines_are_json_with_standard_keys():
    """Every line of a structlog logger is one JSON object with timestamp (ISO UTC), level, logger, event."""
    stream = _configure()
    structlog.get_logger("streams.kafka.agents").info("worker.starting", partitions=3)
    (line,) = _lines(stream)
    assert line["event"] == "worker.starting"
    assert line["level"] == "info"
    assert line["logger"] == "streams.kafka.agents"
    assert line["partitions"] == 3
    assert line["timestamp"].endswith("Z") and "T" in line["timestamp"]


def test_stdlib_library_logs_join_the_same_json_stream():
    """A stdlib record from aiokafka (or faust, mode) comes out as JSON with the same keys as ours."""
    stream = _configure()
    structlog.get_logger("streams.kafka.agents").warning("ours")
    logging.getLogger("aiokafka").warning("Heartbeat failed for group %s", "cablestream")
    ours, theirs = _lines(stream)
    assert theirs["event"] == "Heartbeat failed for group cablestream"
    assert theirs["logger"] == "aiokafka"
    assert theirs["level"] == "warning"
    assert set(ours) == set(theirs)


def test_bound_message_context_appears_on_ours_and_library_lines():
    """Inside message_context, topic/partition/offset and fields bound later appear on every line."""
    stream = _configure()
    with logs.message_context(topic="cables.raw", partition=2, offset=41):
        structlog.contextvars.bind_contextvars(cable_id="09TEHRAN123", classification="SECRET", route="cables.secret")
        structlog.get_logger("streams.kafka.agents").info("cable.parsed")
        logging.getLogger("faust.transport").error("commit failed")
    for line in _lines(stream):
        assert (line["topic"], line["partition"], line["offset"]) == ("cables.raw", 2, 41)
        assert (line["cable_id"], line["classification"], line["route"]) == ("09TEHRAN123", "SECRET", "cables.secret")


def test_message_context_does_not_leak_into_the_next_message():
    """Fields bound inside one message's context are gone after it, and the outer context is restored."""
    stream = _configure()
    structlog.contextvars.bind_contextvars(worker="w1")
    with logs.message_context(topic="cables.raw", partition=0, offset=1):
        structlog.contextvars.bind_contextvars(cable_id="A")
    structlog.get_logger("t").info("between")
    (line,) = _lines(stream)
    assert line["worker"] == "w1"
    assert not {"topic", "partition", "offset", "cable_id"} & set(line)


def test_secret_cable_text_never_reaches_the_json_stream(caplog):
    """Body, subject, paragraphs, raw bytes and model objects of a SECRET cable are logged as ids and fields only,
    in our stream and in what any other stdlib handler (here pytest's) receives."""
    stream = _configure(level="DEBUG")
    cable = _secret_cable()
    log = structlog.get_logger("streams.kafka.agents")
    with logs.message_context(topic="cables.raw", partition=0, offset=7):
        log.info("cable.parsed", cable_id=cable.id, body=cable.body, subject=cable.subject)
        log.debug("cable.detail", cable=cable, paragraphs=cable.paragraphs, raw=SECRET_BODY.encode())
        log.debug("cable.record", record={"cable": {"body": cable.body, "subject": cable.subject}})
        log.info("cable.references", refs=cable.references, entities=cable.entities)
        log.info("cable.bytes", payload=SECRET_BODY.encode())
        log.warning("cable.error", error={"text": SECRET_BODY, "line": 3})
    out = stream.getvalue() + caplog.text
    for phrase in SECRET_PHRASES:
        assert phrase.lower() not in out.lower()
    lines = _lines(stream)
    assert len(lines) == 6
    assert lines[0]["cable_id"] == "09TEHRAN123" and lines[0]["body"] == logs.REDACTED
    assert lines[1]["cable"]["classification"] == "SECRET//NOFORN"


def test_cable_text_quoted_elsewhere_is_scrubbed_once_marked_sensitive():
    """Cable text marked sensitive is scrubbed from messages, library logs and tracebacks that quote it."""
    stream = _configure()
    log = structlog.get_logger("streams.kafka.agents")
    with logs.message_context(topic="cables.raw", partition=0, offset=8):
        logs.mark_sensitive(SECRET_SUBJECT, SECRET_BODY)
        log.info(f"parsed {SECRET_PARAGRAPHS[0][:120]}")
        logging.getLogger("aiokafka").error("bad record: %s", SECRET_PARAGRAPHS[1])
        log.warning("stage.failed", error=f"unexpected line {SECRET_SUBJECT!r}")
        try:
            raise ValueError(f"cannot parse: {SECRET_PARAGRAPHS[1]}")
        except ValueError:
            log.exception("stage.crashed", stage="parse")
    out = stream.getvalue()
    for phrase in SECRET_PHRASES:
        assert phrase.lower() not in out.lower()
    lines = _lines(stream)
    assert lines[3]["exception"].startswith("Traceback") and "ValueError" not in lines[3]["exception"].splitlines()[-1]
    assert lines[3]["stage"] == "parse"


def test_marked_text_is_forgotten_after_the_message():
    """Sensitive text of one message is not scrubbed from the next message's lines (no over-redaction)."""
    stream = _configure()
    with logs.message_context(topic="cables.raw", partition=0, offset=1):
        logs.mark_sensitive("the quick brown fox jumps over the lazy dog")
    structlog.get_logger("t").info("the quick brown fox jumps over the lazy dog")
    assert _lines(stream)[0]["event"] == "the quick brown fox jumps over the lazy dog"


def test_scrubbing_keeps_fields_and_unrelated_text():
    """Scrubbing blanks only the lines that quote the cable, never the id and vocabulary fields."""
    stream = _configure()
    with logs.message_context(topic="cables.raw", partition=0, offset=1):
        logs.mark_sensitive("SECRET SECTION 01 OF 02 TEHRAN 000123")
        structlog.contextvars.bind_contextvars(classification="SECRET SECTION 01 OF 02 TEHRAN 000123")
        structlog.get_logger("t").info("x", detail="first line\nheader SECRET SECTION 01 OF 02 TEHRAN 000123 seen")
    (line,) = _lines(stream)
    assert line["classification"] == "SECRET SECTION 01 OF 02 TEHRAN 000123"
    assert line["detail"] == "first line\n[redacted]"


def test_console_rendering_is_redacted_too():
    """The console renderer gets the same redaction: body and subject never appear on a terminal."""
    stream = _configure("console", stream=_Tty())
    structlog.get_logger("t").info("cable.parsed", body=SECRET_BODY, subject=SECRET_SUBJECT, cable_id="09TEHRAN123")
    out = stream.getvalue()
    assert "09TEHRAN123" in out
    for phrase in SECRET_PHRASES:
        assert phrase.lower() not in out.lower()


def test_tracebacks_show_no_local_variables():
    """An exception's traceback is rendered without local variables, which may hold a cable's text."""
    stream = _configure()
    try:
        text = SECRET_BODY  # noqa: F841 - the point is that this local is not printed
        raise RuntimeError("boom")
    except RuntimeError:
        structlog.get_logger("t").exception("crashed")
    (line,) = _lines(stream)
    assert "RuntimeError: boom" in line["exception"]
    assert "centrifuge" not in line["exception"]


def test_level_comes_from_settings_for_ours_and_libraries():
    """Lines below settings.log_level are dropped, from structlog and stdlib loggers alike."""
    stream = _configure(level="WARNING")
    structlog.get_logger("t").info("dropped")
    logging.getLogger("aiokafka").info("dropped too")
    structlog.get_logger("t").warning("kept")
    assert [line["event"] for line in _lines(stream)] == ["kept"]


def test_unknown_level_or_format_is_rejected():
    """A misspelt CABLES_LOG_LEVEL or CABLES_LOG_FORMAT fails at start-up instead of logging nothing."""
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        _configure(level="LOUD")
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        _configure(log_format="xml")


def test_auto_format_is_json_off_a_terminal_and_console_on_one():
    """With log_format=auto the output is JSON on a pipe or file, console rendering on a terminal."""
    pipe = _configure("auto")
    structlog.get_logger("t").info("hello")
    assert json.loads(pipe.getvalue())["event"] == "hello"
    tty = _configure("auto", stream=_Tty())
    structlog.get_logger("t").info("hello")
    with pytest.raises(json.JSONDecodeError):
        json.loads(tty.getvalue())
    assert "hello" in tty.getvalue()


def test_configure_logging_is_idempotent():
    """Calling configure_logging twice leaves one handler: each line is written once."""
    first = io.StringIO()
    logs.configure_logging(Settings(log_format="json"), stream=first)
    second = _configure()
    logging.getLogger("faust").warning("once")
    assert first.getvalue() == ""
    assert len(_lines(second)) == 1
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_cablestream_handler", False)]
    assert len(ours) == 1


def test_a_previous_console_handler_is_replaced():
    """A plain console handler installed before (basicConfig, mode's colorlog) is removed: one stream, one format."""
    import sys

    plain = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(plain)
    _configure()
    assert plain not in logging.getLogger().handlers


def test_canonical_line_has_outcome_and_duration():
    """log_cable_processed writes one cable.processed line with outcome and duration; dead letters are warnings."""
    stream = _configure()
    log = structlog.get_logger("streams.kafka.agents")
    logs.log_cable_processed(log, outcome=logs.ROUTED, duration_seconds=0.0123456789, route="cables.secret")
    logs.log_cable_processed(log, outcome=logs.DEAD_LETTER, duration_seconds=0.5, stage="parse")
    routed, dead = _lines(stream)
    assert routed["event"] == logs.CABLE_PROCESSED
    assert (routed["outcome"], routed["duration_seconds"], routed["level"]) == ("routed", 0.012346, "info")
    assert (dead["outcome"], dead["level"], dead["stage"]) == ("dead_letter", "warning", "parse")
    with pytest.raises(ValueError):
        logs.log_cable_processed(log, outcome="lost", duration_seconds=0.1)


def test_capture_logs_sees_bound_context_with_merge_processor():
    """Tests of the agent can assert on log events with structlog's capture_logs and the context merged."""
    _configure()
    with structlog.testing.capture_logs(processors=[structlog.contextvars.merge_contextvars]) as captured:
        with logs.message_context(topic="cables.raw", partition=1, offset=3):
            structlog.get_logger("streams.kafka.agents").info("cable.processed", outcome="routed")
    assert captured == [
        {"event": "cable.processed", "outcome": "routed", "log_level": "info",
         "topic": "cables.raw", "partition": 1, "offset": 3}
    ]


def test_handler_avoids_a_redirected_stderr(monkeypatch):
    """When the Faust worker has redirected stderr into logging, our handler writes to the real stderr."""

    class FileLogProxy(io.StringIO):  # the shape of mode.utils.logging.FileLogProxy
        logger = logging.getLogger("mode.redirect")

    monkeypatch.setattr("sys.stderr", FileLogProxy())
    assert logs.make_handler("json").stream is __import__("sys").__stderr__


def test_a_short_marked_subject_is_scrubbed_whole():
    """A marked text of a few words (a short subject) is scrubbed where a line repeats all of it."""
    stream = _configure()
    with logs.message_context(topic="cables.raw", partition=0, offset=9):
        logs.mark_sensitive("KAZAKHSTAN: CANWFZ TREATY")
        structlog.get_logger("t").warning("stage.failed", error="unexpected subject kazakhstan canwfz treaty, line 4")
        structlog.get_logger("t").warning("stage.failed", error="the treaty text is missing")
    first, second = _lines(stream)
    assert first["error"] == logs.REDACTED
    assert second["error"] == "the treaty text is missing"
