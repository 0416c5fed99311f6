"""The `cables parse` command: the offline twin of the worker (no broker needed)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from streams.cli import SEED, main


def run(*args: str, input: str | None = None, exit_code: int = 0) -> list[dict]:
    result = CliRunner().invoke(main, ["parse", *args], input=input)
    assert result.exit_code == exit_code, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_parse_seed_file_names_its_topic():
    """The seed cable parses to a CONFIDENTIAL record bound for the confidential topic."""
    [out] = run(str(SEED))
    assert out["outcome"] == "routed" and out["topic"] == "cables.confidential"
    assert out["cable"]["origin"] == "ALMATY" and out["cable"]["classification"] == "CONFIDENTIAL"


def test_jsonl_gives_one_line_per_input_in_order_and_failures_do_not_stop_it(tmp_path):
    """JSON Lines input yields one output per line, in order; garbage goes to the DLQ, a line `cables publish`
    would refuse (empty raw) prints its rejection, the next line still parses, and the exit code says so."""
    seed = SEED.read_text(encoding="utf-8")
    path = tmp_path / "in.jsonl"
    lines = [{"raw": seed, "other": 1}, {"raw": "\x00\x01 not a cable"}, {"raw": ""},
             {"raw": seed.replace("C O N F I D E N T I A L", "S E C R E T")}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    outs = run(str(path), exit_code=1)
    assert [o.get("outcome") for o in outs] == ["routed", "dead_letter", None, "routed"]
    assert outs[1]["topic"] == "cables.dlq"
    assert outs[2] == {"input": f"{path}:3", "rejected": 'empty "raw" field'}
    assert outs[3]["topic"] == "cables.secret"


def test_no_enrich_flag_skips_enrichment():
    """--no-enrich leaves tags without kinds and no entities."""
    [plain] = run("--no-enrich", str(SEED))
    [rich] = run(str(SEED))
    assert plain["cable"]["enriched"] is False and plain["cable"]["entities"] == []
    assert rich["cable"]["enriched"] is True and rich["cable"]["entities"]


def test_stdin_is_read():
    """`cables parse -` reads a cable from standard input."""
    [out] = run("-", input=SEED.read_text(encoding="utf-8"))
    assert out["cable"]["number"] == "002231"


# ---------------------------------------------------------------- settings that talk back, fail fast


def invoke(*args: str, env: dict[str, str] | None = None, input: bytes | str | None = None):
    """`cables ARGS` in-process with ``env`` added to the environment (CABLES_* of the caller removed)."""
    import os

    from streams.settings import get_settings

    get_settings.cache_clear()
    clean = {k: None for k in os.environ if k.startswith("CABLES_")}
    try:
        return CliRunner().invoke(main, list(args), env={**clean, **(env or {})}, input=input)
    finally:
        get_settings.cache_clear()


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_config_masks_secrets_and_derives_bootstrap_from_the_kafka_port():
    """`cables config` shows the bootstrap servers derived from CABLES_KAFKA_PORT and never the SASL password."""
    result = invoke("config", env={"CABLES_KAFKA_PORT": "39999", "CABLES_SASL_USERNAME": "team-a", "CABLES_SASL_PASSWORD": "hunter2"})
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "127.0.0.1:39999" in lines["CABLES_BOOTSTRAP_SERVERS"] and "derived from CABLES_KAFKA_PORT" in lines["CABLES_BOOTSTRAP_SERVERS"]
    assert "hunter2" not in result.output and "***" in lines["CABLES_SASL_PASSWORD"]


def test_explicit_bootstrap_wins_over_the_kafka_port(monkeypatch):
    """CABLES_BOOTSTRAP_SERVERS, when set, is used as given whatever CABLES_KAFKA_PORT says."""
    from streams.settings import Settings

    monkeypatch.delenv("CABLES_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("CABLES_KAFKA_PORT", raising=False)
    assert Settings(kafka_port=1, bootstrap_servers="b:2").bootstrap_servers == "b:2"
    assert Settings(kafka_port=1).bootstrap_servers == "127.0.0.1:1"


def test_misspelled_variable_warns_with_the_closest_name():
    """An unknown CABLES_ name is reported once, on stderr, with the setting it probably meant."""
    result = invoke("config", env={"CABLES_BOOTSTRAP_SERVER": "x:1", "CABLES_KAFKA_CONTROLLER_PORT": "1"})
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "not a cablestream setting" in line]
    assert len(warnings) == 1, result.output
    assert "CABLES_BOOTSTRAP_SERVER " in warnings[0] and "did you mean CABLES_BOOTSTRAP_SERVERS?" in warnings[0]


def test_invalid_setting_is_one_line():
    """A setting that does not validate stops the command with one line naming the variable."""
    result = invoke("config", env={"CABLES_PARTITIONS": "many"})
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()] and "CABLES_PARTITIONS='many'" in result.output


def test_every_kafka_command_fails_fast_with_one_line_when_the_broker_is_down(tmp_path):
    """publish, tail, counts, replay-dlq, topics and decode --at exit 1 with the same one line, no traceback."""
    port = closed_port()
    env = {"CABLES_KAFKA_PORT": str(port), "CABLES_CONNECT_TIMEOUT_S": "3"}
    expected = f"Error: cannot reach Kafka at 127.0.0.1:{port} (connection refused); is the broker running? bash ops/kafka.sh start"
    for args in (["publish", str(SEED)], ["tail", "secret"], ["counts"], ["replay-dlq"], ["topics", "list"],
                 ["decode", "--at", "secret:0:0"]):
        result = invoke(*args, env=env)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(expected), (args, result.output)


def test_replay_rejects_unknown_stage_and_error_type():
    """--stage and --error-type accept only the words of streams/vocab.py."""
    from streams.vocab import STAGES

    bad_stage = invoke("replay-dlq", "--stage", "parsing")
    assert bad_stage.exit_code == 2 and "'parsing' is not one of" in bad_stage.output
    assert all(s in bad_stage.output for s in STAGES)
    bad_type = invoke("replay-dlq", "--error-type", "too-large")
    assert bad_type.exit_code == 2 and "'too-large' is not one of" in bad_type.output


def test_decode_reads_record_bytes_from_stdin():
    """`cables decode -` prints a single-object record as JSON, bytes as base64."""
    import base64

    from streams.kafka.codec import Codec

    record = {"reason": "no classification marking found", "id": None, "classification": None, "markings_seen": [],
              "original": b"\x00text", "source": {"topic": "cables.raw", "partition": 0, "offset": 1, "timestamp_ms": None}}
    result = invoke("decode", "-", input=Codec.named("quarantine").encode(record))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["reason"] == record["reason"] and base64.b64decode(out["original"]) == b"\x00text"


def test_decode_of_garbage_is_one_line():
    """Bytes that are not our record give exit 1 and one line saying why."""
    result = invoke("decode", "-", input=b"not avro at all")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "not a framed Avro record of ours" in result.output


ROUTING_HEADER = "R 281200Z DEC 66\nFM AMEMBASSY BUENOS AIRES\nTO SECSTATE WASHDC\n\n"
LONG_TEXT = "1. A paragraph long enough to count as a message text for the parser here."


@pytest.mark.parametrize(("text", "topic", "why"), [
    (ROUTING_HEADER + "short", "cables.dlq", "truncated"),
    (ROUTING_HEADER + LONG_TEXT, "cables.quarantine", "no classification marking found"),
    ("S E K R I T ALMATY 002231\n\nSUBJECT: TEST\n\n" + LONG_TEXT, "cables.quarantine", "no classification marking found"),
    ("ALMATY 002231\n\n" + LONG_TEXT, "cables.dlq", "not_a_cable"),
])
def test_absent_or_unknown_caption_goes_where_the_readme_says(text, topic, why):
    """README "Routing policy": a cable without a known classification is quarantined; a message that is no cable is dead-lettered."""
    [out] = run("--no-enrich", "-", input=text)
    assert out["topic"] == topic
    reason = out["failure"]["error_type"] if "failure" in out else out["route"]["quarantine_reason"]
    assert reason == why
