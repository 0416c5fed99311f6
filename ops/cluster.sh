#!/usr/bin/env bash
# A local Kafka cluster: three KRaft nodes on 127.0.0.1, each broker and controller in one JVM, with
# its own ports and data folder; the same jars, security settings, credentials and ACLs as the single
# broker of ops/kafka.sh, whose functions this script reuses (it sources ops/kafka.sh). The single
# broker stays the default everywhere; this is for trying replication and broker failures on one machine.
#
#   ops/cluster.sh start [N] | stop [N] | kill N | status | reset | logs N [-f] | bootstrap
#
# Node N (1..CABLES_KAFKA_NODES) listens on CABLES_KAFKA_PORT + 2(N-1) (clients) and
# CABLES_KAFKA_CONTROLLER_PORT + 2(N-1) (controller): 9092/9093, 9094/9095, 9096/9097 by default.
# Everything lives under .cache/kafka-cluster/node-N/ (git-ignored); the jars and the credentials are
# the single broker's (.cache/kafka/libs, .cache/kafka/credentials), so clients find passwords as usual.
set -euo pipefail

CLUSTER_SH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/kafka.sh
source "$CLUSTER_SH_DIR/kafka.sh"

# --- Settings (environment), on top of ops/kafka.sh's
NODES="${CABLES_KAFKA_NODES:-3}"
BASE_PORT="$PORT"
BASE_CONTROLLER_PORT="$CONTROLLER_PORT"
# Durability of the internal topics (consumer offsets, transactions) and the default for topics:
# with 3 replicas and min.insync.replicas=2, one broker can be down and acks=all writes still succeed.
REPLICATION="${CABLES_KAFKA_CLUSTER_REPLICATION:-3}"
MIN_ISR="${CABLES_KAFKA_CLUSTER_MIN_ISR:-2}"
CLUSTER_CACHE="$REPO/.cache/kafka-cluster"
CLUSTER_ID_FILE="$CLUSTER_CACHE/cluster.id"
NOUN=node
NODE=""
# Messages name the node they are about (kafka.sh's functions call these).
die() { echo "cluster.sh: ${NODE:+node $NODE: }$*" >&2; exit 1; }
say() { echo "cluster.sh: ${NODE:+node $NODE: }$*"; }

check_cluster_settings() {
  check_settings
  check_numbers NODES REPLICATION MIN_ISR
  (( NODES >= 1 )) || die "CABLES_KAFKA_NODES must be at least 1"
  (( REPLICATION <= NODES )) ||
    die "CABLES_KAFKA_CLUSTER_REPLICATION=$REPLICATION is above the $NODES nodes (CABLES_KAFKA_NODES)"
  (( MIN_ISR <= REPLICATION )) ||
    die "CABLES_KAFKA_CLUSTER_MIN_ISR=$MIN_ISR is above the replication factor $REPLICATION"
}

# Points every per-broker variable of ops/kafka.sh at node $1: the functions of kafka.sh (render,
# format, launch, wait, stop, status) then act on that node.
use_node() {
  local n="$1"
  [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= NODES )) || die "no node '$n' (nodes are 1..$NODES)"
  NODE="$n"
  NODE_DIR="$CLUSTER_CACHE/node-$n"
  DATA="$NODE_DIR/data"
  LOGS="$NODE_DIR/logs"
  CONFIG="$NODE_DIR/server.properties"
  PID_FILE="$NODE_DIR/kafka.pid"
  SCRAM_MARKER="$DATA/.cables-scram"  # used by kafka.sh's format_storage when access control is on
  PORT=$((BASE_PORT + 2 * (n - 1)))
  CONTROLLER_PORT=$((BASE_CONTROLLER_PORT + 2 * (n - 1)))
  JVM_LOGGING=("-Dlog4j2.configurationFile=$OPS_KAFKA/log4j2.properties" "-Dkafka.logs.dir=$LOGS")
}

node_port() { echo $((BASE_PORT + 2 * ($1 - 1))); }

# The static voter set: every node is a controller (id@host:controller-port, comma-separated).
voters() {
  local n out=()
  for ((n = 1; n <= NODES; n++)); do out+=("$n@127.0.0.1:$((BASE_CONTROLLER_PORT + 2 * (n - 1)))"); done
  local IFS=,
  echo "${out[*]}"
}

# What clients set as CABLES_BOOTSTRAP_SERVERS: every node's client listener.
bootstrap() {
  local n out=()
  for ((n = 1; n <= NODES; n++)); do out+=("127.0.0.1:$(node_port "$n")"); done
  local IFS=,
  echo "${out[*]}"
}

# All nodes are formatted with one cluster id, kept in the cache; kafka.sh's format_storage asks here.
new_cluster_id() {
  if [[ ! -s $CLUSTER_ID_FILE ]]; then
    mkdir -p "$CLUSTER_CACHE"
    local id
    while :; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
      [[ $id != -* ]] && break
    done
    echo "$id" >"$CLUSTER_ID_FILE"
  fi
  cat "$CLUSTER_ID_FILE"
}

# kafka.sh's configuration for this node, then the cluster's overrides (Java properties: the last
# occurrence of a key wins) from ops/kafka/cluster.properties.template.
render_node_config() {
  mkdir -p "$NODE_DIR" "$LOGS"
  render_config
  sed -e "s|@NODE_ID@|$NODE|g" -e "s|@VOTERS@|$(voters)|g" \
      -e "s|@REPLICATION@|$REPLICATION|g" -e "s|@MIN_ISR@|$MIN_ISR|g" \
      "$OPS_KAFKA/cluster.properties.template" >>"$CONFIG"
}

# Launches node $1 (render, format once, start the JVM) without waiting; sets LAUNCHED_PID, or
# leaves it empty when the node already runs.
launch_node() {
  use_node "$1"
  LAUNCHED_PID=""
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid, 127.0.0.1:$PORT)"
    return 0
  fi
  rm -f "$PID_FILE"
  need_free_port "$PORT" CABLES_KAFKA_PORT
  need_free_port "$CONTROLLER_PORT" CABLES_KAFKA_CONTROLLER_PORT
  render_node_config
  format_storage
  LOG_FROM[$1]="$(log_size)"
  say "starting on 127.0.0.1:$PORT (controller :$CONTROLLER_PORT, heap $HEAP)"
  launch_jvm
}

# True if the node's last start failed to bind a port (its kafka.out is rewritten at every start).
bind_failed() { grep -q 'Address already in use' "$LOGS/kafka.out" 2>/dev/null; }

# start [N]: every node (or node N), then waits until each launched one answers metadata requests.
# A node alone cannot answer before a majority of the controllers runs, so all are launched first.
cmd_cluster_start() {
  local nodes=("$@") n started=$SECONDS
  (( ${#nodes[@]} )) || mapfile -t nodes < <(seq 1 "$NODES")
  find_java
  fetch
  if declare -F ensure_credentials >/dev/null; then ensure_credentials; fi
  if declare -F ensure_tls >/dev/null && [[ ${TLS:-0} == 1 ]]; then ensure_tls; fi
  declare -A PIDS=()
  LOG_FROM=()
  for n in "${nodes[@]}"; do
    launch_node "$n"
    [[ -n $LAUNCHED_PID ]] && PIDS[$n]=$LAUNCHED_PID
  done
  local rc
  for n in "${nodes[@]}"; do
    [[ -n ${PIDS[$n]:-} ]] || continue
    use_node "$n"
    rc=0
    wait_ready "${PIDS[$n]}" "${LOG_FROM[$n]}" || rc=$?
    if (( rc == 2 )) && bind_failed; then
      # Our ports are inside Linux's ephemeral range (32768-60999): a client socket can hold one
      # for a moment (seen while the other nodes reconnect). A second launch finds it free.
      say "its port was taken for a moment (Address already in use): launching it again"
      sleep 2
      launch_node "$n"
      PIDS[$n]=$LAUNCHED_PID
      rc=0
      wait_ready "${PIDS[$n]}" "${LOG_FROM[$n]}" || rc=$?
    fi
    (( rc == 0 )) || start_failed "${PIDS[$n]}" "$rc" "did not answer metadata requests" "${LOG_FROM[$n]}"
  done
  use_node "${nodes[0]}"
  if declare -F apply_acls >/dev/null && [[ ${SECURITY:-plain} == sasl ]]; then apply_acls; fi
  NODE=""
  say "ready after $((SECONDS - started))s: nodes ${nodes[*]} (bootstrap $(bootstrap), replication $REPLICATION, min.insync.replicas $MIN_ISR)"
}

# stop [N]: SIGTERM (a clean shutdown: leadership moves away first), SIGKILL after the stop timeout.
# The whole cluster is stopped at once: stopped one after the other, the last node would wait out
# the timeout, its controlled shutdown needing a controller quorum that is gone.
cmd_cluster_stop() {
  local nodes=("$@") n
  (( ${#nodes[@]} )) || mapfile -t nodes < <(seq 1 "$NODES")
  for n in "${nodes[@]}"; do
    (use_node "$n" && cmd_stop) &
  done
  wait
}

# kill N: SIGKILL, no shutdown at all (a crashed machine); start N brings it back.
cmd_cluster_kill() {
  (( $# == 1 )) || die "usage: ops/cluster.sh kill N"
  use_node "$1"
  local pid
  pid="$(running_pid)" || { say "not running"; return 0; }
  kill -KILL "$pid"
  while process_alive "$pid"; do sleep 0.05; done
  rm -f "$PID_FILE"
  say "killed (pid $pid)"
}

# status: one line per node; exit 0 if all run, 3 if any is stopped.
cmd_cluster_status() {
  local n rc=0
  for ((n = 1; n <= NODES; n++)); do
    use_node "$n"
    cmd_status || rc=3
  done
  return "$rc"
}

cmd_cluster_reset() {
  cmd_cluster_stop
  rm -rf "$CLUSTER_CACHE"
  NODE=""
  say "deleted $(rel "$CLUSTER_CACHE") (jars and passwords kept in $(rel "$CACHE"))"
}

cluster_usage() {
  cat <<EOF
usage: ops/cluster.sh COMMAND

  start [N]   start every node (or node N) and wait until each answers metadata requests
  stop [N]    stop every node (or node N) cleanly
  kill N      SIGKILL node N (a crash); 'start N' brings it back
  status      one line per node; exit 0 if all run, 3 if not
  reset       stop and delete the cluster's data and logs
  logs N [-f] the server log of node N
  bootstrap   print the bootstrap servers (for CABLES_BOOTSTRAP_SERVERS)

environment: those of ops/kafka.sh (ports are the base: node N uses CABLES_KAFKA_PORT + 2(N-1) and
  CABLES_KAFKA_CONTROLLER_PORT + 2(N-1)), CABLES_KAFKA_NODES (3), CABLES_KAFKA_CLUSTER_REPLICATION (3),
  CABLES_KAFKA_CLUSTER_MIN_ISR (2). Clients: CABLES_BOOTSTRAP_SERVERS=\$(ops/cluster.sh bootstrap)
  CABLES_REPLICATION_FACTOR=3 CABLES_MIN_INSYNC_REPLICAS=2.
EOF
}

cluster_main() {
  local command="${1:-}"
  shift || true
  check_cluster_settings
  case $command in start | stop | kill | reset) lock ;; esac
  case $command in
    start) cmd_cluster_start "$@" ;;
    stop) cmd_cluster_stop "$@" ;;
    kill) cmd_cluster_kill "$@" ;;
    status) cmd_cluster_status ;;
    reset) cmd_cluster_reset ;;
    logs)
      (( $# >= 1 )) || die "usage: ops/cluster.sh logs N [-f]"
      use_node "$1"
      shift
      cmd_logs "$LOGS/server.log" "server log" "$@"
      ;;
    bootstrap) bootstrap ;;
    -h | --help | help) cluster_usage ;;
    *) cluster_usage >&2; exit 2 ;;
  esac
}

cluster_main "$@"
