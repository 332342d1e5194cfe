#!/usr/bin/env bash
# Side by side with django-helpdesk 2.6: the same operations at the same sizes, in one run, on this
# machine, on SQLite and then on a throwaway PostgreSQL cluster; prints the table with ratios and
# appends it to bench/RESULTS.md.
#   scripts/bench_helpdesk.sh                       # sizes 10000,100000, 20 requests per scenario
#   SIZES=2000 REPS=5 CREATE=10 NO_RECORD=1 SKIP_PG=1 scripts/bench_helpdesk.sh    # a quick check
# django-helpdesk runs in its own virtualenv, var/bench-helpdesk-venv, made here from
# bench/helpdesk/requirements.txt (the project's .venv is not touched). Each size gets a fresh
# database per side: Xinfang is measured first (python -m bench.helpdesk.xinfang_side, which runs
# bench.scenarios.run_size as `make bench` does, plus the report), then django-helpdesk
# (python -m bench.helpdesk.run). SKIP_PG=1: SQLite only; SKIP_SQLITE=1: PostgreSQL only.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-10000,100000}"
REPS="${REPS:-20}"  # 20, not make bench's 50: django-helpdesk's report takes seconds at 100,000
CREATE="${CREATE:-200}"
HD_VENV=var/bench-helpdesk-venv
# The two halves' JSON stays here (git ignores var/), so the table can be redone with bench.helpdesk.compare.
OUT_DIR="${OUT_DIR:-var/bench-helpdesk-results/$(date -u +%Y%m%dT%H%M%SZ)}"
REQS=bench/helpdesk/requirements.txt

[[ "${SKIP_APT:-0}" == 1 || "${SKIP_PG:-0}" == 1 ]] || scripts/apt_deps.sh postgresql
scripts/venv.sh prod

# The django-helpdesk venv: (re)made when missing or when its requirements changed.
stamp="$HD_VENV/.requirements.sha256"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ ! -x "$HD_VENV/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  echo "==> django-helpdesk venv ($HD_VENV from $REQS)"
  rm -rf "$HD_VENV"
  mkdir -p var
  python3.11 -m venv "$HD_VENV"
  "$HD_VENV/bin/pip" install -q --disable-pip-version-check -r "$REQS"
  echo "$want" >"$stamp"
fi

BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/xinfang-bench-helpdesk.XXXXXX")"
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh
cleanup() { pg_stop; rm -rf "$BENCH_TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
export PYTHONDONTWRITEBYTECODE=1

pairs=()
run_size() {  # backend size
  local db="$1" size="$2" dir="$BENCH_TMP/$1-$2" out="$OUT_DIR/$1-$2"
  mkdir -p "$dir/xf" "$dir/hd" "$out"
  if [[ "$db" == postgres ]]; then
    local bindir
    bindir="$(_pg_bindir)"
    "$bindir/createdb" -h "$XINFANG_PG_HOST" -p "$XINFANG_PG_PORT" -U postgres "xf_$size"
    "$bindir/createdb" -h "$XINFANG_PG_HOST" -p "$XINFANG_PG_PORT" -U postgres "hd_$size"
  fi
  echo "==> Xinfang, $db, $size matters"
  XINFANG_PG_NAME="xf_$size" XINFANG_VAR_DIR="$dir/xf" XINFANG_SQLITE_PATH="$dir/xf/bench.sqlite3" \
    XINFANG_KEY_FILE="$dir/xf/keys.env" DJANGO_SETTINGS_MODULE=xinfang.settings \
    .venv/bin/python -m bench.helpdesk.xinfang_side --sizes "$size" --reps "$REPS" --intake "$CREATE" \
    --json "$out/xinfang.json"
  local units
  units="$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["units"])' "$out/xinfang.json")"
  echo "==> django-helpdesk, $db, $size tickets ($units queues, one per Xinfang unit)"
  HELPDESK_PG_NAME="hd_$size" HELPDESK_VAR_DIR="$dir/hd" HELPDESK_SQLITE_PATH="$dir/hd/helpdesk.sqlite3" \
    DJANGO_SETTINGS_MODULE=bench.helpdesk.settings \
    "$HD_VENV/bin/python" -m bench.helpdesk.run --sizes "$size" --reps "$REPS" --create "$CREATE" \
    --queues "$units" --json "$out/helpdesk.json"
  pairs+=(--pair "$out/xinfang.json" "$out/helpdesk.json")
}

IFS=, read -r -a size_list <<<"$SIZES"
export XINFANG_DB=sqlite
if [[ "${SKIP_SQLITE:-0}" != 1 ]]; then
  for size in "${size_list[@]}"; do run_size sqlite "$size"; done
fi
if [[ "${SKIP_PG:-0}" != 1 ]]; then
  pg_start
  for size in "${size_list[@]}"; do run_size postgres "$size"; done
fi

cmd="scripts/bench_helpdesk.sh (SIZES=$SIZES REPS=$REPS CREATE=$CREATE${SKIP_PG:+ SKIP_PG=$SKIP_PG})"
record=()
[[ "${NO_RECORD:-0}" == 1 ]] && record=(--no-record)
echo
.venv/bin/python -m bench.helpdesk.compare --command "$cmd" "${record[@]}" "${pairs[@]}"
