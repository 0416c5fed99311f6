# shellcheck shell=bash
# The Kafka principals (streams/kafka/acls.py, from streams/vocab.py's levels), for the scripts that
# create their passwords: ops/kafka.sh (the local broker) and ops/compose/credentials.sh (compose).
# Nothing runs when sourced. Needs REPO and a `die` function of the sourcing script.

# The project's venv Python first, then python3 (empty when there is none).
find_python() {
  if [[ -x $REPO/.venv/bin/python ]]; then
    echo "$REPO/.venv/bin/python"
  else
    command -v python3 || true
  fi
}

# Sets the array PRINCIPALS to every principal name, one per element; dies when none can be read.
read_principals() {
  local python principal
  python="$(find_python)"
  [[ -n $python ]] || die "python3 is needed to list the principals (streams/kafka/acls.py)"
  PRINCIPALS=()
  while IFS= read -r principal; do PRINCIPALS+=("$principal"); done \
    < <(PYTHONPATH="$REPO" "$python" -m streams.kafka.acls principals)
  (( ${#PRINCIPALS[@]} > 0 )) || die "no principals from streams/kafka/acls.py"
}
