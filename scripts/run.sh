#!/usr/bin/env bash
# `make run`: migrate, load the demo data, then serve with gunicorn plus the task worker
# until Ctrl-C (or SIGTERM), stopping both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# A local run speaks plain HTTP; production keeps the default (docs/configuration.md).
export HTTPS_ONLY=${HTTPS_ONLY:-false}
# The demo has no SMTP server: e-mail notifications are printed by the server instead.
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}

# The demo pays with the demo gateway (no bank): enabled here, by its own setting.
export PAYMENT_GATEWAYS=${PAYMENT_GATEWAYS:-bank_transfer,demo}
if [ -z "${PUBLIC_BASE_URL:-}" ]; then
  echo "WARNING: PUBLIC_BASE_URL is not set; links in e-mails and QR codes use http://$HOST:$PORT." >&2
  echo "         Set PUBLIC_BASE_URL to the address people reach the site at (README)." >&2
  export PUBLIC_BASE_URL="http://$HOST:$PORT"
fi

mkdir -p "${MOTCUA_VAR_DIR:-var}"
"$PY" -m motcua migrate --noinput
# A local CA and each demo agency's signing certificate, so that results are signed (PAdES).
"$PY" -m motcua make_demo_certificates --demo
# Idempotent: creates the demo data on an empty database, then only prints the credentials.
"$PY" -m motcua seed_demo
"$PY" -m motcua collectstatic --noinput --verbosity 0

pids=()
stop() {
  trap - INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'echo " stopping"; stop; exit 0' INT TERM

"$PY" -m motcua db_worker &
pids+=($!)
# No access log: the app writes one JSON line per request, without query strings.
# Two sync workers per core (docs/deployment.md, "Sizing").
# URLs up to 8190 bytes reach the app, which answers a too-long API URL in its error shape.
.venv/bin/gunicorn motcua.wsgi --bind "$HOST:$PORT" --limit-request-line 8190 --workers "${WEB_CONCURRENCY:-$((2 * $(nproc)))}" &
pids+=($!)
echo "Serving on http://$HOST:$PORT/ (Ctrl-C to stop)"

# Either process ending on its own is an error: stop the other and report it.
status=0
wait -n "${pids[@]}" || status=$?
echo "a server process ended (exit $status); stopping" >&2
stop
exit $(( status == 0 ? 1 : status ))
