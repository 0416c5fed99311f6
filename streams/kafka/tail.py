"""Read an output topic and print its records decoded: `cables tail`, and the downstream example.

It is what a downstream consumer of our topics looks like, kept short on purpose:

- a plain confluent-kafka ``Consumer``; a throwaway group (``cables-tail-<uuid>``) and no commits,
  so tailing never moves anyone's offsets (a real consumer keeps one group id and commits);
- records are decoded by :class:`streams.kafka.decode.Decoder`: the Confluent wire format with
  confluent-kafka's standard ``AvroDeserializer`` and the registry (``CABLES_SCHEMA_REGISTRY_URL``),
  Avro single-object encoding with the schema in ``schemas/*.avsc`` whose fingerprint it carries.

Output: one JSON object per record (``key``, ``partition``, ``offset``, ``timestamp_ms``,
``headers``, ``value``; bytes as base64), or on a terminal without ``as_json`` one line per record:
``partition:offset key level classification subject``. Stops after ``limit`` records, or once
``timeout`` seconds pass without a record.

    tail(get_settings(), "cables.secret", from_beginning=True, limit=10, as_json=True, timeout=5)
"""

from __future__ import annotations

import base64
import json
import sys
import time
import uuid
from typing import Any, TextIO

from confluent_kafka import Consumer, KafkaError, Message

from streams.kafka.decode import Decoder
from streams.kafka.reach import client_config
from streams.settings import Settings

# How long one poll waits; the idle timeout is counted across polls.
POLL_SECONDS = 0.5


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


def as_dict(msg: Message, value: dict[str, Any] | None, error: str | None = None) -> dict[str, Any]:
    """One consumed record as a JSON-ready dict (the decoded value, or the decoding error)."""
    out = {
        "topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
        "timestamp_ms": msg.timestamp()[1], "key": _text(msg.key()),
        "headers": {k: _text(v) for k, v in (msg.headers() or [])},
    }
    if error is not None:
        out["error"], out["value_bytes"] = error, len(msg.value() or b"")
    else:
        out["value"] = value
    return out


def summary(record: dict[str, Any]) -> str:
    """``partition:offset key level classification subject`` for a cable; the reason for the others."""
    value = record.get("value")
    if value is None:
        what = ["ERROR", "-", record.get("error", "tombstone (no value)")]
    elif "level" in value:  # a cable
        what = [value["level"], value.get("classification") or "-", value.get("subject") or ""]
    elif "stage" in value:  # a dead letter
        what = ["DLQ", f"{value['stage']}/{value['error_type']}", value["error_message"]]
    else:  # quarantined
        what = ["QUARANTINE", value.get("classification") or "-", value.get("reason", "")]
    what[2] = what[2][:60]
    return f"{record['partition']}:{record['offset']} {record['key'] or '-'} " + " ".join(what)


# The broker refused: retrying cannot help.
DENIED = (KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.GROUP_AUTHORIZATION_FAILED, KafkaError._AUTHENTICATION)


def group_prefix(settings: Settings) -> str:
    """``<principal>-tail``: the ACLs let a principal use the groups that start with its name and a dash."""
    return f"{settings.sasl_username}-tail" if settings.uses_sasl and settings.sasl_username else "cables-tail"


def tail(
    settings: Settings, topic: str, *, from_beginning: bool, limit: int | None, as_json: bool, timeout: float,
    out: TextIO | None = None,
) -> int:
    """Print the records of ``topic`` decoded to ``out`` (default stdout; see the module doc); returns the count."""
    out = out or sys.stdout
    decoder = Decoder(settings.schema_registry_url)
    lost: list[KafkaError] = []  # client-level errors that end the tail (librdkafka retries the others)

    def on_error(err: KafkaError) -> None:
        if err.code() == KafkaError._ALL_BROKERS_DOWN or err.fatal():
            lost.append(err)

    consumer = Consumer(client_config(
        settings,
        **{"group.id": f"{group_prefix(settings)}-{uuid.uuid4()}",  # throwaway: nobody else's offsets move
           "enable.auto.commit": False,  # and we never commit
           "auto.offset.reset": "earliest" if from_beginning else "latest",
           "error_cb": on_error},
    ))
    pretty = not as_json and out.isatty()
    printed = 0
    try:
        consumer.subscribe([topic])
        idle_since = time.monotonic()
        while (limit is None or printed < limit) and time.monotonic() - idle_since < timeout:
            msg = consumer.poll(POLL_SECONDS)
            if lost:  # "broker down" must not look like "no records": the caller exits non-zero
                raise RuntimeError(f"lost Kafka at {settings.bootstrap_servers} ({lost[-1].str()})")
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    raise RuntimeError(f"topic {topic} does not exist")
                if msg.error().code() in DENIED:
                    raise RuntimeError(f"{settings.sasl_username} may not read {topic}: {msg.error().str()}")
                continue  # other errors are transient: librdkafka retries by itself
            idle_since = time.monotonic()
            try:
                record = as_dict(msg, None if msg.value() is None else decoder.decode(msg.value(), topic))
            except ValueError as exc:  # one bad record is shown (DecodeError), never stops the tail
                record = as_dict(msg, None, str(exc))
            print(summary(record) if pretty else json.dumps(record, default=_jsonable, ensure_ascii=False), file=out)
            printed += 1
    finally:
        consumer.close()
    return printed
