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
KAFKA_VERSION="${CABLES_KAFKA_VERSION:-4.0.2}"
PORT="${CABLES_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${CABLES_KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${CABLES_KAFKA_HEAP:-512m}"
START_TIMEOUT="${CABLES_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${CABLES_KAFKA_STOP_TIMEOUT:-30}"
# Extra arguments for mvn during fetch, e.g. -Dmaven.repo.local=/somewhere or -o.
MAVEN_ARGS="${CABLES_KAFKA_MAVEN_ARGS:-}"

# The plugin by its full coordinates (same version as ops/kafka/pom.xml pins): the short
# "dependency:" prefix makes Maven look the prefix up online first, and with an empty local
# repository and no network it then fails with a confusing "No plugin found for prefix".
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

# Lines of each log shown when start fails.
TAIL_LINES=25

die() { echo "kafka.sh: $*" >&2; exit 1; }
say() { echo "kafka.sh: $*"; }
rel() { echo "${1#"$REPO"/}"; }  # a path as shown to people: relative to the repository

check_settings() {
  local name value
  for name in PORT CONTROLLER_PORT START_TIMEOUT STOP_TIMEOUT; do
    value="${!name}"
    [[ $value =~ ^[0-9]+$ ]] || die "CABLES_KAFKA_$name must be a number, got '$value'"
  done
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
  local version major
  version="$("$JAVA" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%[!0-9]*}"
  [[ $major == 1 ]] && major="$(cut -d. -f2 <<<"$version")"  # "1.8.0_402" is Java 8
  if [[ -z $major ]] || (( major < 17 )); then
    die "Kafka $KAFKA_VERSION needs Java 17 or newer, but $JAVA is '${version:-unknown}' (set JAVA_HOME)"
  fi
}

# --- fetch: the broker's jars from Maven Central into $LIBS, once per version.
fetched() { [[ -f $VERSION_MARKER && "$(<"$VERSION_MARKER")" == "$KAFKA_VERSION" ]]; }

fetch() {
  if fetched; then
    return 0
  fi
  command -v mvn >/dev/null || die "could not fetch Kafka $KAFKA_VERSION: mvn (Maven) is not on PATH"
  mkdir -p "$CACHE"
  say "fetching Kafka $KAFKA_VERSION and its dependencies from Maven Central into $(rel "$LIBS")"
  # Into a side folder first, so an interrupted fetch never looks like a complete one.
  local partial="$CACHE/libs.partial"
  rm -rf "$partial"
  # shellcheck disable=SC2086  # MAVEN_ARGS is a list of words on purpose
  if ! mvn -B --no-transfer-progress -f "$OPS_KAFKA/pom.xml" $MAVEN_ARGS \
      -Dkafka.version="$KAFKA_VERSION" \
      "$DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$partial" >"$FETCH_LOG" 2>&1; then
    rm -rf "$partial"
    die "could not fetch Kafka $KAFKA_VERSION from Maven Central (see $(rel "$FETCH_LOG"))"
  fi
  echo "$KAFKA_VERSION" >"$partial/.kafka-version"
  rm -rf "$LIBS"
  mv "$partial" "$LIBS"
  say "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1))"
}

# --- Process bookkeeping
# The pid of our running broker, or failure. A pid counts only if its command line names
# this clone's config file: pids are reused, and another clone may run its own broker.
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid args
  pid="$(<"$PID_FILE")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  [[ $args == *kafka.Kafka*"$CONFIG"* ]] || return 1
  echo "$pid"
}

# True while the process exists and is not a zombie (kill -0 succeeds on a zombie).
process_alive() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ $state != Z* ]]
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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
  lines="$(tail -c +"$((from + 1))" "$LOGS/server.log" 2>/dev/null | tail -n "$TAIL_LINES")"
  if [[ -n $lines ]]; then
    echo "--- last lines of $(rel "$LOGS/server.log"):" >&2
    echo "$lines" >&2
  fi
  if [[ -s $LOGS/kafka.out ]]; then
    echo "--- last lines of $(rel "$LOGS/kafka.out"):" >&2
    tail -n "$TAIL_LINES" "$LOGS/kafka.out" >&2
  fi
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
  local deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    process_alive "$pid" || return 2
    if tail -c +"$((log_from + 1))" "$LOGS/server.log" 2>/dev/null | grep -q 'Kafka Server started'; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# Stop the broker with this pid: SIGTERM lets Kafka shut down cleanly (flush, close the
# metadata log); SIGKILL only if that takes longer than STOP_TIMEOUT.
stop_pid() {
  local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  while process_alive "$pid" && (( SECONDS < deadline )); do
    sleep 0.2
  done
  if process_alive "$pid"; then
    say "broker (pid $pid) still running after ${STOP_TIMEOUT}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while process_alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
}

# --- Commands
cmd_fetch() {
  if fetched; then
    say "Kafka $KAFKA_VERSION already fetched in $(rel "$LIBS")"
  else
    fetch
  fi
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid, 127.0.0.1:$(configured_port))"
    return 0
  fi
  rm -f "$PID_FILE"
  find_java
  fetch
  # Another broker (another clone, an old run) on the port would answer our readiness check.
  port_in_use "$PORT" && die "port $PORT is already in use on 127.0.0.1 (set CABLES_KAFKA_PORT)"
  port_in_use "$CONTROLLER_PORT" &&
    die "port $CONTROLLER_PORT is already in use on 127.0.0.1 (set CABLES_KAFKA_CONTROLLER_PORT)"

  mkdir -p "$LOGS"
  render_config
  format_storage

  say "starting Kafka $KAFKA_VERSION on 127.0.0.1:$PORT (controller :$CONTROLLER_PORT, heap $HEAP)"
  local started=$SECONDS log_from
  log_from="$(log_size)"
  # Kafka's own JVM defaults (kafka-run-class.sh) with a smaller heap; setsid detaches the
  # broker from this shell's process group so Ctrl-C on a later command does not reach it.
  setsid "$JAVA" -Xmx"$HEAP" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "${JVM_LOGGING[@]}" -cp "$LIBS/*" kafka.Kafka "$CONFIG" \
    >"$LOGS/kafka.out" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  local rc=0
  wait_ready "$pid" "$log_from" || rc=$?
  if (( rc == 0 )); then
    say "ready after $((SECONDS - started))s (pid $pid, bootstrap 127.0.0.1:$PORT)"
    return 0
  fi
  if (( rc == 2 )); then
    echo "kafka.sh: the broker exited during start" >&2
  else
    echo "kafka.sh: the broker did not answer metadata requests within ${START_TIMEOUT}s" >&2
  fi
  show_log_tails "$log_from"
  # A half-started broker is stopped, so a failed start leaves nothing behind.
  process_alive "$pid" && stop_pid "$pid"
  rm -f "$PID_FILE"
  exit 1
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  stop_pid "$pid"
  say "stopped (pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid, 127.0.0.1:$(configured_port), Kafka $(cat "$VERSION_MARKER" 2>/dev/null || echo '?'))"
    return 0
  fi
  say "stopped"
  return 3
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA" "$LOGS" "$CONFIG"
  say "deleted $(rel "$DATA") and $(rel "$LOGS") (jars kept in $(rel "$LIBS"))"
}

cmd_logs() {
  [[ -f $LOGS/server.log ]] || die "no server log yet ($(rel "$LOGS/server.log"))"
  if [[ ${1:-} == -f ]]; then
    exec tail -n 50 -F "$LOGS/server.log"
  fi
  tail -n 50 "$LOGS/server.log"
}

usage() {
  cat <<EOF
usage: ops/kafka.sh COMMAND

  fetch    download Kafka $KAFKA_VERSION's jars into .cache/kafka/libs (once)
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

# Commands that change state take a lock, so two concurrent starts (two test runs, a test
# run and the demo) do not both launch a broker: the second waits, then finds it running.
lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/kafka.lock"
  flock -w "$((START_TIMEOUT + STOP_TIMEOUT + 60))" 9 || die "another kafka.sh holds $(rel "$CACHE/kafka.lock")"
}

main() {
  local command="${1:-}"
  shift || true
  check_settings
  case $command in fetch | start | stop | reset) lock ;; esac
  case $command in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
