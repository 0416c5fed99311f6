#!/usr/bin/env bash
# The start command of every Kafka container in docker-compose.yml (mounted at /opt/cablestream), in
# place of the apache/kafka image's own /etc/kafka/docker/run, whose storage format cannot create
# SCRAM users (it runs `kafka-storage.sh format` without --add-scram).
#
#   kafka-broker.sh            render the configuration, format the storage once, exec the broker
#   kafka-broker.sh render     only write the configuration (and the healthcheck's client file)
#
# 1. server.properties from the KAFKA_* environment, by the image's own rule (KafkaDockerWrapper:
#    drop "KAFKA_", lower-case, "_" -> ".", "___" -> "-", "__" -> "_"; the JVM/log4j variables below are
#    not properties), then the settings that hold the broker's password: the JAAS lines of every SASL
#    listener (SCRAM-SHA-512; SASL/PLAIN with a static "broker" user on the controller listener, which
#    cannot use SCRAM: the SCRAM credentials live in the metadata the controller serves). These are
#    the same settings as ops/kafka/security-sasl.properties.template of ops/kafka.sh.
# 2. If the first log dir holds no meta.properties: `kafka-storage.sh format` with one
#    `--add-scram SCRAM-SHA-512=[name=P,password=...]` per principal of SCRAM_USERS (KIP-900); the
#    arguments go through a 0600 @file, so no password shows on a command line.
# 3. exec kafka-server-start.sh.
#
# Environment (besides KAFKA_*): CLUSTER_ID and SCRAM_USERS (space-separated principals, the first
# one the broker's own), required; and, with their container defaults,
#   BROKER_SECRETS_DIR=/run/secrets   <principal>.password files (ops/compose/credentials.sh)
#   BROKER_BIN_DIR=/opt/kafka/bin     kafka-storage.sh and kafka-server-start.sh
#   BROKER_CONFIG_DIR=/opt/kafka/config
# tests/ops/test_compose_broker.py runs this script outside Docker against the Maven-fetched Kafka
# of ops/kafka.sh, with the environment docker-compose.yml gives the container.
set -euo pipefail

SECRETS="${BROKER_SECRETS_DIR:-/run/secrets}"
BIN="${BROKER_BIN_DIR:-/opt/kafka/bin}"
CONFIG_DIR="${BROKER_CONFIG_DIR:-/opt/kafka/config}"
CONFIG="$CONFIG_DIR/server.properties"
# What the healthcheck's kafka-topics.sh logs in with (--command-config): the broker's principal.
CLIENT_CONFIG="$CONFIG_DIR/client.properties"
MECHANISM=SCRAM-SHA-512

# KAFKA_* variables that are JVM or log4j settings, not broker properties (KafkaDockerWrapper's list).
NOT_PROPERTIES=" KAFKA_VERSION KAFKA_HEAP_OPTS KAFKA_LOG4J_OPTS KAFKA_OPTS KAFKA_JMX_OPTS KAFKA_JVM_PERFORMANCE_OPTS
 KAFKA_GC_LOG_OPTS KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL KAFKA_JMX_HOSTNAME "

say() { echo "kafka-broker.sh: $*"; }
die() { echo "kafka-broker.sh: $*" >&2; exit 1; }

# The password of principal $1, from its secret file. Hex from credentials.sh; anything that would
# break out of a JAAS string (quote, backslash, semicolon, line break) is refused.
password_of() {
  local file="$SECRETS/$1.password" password
  [[ -f $file && -r $file && -s $file ]] ||
    die "no password for principal $1 in $file: run 'bash ops/compose/credentials.sh' on the host first"
  password="$(<"$file")"
  [[ $password != *[\"\\\;$'\n']* ]] || die "the password in $file contains a quote, backslash, semicolon or line break"
  printf '%s' "$password"
}

# KAFKA_LISTENER_SECURITY_PROTOCOL_MAP's protocol of listener $1.
protocol_of() {
  local entry
  for entry in ${KAFKA_LISTENER_SECURITY_PROTOCOL_MAP//,/ }; do
    [[ ${entry%%:*} == "$1" ]] && { echo "${entry#*:}"; return 0; }
  done
  die "listener $1 is not in KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=$KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"
}

# One "key=value" line per KAFKA_* variable, as the image's KafkaDockerWrapper renders it.
env_properties() {
  local name key
  while IFS= read -r name; do
    [[ $name == KAFKA_* && $NOT_PROPERTIES != *" $name "* ]] || continue
    key="${name//KAFKA_/}"
    key="${key,,}"
    key="${key//_/.}"
    key="${key//.../-}"
    key="${key//../_}"
    printf '%s=%s\n' "$key" "${!name}"
  done < <(compgen -e)
}

# The JAAS lines, with the broker's password: SCRAM on every SASL listener but the controller's,
# SASL/PLAIN on the controller listener (the broker's own static user).
security_properties() {
  local broker="$1" password="$2" controller="${KAFKA_CONTROLLER_LISTENER_NAMES%%,*}" entry name
  for entry in ${KAFKA_LISTENER_SECURITY_PROTOCOL_MAP//,/ }; do
    name="${entry%%:*}"
    [[ ${entry#*:} == SASL_* ]] || continue
    if [[ $name == "$controller" ]]; then
      echo "listener.name.${name,,}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$broker\" password=\"$password\" user_$broker=\"$password\";"
    else
      echo "listener.name.${name,,}.${MECHANISM,,}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$broker\" password=\"$password\";"
    fi
  done
}

render() {
  : "${SCRAM_USERS:?SCRAM_USERS must name the principals (the broker first)}"
  : "${KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:?}" "${KAFKA_CONTROLLER_LISTENER_NAMES:?}"
  : "${KAFKA_INTER_BROKER_LISTENER_NAME:?}" "${KAFKA_LOG_DIRS:?}"
  local broker password
  read -r broker _ <<<"$SCRAM_USERS"
  password="$(password_of "$broker")"
  mkdir -p "$CONFIG_DIR"
  (
    umask 077
    {
      echo "# Written by ops/compose/kafka-broker.sh from the KAFKA_* environment; holds the broker's password."
      env_properties | sort
      security_properties "$broker" "$password"
    } >"$CONFIG"
    {
      echo "security.protocol=$(protocol_of "$KAFKA_INTER_BROKER_LISTENER_NAME")"
      echo "sasl.mechanism=$MECHANISM"
      echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$broker\" password=\"$password\";"
    } >"$CLIENT_CONFIG"
  )
}

# Formats the first log dir once, creating every principal's SCRAM credential.
format_storage() {
  : "${CLUSTER_ID:?CLUSTER_ID must be set (one for every node of a cluster)}"
  local data="${KAFKA_LOG_DIRS%%,*}" args="$CONFIG_DIR/format.args" principal rc=0
  if [[ -f $data/meta.properties ]]; then
    say "storage in $data already formatted: SCRAM users kept"
    return 0
  fi
  for principal in $SCRAM_USERS; do password_of "$principal" >/dev/null; done  # every file there, before anything
  (
    umask 077
    printf '%s\n' format --cluster-id "$CLUSTER_ID" --config "$CONFIG"
    for principal in $SCRAM_USERS; do
      printf '%s\n' --add-scram "$MECHANISM=[name=$principal,password=$(password_of "$principal")]"
    done
  ) >"$args"
  say "formatting $data (cluster id $CLUSTER_ID, $MECHANISM users: $SCRAM_USERS)"
  "$BIN/kafka-storage.sh" "@$args" || rc=$?
  rm -f "$args"
  (( rc == 0 )) || die "formatting the storage failed (exit $rc)"
}

case "${1:-start}" in
  render) render ;;
  start)
    render
    format_storage
    exec "$BIN/kafka-server-start.sh" "$CONFIG"
    ;;
  *) die "usage: kafka-broker.sh [start|render]" ;;
esac
