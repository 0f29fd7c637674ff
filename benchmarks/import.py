"""Import speed and memory: the 1946-2019 record into a fresh SQLite file and a fresh
PostgreSQL database, next to a floor measured in the same run.

Run from the project root with the project's virtualenv:

    .venv/bin/python benchmarks/import.py                 # SQLite and PostgreSQL, 3 rounds
    .venv/bin/python benchmarks/import.py --no-postgres --rounds 5 --json out.json

What it measures (each round, in this order, so they share the machine's state):

1. **Floor**: ``sqlite3``'s own ``.import`` of the same votes CSV (870,109 rows, decompressed
   to a temporary file beforehand, not timed) into a bare table of a new file, wall time of
   the ``sqlite3`` process. Without the ``sqlite3`` command-line tool (``apt-get install -y
   sqlite3``), plain Python ``csv`` + ``sqlite3.executemany`` into a bare table instead; the
   table says which.
2. **SQLite**: a new file, migrated and seeded (not timed); then, in a child process, ``unga
   import unvotes`` of ``../shared/data/unga`` (parse, validate, complete rolls, write with
   indexes in place, commit): the child's wall time from start of the import to commit, and
   its peak resident memory (``ru_maxrss`` of the child).
3. **PostgreSQL** (unless ``--no-postgres``): the same into a throwaway database
   ``unga_bench_<pid>`` created on 127.0.0.1:5432 as user ``postgres`` and dropped at the end.
4. Also the rest of the record (2020-2021 and 2022 files) after it, and a second ``import
   all`` with nothing changed (skipped by file hash), for information.

The machine is shared and has two cores: compare the ratios to the floor (best of the
rounds for each), not absolute times.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = os.environ.get(
    "UNGA_BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def floor_cli(csv_path: Path, tmp: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``sqlite3 -cmd '.mode csv' '.import votes.csv votes'``."""
    db = tmp / f"floor_{uuid.uuid4().hex[:6]}.db"
    started = time.perf_counter()
    proc = subprocess.Popen(["sqlite3", str(db), "-cmd", ".mode csv", f".import {csv_path} votes"])
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit("sqlite3 .import failed")
    db.unlink()
    return elapsed, usage.ru_utime + usage.ru_stime


def floor_python(csv_path: Path, tmp: Path) -> tuple[float, float]:
    db = tmp / f"floor_{uuid.uuid4().hex[:6]}.db"
    cpu = time.process_time()
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    with csv_path.open(newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        conn.execute(f"CREATE TABLE votes ({', '.join(header)})")
        conn.executemany(f"INSERT INTO votes VALUES ({', '.join('?' * len(header))})", rows)
    conn.commit()
    conn.close()
    elapsed = time.perf_counter() - started
    db.unlink()
    return elapsed, time.process_time() - cpu


def prepare(url: str) -> None:
    """Migrate and seed a new database (not timed)."""
    from sqlalchemy.orm import Session

    from app.config import Settings
    from app.db import make_sync_engine
    from app.seed import load_seed
    from tests.dbutil import upgrade

    upgrade(url)
    engine = make_sync_engine(url)
    with Session(engine) as session, session.begin():
        load_seed(session, Settings().seed_dir)
    engine.dispose()


def child(url: str, what: str, data: Path) -> None:
    """Run in a child process: one import, timed; prints a JSON line."""
    from app.importers.runner import Job, all_jobs, run_import

    jobs = [Job("unvotes", data / "unga", "unvotes")] if what == "unvotes" else all_jobs(data)
    if what == "rest":
        jobs = jobs[1:]
    cpu = time.process_time()
    started = time.perf_counter()
    reports = [run_import(url, job) for job in jobs]
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": time.process_time() - cpu,
                "added": sum(r.added for r in reports),
                "skipped": sum(r.skipped for r in reports),
                "rows": sum(r.rows for r in reports),
                "inferred": sum(r.inferred_added for r in reports),
            }
        )
    )


def run_child(url: str, what: str, data: Path) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "_child", url, what, str(data)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"child import failed ({what}, {url})")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def pg_database() -> tuple[str, Any] | None:
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except Exception as exc:  # report and go on without PostgreSQL
        print(f"PostgreSQL not reachable at {PG_ADMIN}: {exc}", file=sys.stderr)
        return None
    return f"unga_bench_{os.getpid()}", admin


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    data: Path = args.data
    votes_gz = data / "unga" / "votes.csv.gz"
    if not votes_gz.exists():
        raise SystemExit(f"no {votes_gz}")
    tmp = Path(tempfile.mkdtemp(prefix="unga-bench-"))
    csv_path = tmp / "votes.csv"
    with gzip.open(votes_gz, "rb") as src, csv_path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    use_cli = shutil.which("sqlite3") is not None
    floor_method = (
        "sqlite3 CLI .import" if use_cli else "Python csv + sqlite3.executemany (no sqlite3 CLI)"
    )
    pg = None if args.no_postgres else pg_database()
    results: dict[str, list[dict[str, Any]]] = {"floor": [], "sqlite": [], "postgresql": []}
    extra: dict[str, Any] = {}
    try:
        for n in range(args.rounds):
            seconds, cpu = floor_cli(csv_path, tmp) if use_cli else floor_python(csv_path, tmp)
            results["floor"].append({"seconds": seconds, "cpu": cpu})
            db = tmp / f"bench_{n}.db"
            url = f"sqlite+aiosqlite:///{db}"
            prepare(url)
            results["sqlite"].append(run_child(url, "unvotes", data))
            if n == 0:
                extra["sqlite_rest"] = run_child(url, "rest", data)
                extra["sqlite_nothing_changed"] = run_child(url, "all", data)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            if pg is not None:
                name, admin = pg
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}"')
                info = admin.info
                pg_url = f"postgresql+psycopg://{info.user}@{info.host}:{info.port}/{name}"
                prepare(pg_url)
                results["postgresql"].append(run_child(pg_url, "unvotes", data))
                if n == 0:
                    extra["postgresql_rest"] = run_child(pg_url, "rest", data)
                    extra["postgresql_nothing_changed"] = run_child(pg_url, "all", data)
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"round {n + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        if pg is not None:
            pg[1].execute(f'DROP DATABASE IF EXISTS "{pg[0]}" WITH (FORCE)')
            pg[1].close()
        shutil.rmtree(tmp, ignore_errors=True)

    best_floor = min(r["seconds"] for r in results["floor"])
    best_floor_cpu = min(r["cpu"] for r in results["floor"])
    floors = [r["seconds"] for r in results["floor"]]
    lines = [
        f"Floor: {floor_method}; {args.rounds} rounds; wall seconds, best and median; CPU "
        "seconds of the importing process (PostgreSQL's own server processes not counted).",
        "",
        "| what | wall best | wall median | × floor (wall) | CPU best | × floor (CPU) "
        "| target | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| floor: 870,109 vote rows into a bare SQLite table | {best_floor:.2f} | "
        f"{statistics.median(floors):.2f} | 1.0 | {best_floor_cpu:.2f} | 1.0 | | |",
    ]
    for name, target in (("sqlite", 5), ("postgresql", 10)):
        rows = results[name]
        if not rows:
            continue
        secs = [r["seconds"] for r in rows]
        cpu = min(r["cpu"] for r in rows)
        rss = max(r["peak_rss_mb"] for r in rows)
        cpu_ratio = f"{cpu / best_floor_cpu:.1f}" if name == "sqlite" else "(client only)"
        lines.append(
            f"| 1946-2019 into {name}: validated, full rolls, indexes | {min(secs):.2f} | "
            f"{statistics.median(secs):.2f} | {min(secs) / best_floor:.1f} | {cpu:.2f} | "
            f"{cpu_ratio} | {target}× | {rss:.0f} |"
        )
    for key, label in (
        ("sqlite_rest", "then 2020-2022 (4 files) into sqlite"),
        ("sqlite_nothing_changed", "then `import all` again, nothing changed (sqlite)"),
        ("postgresql_rest", "then 2020-2022 (4 files) into postgresql"),
        ("postgresql_nothing_changed", "then `import all` again, nothing changed (postgresql)"),
    ):
        if key in extra:
            r = extra[key]
            wall, cpu, rss = r["seconds"], r["cpu"], r["peak_rss_mb"]
            lines.append(f"| {label} | {wall:.2f} | | | {cpu:.2f} | | | {rss:.0f} |")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(
            json.dumps({"floor_method": floor_method, **results, **extra}, indent=2)
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        child(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    else:
        main()
