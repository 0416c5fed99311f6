"""The worker against the real broker: every raw message ends in exactly one output topic."""

from __future__ import annotations

import dataclasses
import time

import pytest

from streams import synth
from streams.kafka.codec import Codec
from streams.kafka.topics import OUTPUT_SCHEMAS
from tests.integration.conftest import consume_all, consume_outputs, produce_raw

pytestmark = pytest.mark.integration


def truth(c) -> dict:
    return dataclasses.asdict(c.truth)


def decode_outputs(settings, outputs: dict[str, list]) -> dict[tuple[int, int], list[tuple[str, dict, object]]]:
    """(raw partition, raw offset) -> [(output suffix, decoded record, message)] for every output record."""
    by_source: dict[tuple[int, int], list] = {}
    for suffix in OUTPUT_SCHEMAS:
        codec = Codec.named(OUTPUT_SCHEMAS[suffix])
        for msg in outputs[settings.topic(suffix)]:
            rec = codec.decode(msg.value())  # decodes with the published schema, or raises
            src = rec["source"]
            assert src["topic"] == settings.raw_topic
            by_source.setdefault((src["partition"], src["offset"]), []).append((suffix, rec, msg))
    return by_source


def test_each_cable_lands_on_exactly_one_topic_the_right_one(make_worker, seed_cable):
    """The seed and 80 generated cables of every level each land once, on their level's topic, decodable."""
    worker = make_worker()
    settings = worker.settings
    cables = synth.generate(80, seed=11)
    levels = {truth(c)["level"] for c in cables}
    assert len(levels) >= 5, f"the sample should cover every level, got {levels}"
    values = [(b"seed", seed_cable.encode())] + [(f"s{i}".encode(), c.raw.encode()) for i, c in enumerate(cables)]
    where = produce_raw(settings, values)
    worker.start()
    outputs = consume_outputs(settings, expected_total=len(values))
    by_source = decode_outputs(settings, outputs)

    assert set(by_source) == set(where), "every raw message produced exactly the outputs of raw messages"
    for i, pos in enumerate(where):
        landed = by_source[pos]
        assert len(landed) == 1, f"message {i} landed {len(landed)} times: {[x[0] for x in landed]}"
        suffix, rec, msg = landed[0]
        if i == 0:
            assert suffix == "confidential" and rec["origin"] == "ALMATY" and rec["number"] == "002231"
            continue
        t = truth(cables[i - 1])
        assert suffix == t["level"], f"{t['id']}: expected {t['level']}, went to {suffix}"
        if t["date_in_text"]:  # without a date in the text the year, and so the id, is unknowable
            assert rec["id"] == t["id"] and msg.key() == t["id"].encode()
        else:
            assert rec["id"] is None
        assert rec["level"] == suffix
    log = worker.log_path.read_text(encoding="utf-8", errors="replace")
    assert log.count('"event": "cable.processed"') >= len(values), "one canonical line per cable"
    for c in cables:  # no cable text above UNCLASSIFIED in any log line (ids and fields only)
        t = truth(c)
        if t["level"] != "unclassified":
            assert t["subject"] not in log, f"{t['id']}: subject leaked into the worker log"
            longest_paragraph = max(c.raw.split("\n\n"), key=len)
            assert longest_paragraph[:80] not in log, f"{t['id']}: body text leaked into the worker log"


def test_garbage_goes_to_dead_letters_and_the_next_cable_still_flows(make_worker):
    """Binary, Latin-1, empty and structureless input is dead-lettered with reasons; good cables after it still route."""
    worker = make_worker()
    settings = worker.settings
    bad = synth.garbage(3)
    good = synth.generate(3, seed=5)
    values = [(None, b) for b in bad] + [(f"g{i}".encode(), c.raw.encode()) for i, c in enumerate(good)]
    where = produce_raw(settings, values)
    worker.start()
    by_source = decode_outputs(settings, consume_outputs(settings, expected_total=len(values)))
    for pos, raw in zip(where[: len(bad)], bad):
        [(suffix, rec, msg)] = by_source[pos]
        assert suffix in ("dlq", "quarantine"), f"garbage {raw[:20]!r} went to {suffix}"
        if suffix == "dlq":
            headers = dict(msg.headers())
            assert rec["original"] == raw and headers["stage"] and headers["error_type"]
            assert headers["source_offset"] == str(pos[1]).encode()
    assert any(by_source[pos][0][0] == "dlq" for pos in where[: len(bad)])
    for pos, c in zip(where[len(bad):], good):
        [(suffix, rec, _)] = by_source[pos]
        assert suffix == truth(c)["level"]
    assert worker.proc.poll() is None, "the worker is still alive after the garbage"


def test_crash_and_restart_loses_nothing_and_duplicates_are_idempotent(make_worker):
    """A worker killed mid-stream and restarted leaves every input in an output; any repeat has the same key and content."""
    worker = make_worker()
    settings = worker.settings
    cables = synth.generate(300, seed=21)
    where = produce_raw(settings, [(f"c{i}".encode(), c.raw.encode()) for i, c in enumerate(cables)])
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # let it get part of the way, then crash it
        if "cables_messages_produced_total" in worker.metrics() and _produced(worker) >= 60:
            break
        time.sleep(0.2)
    assert worker.stop("KILL") != 0
    worker.start()
    # Repeats after the crash inflate the output count, so wait for coverage of every input.
    deadline = time.monotonic() + 120
    while True:
        by_source = decode_outputs(settings, consume_outputs(settings, expected_total=len(cables)))
        if set(where) <= set(by_source) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert set(where) <= set(by_source), f"{len(set(where) - set(by_source))} inputs have no output"
    for pos in where:
        landed = by_source[pos]
        suffixes = {s for s, _, _ in landed}
        keys = {m.key() for _, _, m in landed}
        records = [{k: v for k, v in r.items() if k != "processed_at_ms"} for _, r, _ in landed]
        differ = sorted({k for r in records for k in r if r[k] != records[0][k]})
        assert len(suffixes) == 1 and len(keys) == 1 and not differ, f"{pos}: repeat differs in {differ}"


def _produced(worker) -> float:
    total = 0.0
    for line in worker.metrics().splitlines():
        if line.startswith("cables_messages_produced_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_refused_output_stops_the_worker_without_committing_then_the_restart_delivers(make_worker):
    """When the broker refuses an output, the worker exits non-zero without committing; restarted, it delivers the cable once."""
    from confluent_kafka import Consumer, TopicPartition
    from confluent_kafka.admin import AdminClient

    worker = make_worker(publish_timeout_s="5")
    settings = worker.settings
    worker.start()
    admin = AdminClient(settings.kafka_client_config())
    admin.delete_topics([settings.topic("secret")])[settings.topic("secret")].result(30)
    cable = synth.generate(1, seed=3, levels=["secret"])[0]
    [(partition, offset)] = produce_raw(settings, [(b"refused", cable.raw.encode())])
    assert worker.proc.wait(120) == 75, "the worker exits with EX_TEMPFAIL when an output is refused"

    c = Consumer({**settings.kafka_client_config(), "group.id": settings.app_id, "enable.auto.commit": False})
    [committed] = c.committed([TopicPartition(settings.raw_topic, partition)], timeout=10)
    c.close()
    assert committed.offset <= offset, f"offset {offset} was committed ({committed.offset}) without an output"

    worker.start()  # recreates the missing topic at start-up, then redelivers the message
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        landed = [m for m in consume_all(settings, settings.topic("secret")) if m.key() == truth(cable)["id"].encode()]
        if landed:
            break
        time.sleep(1)
    assert len(landed) == 1
