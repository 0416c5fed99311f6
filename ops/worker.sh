#!/usr/bin/env bash
# The cablestream worker in the background: ops/worker.sh start|stop|status|logs
# Logs (JSON lines) go to .cache/worker/worker.log (CABLES_WORKER_STATE_DIR moves pid and log);
# settings come from CABLES_* variables.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CABLES_WORKER_STATE_DIR:-$REPO/.cache/worker}"
PID_FILE="$DIR/worker.pid"
LOG="$DIR/worker.log"
PORT="${CABLES_WEB_PORT:-6066}"
mkdir -p "$DIR"

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running; then echo "worker: already running (pid $(cat "$PID_FILE"))"; exit 0; fi
    cd "$REPO"
    CABLES_LOG_FORMAT="${CABLES_LOG_FORMAT:-json}" nohup "$REPO/.venv/bin/cables" worker \
      >>"$LOG" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 120); do
      if curl -fsS "http://127.0.0.1:$PORT/metrics" 2>/dev/null | grep -q '^cables_build_info'; then
        echo "worker: running (pid $(cat "$PID_FILE")), metrics on http://127.0.0.1:$PORT/metrics, log $LOG"
        exit 0
      fi
      running || { echo "worker: exited during start-up; last log lines:" >&2; tail -n 20 "$LOG" >&2; exit 1; }
      sleep 0.5
    done
    echo "worker: did not answer on :$PORT within 60s; last log lines:" >&2; tail -n 20 "$LOG" >&2; exit 1 ;;
  stop)
    if ! running; then echo "worker: not running"; rm -f "$PID_FILE"; exit 0; fi
    pid="$(cat "$PID_FILE")"; kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$PID_FILE"; echo "worker: stopped" ;;
  status)
    if running; then echo "worker: running (pid $(cat "$PID_FILE"))"; else echo "worker: stopped"; exit 3; fi ;;
  logs) tail -n "${2:-50}" "$LOG" ;;
  *) echo "usage: ops/worker.sh start|stop|status|logs [N]" >&2; exit 2 ;;
esac
