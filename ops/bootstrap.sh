#!/usr/bin/env bash
# Creates .venv and installs the project (editable, with test extras) when pyproject.toml changed.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
MARK="$VENV/.installed-sources-sha"
PY="${CABLES_PYTHON:-$(command -v python3.11 || command -v python3)}"

"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "bootstrap: Python >= 3.11 is required ($PY is $("$PY" -V 2>&1))" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
want="$(cd "$REPO" && sha256sum pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$MARK" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing cablestream and its pinned dependencies into .venv ..." >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check -e "$REPO[dev]" \
    || { echo "bootstrap: pip install failed (is PyPI reachable?)" >&2; exit 1; }
  echo "$want" > "$MARK"
fi
