#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite, owned by this run.
# Usage: source scripts/throwaway-postgres.sh   (exports PUX_TEST_POSTGRES_URL and PUX_PG_DIR)
#        scripts/throwaway-postgres.sh stop DIR
set -euo pipefail

pg_bin() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$initdb" ]] || initdb=$(command -v initdb || true)
  [[ -n "$initdb" ]] || return 1
  dirname "$initdb"
}

as_owner() {
  # PostgreSQL refuses to run as root: when we are root, run it as the 'postgres' system user.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  local bin dir port
  bin=$(pg_bin) || { echo "PostgreSQL server binaries not found (install Debian 'postgresql')" >&2; return 1; }
  dir=$(mktemp -d /tmp/pux-pg.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U pux --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U pux pux_test
  export PUX_PG_DIR="$dir" PUX_PG_BIN="$bin"
  export PUX_TEST_POSTGRES_URL="postgresql+psycopg://pux@127.0.0.1:$port/pux_test"
  echo "Throwaway PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
}

stop_postgres() {
  local dir=$1 bin
  bin=$(pg_bin) || return 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    stop) stop_postgres "$2" ;;
    *) echo "source this script to start a server, or: $0 stop DIR" >&2; exit 2 ;;
  esac
fi
