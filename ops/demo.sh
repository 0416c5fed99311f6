#!/usr/bin/env bash
# The main job on the embedded default: local Kafka (ops/kafka.sh), the worker, and a demo feed.
#   bash ops/demo.sh         set up, start the broker and the worker, publish the seed cable and
#                            300 generated ones, and show where each went (counts per topic)
#   bash ops/demo.sh stop    stop the worker and the broker
# Settings come from CABLES_* variables (README); the services keep running after the demo.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

if [ "${1:-}" = "stop" ]; then
  bash ops/worker.sh stop
  [ -f ops/registry.sh ] && bash ops/registry.sh stop
  bash ops/kafka.sh stop
  exit 0
fi

bash ops/bootstrap.sh
bash ops/kafka.sh start
if [ "${CABLES_WITH_REGISTRY:-0}" = "1" ]; then
  bash ops/registry.sh start
  export CABLES_SCHEMA_REGISTRY_URL="${CABLES_SCHEMA_REGISTRY_URL:-http://127.0.0.1:${CABLES_REGISTRY_PORT:-8081}/apis/ccompat/v7}"
fi
.venv/bin/cables topics create
.venv/bin/cables acls apply  # ACLs for this CABLES_TOPIC_PREFIX (kafka.sh start applied them if it started the broker)
bash ops/worker.sh start
.venv/bin/cables demo --synthetic "${CABLES_DEMO_CABLES:-300}"
cat <<TXT

Still running: the broker (bash ops/kafka.sh status) and the worker (metrics on
http://127.0.0.1:${CABLES_WEB_PORT:-6066}/metrics, JSON log in .cache/worker/worker.log).
Read a topic:   ${CABLES_SCHEMA_REGISTRY_URL:+CABLES_SCHEMA_REGISTRY_URL=$CABLES_SCHEMA_REGISTRY_URL }.venv/bin/cables tail secret --from-beginning --limit 3
                (as reader-secret; CABLES_SASL_USERNAME=reader-confidential is refused it)
Stop it all:    bash ops/demo.sh stop
TXT
