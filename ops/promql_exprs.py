"""Every PromQL expression of the dashboards and alert rules, and a check that each returns data.

    python ops/promql_exprs.py list                      # one line per expression
    python ops/promql_exprs.py check --url http://127.0.0.1:9090 [--timeout 90]

``list`` reads ``ops/grafana/dashboards/*.json`` (every panel target, rows included) and
``ops/prometheus/alerts.yml`` (every rule). Grafana's variables are replaced by fixed values
(``$__rate_interval`` -> ``1m``; the dashboard's ``$job`` -> ``cables-worker``, ``$instance`` and
``$consumergroup`` -> ``.+``, i.e. "All") so the text is plain PromQL.

``check`` asks a running Prometheus (``/api/v1/query``) for each expression: the query must
succeed (valid PromQL), and every *probe* must return at least one sample. A dashboard
expression is its own probe. An alert expression is a condition that is normally false, so
its probes are its operands: it is split at top-level ``and``/``or``/``unless`` and each part
loses its comparison with a number (``x > 0.05`` -> ``x``); both sides of a comparison
between two vectors are probes; ``absent(x)`` is probed through ``x``. Probes that return nothing
yet are retried until ``--timeout`` (rates need two scrapes). Exit status 0 only when all pass.

One exception, named in the output: a probe that reads only series of a job the checking Prometheus
does not scrape (:data:`NOT_SCRAPED_HERE`: kafka-exporter runs in docker-compose only) must be valid
PromQL that Prometheus executes, but may return no data; it is listed as ``NOT SCRAPED``.

Standard library only (plus PyYAML), so it runs with the project's venv or any python3 with
PyYAML.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DASHBOARDS = REPO / "ops" / "grafana" / "dashboards"
ALERTS = REPO / "ops" / "prometheus" / "alerts.yml"

# Grafana's built-in interval variables and the value used for a check. 1m holds 12 scrapes at
# the 5 s scrape interval of ops/prometheus/*.yml, enough for rate() and histogram_quantile().
GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "${__rate_interval}": "1m",
    "$__interval": "1m",
    "${__interval}": "1m",
    "$__range": "1h",
    "${__range}": "1h",
    # The dashboard's own variables, as "All" would give them (and the job of ops/prometheus/*.yml).
    "$job": "cables-worker",
    "${job}": "cables-worker",
    "$instance": ".+",
    "${instance}": ".+",
    "$consumergroup": ".+",
    "${consumergroup}": ".+",
}

# Metric-name prefixes of exporters that run only in docker-compose, not beside the worker that
# ops/check_prometheus.sh scrapes: their expressions are executed (valid PromQL) but need no data.
NOT_SCRAPED_HERE = {"kafka_": "kafka-exporter (docker-compose only)"}
_METRIC = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)")

_SET_OP = re.compile(r"\b(and|or|unless)\b\s*(?:(?:on|ignoring)\s*\([^)]*\)\s*)?")
_CMP_OP = re.compile(r"(==|!=|>=|<=|>|<)\s*(?:bool\b\s*)?(?:(?:on|ignoring)\s*\([^)]*\)\s*)?"
                     r"(?:(?:group_left|group_right)\s*(?:\([^)]*\))?\s*)?")
_NUMBER = re.compile(r"^\(?\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*\)?$")


@dataclass(frozen=True)
class Expression:
    """One PromQL expression, where it comes from, and the sub-queries that must return data."""

    source: str  # file name relative to the repository
    name: str  # panel title / target refId, or alert name
    expr: str
    probes: tuple[str, ...]


def substitute(expr: str) -> str:
    """Replace Grafana's interval variables by fixed durations."""
    for var in sorted(GRAFANA_VARIABLES, key=len, reverse=True):
        expr = expr.replace(var, GRAFANA_VARIABLES[var])
    if "$" in expr:
        raise ValueError(f"unknown Grafana variable left in: {expr}")
    return expr


def _top_level_spans(expr: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Start/end of each match of ``pattern`` outside parentheses, brackets, braces and strings."""
    depth, quote, spans, i = 0, None, [], 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            m = pattern.match(expr, i)
            if m and (pattern is not _SET_OP or i == 0 or not (expr[i - 1].isalnum() or expr[i - 1] == "_")):
                spans.append((m.start(), m.end()))
                i = m.end()
                continue
        i += 1
    return spans


def _split(expr: str, pattern: re.Pattern[str]) -> list[str]:
    parts, start = [], 0
    for s, e in _top_level_spans(expr, pattern):
        parts.append(expr[start:s])
        start = e
    parts.append(expr[start:])
    return [p.strip() for p in parts if p.strip()]


def probes(expr: str) -> tuple[str, ...]:
    """The operands of an alert condition that must return data (see the module docstring)."""
    out: list[str] = []
    for part in _split(expr, _SET_OP):
        for side in _split(part, _CMP_OP):
            inner = re.fullmatch(r"absent\s*\((.*)\)", side, re.S)
            side = inner.group(1).strip() if inner else side
            if not _NUMBER.match(side) and side not in out:
                out.append(side)
    return tuple(out)


def not_scraped_here(probe: str) -> str | None:
    """The exporter a probe depends on when every series it reads is one the check does not scrape."""
    names = set(_METRIC.findall(probe))
    for prefix, exporter in NOT_SCRAPED_HERE.items():
        if names and all(n.startswith(prefix) for n in names):
            return exporter
    return None


def dashboard_expressions(folder: Path = DASHBOARDS) -> list[Expression]:
    """Every target expression of every panel (rows' nested panels included) of every dashboard."""
    found: list[Expression] = []

    def walk(panels: list[dict], source: str) -> None:
        for panel in panels:
            walk(panel.get("panels", []), source)
            for target in panel.get("targets", []):
                if target.get("expr"):
                    expr = substitute(target["expr"])
                    name = f"{panel.get('title', '?')} [{target.get('refId', '?')}]"
                    found.append(Expression(source, name, expr, (expr,)))

    for path in sorted(folder.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")).get("panels", []), str(path.relative_to(REPO)))
    return found


def alert_expressions(path: Path = ALERTS) -> list[Expression]:
    """Every rule expression (alerting and recording) of the rule file, with its probes."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[Expression] = []
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            expr = " ".join(str(rule["expr"]).split())
            name = rule.get("alert") or rule.get("record") or "?"
            found.append(Expression(str(path.relative_to(REPO)), name, expr, probes(expr)))
    return found


def all_expressions() -> list[Expression]:
    return dashboard_expressions() + alert_expressions()


def query(url: str, expr: str) -> dict:
    """One instant query; returns Prometheus' JSON answer (status, data or error)."""
    data = urllib.parse.urlencode({"query": expr}).encode()
    req = urllib.request.Request(f"{url.rstrip('/')}/api/v1/query", data=data, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:  # 400/422: invalid expression, with Prometheus' reason
        return json.loads(exc.read() or b'{"status": "error", "error": "HTTP error"}')


def rule_problems(url: str) -> list[str]:
    """Rules Prometheus loaded and evaluated: each must be healthy; the count must match the file."""
    with urllib.request.urlopen(f"{url.rstrip('/')}/api/v1/rules", timeout=10) as resp:
        groups = json.loads(resp.read())["data"]["groups"]
    loaded = [r for g in groups for r in g["rules"]]
    problems = [
        f"RULE     {r['name']}: health {r.get('health')} {r.get('lastError', '')}".rstrip()
        for r in loaded
        if r.get("health") != "ok"
    ]
    expected = len(alert_expressions())
    if len(loaded) != expected:
        problems.append(f"RULES    Prometheus loaded {len(loaded)} rules, {ALERTS.name} has {expected}")
    return problems


def check(url: str, timeout: float, interval: float = 5.0) -> int:
    """Validate every expression and probe, then query the probes until all return data or
    ``timeout`` seconds passed; check the loaded rules; print a report. 0 when all pass."""
    exprs = all_expressions()
    problems: list[str] = []
    pending: list[tuple[Expression, str]] = []
    for e in exprs:  # validity does not change with time: one pass
        for text in dict.fromkeys((e.expr, *e.probes)):
            answer = query(url, text)
            if answer.get("status") != "success":
                problems.append(f"INVALID  {e.source}: {e.name}: {answer.get('error')}\n         {text}")
            elif text in e.probes:
                pending.append((e, text))
    skipped = [(e, p) for e, p in pending if not_scraped_here(p)]
    pending = [(e, p) for e, p in pending if not not_scraped_here(p)]
    deadline = time.monotonic() + timeout
    while True:  # data arrives with the scrapes: retry the probes that have none yet
        pending = [(e, p) for e, p in pending if not query(url, p).get("data", {}).get("result")]
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(interval)
    problems += [f"NO DATA  {e.source}: {e.name}\n         {p}" for e, p in pending]
    problems += rule_problems(url)
    for p in problems:
        print(p)
    for e, p in skipped:
        print(f"NOT SCRAPED  {e.source}: {e.name}: valid; its data comes from {not_scraped_here(p)}")
    n_probes = sum(len(e.probes) for e in exprs)
    print(f"promql: {len(exprs)} expressions, {n_probes} probes, {len(problems)} problems")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print every expression and its probes")
    chk = sub.add_parser("check", help="query a running Prometheus for every expression")
    chk.add_argument("--url", default="http://127.0.0.1:9090")
    chk.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for data")
    args = parser.parse_args(argv)
    if args.command == "list":
        for e in all_expressions():
            print(f"{e.source}: {e.name}\n  {e.expr}")
            for p in e.probes:
                if p != e.expr:
                    print(f"  probe: {p}")
        return 0
    return check(args.url, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
