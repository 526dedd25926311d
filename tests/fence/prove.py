#!/usr/bin/env python3
"""Turns a refuse-corpus file into a psql script that proves its cases reach outside expert_network.

    python3 tests/fence/prove.py tests/fence/refuse/36_more_spellings_by_class.sql > proof.sql
    psql -X -d <a scratch database with demo/public_apps.sql and sql/001-003 applied> -f proof.sql

The script runs in one transaction under the pinned search_path, as en-migrate runs a migration, and
rolls everything back at the end. The file is read as paragraphs (blank-line separated): a paragraph
with a `-- refuse:` line runs inside a savepoint, followed by its `-- proof:` queries (several joined by
`;`), then rolled back to the savepoint; any other paragraph is setup and stays. The script stops at
the first error (ON_ERROR_STOP): every case must run, and its proof must print what its comment says.
Sequence values, statistics resets and session-level advisory locks survive the rollback: use a
database made for the proof.
"""
import sys


def script(text):
    out = [
        "\\set ON_ERROR_STOP 1",
        "BEGIN;",
        "SET LOCAL search_path = expert_network, pg_catalog, pg_temp;",
    ]
    n = 0
    for para in text.split("\n\n"):
        lines = para.strip("\n").split("\n")
        stmt = "\n".join(l for l in lines if not l.strip().startswith("--")).strip()
        if not stmt:
            continue
        proofs = [l.split("-- proof:", 1)[1].strip() for l in lines if l.strip().startswith("-- proof:")]
        if any(l.strip().startswith("-- refuse:") for l in lines):
            n += 1
            title = stmt.splitlines()[0][:90].replace("'", "").replace(":", "")
            out += ["\\echo ==== case %d: %s" % (n, title), "SAVEPOINT s;", stmt]
            out += [q + ";" for q in proofs]
            out.append("ROLLBACK TO SAVEPOINT s;")
        else:
            out.append(stmt)
    out.append("ROLLBACK;")
    return "\n".join(out)


if __name__ == "__main__":
    print(script(open(sys.argv[1]).read()))
