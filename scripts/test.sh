#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when one answers (required when CI is set).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/motcua}

if [ -x /usr/bin/chromium ]; then
  export MOTCUA_E2E=1
else
  echo "SKIPPED: browser tests (no /usr/bin/chromium; apt-get install -y chromium)"
  export MOTCUA_E2E=0
  if [ -n "${CI:-}" ]; then echo "CI requires Chromium for the browser tests" >&2; exit 1; fi
fi

echo "== tests on SQLite"
env -u DATABASE_URL MOTCUA_VAR_DIR="$(mktemp -d)" "$PY" -m pytest -n 2 --dist loadfile "$@"

if "$PY" - "$PG_URL" <<'PYEOF' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
PYEOF
then
  echo "== tests on PostgreSQL"
  DATABASE_URL="$PG_URL" MOTCUA_VAR_DIR="$(mktemp -d)" "$PY" -m pytest -n 2 --dist loadfile --create-db "$@"
elif [ -n "${CI:-}" ]; then
  echo "CI requires PostgreSQL at 127.0.0.1:5432, and it does not answer" >&2
  exit 1
else
  echo "SKIPPED: tests on PostgreSQL (no server answers at 127.0.0.1:5432)"
fi
