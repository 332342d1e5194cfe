#!/usr/bin/env bash
# Production mode on this machine (`make prod`): PostgreSQL with its data in var/pg (kept across
# runs), migrations, the demo data once, collectstatic, then gunicorn with XINFANG_WORKERS workers on
# 127.0.0.1:8000 and the background worker. Ctrl-C stops both, then PostgreSQL.
#
# Knobs (all optional): XINFANG_WORKERS (default 2 x cores), XINFANG_BIND (127.0.0.1:8000),
# XINFANG_PG_PORT (54329), XINFANG_VAR_DIR (var), XINFANG_ALLOWED_HOSTS, XINFANG_CSRF_TRUSTED_ORIGINS,
# XINFANG_SSL_REDIRECT (0 here: no TLS on 127.0.0.1; put a TLS proxy in front and set it to 1 with
# XINFANG_BEHIND_PROXY=1), XINFANG_NO_DEMO=1 (skip the demo data), SKIP_APT=1.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh # for _pg_bindir, _pg_as_owner

PY=.venv/bin/python
mkdir -p "${XINFANG_VAR_DIR:-var}"
VAR_DIR="$(cd "${XINFANG_VAR_DIR:-var}" && pwd)"
PG_DIR="$VAR_DIR/pg"
PG_PORT="${XINFANG_PG_PORT:-54329}"
BIND="${XINFANG_BIND:-127.0.0.1:8000}"
WORKERS="${XINFANG_WORKERS:-$(($(nproc) * 2))}"
say() { printf '==> %s\n' "$*"; }

if [[ "${SKIP_APT:-0}" != 1 ]]; then
  scripts/apt_deps.sh postgresql fonts-noto-cjk gettext
fi
scripts/venv.sh prod

# --- PostgreSQL: one cluster under var/pg, password auth, listening on 127.0.0.1 only ----------
bindir="$(_pg_bindir)"
if [[ ! -f "$PG_DIR/data/PG_VERSION" ]]; then
  say "initdb $PG_DIR/data (first run)"
  mkdir -p "$PG_DIR/run"
  chmod 700 "$PG_DIR"
  "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' >"$PG_DIR/password"
  chmod 600 "$PG_DIR/password"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$PG_DIR"; fi
  _pg_as_owner "$bindir/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/password" \
    -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
    echo "prod: initdb failed:" >&2; cat "$PG_DIR/initdb.log" >&2; exit 1; }
fi
PG_PASSWORD="$(cat "$PG_DIR/password")"
started_pg=0
if _pg_as_owner "$bindir/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
  say "PostgreSQL already running ($PG_DIR/data)"
else
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR/data)"
  _pg_as_owner "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/run -c max_connections=100" start >/dev/null || {
    echo "prod: PostgreSQL did not start (port $PG_PORT busy? set XINFANG_PG_PORT):" >&2
    tail -n 20 "$PG_DIR/server.log" >&2; exit 1; }
  started_pg=1
fi

workers_pids=()
stop_all() {
  local pid
  for pid in "${workers_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${workers_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $started_pg == 1 ]]; then
    _pg_as_owner "$bindir/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    say "stopped gunicorn, the worker and PostgreSQL (data kept in $PG_DIR)"
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

export PGPASSWORD="$PG_PASSWORD"
if [[ -z "$("$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'xinfang'")" ]]; then
  "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres xinfang
fi
unset PGPASSWORD

# --- settings from the environment (xinfang/settings.py, the production block) -------------------
if [[ ! -s "$VAR_DIR/secret_key" ]]; then
  (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >"$VAR_DIR/secret_key")
fi
port="${BIND##*:}"
export XINFANG_VAR_DIR="$VAR_DIR"
export XINFANG_ENV=production
export XINFANG_SECRET_KEY="$(cat "$VAR_DIR/secret_key")"
export XINFANG_DB=postgres XINFANG_PG_HOST=127.0.0.1 XINFANG_PG_PORT="$PG_PORT" XINFANG_PG_USER=postgres
export XINFANG_PG_NAME=xinfang XINFANG_PG_PASSWORD="$PG_PASSWORD"
export XINFANG_ALLOWED_HOSTS="${XINFANG_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export XINFANG_CSRF_TRUSTED_ORIGINS="${XINFANG_CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:$port,http://localhost:$port}"
export XINFANG_SSL_REDIRECT="${XINFANG_SSL_REDIRECT:-0}"

say "migrate, cache table, catalogue, static files"
"$PY" manage.py ensure_keys
"$PY" manage.py migrate --noinput
"$PY" manage.py createcachetable
if command -v msgfmt >/dev/null 2>&1; then
  "$PY" manage.py compilemessages --ignore .venv --ignore var --ignore node_modules >/dev/null
fi
"$PY" manage.py collectstatic --noinput -v 0
if [[ "${XINFANG_NO_DEMO:-0}" != 1 ]]; then
  "$PY" manage.py load_demo # does nothing once loaded
fi
# Errors stop us; warnings are printed (W008, the SSL redirect, is expected without TLS in front).
"$PY" manage.py check --deploy --fail-level ERROR

say "gunicorn: $WORKERS workers on http://$BIND; worker: outbox and periodic jobs"
.venv/bin/gunicorn xinfang.wsgi:application --bind "$BIND" --workers "$WORKERS" \
  --timeout 120 --graceful-timeout 20 --max-requests 5000 --max-requests-jitter 500 \
  --access-logfile - --error-logfile - --control-socket "$VAR_DIR/gunicorn.ctl" &
workers_pids+=("$!")
"$PY" manage.py run_worker &
workers_pids+=("$!")
# Either process ending ends both (the EXIT trap stops the other and PostgreSQL).
wait -n "${workers_pids[@]}"
