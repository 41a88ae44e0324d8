# A throw-away PostgreSQL server owned by the calling script: Debian's postgresql (installed when missing),
# a fresh data folder, 127.0.0.1 on a free port. Sets PG_URL; stop_postgres stops it by its PID.
start_postgres() {
  need_command psql postgresql
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bindir" ] || need_command initdb postgresql
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR=$(mktemp -d)
  PG_PORT=$(free_port)
  chown postgres "$PG_DIR"
  su postgres -c "$bindir/initdb -D $PG_DIR/data -A trust -U postgres" >/dev/null
  su postgres -c "$bindir/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 ${PG_OPTIONS:--c fsync=off}' -l $PG_DIR/log start -w" >/dev/null
  PG_BIN=$bindir
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export PG_URL
  say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR/data stop -m fast" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

# A new empty database on the throw-away server; prints its URL.
create_database() {
  psql -q "$PG_URL" -c "CREATE DATABASE $1" >/dev/null
  echo "${PG_URL%/*}/$1"
}
