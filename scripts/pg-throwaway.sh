# Sourced by scripts/test.sh: starts a throw-away PostgreSQL cluster on a free port and exports
# TEST_DATABASE_URL; the cluster is stopped and deleted when the calling shell exits.
# Uses the local initdb/pg_ctl (Debian: apt-get install -y postgresql). As root, the cluster runs as the
# `postgres` user, because PostgreSQL refuses to run as root.

pg_bin=""
if command -v initdb >/dev/null 2>&1; then
  pg_bin="$(dirname "$(command -v initdb)")"
else
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pg_bin="$d"; done
fi
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL is needed for the tests: set TEST_DATABASE_URL, or install it (apt-get install -y postgresql)." >&2
  exit 1
fi

pg_dir="$(mktemp -d /tmp/shuzhuan-pg.XXXXXX)"
pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = "0" ]; then chown postgres "$pg_dir"; fi
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log" >&2; exit 1; }
# fsync off: this cluster is thrown away; durability is tested against the machine's own database.
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
  || { cat "$pg_dir/server.log" >&2; exit 1; }
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
pg_cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap pg_cleanup EXIT
echo "throw-away PostgreSQL on port $pg_port"
