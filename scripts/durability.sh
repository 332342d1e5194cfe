#!/usr/bin/env bash
# Durability under kill -9 (bench/durability.py): gunicorn + run_worker, a burst of submissions,
# kill -9 of both mid-burst, restart, then check that nothing acknowledged was lost and every
# outbox message was delivered exactly once by the fake provider, which dedups by the outbox key
# (hand-overs repeated after a kill are counted and printed, not failed). On SQLite, then on a throwaway PostgreSQL cluster, each
# on a fresh temp var dir with the demo data. Extra arguments go to `python -m bench.durability`:
#   scripts/durability.sh --record                     (append the figures to bench/RESULTS.md)
#   scripts/durability.sh --submissions 100 --kills 1  (a quick check)
# Knobs: SKIP_PG=1, SKIP_SQLITE=1, DURABILITY_MATTERS=300 (demo matters), SKIP_APT=1,
# XINFANG_BENCH_GATEWAY_DELAY_MS=20 (the fake SMS provider's round trip).
# Exit status: non-zero when any backend lost, delivered twice or left something.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ "${SKIP_APT:-0}" == 1 ]] || scripts/apt_deps.sh postgresql
scripts/venv.sh dev   # httpx (the client) is a dev requirement
export PATH="$PWD/.venv/bin:$PATH"
if ! python -c 'import gunicorn' 2>/dev/null; then
  echo "durability: gunicorn is not in .venv (.venv/bin/pip install gunicorn)" >&2; exit 1
fi
export DJANGO_SETTINGS_MODULE=xinfang.settings
export XINFANG_DEBUG=0 XINFANG_SECURE_COOKIES=0
# Every client comes from 127.0.0.1: the portal's per-IP limits are raised for the run.
export XINFANG_PORTAL_SUBMIT_RATE=1000000/m XINFANG_PORTAL_TRACK_RATE=1000000/m
export XINFANG_BENCH_GATEWAY_DELAY_MS="${XINFANG_BENCH_GATEWAY_DELAY_MS:-20}"
MATTERS="${DURABILITY_MATTERS:-300}"

DUR_TMP="$(mktemp -d "${TMPDIR:-/tmp}/xinfang-durability.XXXXXX")"
source scripts/pg_cluster.sh
cleanup() { pg_stop; rm -rf "$DUR_TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

prepare() {  # $1: var dir
  mkdir -p "$1"
  export XINFANG_VAR_DIR="$1" XINFANG_KEY_FILE="$1/keys.env" XINFANG_BENCH_DELIVERIES="$1/deliveries.jsonl" \
    XINFANG_BENCH_CALLS="$1/gateway-calls.jsonl"
  python manage.py ensure_keys >/dev/null
  python manage.py migrate --noinput >/dev/null
  echo "durability: loading the demo data ($MATTERS matters)…"
  python manage.py load_demo --matters "$MATTERS" >/dev/null
}

status=0
if [[ "${SKIP_SQLITE:-0}" != 1 ]]; then
  echo "==> durability (SQLite)"
  export XINFANG_DB=sqlite XINFANG_SQLITE_PATH="$DUR_TMP/sqlite/durability.sqlite3"
  prepare "$DUR_TMP/sqlite"
  python -m bench.durability "$@" || status=1
fi
if [[ "${SKIP_PG:-0}" != 1 ]]; then
  echo "==> durability (PostgreSQL)"
  pg_start
  prepare "$DUR_TMP/pg"
  python -m bench.durability "$@" || status=1
fi
exit "$status"
