#!/usr/bin/env bash
# A private PostgreSQL server for the tests and the ETL benchmark: its own data directory, listening
# on 127.0.0.1 only, on a free port, with one database, one user and a random password.
#
#   .ci/postgres.sh start     initdb (first time), start, wait until it accepts connections, write `env`
#   .ci/postgres.sh stop      stop the server it started (fast shutdown), by its data directory
#   .ci/postgres.sh status
#
# State lives in $POSTGRES_DIR (default /tmp/scrapinghubio-postgres): data/, run/ (its socket), log,
# password, and `env`, which `start` writes for the tests:
#   SCRAPINGHUB_IT_JDBC_URL        jdbc:postgresql://127.0.0.1:PORT/scrapinghubio
#   SCRAPINGHUB_IT_JDBC_USER       scrapinghubio
#   SCRAPINGHUB_IT_JDBC_PASSWORD   the random password (also in $POSTGRES_DIR/password, mode 600)
#   PGHOST PGPORT PGDATABASE PGUSER PGPASSFILE   the same for psql
#   JDBC_URL JDBC_USER JDBC_PASSWORD_FILE          the same for the ItemsToPostgres ETL
# Needs Debian's `postgresql` package (initdb and postgres from /usr/lib/postgresql/*/bin). initdb
# refuses to run as root, so as root the server runs as the `postgres` user the package created.
set -euo pipefail

dir=${POSTGRES_DIR:-/tmp/scrapinghubio-postgres}
db=scrapinghubio
user=scrapinghubio

log() { echo "postgres: $*"; }
fail() { echo "postgres: $*" >&2; exit 1; }

# The newest installed server's binaries (Debian keeps them out of PATH).
bindir() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$b" ] && [ -x "$b/initdb" ] || fail "no PostgreSQL server found in /usr/lib/postgresql/*/bin: install it with 'apt-get install -y postgresql'"
  echo "$b"
}

# Runs a server binary as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# shellcheck source=free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

running() {
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
  if running; then
    log "already running ($(grep '^export SCRAPINGHUB_IT_JDBC_URL=' "$dir/env" | cut -d= -f2-))"
    return 0
  fi
  local bin t0=$SECONDS
  bin=$(bindir)
  mkdir -p "$dir/run"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir" "$dir/run"
    runuser -u postgres -- test -w "$dir" ||
      fail "user postgres cannot write to $dir: a parent folder is closed to it (e.g. a mktemp -d folder needs chmod 711)"
  fi
  local password
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    # A fresh cluster: trust on the private socket only (for creating the role), passwords on TCP.
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust \
      --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; fail "initdb failed"; }
    (umask 077 && printf '%s' "$password" >"$dir/password")
  else
    password=$(cat "$dir/password")
  fi
  local port
  port=$(free_port)
  # Loopback only, no Unix socket in /var/run (ours is in run/), settings for a test server: no
  # fsync (a crash loses the test data, which nobody needs), a few more connections for parallel writers.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir/run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    >/dev/null || { tail -20 "$dir/server.log" >&2; fail "the server did not start"; }
  local psql=("$bin/psql" -h "$dir/run" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$(as_owner "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
    as_owner "${psql[@]}" -c "CREATE ROLE $user LOGIN PASSWORD '$password'" >/dev/null
    as_owner "${psql[@]}" -c "CREATE DATABASE $db OWNER $user" >/dev/null
  fi
  printf '127.0.0.1:%s:%s:%s:%s\n' "$port" "$db" "$user" "$password" >"$dir/pgpass"
  chmod 600 "$dir/pgpass"
  cat >"$dir/env" <<EOF
export POSTGRES_DIR=$dir
export SCRAPINGHUB_IT_JDBC_URL=jdbc:postgresql://127.0.0.1:$port/$db
export SCRAPINGHUB_IT_JDBC_USER=$user
export SCRAPINGHUB_IT_JDBC_PASSWORD=$password
export PGHOST=127.0.0.1 PGPORT=$port PGDATABASE=$db PGUSER=$user PGPASSFILE=$dir/pgpass
export JDBC_URL=jdbc:postgresql://127.0.0.1:$port/$db JDBC_USER=$user JDBC_PASSWORD_FILE=$dir/password
EOF
  chmod 600 "$dir/env"
  log "ready in $((SECONDS - t0))s: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, database $db, user $user (data $dir/data)"
}

stop() {
  if [ ! -f "$dir/data/postmaster.pid" ]; then
    log "not running"
    return 0
  fi
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null || fail "pg_ctl stop failed (see $dir/server.log)"
  log "stopped"
}

status() {
  if running; then
    echo "running: $(grep '^export SCRAPINGHUB_IT_JDBC_URL=' "$dir/env" | cut -d= -f2-)"
  else
    echo "stopped"
    exit 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status   (state in \$POSTGRES_DIR, default /tmp/scrapinghubio-postgres)" >&2; exit 2 ;;
esac
