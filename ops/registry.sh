#!/usr/bin/env bash
# The local schema registry: Apicurio Registry 3.x, whose Confluent-compatible API is at
# http://127.0.0.1:8081/apis/ccompat/v7 (set CABLES_SCHEMA_REGISTRY_URL to that to use it).
# Run straight from the distribution that Apicurio publishes on Maven Central
# (io.apicurio:apicurio-registry-app:<version>:tar.gz:all), no Docker.
#
#   ops/registry.sh fetch|start|stop|status|logs [-f]
#
# Storage (CABLES_REGISTRY_STORAGE):
#   kafkasql (default)  every change goes to the journal topic _apicurio-kafkasql-journal of the local
#                       broker and is replayed at start-up: schema ids survive a restart and are lost
#                       only with the broker's data (ops/kafka.sh reset), i.e. with the records that
#                       carry them. Needs the broker: start it first (ops/kafka.sh start). The registry
#                       connects as the broker's admin (CABLES_SECURITY_PROTOCOL, SASL_PLAINTEXT by default;
#                       password .cache/kafka/credentials/admin.password or CABLES_REGISTRY_KAFKA_PASSWORD_FILE),
#                       through an owner-only properties file, never on the command line.
#   h2                  an H2 database file under .cache/registry/data; no broker needed.
#
# Everything lives under .cache/registry/ of this repository (git-ignored).
set -euo pipefail

# --- Paths: all relative to the repository, so the script works from any cwd and any clone.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPS_REGISTRY="$REPO/ops/registry"
CACHE="$REPO/.cache/registry"
DIST="$CACHE/dist"
DATA="$CACHE/data"
LOGS="$CACHE/logs"
PID_FILE="$CACHE/registry.pid"
FETCH_LOG="$CACHE/fetch.log"
# Written into $DIST only after a complete fetch: its presence means "no network needed".
VERSION_MARKER="$DIST/.apicurio-version"

# --- Settings (environment)
VERSION="${CABLES_REGISTRY_VERSION:-3.3.3}"
PORT="${CABLES_REGISTRY_PORT:-8081}"
MANAGEMENT_PORT="${CABLES_REGISTRY_MANAGEMENT_PORT:-9081}"
STORAGE="${CABLES_REGISTRY_STORAGE:-kafkasql}"
BOOTSTRAP="${CABLES_BOOTSTRAP_SERVERS:-127.0.0.1:${CABLES_KAFKA_PORT:-9092}}"
HEAP="${CABLES_REGISTRY_HEAP:-384m}"
START_TIMEOUT="${CABLES_REGISTRY_START_TIMEOUT:-90}"
STOP_TIMEOUT="${CABLES_REGISTRY_STOP_TIMEOUT:-30}"
# Extra arguments for mvn during fetch, e.g. -Dmaven.repo.local=/somewhere or -o.
MAVEN_ARGS="${CABLES_REGISTRY_MAVEN_ARGS:-}"
# How the kafkasql storage reaches the broker: the same protocol as every client, as admin.
KAFKA_PROTOCOL="${CABLES_SECURITY_PROTOCOL:-SASL_PLAINTEXT}"
KAFKA_MECHANISM="${CABLES_SASL_MECHANISM:-SCRAM-SHA-512}"
KAFKA_PASSWORD_FILE="${CABLES_REGISTRY_KAFKA_PASSWORD_FILE:-$REPO/.cache/kafka/credentials/admin.password}"
KAFKA_CA_FILE="${CABLES_SSL_CA_FILE:-}"
KAFKA_CLIENT_PROPERTIES="$CACHE/kafka-client.properties"

# --- What is the same for the broker (ops/kafka.sh): messages, the pid file, stop, status, logs,
# fetch bookkeeping. It reads the variables above and these:
# shellcheck source=SCRIPTDIR/lib/service.sh
source "$REPO/ops/lib/service.sh"
SERVICE=registry NOUN=registry PRODUCT="Apicurio Registry" FETCH_DIR="$DIST"

ARTIFACT="io.apicurio:apicurio-registry-app:$VERSION:tar.gz:all"
# Apicurio 3.0 and 3.1 run on Java 17; 3.2 and later are built for Java 21.
case $VERSION in
  3.0.* | 3.1.*) MIN_JAVA=17 ;;
  *) MIN_JAVA=21 ;;
esac

check_settings() {
  check_numbers PORT MANAGEMENT_PORT START_TIMEOUT STOP_TIMEOUT
  [[ $PORT != "$MANAGEMENT_PORT" ]] || die "CABLES_REGISTRY_PORT and CABLES_REGISTRY_MANAGEMENT_PORT are both $PORT"
  [[ $STORAGE == kafkasql || $STORAGE == h2 ]] || die "CABLES_REGISTRY_STORAGE must be kafkasql or h2, got '$STORAGE'"
  [[ $VERSION == 3.* ]] || die "CABLES_REGISTRY_VERSION=$VERSION: only Apicurio Registry 3.x is supported (2.x has other property names)"
}

# --- Java: CABLES_REGISTRY_JAVA_HOME if set; else the first of JAVA_HOME, PATH and /usr/lib/jvm/*
# that is new enough (the machine's default Java 17 is too old for Apicurio 3.2+).
find_java() {
  local candidate
  if [[ -n ${CABLES_REGISTRY_JAVA_HOME:-} ]]; then
    JAVA="$CABLES_REGISTRY_JAVA_HOME/bin/java"
    [[ -x $JAVA ]] || die "CABLES_REGISTRY_JAVA_HOME=$CABLES_REGISTRY_JAVA_HOME has no bin/java"
    (( $(java_major "$JAVA") >= MIN_JAVA )) ||
      die "Apicurio Registry $VERSION needs Java $MIN_JAVA or newer, but $JAVA is Java $(java_major "$JAVA")"
    return 0
  fi
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    if [[ -x $candidate ]] && (( $(java_major "$candidate") >= MIN_JAVA )); then
      JAVA="$candidate"
      return 0
    fi
  done
  die "Apicurio Registry $VERSION needs Java $MIN_JAVA or newer; none in JAVA_HOME, PATH or /usr/lib/jvm (set CABLES_REGISTRY_JAVA_HOME)"
}

# --- fetch: the distribution from Maven Central, unpacked into $DIST, once per version.
fetch() {
  fetched && return 0
  need_mvn
  mkdir -p "$CACHE"
  say "fetching Apicurio Registry $VERSION ($ARTIFACT) from Maven Central into $(rel "$DIST")"
  # Into a side folder first, so an interrupted fetch never looks like a complete one.
  local partial="$CACHE/dist.partial" tarball
  rm -rf "$partial"
  mkdir -p "$partial"
  # No POM needed: the plugin's copy goal resolves one artifact by its coordinates. Run from
  # $CACHE so that no project in the current directory is picked up.
  # shellcheck disable=SC2086  # MAVEN_ARGS is a list of words on purpose
  if ! (cd "$CACHE" && mvn -B --no-transfer-progress -Dstyle.color=never $MAVEN_ARGS \
      "$DEPENDENCY_PLUGIN:copy" -Dartifact="$ARTIFACT" -DoutputDirectory="$partial") >"$FETCH_LOG" 2>&1; then
    rm -rf "$partial"
    die "could not fetch Apicurio Registry $VERSION ($ARTIFACT) from Maven Central (see $(rel "$FETCH_LOG"))"
  fi
  tarball="$partial/apicurio-registry-app-$VERSION-all.tar.gz"
  if ! tar --no-same-owner -xzf "$tarball" -C "$partial" 2>>"$FETCH_LOG"; then
    rm -rf "$partial"
    die "could not unpack $(basename "$tarball") (see $(rel "$FETCH_LOG"))"
  fi
  rm -f "$tarball"  # Maven's local repository keeps a copy
  install_fetched "$partial"
}

# The application jar: quarkus-run.jar (fast-jar layout, 3.1+) or *-runner.jar (legacy layout, 3.0).
app_jar() {
  local jar
  for jar in "$DIST/quarkus-run.jar" "$DIST"/apicurio-registry-app-*-runner.jar; do
    [[ -f $jar ]] && { echo "$jar"; return 0; }
  done
  die "no quarkus-run.jar or *-runner.jar in $(rel "$DIST"): delete it and fetch again"
}

# --- Process bookkeeping
# Our registry's command line names this clone's cache folder.
process_is_ours() { [[ $1 == *"-Dcables.registry.home=$CACHE "* ]]; }

# A -Dname=value of the running registry (the environment may have changed since it started).
running_property() { ps -ww -o args= -p "$1" | tr ' ' '\n' | sed -n "s/^-D$2=//p" | head -n 1; }

api_url() { echo "http://127.0.0.1:$1/apis/ccompat/v7"; }

# Ready means the Confluent API answers and the storage is ready (the kafkasql journal has been
# replayed): before that, a new registration could be given an id that the journal already holds.
# Health is on the management port in 3.2+, on the main port before.
answers() { curl -sf -o /dev/null --max-time 2 "$1"; }
ready() {
  answers "$(api_url "$PORT")/subjects" &&
    { answers "http://127.0.0.1:$MANAGEMENT_PORT/health/ready" || answers "http://127.0.0.1:$PORT/health/ready"; }
}

wait_ready() { poll_ready "$1" ready; }

show_log_tails() {
  show_tail "$LOGS/registry.log"
  show_tail "$LOGS/registry.out"
}

# The Kafka client settings of the kafkasql storage (its producer, consumer and admin client), with the
# admin password: written owner-only and passed as a second config location.
write_kafka_client_properties() {
  local role password=""
  if [[ $KAFKA_PROTOCOL == SASL_* ]]; then
    [[ -s $KAFKA_PASSWORD_FILE ]] ||
      die "no Kafka password for the registry in $KAFKA_PASSWORD_FILE: start the broker first (bash ops/kafka.sh start) or set CABLES_REGISTRY_KAFKA_PASSWORD_FILE"
    password="$(<"$KAFKA_PASSWORD_FILE")"
  fi
  (
    umask 077
    echo "# Written by ops/registry.sh at every start: how the kafkasql storage connects to the broker."
    for role in producer consumer admin; do
      echo "apicurio.kafkasql.$role.security.protocol=$KAFKA_PROTOCOL"
      if [[ $KAFKA_PROTOCOL == SASL_* ]]; then
        echo "apicurio.kafkasql.$role.sasl.mechanism=$KAFKA_MECHANISM"
        echo "apicurio.kafkasql.$role.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$password\";"
      fi
      if [[ $KAFKA_PROTOCOL == *SSL && -n $KAFKA_CA_FILE ]]; then
        echo "apicurio.kafkasql.$role.ssl.truststore.type=PEM"
        echo "apicurio.kafkasql.$role.ssl.truststore.location=$KAFKA_CA_FILE"
      fi
    done
  ) >"$KAFKA_CLIENT_PROPERTIES"
  chmod 600 "$KAFKA_CLIENT_PROPERTIES"
}

storage_options() {
  if [[ $STORAGE == kafkasql ]]; then
    echo "-Dapicurio.storage.kind=kafkasql -Dapicurio.kafkasql.bootstrap.servers=$BOOTSTRAP"
  else
    echo "-Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 -Dapicurio.datasource.url=jdbc:h2:file:$DATA/registry"
  fi
}

# --- Commands (fetch, stop, status and logs are in ops/lib/service.sh)
cmd_start() {
  local pid first host port
  if pid="$(running_pid)"; then
    say "already running (pid $pid, $(api_url "$(running_property "$pid" quarkus.http.port)"))"
    return 0
  fi
  rm -f "$PID_FILE"
  command -v curl >/dev/null || die "curl is needed to tell when the registry is ready"
  find_java
  fetch
  need_free_port "$PORT" CABLES_REGISTRY_PORT
  need_free_port "$MANAGEMENT_PORT" CABLES_REGISTRY_MANAGEMENT_PORT
  if [[ $STORAGE == kafkasql ]]; then
    first="${BOOTSTRAP%%,*}"
    host="${first%:*}"
    port="${first##*:}"
    port_in_use "$port" "$host" ||
      die "no Kafka broker at $first, where the kafkasql storage keeps the schemas: start it first (bash ops/kafka.sh start)"
  fi
  mkdir -p "$LOGS" "$DATA" "$CACHE/snapshots"
  local locations="$OPS_REGISTRY/application.properties"
  if [[ $STORAGE == kafkasql ]]; then
    write_kafka_client_properties
    locations="$locations,$KAFKA_CLIENT_PROPERTIES"
  fi

  say "starting Apicurio Registry $VERSION on 127.0.0.1:$PORT (storage $STORAGE, heap $HEAP)"
  local started=$SECONDS jar
  jar="$(app_jar)"
  # setsid detaches the registry from this shell's process group so Ctrl-C on a later command does
  # not reach it; the cd keeps whatever the JVM writes to its working directory out of the repo.
  # shellcheck disable=SC2046  # the storage options are separate words on purpose
  (cd "$CACHE" && exec setsid "$JAVA" -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dcables.registry.home="$CACHE" -Dcables.registry.storage="$STORAGE" \
    -Dquarkus.config.locations="$locations" \
    -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MANAGEMENT_PORT" \
    $(storage_options) -jar "$jar" \
    >"$LOGS/registry.out" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$PID_FILE"

  local rc=0
  wait_ready "$pid" || rc=$?
  if (( rc != 0 )); then
    start_failed "$pid" "$rc" "was not ready"
  fi
  say "ready after $((SECONDS - started))s (pid $pid, $(api_url "$PORT"))"
}

# status: "running (this)".
describe_running() {
  echo "pid $1, $(api_url "$(running_property "$1" quarkus.http.port)"), storage $(running_property "$1" cables.registry.storage), Apicurio $(fetched_version)"
}

usage() {
  cat <<EOF
usage: ops/registry.sh COMMAND

  fetch    download Apicurio Registry $VERSION into .cache/registry/dist (once)
  start    fetch if needed, start, wait until the Confluent API answers and the storage is ready
  stop     stop the registry (SIGTERM, then SIGKILL after ${STOP_TIMEOUT}s)
  status   running/stopped; exit 0 if running, 3 if not
  logs     the last lines of the registry log (-f to follow)

Confluent-compatible API: $(api_url "$PORT") (CABLES_SCHEMA_REGISTRY_URL)

environment: CABLES_REGISTRY_PORT (8081), CABLES_REGISTRY_MANAGEMENT_PORT (9081, /health and /metrics),
  CABLES_REGISTRY_STORAGE (kafkasql | h2), CABLES_BOOTSTRAP_SERVERS (127.0.0.1:9092, for kafkasql),
  CABLES_REGISTRY_HEAP (384m), CABLES_REGISTRY_START_TIMEOUT (90), CABLES_REGISTRY_STOP_TIMEOUT (30),
  CABLES_REGISTRY_VERSION (3.3.3), CABLES_REGISTRY_JAVA_HOME (Java $MIN_JAVA+), CABLES_REGISTRY_MAVEN_ARGS,
  CABLES_SECURITY_PROTOCOL (SASL_PLAINTEXT), CABLES_SASL_MECHANISM (SCRAM-SHA-512), CABLES_SSL_CA_FILE,
  CABLES_REGISTRY_KAFKA_PASSWORD_FILE (.cache/kafka/credentials/admin.password; the user is admin)
EOF
}

main() {
  local command="${1:-}"
  shift || true
  check_settings
  case $command in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    logs) cmd_logs "$LOGS/registry.log" "registry log" "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
