# Throwaway PostgreSQL cluster for tests and benchmarks. Source it, don't run it:
#   source scripts/pg_cluster.sh
#   trap pg_stop EXIT      # set the trap first: pg_stop also cleans up a half-started cluster
#   pg_start               # exports XINFANG_DB=postgres and XINFANG_PG_{HOST,PORT,USER,NAME,PASSWORD}
#   ...
#   pg_stop
# The cluster lives in a fresh temp dir, listens on a free port on 127.0.0.1 only (plus a Unix
# socket inside the temp dir), uses trust auth, and runs as the `postgres` user when we are root
# (initdb refuses root). Durability is switched off: it is thrown away anyway.

PG_TMPDIR="${PG_TMPDIR:-}"

_pg_bindir() {
  # The Debian binaries, explicitly (other pg_ctl/initdb wrappers may be earlier on PATH).
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$d" || ! -x "$d/initdb" ]]; then
    echo "pg_cluster: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)" >&2
    return 1
  fi
  echo "$d"
}

_pg_as_owner() {
  # Run a command as the cluster owner.
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_pg_free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

pg_start() {
  local bindir port
  bindir="$(_pg_bindir)" || return 1
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "pg_cluster: running as root but there is no 'postgres' user" >&2
    return 1
  fi
  PG_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/xinfang-pg.XXXXXX")" || return 1
  export PG_TMPDIR
  chmod 700 "$PG_TMPDIR"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$PG_TMPDIR"
  fi

  _pg_as_owner "$bindir/initdb" -D "$PG_TMPDIR/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$PG_TMPDIR/initdb.log" 2>&1 || {
    echo "pg_cluster: initdb failed:" >&2; cat "$PG_TMPDIR/initdb.log" >&2; return 1; }

  port="$(_pg_free_port)" || return 1
  _pg_as_owner "$bindir/pg_ctl" -D "$PG_TMPDIR/data" -l "$PG_TMPDIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMPDIR -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null || {
    echo "pg_cluster: pg_ctl start failed:" >&2; cat "$PG_TMPDIR/server.log" >&2; return 1; }

  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres xinfang || return 1

  export XINFANG_DB=postgres
  export XINFANG_PG_HOST=127.0.0.1
  export XINFANG_PG_PORT="$port"
  export XINFANG_PG_USER=postgres
  export XINFANG_PG_NAME=xinfang
  export XINFANG_PG_PASSWORD=""
  echo "pg_cluster: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') on 127.0.0.1:$port ($PG_TMPDIR)"
}

pg_stop() {
  # Idempotent and safe after a failed/partial pg_start.
  local bindir
  [[ -n "${PG_TMPDIR:-}" && -d "$PG_TMPDIR" ]] || return 0
  if [[ -f "$PG_TMPDIR/data/postmaster.pid" ]] && bindir="$(_pg_bindir)"; then
    _pg_as_owner "$bindir/pg_ctl" -D "$PG_TMPDIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TMPDIR"
  echo "pg_cluster: stopped and removed $PG_TMPDIR"
  PG_TMPDIR=""
  unset XINFANG_DB XINFANG_PG_HOST XINFANG_PG_PORT XINFANG_PG_USER XINFANG_PG_NAME XINFANG_PG_PASSWORD
}
