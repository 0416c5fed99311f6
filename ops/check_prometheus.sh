#!/usr/bin/env bash
# Checks the dashboards and alert rules against a real Prometheus scraping a real worker.
#
#   bash ops/check_prometheus.sh
#
# Presumes a worker is running with /metrics on 127.0.0.1:${CABLES_WEB_PORT:-6066} and that
# cables have been pushed through it (CI: ops/worker.sh start, then cables publish). Installs
# nothing: needs `prometheus` and `promtool` on PATH (Debian: apt-get install -y prometheus).
#
# Steps, each fatal:
#   1. promtool check config / check rules / test rules (alerts_test.yml)
#   2. the worker's /metrics passes `promtool check metrics`
#   3. a Prometheus on 127.0.0.1:${CABLES_PROMETHEUS_PORT:-9090} with ops/prometheus/prometheus.yml
#      (the worker target rewritten to CABLES_WEB_PORT) and a throwaway storage directory
#   4. ops/promql_exprs.py check: every dashboard and alert expression is valid and returns data,
#      and every rule is loaded and evaluates without error
# The Prometheus started here is stopped on exit, whatever happened.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

WEB_PORT="${CABLES_WEB_PORT:-6066}"
PROM_PORT="${CABLES_PROMETHEUS_PORT:-9090}"
WAIT_S="${CABLES_PROMETHEUS_CHECK_TIMEOUT:-90}"   # time allowed for every expression to have data
PROM_URL="http://127.0.0.1:$PROM_PORT"
METRICS_URL="http://127.0.0.1:$WEB_PORT/metrics"
PY="$REPO/.venv/bin/python"; [ -x "$PY" ] || PY="$(command -v python3)"

say() { echo "check_prometheus: $*"; }
die() { echo "check_prometheus: $*" >&2; exit 1; }

for tool in prometheus promtool curl; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH (Debian: apt-get install -y prometheus curl)"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cables-prometheus.XXXXXX")"
PROM_PID=""
cleanup() {
  if [ -n "$PROM_PID" ] && kill -0 "$PROM_PID" 2>/dev/null; then
    kill -TERM "$PROM_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PROM_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$PROM_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. static checks of the project's files
sed "s/127\.0\.0\.1:6066/127.0.0.1:$WEB_PORT/" ops/prometheus/prometheus.yml > "$WORK/prometheus.yml"
cp ops/prometheus/alerts.yml "$WORK/alerts.yml"
promtool check config "$WORK/prometheus.yml"
promtool check config ops/prometheus/prometheus.compose.yml
promtool check rules ops/prometheus/alerts.yml
promtool test rules ops/prometheus/alerts_test.yml

# --- 2. the worker's exposition
curl -fsS --max-time 10 "$METRICS_URL" -o "$WORK/metrics.txt" \
  || die "no worker answers on $METRICS_URL (start one: bash ops/worker.sh start)"
grep -q '^cables_build_info' "$WORK/metrics.txt" || die "$METRICS_URL has no cables_build_info: not our worker?"
if ! promtool check metrics < "$WORK/metrics.txt"; then
  die "$METRICS_URL fails promtool check metrics (problems above)"
fi
say "$METRICS_URL passes promtool check metrics ($(grep -c '^cables_' "$WORK/metrics.txt") cables_ samples)"

# --- 3. a real Prometheus with the project's configuration
if curl -fs --max-time 2 "$PROM_URL/-/ready" >/dev/null 2>&1; then
  die "something already listens on $PROM_URL; stop it or set CABLES_PROMETHEUS_PORT"
fi
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 1 60); do
  curl -fs --max-time 2 "$PROM_URL/-/ready" >/dev/null 2>&1 && break
  kill -0 "$PROM_PID" 2>/dev/null || { cat "$WORK/prometheus.log" >&2; die "prometheus exited during start-up"; }
  sleep 0.5
done
curl -fs --max-time 2 "$PROM_URL/-/ready" >/dev/null || { cat "$WORK/prometheus.log" >&2; die "prometheus not ready after 30 s"; }
say "prometheus $(prometheus --version 2>&1 | head -n1 | awk '{print $3}') ready on $PROM_URL, scraping 127.0.0.1:$WEB_PORT"

# --- 4. every expression returns data (retried while the first scrapes come in)
if ! "$PY" ops/promql_exprs.py check --url "$PROM_URL" --timeout "$WAIT_S"; then
  echo "--- prometheus log" >&2; tail -n 20 "$WORK/prometheus.log" >&2
  die "some dashboard or alert expressions failed (above)"
fi
say "all dashboard and alert expressions are valid and return data"
