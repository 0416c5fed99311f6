"""Wait until the local broker answers a metadata request (used by ``ops/kafka.sh start``).

Usage: ``wait_ready.py PORT PID TIMEOUT_SECONDS``. Exit codes: 0 ready, 1 timed out,
2 the broker process exited, 3 confluent_kafka is not importable (the caller falls back
to watching the server log).

One client is kept for the whole wait instead of one process per attempt: the import
and the client start cost more than an attempt does.
"""

from __future__ import annotations

import os
import sys
import time

try:
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient
except ImportError:
    sys.exit(3)

# One metadata attempt; short, so a dead broker is noticed soon after it dies.
ATTEMPT_TIMEOUT_SECONDS = 1.0


def alive(pid: int) -> bool:
    """True while the broker's process exists (signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> int:
    port, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    admin = AdminClient(
        {
            "bootstrap.servers": f"127.0.0.1:{port}",
            # librdkafka's default backoff grows to 10 s while the port is still closed,
            # which would add seconds after the broker is up.
            "reconnect.backoff.ms": 100,
            "reconnect.backoff.max.ms": 500,
            # "Connection refused" is the expected state while the JVM starts: stay quiet.
            "log_level": 0,
        }
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return 2
        try:
            metadata = admin.list_topics(timeout=ATTEMPT_TIMEOUT_SECONDS)
        except KafkaException:
            continue
        # Node 1 is ours: a metadata answer from another broker on the port would lack it.
        if 1 in metadata.brokers:
            return 0
        time.sleep(0.2)
    return 1


if __name__ == "__main__":
    sys.exit(main())
