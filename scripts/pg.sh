#!/usr/bin/env bash
# A throwaway local PostgreSQL for the demo, the tests and the benchmark.
#   scripts/pg.sh start DIR [PORT] [fast]   init (once) and start a cluster in DIR; prints its URL
#   scripts/pg.sh stop DIR                  stop it
#   scripts/pg.sh bindir                    where initdb/pg_ctl/postgres are
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user.
# `fast` turns fsync off (tests only: the benchmark measures with fsync on).
set -euo pipefail

bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
  if command -v pg_config >/dev/null 2>&1; then
    local d; d=$(pg_config --bindir)
    if [[ -x "$d/initdb" ]]; then echo "$d"; return; fi
  fi
  local best
  best=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -n "$best" && -x "$best/initdb" ]]; then echo "$best"; return; fi
  echo "PostgreSQL server binaries not found: install postgresql (apt-get install postgresql) or set PG_BINDIR" >&2
  exit 1
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?usage: pg.sh start DIR [PORT] [fast] | stop DIR | bindir}
case "$cmd" in
  bindir) bindir ;;
  start)
    dir=$(realpath -m "${2:?DIR}"); port=${3:-25432}; mode=${4:-}
    bin=$(bindir)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
    fi
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB"
    if [[ "$mode" == fast ]]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -w -t 60 start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=$(realpath -m "${2:?DIR}")
    bin=$(bindir)
    if [[ -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *) echo "usage: pg.sh start DIR [PORT] [fast] | stop DIR | bindir" >&2; exit 2 ;;
esac
