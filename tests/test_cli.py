"""The `cables parse` command: the offline twin of the worker (no broker needed)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from streams.cli import SEED, main


def run(*args: str, input: str | None = None) -> list[dict]:
    result = CliRunner().invoke(main, ["parse", *args], input=input)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_parse_seed_file_names_its_topic():
    """The seed cable parses to a CONFIDENTIAL record bound for the confidential topic."""
    [out] = run(str(SEED))
    assert out["outcome"] == "routed" and out["topic"] == "cables.confidential"
    assert out["cable"]["origin"] == "ALMATY" and out["cable"]["classification"] == "CONFIDENTIAL"


def test_jsonl_gives_one_line_per_input_in_order_and_failures_do_not_stop_it(tmp_path):
    """JSON Lines input yields one output per line, in order; a bad line prints its failure and the next still parses."""
    seed = SEED.read_text(encoding="utf-8")
    path = tmp_path / "in.jsonl"
    lines = [{"raw": seed, "other": 1}, {"raw": ""}, {"raw": seed.replace("C O N F I D E N T I A L", "S E C R E T")}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    outs = run(str(path))
    assert [o["outcome"] for o in outs] == ["routed", "dead_letter", "routed"]
    assert outs[1]["failure"]["error_type"] == "empty" and outs[1]["topic"] == "cables.dlq"
    assert outs[2]["topic"] == "cables.secret"


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
