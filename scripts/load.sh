#!/usr/bin/env bash
# Load test (bench/load.py) against gunicorn on 127.0.0.1: on SQLite, then on a throwaway
# PostgreSQL cluster. Each backend gets a fresh temp var dir (database, keys), migrated and loaded
# with the demo data, removed afterwards. Extra arguments go to `python -m bench.load`, e.g.
#   scripts/load.sh --levels 1,4 --seconds 5 --no-record        (a quick check)
# Knobs: SKIP_PG=1 (SQLite only), SKIP_SQLITE=1, LOAD_MATTERS=500 (demo matters), SKIP_APT=1.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ "${SKIP_APT:-0}" == 1 ]] || scripts/apt_deps.sh postgresql
scripts/venv.sh dev   # httpx (the client) is a dev requirement
export PATH="$PWD/.venv/bin:$PATH"
if ! python -c 'import gunicorn' 2>/dev/null; then
  echo "load: gunicorn is not in .venv (.venv/bin/pip install gunicorn)" >&2; exit 1
fi
export DJANGO_SETTINGS_MODULE=xinfang.settings
# A server as deployed: DEBUG off. Plain HTTP on 127.0.0.1, so no Secure cookies. Every virtual user
# comes from 127.0.0.1: the portal's per-IP limits are raised for the run, or they refuse it.
export XINFANG_DEBUG=0 XINFANG_SECURE_COOKIES=0
export XINFANG_PORTAL_SUBMIT_RATE=1000000/m XINFANG_PORTAL_TRACK_RATE=1000000/m
MATTERS="${LOAD_MATTERS:-500}"

LOAD_TMP="$(mktemp -d "${TMPDIR:-/tmp}/xinfang-load.XXXXXX")"
source scripts/pg_cluster.sh
cleanup() { pg_stop; rm -rf "$LOAD_TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

prepare() {  # $1: var dir
  mkdir -p "$1"
  export XINFANG_VAR_DIR="$1" XINFANG_KEY_FILE="$1/keys.env"
  python manage.py ensure_keys >/dev/null
  python manage.py migrate --noinput >/dev/null
  echo "load: loading the demo data ($MATTERS matters)…"
  python manage.py load_demo --matters "$MATTERS" >/dev/null
}

t0=$SECONDS
if [[ "${SKIP_SQLITE:-0}" != 1 ]]; then
  echo "==> load test (SQLite)"
  export XINFANG_DB=sqlite XINFANG_SQLITE_PATH="$LOAD_TMP/sqlite/load.sqlite3"
  prepare "$LOAD_TMP/sqlite"
  python -m bench.load --serve "$@"
fi
if [[ "${SKIP_PG:-0}" != 1 ]]; then
  echo "==> load test (PostgreSQL)"
  pg_start
  prepare "$LOAD_TMP/pg"
  python -m bench.load --serve "$@"
fi
echo "load: done in $((SECONDS - t0)) s"
