# A throwaway PostgreSQL primary with a hot-standby streaming replica, for the replica tests
# (pytest -m replica). Source it, don't run it:
#   source scripts/pg_replica.sh
#   trap pg_replica_stop EXIT   # first: pg_replica_stop also cleans up a half-started pair
#   pg_replica_start            # exports XINFANG_DB=postgres, XINFANG_PG_{HOST,PORT,USER,NAME,PASSWORD}
#                               # for the primary and XINFANG_PG_REPLICA_{HOST,PORT} for the standby
#   ...
#   pg_replica_stop
# Both clusters live in one fresh temp dir and listen on free ports on 127.0.0.1 (trust auth, run as
# `postgres` when we are root). The standby is a pg_basebackup -R of the primary: it streams the
# primary's WAL, replays it and refuses writes. Durability is off on the primary, as in pg_cluster.sh.

# shellcheck source=scripts/pg_cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg_cluster.sh"

PG_REPLICA_TMPDIR="${PG_REPLICA_TMPDIR:-}"

pg_replica_start() {
  local bindir pport rport dir
  bindir="$(_pg_bindir)" || return 1
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "pg_replica: running as root but there is no 'postgres' user" >&2
    return 1
  fi
  PG_REPLICA_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/xinfang-pgrep.XXXXXX")" || return 1
  export PG_REPLICA_TMPDIR
  dir="$PG_REPLICA_TMPDIR"
  chmod 700 "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi

  _pg_as_owner "$bindir/initdb" -D "$dir/primary" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
    echo "pg_replica: initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 1; }

  # initdb's pg_hba.conf already lets 127.0.0.1 connect for replication (trust).
  pport="$(_pg_free_port)" || return 1
  _pg_as_owner "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pport -k $dir -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4 -c max_connections=50" \
    start >/dev/null || {
    echo "pg_replica: primary start failed:" >&2; cat "$dir/primary.log" >&2; return 1; }

  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile.
  _pg_as_owner "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$dir/replica" \
    -R -X stream --no-sync -c fast >"$dir/basebackup.log" 2>&1 || {
    echo "pg_replica: pg_basebackup failed:" >&2; cat "$dir/basebackup.log" >&2; return 1; }

  rport="$(_pg_free_port)" || return 1
  _pg_as_owner "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $rport -k $dir -c hot_standby=on -c max_connections=50" \
    start >/dev/null || {
    echo "pg_replica: replica start failed:" >&2; cat "$dir/replica.log" >&2; return 1; }

  "$bindir/createdb" -h 127.0.0.1 -p "$pport" -U postgres xinfang || return 1

  local i in_recovery=""
  for i in $(seq 1 50); do
    in_recovery="$("$bindir/psql" -h 127.0.0.1 -p "$rport" -U postgres -d postgres -tAc \
      "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')" 2>/dev/null || true)"
    [[ "$in_recovery" == t ]] && break
    sleep 0.2
  done
  if [[ "$in_recovery" != t ]]; then
    echo "pg_replica: the replica is not streaming from the primary:" >&2; tail -n 20 "$dir/replica.log" >&2
    return 1
  fi

  export XINFANG_DB=postgres
  export XINFANG_PG_HOST=127.0.0.1
  export XINFANG_PG_PORT="$pport"
  export XINFANG_PG_USER=postgres
  export XINFANG_PG_NAME=xinfang
  export XINFANG_PG_PASSWORD=""
  export XINFANG_PG_REPLICA_HOST=127.0.0.1
  export XINFANG_PG_REPLICA_PORT="$rport"
  echo "pg_replica: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') primary on 127.0.0.1:$pport," \
    "hot standby streaming on 127.0.0.1:$rport ($dir)"
}

pg_replica_stop() {
  # Idempotent and safe after a failed/partial pg_replica_start.
  local bindir node
  [[ -n "${PG_REPLICA_TMPDIR:-}" && -d "$PG_REPLICA_TMPDIR" ]] || return 0
  if bindir="$(_pg_bindir)"; then
    for node in replica primary; do
      if [[ -f "$PG_REPLICA_TMPDIR/$node/postmaster.pid" ]]; then
        _pg_as_owner "$bindir/pg_ctl" -D "$PG_REPLICA_TMPDIR/$node" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
      fi
    done
  fi
  rm -rf "$PG_REPLICA_TMPDIR"
  echo "pg_replica: stopped and removed $PG_REPLICA_TMPDIR"
  PG_REPLICA_TMPDIR=""
  unset XINFANG_DB XINFANG_PG_HOST XINFANG_PG_PORT XINFANG_PG_USER XINFANG_PG_NAME XINFANG_PG_PASSWORD \
    XINFANG_PG_REPLICA_HOST XINFANG_PG_REPLICA_PORT
}
