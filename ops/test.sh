#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts the services the tests use (local Kafka,
# the schema registry, a Prometheus server for the metrics check), runs pytest, and stops what
# it started. Extra arguments go to pytest (e.g. `bash ops/test.sh -m "not integration"`).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

bash ops/bootstrap.sh
started=()
cleanup() {
  for ((i=${#started[@]}-1; i>=0; i--)); do bash "ops/${started[i]}.sh" stop >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
start() {  # start a service unless it is already running (then leave it running)
  if ! bash "ops/$1.sh" status >/dev/null 2>&1; then bash "ops/$1.sh" start; started+=("$1"); fi
}

start kafka
if [ -f ops/registry.sh ]; then
  start registry
  export CABLES_TEST_REGISTRY_URL="http://127.0.0.1:${CABLES_REGISTRY_PORT:-8081}/apis/ccompat/v7"
fi

.venv/bin/python ops/check_schemas.py --history --mode full
.venv/bin/pytest "$@"

# Metrics, dashboards and alerts against a real Prometheus scraping a real worker (own topics and port).
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  export CABLES_TOPIC_PREFIX="promcheck-$$" CABLES_APP_ID="promcheck-$$" CABLES_WEB_PORT="${CABLES_PROMCHECK_WEB_PORT:-6166}"
  export CABLES_WORKER_STATE_DIR="$REPO/.cache/worker-promcheck" CABLES_DATA_DIR="$REPO/.cache/worker-promcheck/data"
  .venv/bin/cables topics create >/dev/null
  .venv/bin/cables acls apply >/dev/null
  bash ops/worker.sh start; started+=(worker)
  .venv/bin/python ops/feed_check_traffic.py
  bash ops/check_prometheus.sh
elif [ "${CI:-}" = "true" ]; then
  echo "test.sh: prometheus/promtool missing under CI (apt-get install -y prometheus)" >&2; exit 1
else
  echo "test.sh: prometheus not installed: skipped the metrics/dashboard check (apt-get install -y prometheus)"
fi
