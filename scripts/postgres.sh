#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from the Debian package in a temporary folder, listening on
# 127.0.0.1 only, and prints its URL. Stop it with: scripts/postgres.sh stop DIR
# Restart it as a platform team would to patch it (a fast shutdown: sessions are ended, then it
# starts again on the same port): scripts/postgres.sh restart DIR
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server is not installed" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  as_postgres "$bin/pg_ctl" -D "$2/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$2"
  exit 0
fi

if [ "${1:-}" = restart ]; then
  as_postgres "$bin/pg_ctl" -D "$2/data" -l "$2/server.log" -m fast -w restart >/dev/null
  exit 0
fi

dir=$(mktemp -d /tmp/inclusion-survey-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
echo "DIR=$dir"
echo "URL=postgres://postgres@127.0.0.1:$port/postgres"
