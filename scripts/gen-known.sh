#!/usr/bin/env bash
# Regenerates src/fence/known/*.rs, the fence's knowledge of what PostgreSQL has built in, from real
# servers of every major the project supports.
#   scripts/gen-known.sh            dump PG 13..18 (GEN_KNOWN_VERSIONS), then classify and write the tables
#   scripts/gen-known.sh classify   only classify the dumps already in target/gen-known
# Each major runs as a throwaway cluster in target/gen-pg-<major> (ports from GEN_KNOWN_PORT, 26250);
# the machine's own server binaries are used where installed, otherwise scripts/pg-version.sh fetches
# them. The dumps (scripts/gen-known/*.sql) land in target/gen-known/<major>/; the rules that classify
# them, and the hand overrides, are in scripts/gen-known.py.
set -euo pipefail
export PGOPTIONS='-c client_min_messages=warning'

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=target/gen-known
psql=${PSQL:-/usr/lib/postgresql/15/bin/psql}
queries=scripts/gen-known

dump() {
  local v=$1 port=$2 bindir dir url
  if [[ -x /usr/lib/postgresql/$v/bin/initdb ]]; then bindir=/usr/lib/postgresql/$v/bin; else bindir=$(scripts/pg-version.sh "$v"); fi
  dir=target/gen-pg-$v
  url=$(PG_BINDIR=$bindir scripts/pg.sh start "$dir" "$port" fast)
  trap 'PG_BINDIR='"$bindir"' scripts/pg.sh stop '"$dir" RETURN
  echo "== PostgreSQL $v ($bindir), port $port" >&2
  rm -rf "${out:?}/$v"; mkdir -p "$out/$v/ext"
  local q
  for q in functions relations types settings; do
    "$psql" "$url" -XAtq -F $'\t' -v ON_ERROR_STOP=1 -f "$queries/$q.sql" >"$out/$v/$q.tsv"
  done
  local available ext db schema
  available=$("$psql" "$url" -XAtq -c "SELECT name FROM pg_catalog.pg_available_extensions ORDER BY 1")
  echo "$available" >"$out/$v/available-extensions.tsv"
  for ext in $(python3 scripts/gen-known.py --dump-extensions); do
    grep -qx "$ext" <<<"$available" || { echo "   $ext: not available in $v" >&2; continue; }
    db="gen_${ext//-/_}"
    "$psql" "$url" -XAtq -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    # An extension that fixes its own schema (adminpack: pg_catalog) refuses a SCHEMA clause.
    schema="SCHEMA expert_network"
    "$psql" "$url" -XAtq -c "SELECT 1 FROM pg_catalog.pg_available_extension_versions
        WHERE name = '$ext' AND schema IS NOT NULL" | grep -q 1 && schema=""
    "$psql" "${url%/postgres}/$db" -XAtq -v ON_ERROR_STOP=1 \
      -c "CREATE SCHEMA expert_network" -c "CREATE EXTENSION \"$ext\" $schema CASCADE"
    "$psql" "${url%/postgres}/$db" -XAtq -F $'\t' -v ON_ERROR_STOP=1 -v ext="$ext" \
      -f "$queries/extension.sql" >"$out/$v/ext/$ext.tsv"
    "$psql" "$url" -XAtq -c "DROP DATABASE $db"
  done
}

if [[ ${1:-} != classify ]]; then
  port=${GEN_KNOWN_PORT:-26250}
  for v in ${GEN_KNOWN_VERSIONS:-13 14 15 16 17 18}; do
    dump "$v" "$port"
    port=$((port + 1))
  done
fi
python3 scripts/gen-known.py "$out" src/fence/known
