"""Fail fast: is Kafka (and the schema registry) reachable, checked in bounded time, said in one line.

Every ``cables`` command that talks to Kafka calls :func:`check_kafka` first (and :func:`check_registry`
when it needs the registry). Each raises :class:`Unreachable` within ``CABLES_CONNECT_TIMEOUT_S``
(default 10 s) with one line naming what was tried and how to fix it::

    cannot reach Kafka at 127.0.0.1:9092 (connection refused); is the broker running? bash ops/kafka.sh start

Every confluent-kafka client of ours is built from :func:`client_config`, which is
``Settings.kafka_client_config()`` (connection and security) plus a ``logger``: librdkafka's own log
goes to the stdlib logger ``librdkafka`` (hence through our logging) at warning and above, and a
line that repeats an earlier one (the same text with its numbers ignored) is dropped and counted,
so a broker that goes away mid-run costs one line per kind of failure, not hundreds.
"""

from __future__ import annotations

import logging
import re
import socket
import time
import urllib.error
import urllib.request
from typing import Any

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from streams.settings import Settings

RDKAFKA_LOGGER = "librdkafka"
# Numbers vary between repeats of one failure ("after 0ms", "1/3 brokers"): ignored when comparing.
_NUMBERS = re.compile(r"\d+")
_LEADING_NAMES = re.compile(r"^(?:[\w.#:/-]+: )+")  # broker or coordinator names before the message
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class Unreachable(RuntimeError):
    """Kafka or the registry did not answer: the message is the one line a user sees."""


class CollapseRepeats(logging.Filter):
    """Drops a record whose message, numbers ignored, was already let through, and librdkafka's notes
    of a request it is retrying by itself (``...: retrying``: a final failure is reported as an error
    of its own); counts what it dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # "FAIL [rdkafka#consumer-2] [thrd:host:port/1]: host:port/1: Connect to ... failed: ..." is
        # one failure whichever thread or broker reports it: compare from the first phrase with a space.
        key = _LEADING_NAMES.sub("", _NUMBERS.sub("#", message.split("]: ", 1)[-1]))
        if key in self.seen or message.endswith(": retrying"):
            self.dropped += 1
            return False
        self.seen.add(key)
        return True


_collapse = CollapseRepeats()


def rdkafka_logger() -> logging.Logger:
    """The stdlib logger librdkafka writes to: warning and above, repeats collapsed, propagated to ours."""
    log = logging.getLogger(RDKAFKA_LOGGER)
    log.setLevel(logging.WARNING)
    if _collapse not in log.filters:
        log.addFilter(_collapse)
    return log


def client_config(settings: Settings, **extra: Any) -> dict[str, Any]:
    """librdkafka properties of every client of ours: the settings' connection, our logger, ``extra``."""
    conf: dict[str, Any] = {**settings.kafka_client_config(), "logger": rdkafka_logger()}
    conf.update(extra)
    return conf


def _addresses(servers: str) -> list[tuple[str, int]]:
    out = []
    for hp in servers.split(","):
        host, _, port = hp.strip().rpartition(":")
        out.append((host.strip("[]") or hp.strip(), int(port) if port.isdigit() else 9092))
    return out


def _tcp_reason(host: str, port: int, timeout: float) -> str | None:
    """None when a TCP connection to ``host:port`` opens within ``timeout``; else why not, in a few words."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except ConnectionRefusedError:
        return "connection refused"
    except socket.gaierror:
        return f"unknown host {host}"
    except TimeoutError:
        return f"no answer within {timeout:.0f}s"
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def _kafka_hint(settings: Settings) -> str:
    if all(h in LOCAL_HOSTS for h, _ in _addresses(settings.bootstrap_servers)):
        return "is the broker running? bash ops/kafka.sh start (or set CABLES_BOOTSTRAP_SERVERS / CABLES_KAFKA_PORT)"
    return "check CABLES_BOOTSTRAP_SERVERS and that the brokers are up"


def check_kafka(settings: Settings, timeout: float | None = None) -> set[str]:
    """The cluster's topic names; raises :class:`Unreachable` unless a bootstrap server accepts a connection
    and answers a metadata request (with our security settings) within ``timeout`` (default
    ``settings.connect_timeout_s``)."""
    timeout = settings.connect_timeout_s if timeout is None else timeout
    servers = settings.bootstrap_servers
    deadline = time.monotonic() + timeout
    reasons = []
    for host, port in _addresses(servers):
        reason = _tcp_reason(host, port, max(deadline - time.monotonic(), 0.1))
        if reason is None:
            break
        reasons.append(reason)
    else:
        raise Unreachable(f"cannot reach Kafka at {servers} ({'; '.join(dict.fromkeys(reasons))}); {_kafka_hint(settings)}")
    left = max(deadline - time.monotonic(), 1.0)
    try:
        return set(AdminClient(client_config(settings)).list_topics(timeout=left).topics)
    except KafkaException as exc:
        err = exc.args[0]
        what = err.str() if hasattr(err, "str") else str(exc)
        raise Unreachable(
            f"cannot reach Kafka at {servers} (the port is open but no metadata within {left:.0f}s: {what}); "
            f"is it a Kafka broker, and do CABLES_SECURITY_PROTOCOL and CABLES_SASL_* match it?"
        ) from None


def check_registry(settings: Settings, timeout: float | None = None) -> None:
    """Raise :class:`Unreachable` unless the configured schema registry answers ``GET /subjects`` in time."""
    url = settings.schema_registry_url
    if not url:
        return
    timeout = settings.connect_timeout_s if timeout is None else timeout
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/subjects", timeout=timeout) as response:
            response.read(1)
    except urllib.error.HTTPError as exc:
        raise Unreachable(f"the schema registry at {url} answered HTTP {exc.code} to GET /subjects; "
                          "is CABLES_SCHEMA_REGISTRY_URL the registry's Confluent API (…/apis/ccompat/v7)?") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, ConnectionRefusedError):
            reason = "connection refused"
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            reason = f"no answer within {timeout:.0f}s"
        raise Unreachable(f"cannot reach the schema registry at {url} ({reason}); "
                          "is it running? bash ops/registry.sh start (or unset CABLES_SCHEMA_REGISTRY_URL)") from None
