#!/usr/bin/env python3
"""Runs what logsift generates for current ClickHouse servers in chdb (a current ClickHouse in process).

Reads a manifest written by ClickHouseDialectTests: the DDL for current servers, each table's rows (TabSeparated,
dumped from Debian's clickhouse-server 18.16) and the statements a reader ran there with their answers. Creates
the tables, loads the rows, runs every statement and compares its answer with 18.16's (byte for byte when the
statement orders its rows, as sorted lines otherwise). Prints one line per difference; exits 1 if any.
"""
import json
import sys

from chdb.session import Session


def main(path):
    with open(path) as f:
        manifest = json.load(f)
    s = Session()
    db = manifest["database"]
    s.query(f"CREATE DATABASE IF NOT EXISTS {db}")
    s.query(f"USE {db}")
    for statement in manifest["ddl"]:
        s.query(statement)
    for t in manifest["tables"]:
        s.query(f"INSERT INTO {t['name']} SELECT * FROM file('{t['file']}', 'TabSeparated', '{t['structure']}')")
    version = s.query("SELECT version()", "TabSeparated").bytes().decode().strip()
    differences = 0
    for st in manifest["statements"]:
        with open(st["answer"], "rb") as f:
            want = f.read()
        try:
            got = s.query(st["sql"]).bytes()
        except Exception as e:  # noqa: BLE001 - report every failure with its statement
            print(f"FAILED on {version}: {st['sql'][:300]}: {e}")
            differences += 1
            continue
        if not st["ordered"]:
            want, got = sorted(want.split(b"\n")), sorted(got.split(b"\n"))
        if want != got:
            print(f"DIFFERENT on {version}: {st['sql'][:300]}")
            differences += 1
    print(f"chdb {version}: {len(manifest['ddl'])} DDL statements, {len(manifest['tables'])} tables, "
          f"{len(manifest['statements'])} statements, {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
