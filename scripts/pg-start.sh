#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the registry tests and prints the variables to use:
#   eval "$(scripts/pg-start.sh)"
# Idempotent: a second run reuses the running cluster. Stop it with: scripts/pg-start.sh stop
# Settings (environment): LIKENESS_PG_DIR (default /tmp/likeness-pg), LIKENESS_PG_PORT (default 54329).
set -euo pipefail

dir="${LIKENESS_PG_DIR:-/tmp/likeness-pg}"
port="${LIKENESS_PG_PORT:-54329}"
db=likeness_test
user=likeness_test
password_file="$dir/password"

log() { echo "pg-start: $*" >&2; }

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

bin="$(find_bin || true)"
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and this is not root: install the 'postgresql' Debian package"
    exit 2
  fi
  log "installing PostgreSQL from Debian packages"
  apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  bin="$(find_bin)"
fi

# initdb and postgres refuse to run as root: run them as the 'postgres' user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  exit 0
fi

if [ ! -s "$dir/data/PG_VERSION" ]; then
  log "creating a cluster in $dir/data"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >&2
fi

if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is taken by another server: set LIKENESS_PG_PORT to a free port"
    exit 2
  fi
  log "starting on 127.0.0.1:$port"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >&2
fi

if [ ! -s "$password_file" ]; then
  as_owner sh -c "umask 077; head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > '$password_file'"
fi
password="$(cat "$password_file")"

psql_as() { as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_as -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
  psql_as -d postgres -c "CREATE ROLE $user LOGIN PASSWORD '$password'" >&2
fi
if [ "$(psql_as -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  psql_as -d postgres -c "CREATE DATABASE $db OWNER $user" >&2
fi

echo "export LIKENESS_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/$db"
echo "export LIKENESS_DB_USER=$user"
echo "export LIKENESS_DB_PASSWORD=$password"
