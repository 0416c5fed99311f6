"""Wait until the local broker answers a metadata request (used by ``ops/kafka.sh start``).

Usage: ``wait_ready.py PORT PID TIMEOUT_SECONDS [PROTOCOL [USERNAME PASSWORD_FILE [CA_FILE]]]``
(PROTOCOL: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL; SASL is SCRAM-SHA-512). Exit codes: 0 ready, 1 timed out,
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


def security(args: list[str]) -> dict[str, str]:
    """Client properties for PROTOCOL [USERNAME PASSWORD_FILE [CA_FILE]]; the password is read from its file."""
    if not args:
        return {}
    conf = {"security.protocol": args[0]}
    if len(args) >= 3:
        with open(args[2], encoding="utf-8") as fh:
            conf.update({"sasl.mechanism": "SCRAM-SHA-512", "sasl.username": args[1], "sasl.password": fh.read().strip()})
    if len(args) >= 4:
        conf["ssl.ca.location"] = args[3]
    return conf


def main() -> int:
    port, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    admin = AdminClient(
        {
            **security(sys.argv[4:]),
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
