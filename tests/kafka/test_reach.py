"""Fail fast: an unreachable Kafka or registry is one line within the bounded time; librdkafka repeats collapse."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from streams.kafka.reach import CollapseRepeats, Unreachable, check_kafka, check_registry
from streams.settings import Settings


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_refused_broker_is_one_line_naming_address_cause_and_fix():
    """A port where nothing listens gives `cannot reach Kafka at HOST:PORT (connection refused); ... ops/kafka.sh start`."""
    port = closed_port()
    started = time.monotonic()
    with pytest.raises(Unreachable) as info:
        check_kafka(Settings(bootstrap_servers=f"127.0.0.1:{port}", connect_timeout_s=2, security_protocol="PLAINTEXT"))
    msg = str(info.value)
    assert msg.startswith(f"cannot reach Kafka at 127.0.0.1:{port} (connection refused);"), msg
    assert "bash ops/kafka.sh start" in msg and "\n" not in msg
    assert time.monotonic() - started < 2


def test_port_that_is_not_kafka_fails_within_the_timeout():
    """A listening socket that never speaks Kafka fails after about the connect timeout, in one line."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        port = server.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(Unreachable) as info:
            check_kafka(Settings(bootstrap_servers=f"127.0.0.1:{port}", connect_timeout_s=2, security_protocol="PLAINTEXT"))
        elapsed = time.monotonic() - started
    assert "no metadata within" in str(info.value) and "\n" not in str(info.value)
    assert elapsed < 6, elapsed


def test_unreachable_registry_names_url_and_fix():
    """A registry URL where nothing answers gives one line naming the URL and ops/registry.sh."""
    url = f"http://127.0.0.1:{closed_port()}/apis/ccompat/v7"
    with pytest.raises(Unreachable, match=r"cannot reach the schema registry at .*connection refused.*ops/registry.sh start"):
        check_registry(Settings(schema_registry_url=url, connect_timeout_s=2))


def test_collapse_repeats_lets_each_kind_through_once_and_drops_retry_notes():
    """The same librdkafka line with other numbers is dropped after the first; `...: retrying` notes are dropped."""
    f = CollapseRepeats()

    def rec(msg: str) -> logging.LogRecord:
        return logging.LogRecord("librdkafka", logging.ERROR, __file__, 1, msg, None, None)

    assert f.filter(rec("FAIL 127.0.0.1:1/bootstrap: Connect failed: Connection refused (after 0ms)"))
    assert not f.filter(rec("FAIL 127.0.0.1:1/bootstrap: Connect failed: Connection refused (after 12ms)"))
    assert f.filter(rec("FAIL 127.0.0.1:1/bootstrap: Disconnected"))
    assert f.filter(rec("FAIL [rdkafka#consumer-2] [thrd:h:1/1]: h:1/1: Connect to ipv4#h:1 failed: Connection refused"))
    assert not f.filter(rec("FAIL [rdkafka#consumer-2] [thrd:GroupCoordinator]: GroupCoordinator: h:1: "
                            "Connect to ipv4#h:1 failed: Connection refused"))
    assert not f.filter(rec("GETPID: Failed to acquire idempotence PID: Coordinator load in progress: retrying"))
    assert f.dropped == 3


def test_every_client_config_routes_librdkafka_logs_through_our_logging_at_warning():
    """client_config() adds the `librdkafka` stdlib logger, at WARNING with the repeat filter, to the settings' connection."""
    from streams.kafka.reach import client_config

    settings = Settings(bootstrap_servers="h:1", security_protocol="PLAINTEXT")
    conf = client_config(settings, **{"group.id": "g"})
    assert conf["bootstrap.servers"] == "h:1" and conf["group.id"] == "g"
    assert {k: v for k, v in conf.items() if k not in ("logger", "group.id")} == settings.kafka_client_config()
    logger = conf["logger"]
    assert logger.name == "librdkafka" and logger.level == logging.WARNING
    assert any(isinstance(f, CollapseRepeats) for f in logger.filters) and logger.propagate
