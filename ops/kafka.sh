#!/usr/bin/env bash
# The local Kafka broker for development and integration tests: one KRaft node (broker and
# controller in one JVM) on 127.0.0.1, run straight from Maven Central jars, no Docker.
#
#   ops/kafka.sh fetch|start|stop|status|reset|logs [-f]
#
# Access control is on by default: SASL/SCRAM-SHA-512 on the client listener, the StandardAuthorizer,
# nothing allowed without an ACL. The passwords are in .cache/kafka/credentials/<principal>.password
# (0600; the clients find them there), the ACLs are streams/kafka/acls.py (applied at every start).
# CABLES_KAFKA_TLS=1 adds TLS (SASL_SSL) with a CA generated into .cache/kafka/tls/;
# CABLES_KAFKA_SECURITY=plain starts an unauthenticated broker for development only.
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
CREDENTIALS="$CACHE/credentials"
TLS_DIR="$CACHE/tls"
# Written into $DATA when the storage was formatted with SCRAM credentials.
SCRAM_MARKER="$DATA/.cables-scram"
FETCH_LOG="$CACHE/fetch.log"
# Written into $LIBS only after a complete fetch: its presence means "no network needed".
VERSION_MARKER="$LIBS/.kafka-version"

# --- Settings (environment)
VERSION="${CABLES_KAFKA_VERSION:-4.0.2}"
PORT="${CABLES_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${CABLES_KAFKA_CONTROLLER_PORT:-9093}"
# The one message size limit (streams/settings.py max_message_bytes): broker, topics and producer.
MAX_MESSAGE_BYTES="${CABLES_MAX_MESSAGE_BYTES:-1048576}"
HEAP="${CABLES_KAFKA_HEAP:-512m}"
START_TIMEOUT="${CABLES_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${CABLES_KAFKA_STOP_TIMEOUT:-30}"
# Extra arguments for mvn during fetch, e.g. -Dmaven.repo.local=/somewhere or -o.
MAVEN_ARGS="${CABLES_KAFKA_MAVEN_ARGS:-}"
SECURITY="${CABLES_KAFKA_SECURITY:-sasl}"  # sasl | plain (development only)
TLS="${CABLES_KAFKA_TLS:-0}"  # 1: SASL_SSL on the client listener

# --- What is the same for the registry (ops/registry.sh): messages, the pid file, stop, status,
# logs, the lock, fetch bookkeeping. It reads the variables above and these:
# shellcheck source=SCRIPTDIR/lib/service.sh
source "$REPO/ops/lib/service.sh"
SERVICE=kafka NOUN=broker PRODUCT=Kafka FETCH_DIR="$LIBS"

check_settings() {
  check_numbers PORT CONTROLLER_PORT START_TIMEOUT STOP_TIMEOUT MAX_MESSAGE_BYTES
  [[ $PORT != "$CONTROLLER_PORT" ]] || die "CABLES_KAFKA_PORT and CABLES_KAFKA_CONTROLLER_PORT are both $PORT"
  [[ $SECURITY == sasl || $SECURITY == plain ]] || die "CABLES_KAFKA_SECURITY must be sasl or plain, got '$SECURITY'"
  [[ $TLS == 0 || $TLS == 1 ]] || die "CABLES_KAFKA_TLS must be 0 or 1, got '$TLS'"
  [[ $SECURITY == sasl || $TLS == 0 ]] || die "CABLES_KAFKA_TLS=1 needs CABLES_KAFKA_SECURITY=sasl"
}

# The security protocol of the client listener: what clients set as CABLES_SECURITY_PROTOCOL.
client_protocol() {
  if [[ $SECURITY == plain ]]; then echo PLAINTEXT
  elif [[ $TLS == 1 ]]; then echo SASL_SSL
  else echo SASL_PLAINTEXT
  fi
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
configured_port() { sed -n 's/^advertised.listeners=CLIENT:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$CONFIG"; }

# --- Python (the project's venv first, then python3: the principal names, the readiness probe, the
# ACLs) and the principals: find_python and read_principals.
# shellcheck source=SCRIPTDIR/lib/principals.sh
source "$REPO/ops/lib/principals.sh"

# --- Credentials: one random password per principal, created once, owner-only (0700 folder, 0600 files).
# The principals are streams/kafka/acls.py's (streams/vocab.py's levels), so the list is written once.
ensure_credentials() {
  local principal file
  read_principals
  mkdir -p "$CREDENTIALS"
  chmod 700 "$CREDENTIALS"
  for principal in "${PRINCIPALS[@]}"; do
    file="$CREDENTIALS/$principal.password"
    if [[ ! -s $file ]]; then
      (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
    fi
    chmod 600 "$file"
  done
}

password_of() { cat "$CREDENTIALS/$1.password"; }

# --- TLS (CABLES_KAFKA_TLS=1): a CA and a broker certificate for 127.0.0.1/localhost, generated once.
ensure_tls() {
  [[ -s $TLS_DIR/broker.pem && -s $TLS_DIR/ca.pem ]] && return 0
  command -v openssl >/dev/null || die "CABLES_KAFKA_TLS=1 needs openssl"
  say "generating a CA and the broker's certificate into $(rel "$TLS_DIR")"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  (
    umask 077
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 825 \
      -subj "/CN=cablestream local CA" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr -subj "/CN=localhost" >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out broker.crt -days 825 \
      -extfile broker.ext >/dev/null 2>&1
    cat broker.key broker.crt ca.pem >broker.pem
    rm -f broker.csr broker.ext
    chmod 644 ca.pem
  ) || die "could not generate the TLS files in $(rel "$TLS_DIR")"
}

sed_escape() {  # a value escaped for sed's replacement: \ & and the | delimiter
  local value="${1//\\/\\\\}"
  value="${value//&/\\&}"
  echo "${value//|/\\|}"
}

# The configuration holds the broker's password: owner-only.
render_config() {
  mkdir -p "$DATA"
  local controller_protocol=PLAINTEXT
  [[ $SECURITY == sasl ]] && controller_protocol=SASL_PLAINTEXT
  (
    umask 077
    sed -e "s|@BROKER_PORT@|$PORT|g" \
        -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
        -e "s|@MAX_MESSAGE_BYTES@|$MAX_MESSAGE_BYTES|g" \
        -e "s|@DATA_DIR@|$(sed_escape "$DATA")|g" \
        -e "s|@CLIENT_PROTOCOL@|$(client_protocol)|g" \
        -e "s|@CONTROLLER_PROTOCOL@|$controller_protocol|g" \
        "$OPS_KAFKA/server.properties.template" >"$CONFIG"
    if [[ $SECURITY == sasl ]]; then
      sed -e "s|@BROKER_PASSWORD@|$(password_of broker)|g" "$OPS_KAFKA/security-sasl.properties.template" >>"$CONFIG"
    fi
    if [[ $TLS == 1 ]]; then
      sed -e "s|@TLS_DIR@|$(sed_escape "$TLS_DIR")|g" "$OPS_KAFKA/security-tls.properties.template" >>"$CONFIG"
    fi
  )
  chmod 600 "$CONFIG"
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

# KRaft storage is formatted once; meta.properties marks a formatted log dir. Every principal's SCRAM
# credential is created here (kafka-storage format --add-scram, KIP-900), in any mode, so a broker
# formatted in plain mode can later start with SASL. The arguments go through a java @argument file
# (0600, deleted after) so that the passwords never show on a command line (ps).
format_storage() {
  local cluster_id principal args="$CREDENTIALS/format.args" rc=0
  if [[ -f $DATA/meta.properties ]]; then
    [[ $SECURITY == plain || -f $SCRAM_MARKER ]] ||
      die "the storage in $(rel "$DATA") was formatted without SCRAM credentials (before access control): run 'bash ops/kafka.sh reset' (deletes the broker's data), then start again"
    for principal in "${PRINCIPALS[@]}"; do
      [[ ! -f $SCRAM_MARKER ]] || grep -qx -- "$principal" "$SCRAM_MARKER" ||
        say "WARNING: principal $principal is newer than the storage and has no SCRAM credential: 'bash ops/kafka.sh reset' creates it" >&2
    done
    return 0
  fi
  cluster_id="$(new_cluster_id)"
  say "formatting KRaft storage in $(rel "$DATA") (cluster id $cluster_id, SCRAM-SHA-512 users: ${PRINCIPALS[*]})"
  (
    umask 077
    printf '%s\n' format --cluster-id "$cluster_id" --config "$CONFIG"
    for principal in "${PRINCIPALS[@]}"; do
      printf '%s\n' --add-scram "SCRAM-SHA-512=[name=$principal,password=$(password_of "$principal")]"
    done
  ) >"$args"
  "$JAVA" "${JVM_LOGGING[@]}" -cp "$LIBS/*" kafka.tools.StorageTool "@$args" >"$LOGS/format.log" 2>&1 || rc=$?
  rm -f "$args"
  if (( rc != 0 )); then
    cat "$LOGS/format.log" >&2
    die "formatting the storage failed (see $(rel "$LOGS/format.log"))"
  fi
  printf '%s\n' "${PRINCIPALS[@]}" >"$SCRAM_MARKER"
}

# Create the ACLs of streams/kafka/acls.py for CABLES_TOPIC_PREFIX and CABLES_APP_ID, as admin
# (idempotent). Without the project's venv (no `cables`) the broker runs but only admin can use it.
apply_acls() {
  local cables="$REPO/.venv/bin/cables" ca=""
  if [[ ! -x $cables ]]; then
    say "WARNING: no ACLs applied (no .venv: run bash ops/bootstrap.sh, then bash ops/kafka.sh start again); only admin can use the broker" >&2
    return 0
  fi
  [[ $TLS == 1 ]] && ca="$TLS_DIR/ca.pem"
  # A quorum that has just formed may refuse the first admin requests: three tries, 3 s apart.
  local try
  for try in 1 2 3; do
    env -u CABLES_SASL_PASSWORD CABLES_BOOTSTRAP_SERVERS="127.0.0.1:$PORT" CABLES_SECURITY_PROTOCOL="$(client_protocol)" \
      CABLES_SASL_USERNAME=admin CABLES_SASL_PASSWORD_FILE="$CREDENTIALS/admin.password" CABLES_SSL_CA_FILE="$ca" \
      "$cables" acls apply >/dev/null && return 0
    (( try < 3 )) && sleep 3
  done
  die "could not apply the ACLs (cables acls apply)"
}

warn_plain() {
  cat >&2 <<WARN
kafka.sh: ****************************************************************************************
kafka.sh: WARNING: CABLES_KAFKA_SECURITY=plain: the broker on 127.0.0.1:$PORT has NO authentication
kafka.sh: and NO authorization. Any local process can read every classification level and write
kafka.sh: forged cables into any topic. Development only; clients need CABLES_SECURITY_PROTOCOL=PLAINTEXT.
kafka.sh: ****************************************************************************************
WARN
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
  local pid="$1" log_from="$2" python rc
  python="$(find_python)"
  if [[ -n $python ]]; then
    rc=0
    local auth=()
    [[ $SECURITY == sasl ]] && auth=(admin "$CREDENTIALS/admin.password")
    [[ $TLS == 1 ]] && auth+=("$TLS_DIR/ca.pem")
    "$python" "$OPS_KAFKA/wait_ready.py" "$PORT" "$pid" "$START_TIMEOUT" "$(client_protocol)" "${auth[@]}" || rc=$?
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
  ensure_credentials
  [[ $TLS == 1 ]] && ensure_tls
  render_config
  format_storage

  [[ $SECURITY == plain ]] && warn_plain
  say "starting Kafka $VERSION on 127.0.0.1:$PORT ($(client_protocol), controller :$CONTROLLER_PORT, heap $HEAP)"
  local started=$SECONDS log_from
  log_from="$(log_size)"
  launch_jvm
  pid=$LAUNCHED_PID

  local rc=0
  wait_ready "$pid" "$log_from" || rc=$?
  if (( rc != 0 )); then
    start_failed "$pid" "$rc" "did not answer metadata requests" "$log_from"
  fi
  [[ $SECURITY == sasl ]] && apply_acls
  say "ready after $((SECONDS - started))s (pid $pid, bootstrap 127.0.0.1:$PORT, $(client_protocol))"
  [[ $SECURITY == sasl ]] && say "credentials: $(rel "$CREDENTIALS")/<principal>.password (clients read them from there)"
  return 0
}

# status: "running (this)".
describe_running() {
  echo "pid $1, 127.0.0.1:$(configured_port), $(sed -n 's/^listener.security.protocol.map=CLIENT:\([A-Z_]*\),.*/\1/p' "$CONFIG"), Kafka $(fetched_version)"
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA" "$LOGS" "$CONFIG"
  say "deleted $(rel "$DATA") and $(rel "$LOGS") (jars kept in $(rel "$LIBS"), passwords in $(rel "$CREDENTIALS"))"
}

usage() {
  cat <<EOF
usage: ops/kafka.sh COMMAND

  fetch    download Kafka $VERSION's jars into .cache/kafka/libs (once)
  start    fetch if needed, create passwords and format storage once, start, wait until it answers
           metadata (as admin), apply the ACLs of streams/kafka/acls.py
  stop     stop the broker (SIGTERM, then SIGKILL after ${STOP_TIMEOUT}s)
  status   running/stopped; exit 0 if running, 3 if not
  reset    stop and delete the broker's data and logs
  logs     the last lines of the server log (-f to follow)

environment: CABLES_KAFKA_PORT (9092), CABLES_KAFKA_CONTROLLER_PORT (9093), CABLES_KAFKA_HEAP (512m),
  CABLES_KAFKA_START_TIMEOUT (60), CABLES_KAFKA_STOP_TIMEOUT (30), CABLES_KAFKA_VERSION (4.0.2),
  CABLES_KAFKA_MAVEN_ARGS, JAVA_HOME, CABLES_KAFKA_SECURITY (sasl | plain: no authentication, development
  only), CABLES_KAFKA_TLS (0 | 1: SASL_SSL, CA in .cache/kafka/tls/ca.pem), CABLES_TOPIC_PREFIX and
  CABLES_APP_ID (whose ACLs start applies)
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
