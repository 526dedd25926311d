#!/usr/bin/env python3
# Template: psql -c "CREATE DATABASE h17_tpl"; psql h17_tpl -f demo/public_apps.sql -f scripts/guard_matrix/setup.sql; then H17_URL=postgres://postgres@127.0.0.1:PORT python3 scripts/guard_matrix/matrix.py
"""Runs each attack of cases.txt (`name | sql`, one a line, `#` comments) through `up` on a fresh copy
of the template database h17_tpl and records the exit code, the guard's message, and for a run that
passed whether pg_dump of everything but expert_network differs from the template's."""
import subprocess, sys, os, re, concurrent.futures as cf
PSQL = "/usr/lib/postgresql/15/bin/psql"
DUMP = "/usr/lib/postgresql/15/bin/pg_dump"
BASE = os.environ.get("H17_URL", "postgres://postgres@127.0.0.1:26400")
BIN = os.environ.get("H17_BIN", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../target/debug/en-migrate"))
HERE = os.path.dirname(os.path.abspath(__file__))
TPL = "h17_tpl"

def psql(db, sql):
    return subprocess.run([PSQL, f"{BASE}/{db}", "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)

def dump(db):
    r = subprocess.run([DUMP, "-N", "expert_network", "--exclude-table-data=public.schema_migrations*", f"{BASE}/{db}"], capture_output=True, text=True)
    # The tracker table and its data are en-migrate's.
    out = re.sub(r"\n\\(un)?restrict \S+", "", r.stdout)
    return out

def lit(s):
    return "'" + s.replace("'", "''") + "'"

def case(i, name, sql):
    db = f"h17_c{i}"
    psql("postgres", f"DROP DATABASE IF EXISTS {db}")
    r = psql("postgres", f"CREATE DATABASE {db} TEMPLATE {TPL}")
    if r.returncode:
        return (name, "setup-error", r.stderr.strip())
    psql(db, f"INSERT INTO expert_network.attack VALUES ({lit(sql)})")
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"{BASE}/{db}", "HOME": os.environ.get("HOME", "/root")}
    r = subprocess.run([BIN, "up", "--no-dotenv", "--dir", f"{HERE}/migs"], capture_output=True, text=True, env=env)
    msg = " ".join(r.stderr.split())
    msg = re.sub(r"^Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: ", "", msg)
    msg = re.sub(r" \(catalog state [^)]*\)", "", msg)
    verdict = {0: "PASSED", 3: "caught"}.get(r.returncode, f"exit{r.returncode}")
    if r.returncode == 0:
        d0, d1 = dump(TPL + "_applied"), dump(db)
        if d0 == d1:
            verdict = "PASSED-nodiff"
        else:
            import difflib
            diff = [l for l in difflib.unified_diff(d0.splitlines(), d1.splitlines(), lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
            msg = " || ".join(diff[:6])
    psql("postgres", f"DROP DATABASE IF EXISTS {db}")
    return (name, verdict, msg)

def main():
    cases = []
    for line in open(sys.argv[1] if len(sys.argv) > 1 else f"{HERE}/cases.txt"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        name, sql = line.split(" | ", 1)
        cases.append((name.strip(), sql.strip()))
    only = os.environ.get("H17_ONLY")
    if only:
        cases = [c for c in cases if re.search(only, c[0])]
    # The reference: the template with both migrations applied by an attack that does nothing.
    ref = TPL + "_applied"
    psql("postgres", f"DROP DATABASE IF EXISTS {ref}")
    psql("postgres", f"CREATE DATABASE {ref} TEMPLATE {TPL}")
    psql(ref, "INSERT INTO expert_network.attack VALUES ('SELECT 1')")
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"{BASE}/{ref}", "HOME": os.environ.get("HOME", "/root")}
    r = subprocess.run([BIN, "up", "--no-dotenv", "--dir", f"{HERE}/migs"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    with cf.ThreadPoolExecutor(int(os.environ.get("H17_JOBS", "2"))) as ex:
        futs = [ex.submit(case, i, n, s) for i, (n, s) in enumerate(cases)]
        for f in futs:
            name, verdict, msg = f.result()
            print(f"{verdict:14} {name:48} {msg[:400]}", flush=True)

main()
