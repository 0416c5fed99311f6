"""Replication settings: what a cluster of the declared size can satisfy, checked before anything starts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from streams.settings import Settings


def test_single_broker_defaults_are_one_and_one():
    """Without cluster settings, topics get one replica and min.insync.replicas=1 (the single broker)."""
    s = Settings(bootstrap_servers="127.0.0.1:9092")
    assert (s.replication_factor, s.min_insync_replicas, s.broker_count) == (1, 1, 1)


def test_cluster_settings_are_accepted():
    """Three bootstrap servers allow replication factor 3 with min.insync.replicas=2."""
    s = Settings(bootstrap_servers="a:1,b:2,c:3", replication_factor=3, min_insync_replicas=2)
    assert (s.replication_factor, s.min_insync_replicas, s.broker_count) == (3, 2, 3)


def test_replication_above_bootstrap_count_is_refused():
    """Replication factor 3 with one bootstrap server and no CABLES_BROKERS is an error naming both settings."""
    with pytest.raises(ValidationError, match="CABLES_REPLICATION_FACTOR=3 needs 3 brokers, but there are 1"):
        Settings(bootstrap_servers="127.0.0.1:9092", replication_factor=3, min_insync_replicas=2)


def test_declared_brokers_override_the_bootstrap_count():
    """A managed service behind one bootstrap address declares its size with CABLES_BROKERS."""
    s = Settings(bootstrap_servers="kafka.example:9096", brokers=3, replication_factor=3, min_insync_replicas=2)
    assert s.broker_count == 3
    with pytest.raises(ValidationError, match="needs 4 brokers, but there are 3"):
        Settings(bootstrap_servers="kafka.example:9096", brokers=3, replication_factor=4)


def test_min_isr_above_replication_is_refused():
    """min.insync.replicas above the replication factor would refuse every acks=all write."""
    with pytest.raises(ValidationError, match="CABLES_MIN_INSYNC_REPLICAS=3 is above CABLES_REPLICATION_FACTOR=2"):
        Settings(bootstrap_servers="a:1,b:2,c:3", replication_factor=2, min_insync_replicas=3)


LINE = ("CABLES_REPLICATION_FACTOR=3 needs 3 brokers, but there are 1 (CABLES_BROKERS, or the count of "
        "CABLES_BOOTSTRAP_SERVERS): topics could not be created")


def _run(module: str, *args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CABLES_BOOTSTRAP_SERVERS": "127.0.0.1:1",
           "CABLES_REPLICATION_FACTOR": "3"}
    return subprocess.run([sys.executable, "-m", module, *args], env=env, capture_output=True, text=True, timeout=60)


def test_cli_stops_with_one_line_before_starting(tmp_path):
    """`cables topics create` with impossible settings exits non-zero with one stderr line and no traceback."""
    done = _run("streams.cli", "topics", "create", tmp_path=tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [f"Error: {LINE}"]


def test_worker_stops_with_one_line_before_starting(tmp_path):
    """The worker with impossible settings exits non-zero with one stderr line, before connecting to anything."""
    done = _run("streams.kafka.worker", tmp_path=tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [f"cablestream: invalid settings: {LINE}"]
