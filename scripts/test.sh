#!/usr/bin/env bash
# Full check: system packages, dev venv, ruff, mypy, pytest on SQLite, pytest on a throwaway
# PostgreSQL cluster. Extra arguments go to both pytest runs, e.g.
#   scripts/test.sh -x -k deadlines        scripts/test.sh -n 2     (pytest-xdist)
# Environment knobs: SKIP_APT=1 (don't touch apt), SKIP_PG=1 (SQLite run only),
# SKIP_LINT=1 (no ruff/mypy), SKIP_SQLITE=1 (PostgreSQL run only), SKIP_REPLICA=1 (no streaming-replica step).
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
# Two workers for the two cores, unless the caller passes pytest arguments of their own.
if [[ $# -eq 0 ]]; then set -- -n 2; fi
step() { printf '\n==> %s  [%ds]\n' "$*" "$((SECONDS - t0))"; }

if [[ "${SKIP_APT:-0}" != 1 ]]; then
  step "system packages"
  scripts/apt_deps.sh postgresql chromium fonts-noto-cjk gettext
fi

step "dev venv"
scripts/venv.sh dev
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONDONTWRITEBYTECODE=1

if [[ "${SKIP_LINT:-0}" != 1 ]]; then
  step "ruff check"
  ruff check .
  step "mypy"
  mypy .
fi

# Test settings come from scripts/xinfang_pytest_env.py (temp var dir, fixed test keys); only the DB is chosen here.
if [[ "${SKIP_SQLITE:-0}" != 1 ]]; then
  step "pytest (SQLite)"
  XINFANG_DB=sqlite python -m pytest "$@"
fi

if [[ "${SKIP_PG:-0}" != 1 ]]; then
  step "pytest (PostgreSQL)"
  # shellcheck source=scripts/pg_cluster.sh
  source scripts/pg_cluster.sh
  trap pg_stop EXIT
  trap 'exit 130' INT TERM
  pg_start
  python -m pytest "$@"
fi

if [[ "${SKIP_PG:-0}" != 1 && "${SKIP_REPLICA:-0}" != 1 ]]; then
  step "pytest (PostgreSQL primary + hot-standby replica: the replica-marked tests)"
  pg_stop
  # shellcheck source=scripts/pg_replica.sh
  source scripts/pg_replica.sh
  trap pg_replica_stop EXIT
  pg_replica_start
  # Only where the replica tests live (collecting the whole repo would double this step's time).
  python -m pytest -m replica -q "${REPLICA_TESTS:-xinfang/tests}"
fi

step "all checks passed"
