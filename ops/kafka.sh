#!/usr/bin/env bash
# The local Kafka broker for development and integration tests: one KRaft node (broker and
# controller in one JVM) on 127.0.0.1, run straight from Maven Central jars, no Docker.
#
#   ops/kafka.sh fetch|start|stop|status|reset|logs [-f]
#
# Everything lives under .cache/kafka/ of this repository (git-ignored). See ops/README.md.
set -euo pipefail

# --- Paths: all relative to the repository, so the script works from any cwd and any clone.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPS_KAFKA="$REPO/ops/kafka"
CACHE="$REPO/.cache/kafka"
LIBS="$CACHE/libs"
DATA="$CACHE/data"
LOGS="$CACHE/logs"
CONFIG="$CACHE/server.properties"
PID_FILE="$CACHE/kafka.pid"
FETCH_LOG="$CACHE/fetch.log"
# Written into $LIBS only after a complete fetch: its presence means "no network needed".
VERSION_MARKER="$LIBS/.kafka-version"

# --- Settings (environment)
VERSION="${CABLES_KAFKA_VERSION:-4.0.2}"
PORT="${CABLES_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${CABLES_KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${CABLES_KAFKA_HEAP:-512m}"
START_TIMEOUT="${CABLES_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${CABLES_KAFKA_STOP_TIMEOUT:-30}"
# Extra arguments for mvn during fetch, e.g. -Dmaven.repo.local=/somewhere or -o.
MAVEN_ARGS="${CABLES_KAFKA_MAVEN_ARGS:-}"

# --- What is the same for the registry (ops/registry.sh): messages, the pid file, stop, status,
# logs, the lock, fetch bookkeeping. It reads the variables above and these:
# shellcheck source=SCRIPTDIR/lib/service.sh
source "$REPO/ops/lib/service.sh"
SERVICE=kafka NOUN=broker PRODUCT=Kafka FETCH_DIR="$LIBS"

check_settings() {
  check_numbers PORT CONTROLLER_PORT START_TIMEOUT STOP_TIMEOUT
  [[ $PORT != "$CONTROLLER_PORT" ]] || die "CABLES_KAFKA_PORT and CABLES_KAFKA_CONTROLLER_PORT are both $PORT"
}

# --- Java: JAVA_HOME first (what the user chose), then PATH. Kafka 4.0 needs 17 or newer.
find_java() {
  if [[ -n ${JAVA_HOME:-} ]]; then
    JAVA="$JAVA_HOME/bin/java"
    [[ -x $JAVA ]] || die "JAVA_HOME=$JAVA_HOME has no bin/java"
  else
    JAVA="$(command -v java || true)"
    [[ -n $JAVA ]] || die "no Java found: set JAVA_HOME or put java (17 or newer) on PATH"
  fi
  local version
  version="$(java_version "$JAVA")"
  (( $(major_of "$version") >= 17 )) ||
    die "Kafka $VERSION needs Java 17 or newer, but $JAVA is '${version:-unknown}' (set JAVA_HOME)"
}

# --- fetch: the broker's jars from Maven Central into $LIBS, once per version.
fetch() {
  fetched && return 0
  need_mvn
  mkdir -p "$CACHE"
  say "fetching Kafka $VERSION and its dependencies from Maven Central into $(rel "$LIBS")"
  # Into a side folder first, so an interrupted fetch never looks like a complete one.
  local partial="$CACHE/libs.partial"
  rm -rf "$partial"
  # shellcheck disable=SC2086  # MAVEN_ARGS is a list of words on purpose
  if ! mvn -B --no-transfer-progress -f "$OPS_KAFKA/pom.xml" $MAVEN_ARGS \
      -Dkafka.version="$VERSION" \
      "$DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$partial" >"$FETCH_LOG" 2>&1; then
    rm -rf "$partial"
    die "could not fetch Kafka $VERSION from Maven Central (see $(rel "$FETCH_LOG"))"
  fi
  install_fetched "$partial"
}

# --- Process bookkeeping
# Our broker's command line names this clone's config file.
process_is_ours() { [[ $1 == *kafka.Kafka*"$CONFIG"* ]]; }

# The port the running broker was started with (the env may have changed since).
configured_port() { sed -n 's/^advertised.listeners=PLAINTEXT:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$CONFIG"; }

render_config() {
  mkdir -p "$DATA"
  local data_dir="${DATA//\\/\\\\}"  # escaped for sed's replacement: \ & and the | delimiter
  data_dir="${data_dir//&/\\&}"
  data_dir="${data_dir//|/\\|}"
  sed -e "s|@BROKER_PORT@|$PORT|g" \
      -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$data_dir|g" \
      "$OPS_KAFKA/server.properties.template" >"$CONFIG"
}

# Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. Kafka itself
# avoids ids that start with "-" (they read as a command-line option); so do we.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ $id != -* ]] && break
  done
  echo "$id"
}

# JVM options shared by the storage tool and the broker (an array: paths may contain spaces).
JVM_LOGGING=("-Dlog4j2.configurationFile=$OPS_KAFKA/log4j2.properties" "-Dkafka.logs.dir=$LOGS")

# KRaft storage is formatted once; meta.properties marks a formatted log dir.
format_storage() {
  [[ -f $DATA/meta.properties ]] && return 0
  local cluster_id
  cluster_id="$(new_cluster_id)"
  say "formatting KRaft storage in $(rel "$DATA") (cluster id $cluster_id)"
  if ! "$JAVA" "${JVM_LOGGING[@]}" -cp "$LIBS/*" kafka.tools.StorageTool \
      format --cluster-id "$cluster_id" --config "$CONFIG" >"$LOGS/format.log" 2>&1; then
    cat "$LOGS/format.log" >&2
    die "formatting the storage failed (see $(rel "$LOGS/format.log"))"
  fi
}

log_size() { stat -c %s "$LOGS/server.log" 2>/dev/null || echo 0; }

# The end of this start's logs. server.log is appended to across runs, so only what this run
# wrote (from byte $1 on) is shown; kafka.out is rewritten at every start.
show_log_tails() {
  local from="$1"
  (( from <= $(log_size) )) || from=0  # the log rolled over meanwhile
  local lines
  lines="$(tail -c +"$((from + 1))" "$LOGS/server.log" 2>/dev/null | tail -n "$TAIL_LINES" || true)"  # no server.log yet: nothing to show
  if [[ -n $lines ]]; then
    echo "--- last lines of $(rel "$LOGS/server.log"):" >&2
    echo "$lines" >&2
  fi
  show_tail "$LOGS/kafka.out"
}

# Ready means the broker answers a metadata request, not merely that the JVM runs.
# With confluent_kafka available (the project's venv) ask for metadata; otherwise wait for
# the line Kafka logs once startup has completed (in what this run wrote, from byte $2 on).
wait_ready() {
  local pid="$1" log_from="$2" python="" rc
  if [[ -x $REPO/.venv/bin/python ]]; then
    python="$REPO/.venv/bin/python"
  elif command -v python3 >/dev/null; then
    python="$(command -v python3)"
  fi
  if [[ -n $python ]]; then
    rc=0
    "$python" "$OPS_KAFKA/wait_ready.py" "$PORT" "$pid" "$START_TIMEOUT" || rc=$?
    case $rc in
      0) return 0 ;;
      1) return 1 ;;
      2) return 2 ;;
      # 3: no confluent_kafka in that Python; fall through to the log watch
    esac
  fi
  poll_ready "$pid" server_started "$log_from"
}

# Kafka logs this line once startup has completed; only what this run wrote (from byte $1) counts.
server_started() { tail -c +"$(($1 + 1))" "$LOGS/server.log" 2>/dev/null | grep -q 'Kafka Server started'; }

# Starts the JVM of $CONFIG in the background; its pid goes to $PID_FILE and LAUNCHED_PID.
# Kafka's own JVM defaults (kafka-run-class.sh) with a smaller heap; setsid detaches the
# broker from this shell's process group so Ctrl-C on a later command does not reach it;
# 9>&- keeps the lock (fd 9) out of the broker. Also used by ops/cluster.sh, once per node.
launch_jvm() {
  setsid "$JAVA" -Xmx"$HEAP" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "${JVM_LOGGING[@]}" -cp "$LIBS/*" kafka.Kafka "$CONFIG" \
    >"$LOGS/kafka.out" 2>&1 </dev/null 9>&- &
  LAUNCHED_PID=$!
  echo "$LAUNCHED_PID" >"$PID_FILE"
}

# --- Commands (fetch, stop, status and logs are in ops/lib/service.sh)
cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid, 127.0.0.1:$(configured_port))"
    return 0
  fi
  rm -f "$PID_FILE"
  find_java
  fetch
  need_free_port "$PORT" CABLES_KAFKA_PORT
  need_free_port "$CONTROLLER_PORT" CABLES_KAFKA_CONTROLLER_PORT

  mkdir -p "$LOGS"
  render_config
  format_storage

  say "starting Kafka $VERSION on 127.0.0.1:$PORT (controller :$CONTROLLER_PORT, heap $HEAP)"
  local started=$SECONDS log_from
  log_from="$(log_size)"
  launch_jvm
  pid=$LAUNCHED_PID

  local rc=0
  wait_ready "$pid" "$log_from" || rc=$?
  if (( rc != 0 )); then
    start_failed "$pid" "$rc" "did not answer metadata requests" "$log_from"
  fi
  say "ready after $((SECONDS - started))s (pid $pid, bootstrap 127.0.0.1:$PORT)"
}

# status: "running (this)".
describe_running() { echo "pid $1, 127.0.0.1:$(configured_port), Kafka $(fetched_version)"; }

cmd_reset() {
  cmd_stop
  rm -rf "$DATA" "$LOGS" "$CONFIG"
  say "deleted $(rel "$DATA") and $(rel "$LOGS") (jars kept in $(rel "$LIBS"))"
}

usage() {
  cat <<EOF
usage: ops/kafka.sh COMMAND

  fetch    download Kafka $VERSION's jars into .cache/kafka/libs (once)
  start    fetch if needed, format storage once, start, wait until it answers metadata
  stop     stop the broker (SIGTERM, then SIGKILL after ${STOP_TIMEOUT}s)
  status   running/stopped; exit 0 if running, 3 if not
  reset    stop and delete the broker's data and logs
  logs     the last lines of the server log (-f to follow)

environment: CABLES_KAFKA_PORT (9092), CABLES_KAFKA_CONTROLLER_PORT (9093), CABLES_KAFKA_HEAP (512m),
  CABLES_KAFKA_START_TIMEOUT (60), CABLES_KAFKA_STOP_TIMEOUT (30), CABLES_KAFKA_VERSION (4.0.2),
  CABLES_KAFKA_MAVEN_ARGS, JAVA_HOME
EOF
}

main() {
  local command="${1:-}"
  shift || true
  check_settings
  # Commands that change state take the lock (ops/lib/service.sh): concurrent starts wait.
  case $command in fetch | start | stop | reset) lock ;; esac
  case $command in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    logs) cmd_logs "$LOGS/server.log" "server log" "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# ops/cluster.sh sources this file for its functions and runs its own main.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
