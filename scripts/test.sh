#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then on PostgreSQL when one answers at PG_URL
# (required when CI is set). pytest-django creates and drops throwaway databases
# (test_<name>_gw0, …); nothing else is touched.
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

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

run_pytest() {  # label, then pytest arguments
  local label=$1 rc=0
  shift
  echo "== tests on $label"
  # xdist's default `--dist load` keeps pytest-django's order on each worker: the tests
  # that empty the tables (transactional ones) after all the others.
  MOTCUA_VAR_DIR="$scratch/$label" "$PY" -m pytest -n 2 "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    # pytest's "no tests collected": a suite that ran nothing has not passed.
    echo "no tests were collected on $label: failing" >&2
    exit 1
  elif [ "$rc" -ne 0 ]; then
    exit "$rc"
  fi
}

unset DATABASE_URL  # the first run is on the default SQLite database
run_pytest SQLite "$@"

if "$PY" - "$PG_URL" <<'PYEOF' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
PYEOF
then
  DATABASE_URL="$PG_URL" run_pytest PostgreSQL --create-db "$@"
elif [ -n "${CI:-}" ]; then
  echo "CI requires PostgreSQL at ${PG_URL%/*}, and it does not answer" >&2
  exit 1
else
  echo "SKIPPED: tests on PostgreSQL (no server answers at ${PG_URL%/*})"
fi
