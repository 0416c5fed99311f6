#!/usr/bin/env bash
# The secrets of the docker-compose stack, generated here and never committed (.cache/ is git-ignored).
#
#   bash ops/compose/credentials.sh [DIR]        DIR defaults to .cache/compose of this repository
#
# Writes into DIR/credentials/ (docker-compose.yml mounts each file as a Compose secret):
#   <principal>.password           one random password per Kafka principal of streams/kafka/acls.py
#                                  (broker, admin, feed, worker, reader-<level>); the broker creates
#                                  their SCRAM-SHA-512 credentials when it formats its storage
#   registry-kafkasql.properties   how the registry's kafkasql storage logs in (as admin), the same
#                                  properties ops/registry.sh writes for the local registry
#   grafana-admin.password         Grafana's admin password (no admin/admin default)
# A file that exists is kept: running it again changes nothing. To change the passwords, delete
# DIR/credentials and run it again, then recreate the Kafka containers (`docker compose down`):
# SCRAM credentials are created only when a broker formats its (new) storage.
#
# Permissions: DIR/credentials is 0700, so on the host only you can reach the files. The files
# themselves are 0644 because Compose bind-mounts a secret file as it is and the containers run as
# other users (the worker as uid 10001, Kafka as appuser, Grafana as 472): each must read its file.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$REPO/.cache/compose}"
CREDENTIALS="$DIR/credentials"

say() { echo "credentials.sh: $*"; }
die() { echo "credentials.sh: $*" >&2; exit 1; }

# shellcheck source=../lib/principals.sh
source "$REPO/ops/lib/principals.sh"
read_principals

mkdir -p "$CREDENTIALS"
chmod 700 "$CREDENTIALS"

# 24 random bytes as hex: nothing in it needs quoting in a JAAS line or a properties file.
new_password() {
  local file="$1"
  if [[ ! -s $file ]]; then
    od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file.tmp"
    mv "$file.tmp" "$file"
    created+=("$(basename "$file")")
  fi
  chmod 644 "$file"
}

created=()
for principal in "${PRINCIPALS[@]}" grafana-admin; do
  new_password "$CREDENTIALS/$principal.password"
done

# Derived from admin.password, so rewritten every time (it follows a new admin password).
properties="$CREDENTIALS/registry-kafkasql.properties"
admin_password="$(<"$CREDENTIALS/admin.password")"
{
  echo "# Written by ops/compose/credentials.sh: how the compose registry's kafkasql storage logs in to Kafka."
  for role in producer consumer admin; do
    echo "apicurio.kafkasql.$role.security.protocol=SASL_PLAINTEXT"
    echo "apicurio.kafkasql.$role.sasl.mechanism=SCRAM-SHA-512"
    echo "apicurio.kafkasql.$role.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$admin_password\";"
  done
} >"$properties.tmp"
chmod 644 "$properties.tmp"
mv "$properties.tmp" "$properties"

if (( ${#created[@]} > 0 )); then
  say "created ${created[*]} in $CREDENTIALS"
else
  say "all credentials already in $CREDENTIALS (kept)"
fi
say "principals: ${PRINCIPALS[*]}"
