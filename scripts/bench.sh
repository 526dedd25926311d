#!/usr/bin/env bash
# The benchmark: `make bench` (12 interleaved passes) or `make bench-quick` (3 passes, fewer
# no-op repeats). Builds en-migrate in release mode, makes the fixtures under target/bench, starts a
# throwaway PostgreSQL with fsync on (target/bench/pg, port 25470), times en-migrate against psql
# floors and any installed peers, writes BENCH.md at the repo root, and stops the server.
#
#   scripts/bench.sh [--quick] [--passes N] [--out FILE]
#   BENCH_INSTALL_PEERS=1 scripts/bench.sh   also installs sqlx-cli, refinery_cli and dbmate first
#                                            (slow: the two cargo installs take minutes each)
# The measuring and reporting is scripts/bench.py; this wrapper only makes sure of its tools.
set -euo pipefail
cd "$(dirname "$0")/.."

# GNU time gives the client's peak RSS and CPU (the `time` package).
if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  else
    echo "bench: /usr/bin/time is missing: sudo apt-get install time" >&2; exit 1
  fi
fi
command -v psql >/dev/null || { echo "bench: psql is missing: make deps (or apt-get install postgresql-client)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is missing" >&2; exit 1; }

if [[ "${BENCH_INSTALL_PEERS:-0}" == 1 ]]; then
  command -v sqlx >/dev/null || cargo install sqlx-cli --no-default-features --features postgres,rustls
  command -v refinery >/dev/null || cargo install refinery_cli
  command -v dbmate >/dev/null || npm install -g dbmate
fi

echo "bench: building en-migrate (release)" >&2
cargo build --release --quiet --bin en-migrate

exec python3 scripts/bench.py "$@"
