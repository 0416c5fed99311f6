# shellcheck shell=bash
# The lifecycle of a local service (a JVM run from jars fetched from Maven Central), shared by
# ops/kafka.sh and ops/registry.sh, which source this file. Each script keeps what is its own:
# settings, fetch, how to launch, when the service is ready.
#
# Nothing here runs when sourced; the functions read these variables of the script when called:
#   REPO             the repository (paths are shown relative to it)
#   SERVICE          kafka | registry: the script is ops/$SERVICE.sh, its settings CABLES_<SERVICE>_*
#   NOUN             what messages call the process: broker | registry
#   PRODUCT VERSION  what fetch downloads, e.g. "Kafka" "4.0.2"
#   CACHE            .cache/$SERVICE: everything the script writes is in it
#   FETCH_DIR        where fetch puts the product; VERSION_MARKER, a file in it, marks a complete fetch
#   PID_FILE START_TIMEOUT STOP_TIMEOUT
# and call these functions of the script:
#   fetch                    downloads the product unless fetched
#   process_is_ours ARGS     true if a command line (ps args) is this clone's service
#   describe_running PID     the details that `status` shows in parentheses
#   show_log_tails [ARG...]  the logs of a failed start, on stderr (ARGs as given to start_failed)
# shellcheck disable=SC2154  # the variables above are the sourcing script's

# Lines of each log shown when start fails.
TAIL_LINES=25

die() { echo "$SERVICE.sh: $*" >&2; exit 1; }
say() { echo "$SERVICE.sh: $*"; }
rel() { echo "${1#"$REPO"/}"; }  # a path as shown to people: relative to the repository

# Each named setting must be a whole number. The message names the environment variable, which is
# CABLES_<SERVICE>_<setting> (CABLES_KAFKA_PORT for the setting PORT of kafka.sh).
check_numbers() {
  local name value
  for name in "$@"; do
    value="${!name}"
    [[ $value =~ ^[0-9]+$ ]] || die "CABLES_${SERVICE^^}_$name must be a number, got '$value'"
  done
}

# --- Java. Which Java to use is up to each script (they accept different versions and places);
# reading the version is the same. "17.0.15" is Java 17, "1.8.0_402" is Java 8.
java_version() { "$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1; }

major_of() {  # the major version in a version string; 0 if there is none
  local major="${1%%[!0-9]*}"
  [[ $major == 1 ]] && major="$(cut -d. -f2 <<<"$1")"
  echo "${major:-0}"
}

java_major() { major_of "$(java_version "$1")"; }

# --- fetch: the product from Maven Central into $FETCH_DIR, once per version. The script's fetch
# downloads into a side folder and hands it to install_fetched, which writes the version marker
# last: an interrupted fetch never looks like a complete one, and a complete one needs no network.
# The plugin by its full coordinates, pinned: the short "dependency:" prefix makes Maven look the
# prefix up online first (with an empty local repository and no network it then fails with a
# confusing "No plugin found for prefix"), and without a version Maven 3.8 picks its own old
# default. The same version as ops/kafka/pom.xml pins.
# shellcheck disable=SC2034  # used by the scripts' fetch
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

fetched() { [[ -f $VERSION_MARKER && "$(<"$VERSION_MARKER")" == "$VERSION" ]]; }

# The version that was fetched, for status (the settings may name another one since).
fetched_version() { cat "$VERSION_MARKER" 2>/dev/null || echo '?'; }

need_mvn() { command -v mvn >/dev/null || die "could not fetch $PRODUCT $VERSION: mvn (Maven) is not on PATH"; }

install_fetched() {
  local partial="$1"
  echo "$VERSION" >"$partial/$(basename "$VERSION_MARKER")"
  rm -rf "$FETCH_DIR"
  mv "$partial" "$FETCH_DIR"
  say "fetched $(find "$FETCH_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$FETCH_DIR" | cut -f1))"
}

# --- Process bookkeeping
# The pid of our running service, or failure. A pid counts only if the script recognises its
# command line as this clone's: pids are reused, and another clone may run its own service.
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid args
  pid="$(<"$PID_FILE")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  process_is_ours "$args" || return 1
  echo "$pid"
}

# True while the process exists and is not a zombie (kill -0 succeeds on a zombie).
process_alive() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ $state != Z* ]]
}

port_in_use() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# Another service (another clone, an old run) on one of our ports would answer our readiness check.
need_free_port() {  # PORT SETTING: SETTING is the environment variable that chooses another port
  ! port_in_use "$1" || die "port $1 is already in use on 127.0.0.1 (set $2)"
}

# Runs CHECK... every half second until it succeeds (0), the process PID exits (2) or
# START_TIMEOUT seconds pass (1). Usage: poll_ready PID CHECK...
poll_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  shift
  while (( SECONDS < deadline )); do
    process_alive "$pid" || return 2
    "$@" && return 0
    sleep 0.5
  done
  return 1
}

# The last TAIL_LINES lines of a log under a header naming it, on stderr; nothing if it is empty.
show_tail() {
  [[ -s $1 ]] || return 0
  echo "--- last lines of $(rel "$1"):" >&2
  tail -n "$TAIL_LINES" "$1" >&2
}

# A start that failed (STATUS from wait_ready: 2 the process exited, 1 it was not ready in time,
# in which case the message ends with NOT_READY "within ...s"): says why, shows the logs, and stops
# a half-started process, so a failed start leaves nothing behind. Exits 1.
# Usage: start_failed PID STATUS NOT_READY [ARG... for show_log_tails]
start_failed() {
  local pid="$1" rc="$2" not_ready="$3"
  shift 3
  if (( rc == 2 )); then
    say "the $NOUN exited during start" >&2
  else
    say "the $NOUN $not_ready within ${START_TIMEOUT}s" >&2
  fi
  show_log_tails "$@"
  process_alive "$pid" && stop_pid "$pid"
  rm -f "$PID_FILE"
  exit 1
}

# SIGTERM lets the service shut down cleanly (Kafka flushes and closes its metadata log); SIGKILL
# only if that takes longer than STOP_TIMEOUT.
stop_pid() {
  local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  while process_alive "$pid" && (( SECONDS < deadline )); do
    sleep 0.2
  done
  if process_alive "$pid"; then
    say "$NOUN (pid $pid) still running after ${STOP_TIMEOUT}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while process_alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
}

# Commands that change state can take a lock, so two concurrent starts (two test runs, a test run
# and the demo) do not both launch the service: the second waits, then finds it running. The lock
# is fd 9, so the launch must close it (9>&-): else the service would hold the lock while it runs.
# ops/kafka.sh takes it; ops/registry.sh does not (yet).
lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/$SERVICE.lock"
  flock -w "$((START_TIMEOUT + STOP_TIMEOUT + 60))" 9 || die "another $SERVICE.sh holds $(rel "$CACHE/$SERVICE.lock")"
}

# --- Commands (the rest are the script's)
cmd_fetch() {
  if fetched; then
    say "$PRODUCT $VERSION already fetched in $(rel "$FETCH_DIR")"
  else
    fetch
  fi
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

# Exit status 0 if running, 3 if not (what ops/test.sh and the like test).
cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running ($(describe_running "$pid"))"
    return 0
  fi
  say "stopped"
  return 3
}

# logs LOG WHAT [-f]: the last lines of the service's main log, or follow it with -f.
cmd_logs() {
  local log="$1" what="$2"
  [[ -f $log ]] || die "no $what yet ($(rel "$log"))"
  if [[ ${3:-} == -f ]]; then
    exec tail -n 50 -F "$log"
  fi
  tail -n 50 "$log"
}
