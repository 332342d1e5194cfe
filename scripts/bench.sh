#!/usr/bin/env bash
# Benchmarks: `python -m bench.run` on SQLite, then on a throwaway PostgreSQL cluster.
# Extra arguments go to bench.run. SKIP_PG=1 runs SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f bench/run.py ]]; then
  echo "bench: bench/run.py does not exist yet" >&2
  exit 1
fi

[[ "${SKIP_APT:-0}" == 1 ]] || scripts/apt_deps.sh postgresql
scripts/venv.sh prod
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-xinfang.settings}"

# Benchmarks never touch the demo's var/: each backend gets its own temp var dir
# (SQLite file, key file) that is removed afterwards.
BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/xinfang-bench.XXXXXX")"
source scripts/pg_cluster.sh
cleanup() { pg_stop; rm -rf "$BENCH_TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> bench (category suggestion latency, one core)"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python -m bench.intel

echo "==> bench (duplicate detection: precision/recall and latency at 100,000; --sizes 100000,1000000 for 1M)"
python -m bench.duplicates

echo "==> bench (work-order import: 100,000 Haikou 12345 rows, SQLite)"
mkdir -p "$BENCH_TMP/import"
XINFANG_DB=sqlite XINFANG_VAR_DIR="$BENCH_TMP/import" \
  XINFANG_SQLITE_PATH="$BENCH_TMP/import/bench.sqlite3" \
  XINFANG_KEY_FILE="$BENCH_TMP/import/keys.env" \
  python -m bench.imports

echo "==> bench (indicators: 1,000,000 matters over one year, SQLite)"
mkdir -p "$BENCH_TMP/indicators"
XINFANG_DB=sqlite XINFANG_VAR_DIR="$BENCH_TMP/indicators" \
  XINFANG_SQLITE_PATH="$BENCH_TMP/indicators/bench.sqlite3" \
  XINFANG_KEY_FILE="$BENCH_TMP/indicators/keys.env" \
  python -m bench.indicators
rm -rf "$BENCH_TMP/indicators"

echo "==> bench (SQLite)"
mkdir -p "$BENCH_TMP/sqlite"
XINFANG_DB=sqlite XINFANG_VAR_DIR="$BENCH_TMP/sqlite" \
  XINFANG_SQLITE_PATH="$BENCH_TMP/sqlite/bench.sqlite3" \
  XINFANG_KEY_FILE="$BENCH_TMP/sqlite/keys.env" \
  python -m bench.run "$@"

if [[ "${SKIP_PG:-0}" != 1 ]]; then
  echo "==> bench (PostgreSQL)"
  pg_start
  mkdir -p "$BENCH_TMP/pg"
  XINFANG_VAR_DIR="$BENCH_TMP/pg" XINFANG_KEY_FILE="$BENCH_TMP/pg/keys.env" \
    python -m bench.run "$@"
fi

if [[ "${SKIP_PG:-0}" != 1 ]]; then
  echo "==> bench (indicators: 1,000,000 matters over one year, PostgreSQL)"
  pg_stop
  pg_start
  mkdir -p "$BENCH_TMP/pg-indicators"
  XINFANG_VAR_DIR="$BENCH_TMP/pg-indicators" XINFANG_KEY_FILE="$BENCH_TMP/pg-indicators/keys.env" \
    python -m bench.indicators
fi
