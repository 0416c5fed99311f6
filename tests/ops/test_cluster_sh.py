"""ops/cluster.sh without starting anything: node ports, the bootstrap list, and settings it refuses."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """ops/cluster.sh with only the given CABLES_ settings (the developer's own are dropped)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CABLES_")}
    return subprocess.run(["bash", str(REPO / "ops" / "cluster.sh"), *args], env={**base, **env},
                          capture_output=True, text=True, timeout=30)


def test_bootstrap_lists_every_node_two_ports_apart():
    """Node N's client port is CABLES_KAFKA_PORT + 2(N-1): the bootstrap list names all of them."""
    done = run("bootstrap", CABLES_KAFKA_PORT="41092", CABLES_KAFKA_CONTROLLER_PORT="41093")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "127.0.0.1:41092,127.0.0.1:41094,127.0.0.1:41096"


def test_node_count_is_a_setting():
    """CABLES_KAFKA_NODES=5 (replication 3) gives five bootstrap servers."""
    done = run("bootstrap", CABLES_KAFKA_NODES="5")
    assert done.stdout.strip().split(",") == [f"127.0.0.1:{9092 + 2 * i}" for i in range(5)]


def test_replication_above_the_node_count_is_refused_in_one_line():
    """CABLES_KAFKA_CLUSTER_REPLICATION=4 on three nodes stops before anything starts, naming both settings."""
    done = run("start", CABLES_KAFKA_CLUSTER_REPLICATION="4")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "cluster.sh: CABLES_KAFKA_CLUSTER_REPLICATION=4 is above the 3 nodes (CABLES_KAFKA_NODES)"]


def test_min_isr_above_replication_is_refused():
    """CABLES_KAFKA_CLUSTER_MIN_ISR above the replication factor is refused."""
    done = run("status", CABLES_KAFKA_CLUSTER_MIN_ISR="4")
    assert done.returncode == 1 and "CABLES_KAFKA_CLUSTER_MIN_ISR=4 is above the replication factor 3" in done.stderr


def test_unknown_node_is_refused():
    """`kill 7` on a three-node cluster names the valid nodes instead of killing anything."""
    done = run("kill", "7", CABLES_KAFKA_PORT="41092", CABLES_KAFKA_CONTROLLER_PORT="41093")
    assert done.returncode == 1 and "no node '7' (nodes are 1..3)" in done.stderr
