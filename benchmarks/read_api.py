"""Read API throughput: unga-tracker vs a bare-bytes ceiling and vs Datasette 0.65 (issue 4).

Run from the project root with the project's virtualenv:

    .venv/bin/python benchmarks/read_api.py                      # SQLite and PostgreSQL
    .venv/bin/python benchmarks/read_api.py --db sqlite --duration 8
    .venv/bin/python benchmarks/read_api.py --sqlite-file benchmarks/.cache/unga_read_bench.db

What it does, all on 127.0.0.1, in about 15 minutes with the defaults (both databases, two
rounds of 8 s per figure):

1. Installs what it needs: ``wrk`` (``apt-get install wrk`` if missing) and Datasette 0.65.x in
   its own virtualenv under ``benchmarks/.cache/`` (with the project's uvicorn version and
   extras, so that every server runs on the same uvicorn, uvloop and httptools).
2. Imports the full 1946-2022 record with the project's own commands (``unga db upgrade``,
   ``unga seed``, ``unga import all DATA_DIR``) into a fresh SQLite file (or reuses
   ``--sqlite-file``) and, for PostgreSQL, into a throwaway database ``unga_bench_read_<pid>``
   on 127.0.0.1:5432 (user postgres), dropped at the end.
3. Starts each server as one uvicorn worker on a free port of 127.0.0.1 with the same settings
   (``uvicorn.run(app, workers=1, log_level="warning", access_log=False)``, uvloop and
   httptools); only one of them is under load at a time:

   * the API (``app.main.create_app``) with the read rate limit off (``UNGA_RATE_LIMIT_READS=0``:
     every request comes from one client here) and every other setting at its default;
   * the ceiling: a bare Starlette route returning, from memory, the bytes and content type the
     API itself returned for the roll of A/RES/75/287;
   * Datasette 0.65 over the same SQLite file, opened immutable (``-i``), with canned queries for
     a roll (votes of one vote event joined with countries) and for a country page (1,000 votes
     joined with their vote events and resolutions, newest first), read with ``?_shape=array``,
     and a view ``bench_country_votes`` (created in the SQLite file, which the API ignores) whose
     CSV Datasette streams (``.csv?country=USA&_stream=on&_size=max``).
4. Drives each with wrk (2 threads, 32 connections, 4 for CSV, a warm-up, then ``--duration``
   seconds) with Lua scripts that rotate over the URLs in a fixed shuffled order. Reference and
   API runs alternate for ``--rounds`` rounds and the best round of each counts (background load
   only slows a run down); every round is reported with the CPU that other processes used
   meanwhile. The API is measured warm (every URL requested once just before the run, as a
   long-running server's prepared-bytes cache holds them; the targets are judged on this) and
   uncached (a unique dummy query parameter on every request, which the API ignores, so each
   one misses the cache and runs the queries and serialisation).
5. Prints a markdown table with the ratios and PASS/MISS per target of issue 4, and writes it,
   with the method, into the "## Read API" section of ``docs/benchmarks.md`` (other sections
   are left as they are).

The machine has two cores that wrk, the servers (and PostgreSQL) share with whatever else runs:
compare ratios measured in the same run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DATA_DIR = ROOT.parent / "shared" / "data"
DOC = ROOT / "docs" / "benchmarks.md"
DATASETTE_SPEC = "datasette>=0.65,<0.66"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_HOSTPORT = "127.0.0.1:5432"

SAME_SYMBOL = "A/RES/75/287"
SAME_PATH = f"/v1/resolutions/{SAME_SYMBOL}/votes"
CSV_COUNTRY = "USA"
CONNECTIONS = 32
CSV_CONNECTIONS = 4
THREADS = 2
WARMUP_S = 2.0
PREWARM_WORKERS = 8

# ------------------------------------------------------------------------------- Datasette

# Datasette names a database after its file; the metadata is written per file.
DATASETTE_VIEW = """
CREATE VIEW IF NOT EXISTS bench_country_votes AS
SELECT c.code AS country, v.vote_event_id, r.symbol, r.draft_symbol,
       coalesce(r.title, ve.title) AS title, s.code AS session, ve.voted_on AS date,
       ve.date_approximate, ve.kind, ve.is_main, v.position, v.non_voting_reason, v.inferred,
       v.intended_position, v.name_in_source, v.outside_membership,
       ve.yes_count AS yes, ve.no_count AS no, ve.abstain_count AS abstain,
       ve.non_voting_count AS non_voting, ve.computed_outcome AS outcome
FROM votes v
JOIN countries c ON c.id = v.country_id
JOIN vote_events ve ON ve.id = v.vote_event_id
LEFT JOIN resolutions r ON r.id = ve.resolution_id
LEFT JOIN ga_sessions s ON s.id = ve.ga_session_id
"""

ROLL_SQL = """
select c.code, c.iso2, c.name, v.position, v.non_voting_reason, v.inferred,
       v.intended_position, v.name_in_source, v.outside_membership
from votes v join countries c on c.id = v.country_id
where v.vote_event_id = :event
order by v.position, c.name
"""

# Narrow rows are sorted first and the wide columns joined on the 1,000 kept: 19 ms instead of
# 55 ms for the plain join + ORDER BY + LIMIT on the USA (what a careful SQL user would write).
COUNTRY_SQL = """
with page as (
  select v.id as vote_id, ve.id as event_id, ve.voted_on
  from votes v join vote_events ve on ve.id = v.vote_event_id
  where v.country_id = (select id from countries where code = :code)
  order by ve.voted_on desc, ve.id desc
  limit 1000
)
select v.vote_event_id, r.symbol, r.draft_symbol, coalesce(r.title, ve.title) as title,
       s.code as session, ve.voted_on as date, ve.date_approximate, ve.kind, ve.is_main,
       v.position, v.non_voting_reason, v.inferred, v.intended_position, v.name_in_source,
       v.outside_membership, ve.yes_count as yes, ve.no_count as no,
       ve.abstain_count as abstain, ve.non_voting_count as non_voting,
       ve.computed_outcome as outcome
from page p
join votes v on v.id = p.vote_id
join vote_events ve on ve.id = p.event_id
left join resolutions r on r.id = ve.resolution_id
left join ga_sessions s on s.id = ve.ga_session_id
order by p.voted_on desc, p.event_id desc
"""

DATASETTE_SETTINGS: dict[str, Any] = {
    # Long enough that no query is cut off under load (the default is 1,000 ms).
    "sql_time_limit_ms": 20_000,
    "max_returned_rows": 1000,
    "allow_csv_stream": True,
    "suggest_facets": False,
}


def datasette_metadata(db_name: str) -> dict[str, Any]:
    return {
        "title": "unga-tracker read benchmark",
        "databases": {
            db_name: {
                "queries": {
                    "roll": {"sql": ROLL_SQL.strip(), "title": "The roll of one vote event"},
                    "country_page": {
                        "sql": COUNTRY_SQL.strip(),
                        "title": "A country's latest 1,000 votes",
                    },
                }
            }
        },
    }


# ------------------------------------------------------------------------------- plumbing


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, quiet: bool = False) -> str:
    """Run a command, raising with its output if it fails."""
    proc = subprocess.run(list(cmd), env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
            f"{proc.stderr[-3000:]}"
        )
    if not quiet and proc.stdout.strip():
        log(proc.stdout.strip().splitlines()[-1][:200])
    return proc.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, *, timeout: float = 60.0) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return int(resp.status), str(resp.headers.get("content-type", "")), resp.read()


def unga_cmd() -> str:
    return str(Path(sys.executable).parent / "unga")


# ------------------------------------------------------------------------------- installs


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-q"], env=env, quiet=True)
    run(["apt-get", "install", "-y", "-q", "wrk"], env=env, quiet=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still missing after apt-get install wrk")
    return found


def ensure_datasette() -> Path:
    """Datasette 0.65.x in its own virtualenv, on the project's uvicorn (same version, extras)."""
    uvicorn_version = importlib_metadata.version("uvicorn")
    venv = CACHE / "datasette-venv"
    py = venv / "bin" / "python"
    stamp = venv / ".installed"
    want = f"{DATASETTE_SPEC} uvicorn[standard]=={uvicorn_version}"
    if not (py.exists() and stamp.exists() and stamp.read_text() == want):
        log(f"installing {want} into {venv.relative_to(ROOT)}")
        CACHE.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "venv", "--clear", str(venv)], quiet=True)
        run(
            [
                str(py),
                "-m",
                "pip",
                "install",
                "-q",
                DATASETTE_SPEC,
                f"uvicorn[standard]=={uvicorn_version}",
            ],
            quiet=True,
        )
        stamp.write_text(want)
    return py


def package_version(py: Path, name: str) -> str:
    code = f"from importlib.metadata import version; print(version({name!r}))"
    return subprocess.run(
        [str(py), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


# ------------------------------------------------------------------------------- data


def import_record(database_url: str) -> float:
    """Migrate, seed and import the full record with the project's own CLI; seconds taken."""
    env = {**os.environ, "UNGA_DATABASE_URL": database_url}
    started = time.monotonic()
    run([unga_cmd(), "db", "upgrade"], env=env, quiet=True)
    run([unga_cmd(), "seed"], env=env)
    out = run([unga_cmd(), "import", "all", str(DATA_DIR)], env=env, quiet=True)
    for line in out.strip().splitlines():
        log(line[:160])
    return time.monotonic() - started


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def prepare_sqlite(path: Path | None) -> tuple[Path, float | None]:
    if path is not None:
        if not path.is_file():
            raise SystemExit(f"--sqlite-file {path}: no such file")
        log(f"reusing {path}")
        return path.resolve(), None
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "unga_read_bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log(f"importing the full record into {path.relative_to(ROOT)}")
    took = import_record(sqlite_url(path))
    log(f"SQLite import took {took:.1f} s")
    return path, took


def add_datasette_view(path: Path) -> None:
    """The view Datasette streams as CSV; checkpointed so that an immutable open sees it."""
    con = sqlite3.connect(path)
    try:
        con.executescript(DATASETTE_VIEW)
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


@dataclass
class Fixture:
    """What the URL lists are made of, read from one database."""

    event_ids: list[int]
    countries: list[str]
    votes: int


def sqlite_fixture(path: Path) -> Fixture:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return fixture_from(con.execute)
    finally:
        con.close()


def fixture_from(execute: Any) -> Fixture:
    events = [int(r[0]) for r in execute("SELECT id FROM vote_events ORDER BY id").fetchall()]
    codes = [
        str(r[0])
        for r in execute(
            "SELECT code FROM countries WHERE id IN (SELECT DISTINCT country_id FROM votes) "
            "ORDER BY code"
        ).fetchall()
    ]
    votes = int(execute("SELECT count(*) FROM votes").fetchone()[0])
    return Fixture(events, codes, votes)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway database on 127.0.0.1:5432, dropped on the way out."""
    import psycopg

    name = f"unga_bench_read_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    log(f"created PostgreSQL database {name}")
    try:
        yield f"postgresql+asyncpg://postgres@{PG_HOSTPORT}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped PostgreSQL database {name}")


def postgres_fixture(url: str) -> tuple[Fixture, str]:
    import psycopg

    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    with psycopg.connect(plain) as con:
        version = str(con.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
        return fixture_from(con.execute), version


# ------------------------------------------------------------------------------- servers


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def serve(
    name: str, python: Path | str, args: Sequence[str], *, env: dict[str, str], ready_path: str
) -> Iterator[Server]:
    """One uvicorn worker running ``read_api.py _serve ...`` until the block ends."""
    port = free_port()
    log_path = CACHE / f"server-{name}.log"
    cmd = [str(python), str(Path(__file__).resolve()), "_serve", *args, "--port", str(port)]
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, port, proc, log_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited: {log_path.read_text()[-2000:]}")
            try:
                status, _, _ = http_get(server.base + ready_path, timeout=30)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not become ready: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def api_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "UNGA_DATABASE_URL": database_url,
        "UNGA_RATE_LIMIT_READS": "0",
        "PYTHONUNBUFFERED": "1",
    }


# ------------------------------------------------------------------------------- wrk

LUA_TEMPLATE = """-- generated by benchmarks/read_api.py
local paths = {
%(paths)s
}
local bust = %(bust)s
local salt = "%(salt)s"
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
end

function init(args)
  idx = (tid * 7919) %% #paths
  n = 0
end

function request()
  idx = idx %% #paths + 1
  local path = paths[idx]
  if bust then
    n = n + 1
    local sep = "?"
    if string.find(path, "?", 1, true) then sep = "&" end
    path = path .. sep .. "nocache=" .. salt .. "-" .. tid .. "-" .. n
  end
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %%.0f, \\"duration_us\\": %%.0f, \\"bytes\\": %%.0f, " ..
    "\\"connect\\": %%.0f, \\"read\\": %%.0f, \\"write\\": %%.0f, \\"status\\": %%.0f, " ..
    "\\"timeout\\": %%.0f, \\"p50_us\\": %%.0f, \\"p90_us\\": %%.0f, \\"p99_us\\": %%.0f, " ..
    "\\"max_us\\": %%.0f}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


@dataclass
class Measure:
    requests: int
    seconds: float
    bytes: int
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    kb_per_response: float = 0.0  # of the first URL, from one plain GET
    others_cores: float = 0.0  # CPU used meanwhile by everything but this server and wrk

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def lua_script(paths: Sequence[str], *, bust: bool) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    body = LUA_TEMPLATE % {
        "paths": ",\n".join(json.dumps(p) for p in paths),
        "bust": "true" if bust else "false",
        "salt": f"{os.getpid()}{random.randrange(10**9)}",
    }
    path = CACHE / f"wrk-{os.getpid()}-{random.randrange(10**9)}.lua"
    path.write_text(body)
    return path


def wrk(
    wrk_bin: str,
    base: str,
    paths: Sequence[str],
    *,
    seconds: float,
    connections: int,
    bust: bool = False,
) -> Measure:
    script = lua_script(paths, bust=bust)
    try:
        cmd = [
            wrk_bin,
            f"-t{THREADS}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            base + "/",
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        script.unlink(missing_ok=True)
    match = re.search(r"^WRKJSON (\{.*\})$", out, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no summary from wrk:\n{out}")
    d = json.loads(match.group(1))
    return Measure(
        requests=int(d["requests"]),
        seconds=d["duration_us"] / 1e6,
        bytes=int(d["bytes"]),
        errors=int(d["connect"] + d["read"] + d["write"] + d["status"] + d["timeout"]),
        p50_ms=d["p50_us"] / 1000,
        p90_ms=d["p90_us"] / 1000,
        p99_ms=d["p99_us"] / 1000,
        max_ms=d["max_us"] / 1000,
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """This process and its finished children (wrk), user + system."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Quiet:
    """Waits, within a total budget, for the machine to be quiet before a case starts."""

    budget: float
    threshold: float = 0.5  # cores used by other processes

    def wait(self) -> float:
        """Other processes' CPU use (cores) over the last 3 s sampled (0 once out of budget)."""
        while self.budget > 0:
            busy, mine, t0 = machine_busy_seconds(), own_cpu_seconds(), time.monotonic()
            time.sleep(3)
            elapsed = time.monotonic() - t0
            others = max(0.0, (machine_busy_seconds() - busy) - (own_cpu_seconds() - mine))
            others /= elapsed
            self.budget -= elapsed
            if others < self.threshold or self.budget <= 0:
                return others
            log(f"  other processes use {others:.1f} cores: waiting ({self.budget:.0f} s left)")
        return 0.0


def measure(
    wrk_bin: str,
    server: Server,
    paths: Sequence[str],
    *,
    duration: float,
    connections: int,
    bust: bool = False,
    label: str,
) -> Measure:
    status, _, body = http_get(server.base + paths[0], timeout=120)
    if status != 200:
        raise RuntimeError(f"{server.name} {paths[0]}: {status}")
    wrk(wrk_bin, server.base, paths, seconds=WARMUP_S, connections=connections, bust=bust)
    wait_idle(server)
    busy, mine, served = machine_busy_seconds(), own_cpu_seconds(), cpu_seconds(server.proc.pid)
    started = time.monotonic()
    m = wrk(wrk_bin, server.base, paths, seconds=duration, connections=connections, bust=bust)
    elapsed = time.monotonic() - started
    others = (
        (machine_busy_seconds() - busy)
        - (own_cpu_seconds() - mine)
        - (cpu_seconds(server.proc.pid) - served)
    )
    m.others_cores = max(0.0, others / elapsed)
    m.kb_per_response = len(body) / 1024
    wait_idle(server)
    log(
        f"  {label:<36} {m.rps:>9,.1f} req/s  p50 {m.p50_ms:7.1f} ms  p99 {m.p99_ms:7.1f} ms"
        f"  {m.kb_per_response:7.1f} KB  err {m.errors}  others {m.others_cores:.2f} cores"
    )
    return m


def wait_idle(server: Server, *, limit: float = 120.0) -> None:
    """Wait until the server has finished the requests wrk left behind (a server carries on
    with a request whose client has gone), so that they don't weigh on the next run."""
    deadline = time.monotonic() + limit
    before = cpu_seconds(server.proc.pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(server.proc.pid)
        if now - before < 0.03:
            return
        before = now
    log(f"  {server.name} still busy after {limit:g} s")


def prewarm(server: Server, paths: Sequence[str]) -> tuple[float, int]:
    """Request every URL once (a few at a time), so the API's prepared-bytes cache holds them
    all; returns the pass's requests/s and the bytes of all the bodies."""
    started = time.monotonic()

    def one(path: str) -> int:
        status, _, body = http_get(server.base + path, timeout=120)
        if status != 200:
            raise RuntimeError(f"{path}: {status}")
        return len(body)

    with ThreadPoolExecutor(PREWARM_WORKERS) as pool:
        total = sum(pool.map(one, paths))
    took = time.monotonic() - started
    wait_idle(server)
    return len(paths) / took, total


# ------------------------------------------------------------------------------- checks


def csv_rows(body: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1


def check_same_data(api: Server, ds: Server | None, db_name: str, fx: Fixture) -> None:
    """Both sides answer the benchmark's URLs with the same number of rows."""
    event = fx.event_ids[len(fx.event_ids) // 2]
    _, _, body = http_get(f"{api.base}/v1/vote-events/{event}/votes")
    api_roll = json.loads(body)["total"]
    _, _, body = http_get(f"{api.base}/v1/countries/{CSV_COUNTRY}/votes?limit=1000")
    api_page = len(json.loads(body)["items"])
    _, _, body = http_get(f"{api.base}/v1/countries/{CSV_COUNTRY}/votes?format=csv")
    api_csv = csv_rows(body)
    log(f"  API: roll {event} {api_roll} rows, page {api_page}, {CSV_COUNTRY} CSV {api_csv} rows")
    if ds is None:
        return
    _, _, body = http_get(f"{ds.base}/{db_name}/roll.json?event={event}&_shape=array")
    ds_roll = len(json.loads(body))
    _, _, body = http_get(f"{ds.base}/{db_name}/country_page.json?code={CSV_COUNTRY}&_shape=array")
    ds_page = len(json.loads(body))
    _, _, body = http_get(f"{ds.base}{datasette_csv_path(db_name)}")
    ds_csv = csv_rows(body)
    log(f"  Datasette: roll {ds_roll} rows, page {ds_page}, {CSV_COUNTRY} CSV {ds_csv} rows")
    if (api_roll, api_page, api_csv) != (ds_roll, ds_page, ds_csv):
        raise RuntimeError("the API and Datasette disagree on the benchmark's data")


def datasette_csv_path(db_name: str) -> str:
    return f"/{db_name}/bench_country_votes.csv?country={CSV_COUNTRY}&_stream=on&_size=max"


# ------------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    reference: str  # "ceiling" or "datasette"
    target: float  # minimum ratio API/reference
    p99_max_ms: float | None = None
    connections: int = CONNECTIONS


CASES = (
    Case("same", f"same roll ({SAME_SYMBOL}) again and again", "ceiling", 0.5, 20.0),
    Case("rolls", "rolls of every vote event, rotating", "datasette", 5.0),
    Case("country", "country page of 1,000 votes, rotating over countries", "datasette", 5.0),
    Case(
        "csv",
        f"{CSV_COUNTRY} whole history as streamed CSV",
        "datasette",
        10.0,
        connections=CSV_CONNECTIONS,
    ),
)


def best(ms: Sequence[Measure]) -> Measure | None:
    """The round with the most requests/s: background load only ever slows a run down."""
    return max(ms, key=lambda m: m.rps) if ms else None


@dataclass
class Row:
    db: str
    case: Case
    warm: list[Measure]
    uncached: list[Measure]
    reference: list[Measure]
    first_pass_rps: float | None = None
    all_bytes: int = 0  # of every URL's body, once

    @property
    def api(self) -> Measure:
        m = best(self.warm)
        assert m is not None
        return m

    @property
    def ref(self) -> Measure:
        m = best(self.reference)
        assert m is not None
        return m

    @property
    def ratio(self) -> float:
        return self.api.rps / self.ref.rps if self.ref.rps else 0.0

    @property
    def uncached_ratio(self) -> float | None:
        m = best(self.uncached)
        if m is None or not self.ref.rps:
            return None
        return m.rps / self.ref.rps

    def verdict(self, m: Measure, ratio: float) -> str:
        ok = ratio >= self.case.target and m.errors == 0
        if self.case.p99_max_ms is not None:
            ok = ok and m.p99_ms < self.case.p99_max_ms
        return "PASS" if ok else "MISS"


@dataclass
class Run:
    started: datetime
    loadavg: tuple[float, float, float]
    duration: float
    rounds: int
    versions: dict[str, str]
    fixtures: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def api_paths(case: str, fx: Fixture, rng: random.Random) -> list[str]:
    if case == "same":
        return [SAME_PATH]
    if case == "rolls":
        paths = [f"/v1/vote-events/{i}/votes" for i in fx.event_ids]
    elif case == "country":
        paths = [f"/v1/countries/{c}/votes?limit=1000" for c in fx.countries]
    else:
        return [f"/v1/countries/{CSV_COUNTRY}/votes?format=csv"]
    rng.shuffle(paths)
    return paths


def reference_paths(case: str, fx: Fixture, db_name: str, rng: random.Random) -> list[str]:
    if case == "same":
        return [SAME_PATH]
    if case == "rolls":
        paths = [f"/{db_name}/roll.json?event={i}&_shape=array" for i in fx.event_ids]
    elif case == "country":
        paths = [f"/{db_name}/country_page.json?code={c}&_shape=array" for c in fx.countries]
    else:
        return [datasette_csv_path(db_name)]
    rng.shuffle(paths)
    return paths


@dataclass
class Bench:
    wrk_bin: str
    duration: float
    rounds: int
    quiet: Quiet

    def case(
        self,
        db: str,
        case: Case,
        api: Server,
        ref: Server,
        paths: Sequence[str],
        ref_paths: Sequence[str],
    ) -> Row:
        """Alternate reference and API runs, ``rounds`` times, so that a change in background
        load weighs on both sides alike."""
        row = Row(db, case, [], [], [])
        conns = case.connections
        self.quiet.wait()
        for n in range(1, self.rounds + 1):
            tag = f"{db} {case.key} #{n}"
            row.reference.append(
                measure(
                    self.wrk_bin,
                    ref,
                    ref_paths,
                    duration=self.duration,
                    connections=conns,
                    label=f"{tag} {ref.name}",
                )
            )
            if case.key != "same":
                # Before the warm run: unique URLs fill the LRU, and the prewarm evicts them.
                row.uncached.append(
                    measure(
                        self.wrk_bin,
                        api,
                        paths,
                        duration=self.duration,
                        connections=conns,
                        bust=True,
                        label=f"{tag} API uncached",
                    )
                )
            if len(paths) > 1:
                rate, row.all_bytes = prewarm(api, paths)
                log(
                    f"  {tag} API: pass over {len(paths)} URLs at {rate:,.0f} req/s, "
                    f"{row.all_bytes / 2**20:,.0f} MiB in all"
                )
                if row.first_pass_rps is None:
                    row.first_pass_rps = rate
            row.warm.append(
                measure(
                    self.wrk_bin,
                    api,
                    paths,
                    duration=self.duration,
                    connections=conns,
                    label=f"{tag} API warm",
                )
            )
        return row


# ------------------------------------------------------------------------------- report


def fmt_rps(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def target_text(case: Case) -> str:
    text = f"≥ {case.target:g}×"
    if case.reference == "ceiling":
        text = f"≥ {case.target:.0%} of ceiling"
    if case.p99_max_ms is not None:
        text += f", p99 < {case.p99_max_ms:g} ms"
    return text


def table(run_: Run) -> str:
    lines = [
        "| db | case | API req/s | API p50 / p99 ms | reference | ref req/s | ref p99 ms "
        "| ratio | target | result | uncached API req/s (p99 ms) | uncached ratio | uncached |",
        "|---|---|---:|---:|---|---:|---:|---:|---|---|---:|---:|---|",
    ]
    for r in run_.rows:
        ref = "bare Starlette, same bytes" if r.case.reference == "ceiling" else "Datasette 0.65"
        unc = unc_ratio = unc_verdict = "–"
        u = best(r.uncached)
        if u is not None and r.uncached_ratio is not None:
            unc = f"{fmt_rps(u.rps)} ({u.p99_ms:,.0f})"
            unc_ratio = f"{r.uncached_ratio:.2f}×"
            unc_verdict = r.verdict(u, r.uncached_ratio)
        errors = f" ({r.api.errors} errors)" if r.api.errors else ""
        lines.append(
            f"| {r.db} | {r.case.title} | {fmt_rps(r.api.rps)}{errors} "
            f"| {r.api.p50_ms:.1f} / {r.api.p99_ms:.1f} | {ref} | {fmt_rps(r.ref.rps)} "
            f"| {r.ref.p99_ms:,.1f} | {r.ratio:.2f}× | {target_text(r.case)} "
            f"| **{r.verdict(r.api, r.ratio)}** | {unc} | {unc_ratio} | {unc_verdict} |"
        )
    return "\n".join(lines)


def rounds_detail(run_: Run) -> str:
    """Every round's req/s (p99 ms) [others' CPU in cores], to show the spread."""

    def fmt(ms: Sequence[Measure]) -> str:
        return ", ".join(f"{fmt_rps(m.rps)} ({m.p99_ms:,.0f}) [{m.others_cores:.1f}]" for m in ms)

    lines = []
    for r in run_.rows:
        parts = [f"API warm {fmt(r.warm)}"]
        if r.uncached:
            parts.append(f"API uncached {fmt(r.uncached)}")
        parts.append(f"{r.case.reference} {fmt(r.reference)}")
        if r.first_pass_rps is not None:
            parts.append(
                f"first pass over all {len_label(r)} {fmt_rps(r.first_pass_rps)} req/s "
                f"({r.all_bytes / 2**20:,.0f} MiB of responses in all)"
            )
        lines.append(f"- {r.db}, {r.case.key}: " + "; ".join(parts))
    return "\n".join(lines)


def verdicts(run_: Run) -> str:
    warm = [r.verdict(r.api, r.ratio) for r in run_.rows]
    cold = [
        r.verdict(m, r.uncached_ratio)
        for r in run_.rows
        if (m := best(r.uncached)) is not None and r.uncached_ratio is not None
    ]
    return (
        f"Warm: {warm.count('PASS')} PASS, {warm.count('MISS')} MISS. "
        f"Uncached: {cold.count('PASS')} PASS, {cold.count('MISS')} MISS."
    )


def len_label(r: Row) -> str:
    return {"rolls": "rolls", "country": "country pages"}.get(r.case.key, "URLs")


def sizes(run_: Run) -> str:
    out = []
    for r in run_.rows:
        if r.db != run_.rows[0].db:
            continue
        out.append(
            f"{r.case.key}: API {r.api.kb_per_response:,.1f} KB, {r.case.reference} "
            f"{r.ref.kb_per_response:,.1f} KB"
        )
    return "; ".join(out)


def section(run_: Run) -> str:
    v = run_.versions
    la = ", ".join(f"{x:.2f}" for x in run_.loadavg)
    return f"""## Read API

`benchmarks/read_api.py` (issue 4): one command,
`.venv/bin/python benchmarks/read_api.py [--db sqlite|postgresql|both] [--duration S]`.

- **Run:** {run_.started:%Y-%m-%d %H:%M} UTC; load average at start {la}; each figure is the
  best of {run_.rounds} rounds of {run_.duration:g} s (after a {WARMUP_S:g} s warm-up), API and
  reference rounds alternating.
- **Machine:** {os.cpu_count()} cores, {platform.machine()}, {platform.system()}
  {platform.release()}; Python {platform.python_version()}.
- **Versions:** uvicorn {v["uvicorn"]} (uvloop {v["uvloop"]}, httptools {v["httptools"]}),
  FastAPI {v["fastapi"]}, Starlette {v["starlette"]}, SQLAlchemy {v["sqlalchemy"]},
  aiosqlite {v["aiosqlite"]}, asyncpg {v["asyncpg"]}, SQLite {v["sqlite"]},
  PostgreSQL {v.get("postgresql", "not run")}; Datasette {v["datasette"]}; {v["wrk"]}.
- **Data:** {"; ".join(f"{k}: {val}" for k, val in run_.fixtures.items())}.

{table(run_)}

Targets are judged on the warm figures; "uncached" is the same traffic with every request
missing the API's prepared-bytes cache (shown against the same target for information).
{verdicts(run_)}

Every round, as req/s (p99 ms) [CPU used meanwhile by other processes on the machine, in
cores; PostgreSQL's own work counts there in its rows]:

{rounds_detail(run_)}

How it was measured:

- Every server is one uvicorn worker on 127.0.0.1 started with the same call
  (`uvicorn.run(app, workers=1, log_level="warning", access_log=False)`, uvloop + httptools);
  wrk runs on the same 2 cores: {THREADS} threads, {CONNECTIONS} connections
  ({CSV_CONNECTIONS} for CSV), `--timeout 30s`, Lua scripts rotating over the URLs in one fixed
  shuffled order (each thread starting at a different place). After each run the script waits
  until the server has finished the requests wrk abandoned.
- **API**: `app.main.create_app` over a fresh import of the full record with the project's own
  `unga db upgrade`, `unga seed`, `unga import all`; read rate limit off
  (`UNGA_RATE_LIMIT_READS=0`, since all traffic comes from one client), every other setting at
  its default. *Warm*: every URL of the case was requested once just before the run, as a
  long-running server's prepared-bytes cache would hold them. *Uncached*: every request
  carries a unique dummy query parameter (which the API ignores), so each one misses the cache
  and runs the queries and the serialisation.
- **Ceiling**: a bare Starlette route returning from memory the bytes and content type the API
  returned for `{SAME_PATH}`. PostgreSQL rows are compared with the same ceiling and with
  Datasette on SQLite, measured again, alternating, in the PostgreSQL part of the run.
- **Datasette** {v["datasette"]} as a careful user would run it: the same SQLite file, opened
  immutable (`-i`), the importer's indexes, canned queries `roll` (votes of one vote event joined
  with countries) and `country_page` (a country's latest 1,000 votes joined with vote events,
  resolutions and sessions; the 1,000 rows are picked on narrow columns first, then joined,
  3× faster than the plain join), read as `.json?…&_shape=array`; the CSV is a view
  `bench_country_votes` (the API's CSV columns) streamed with
  `.csv?country=USA&_stream=on&_size=max`; `sql_time_limit_ms` raised to 20,000, so nothing is
  cut off. Both sides' row counts are checked equal before measuring.
- Size of the first URL's response: {sizes(run_)}.
- The machine is shared: figures move with whatever else runs on it (see the bracketed CPU
  figures); compare ratios measured in the same run, not absolute figures across runs.
"""


def write_doc(text: str) -> None:
    """Replace (or append) the "## Read API" section; the rest of the file is left alone."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    if DOC.exists():
        doc = DOC.read_text()
    else:
        doc = (
            "# Benchmarks\n\nFigures measured on the project's 2-core machine by the scripts in "
            "`benchmarks/`; each section says how to re-run it. Compare ratios measured in the "
            "same run rather than absolute figures.\n"
        )
    pattern = re.compile(r"^## Read API\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    block = text.rstrip() + "\n\n"
    if pattern.search(doc):
        doc = pattern.sub(lambda _: block, doc, count=1)
    else:
        doc = doc.rstrip() + "\n\n" + block
    DOC.write_text(doc.rstrip() + "\n")


# ------------------------------------------------------------------------------- main


def versions(ds_py: Path, wrk_bin: str) -> dict[str, str]:
    out = {
        name: importlib_metadata.version(name)
        for name in (
            "uvicorn",
            "uvloop",
            "httptools",
            "fastapi",
            "starlette",
            "sqlalchemy",
            "aiosqlite",
            "asyncpg",
        )
    }
    out["sqlite"] = sqlite3.sqlite_version
    out["datasette"] = package_version(ds_py, "datasette")
    proc = subprocess.run([wrk_bin, "--version"], capture_output=True, text=True, check=False)
    out["wrk"] = (proc.stdout or proc.stderr).splitlines()[0].split(" Copyright")[0].strip()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=float, default=8.0, help="Seconds per measured run.")
    parser.add_argument(
        "--rounds", type=int, default=2, help="Alternating rounds per case (best one counts)."
    )
    parser.add_argument(
        "--sqlite-file", type=Path, help="Reuse this imported SQLite file instead of importing."
    )
    parser.add_argument(
        "--cases",
        default=",".join(c.key for c in CASES),
        help="Comma-separated subset of: " + ", ".join(c.key for c in CASES),
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="Seconds in all to wait for other processes to go quiet before cases (0: never).",
    )
    parser.add_argument("--json", type=Path, help="Also write every figure to this JSON file.")
    parser.add_argument("--no-doc", action="store_true", help="Do not write docs/benchmarks.md.")
    args = parser.parse_args(argv)
    wanted = set(args.cases.split(","))
    cases = [c for c in CASES if c.key in wanted]
    if not cases or args.rounds < 1:
        parser.error("need at least one known case in --cases and --rounds >= 1")
    if not DATA_DIR.is_dir():
        raise SystemExit(f"no data at {DATA_DIR}")

    loadavg = os.getloadavg()
    started = datetime.now(UTC)
    wrk_bin = ensure_wrk()
    ds_py = ensure_datasette()
    run_ = Run(started, loadavg, args.duration, args.rounds, versions(ds_py, wrk_bin))
    log(f"load average {loadavg}; versions {run_.versions}")

    db_file, _ = prepare_sqlite(args.sqlite_file)
    add_datasette_view(db_file)
    fx = sqlite_fixture(db_file)
    run_.fixtures["SQLite"] = (
        f"{len(fx.event_ids):,} vote events, {fx.votes:,} votes, {len(fx.countries)} countries"
    )
    db_name = db_file.stem
    meta_path = CACHE / "datasette-metadata.json"
    meta_path.write_text(json.dumps(datasette_metadata(db_name), indent=2))
    bench = Bench(wrk_bin, args.duration, args.rounds, Quiet(args.quiet_wait))
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]

    with contextlib.ExitStack() as stack:
        ds = stack.enter_context(
            serve(
                "datasette",
                ds_py,
                ["datasette", "--db", str(db_file), "--metadata", str(meta_path)],
                env={**os.environ},
                ready_path=f"/{db_name}/roll.json?event={fx.event_ids[0]}&_shape=array",
            )
        )
        ceiling: Server | None = None
        for db in dbs:
            with contextlib.ExitStack() as db_stack:
                if db == "sqlite":
                    url, db_fx = sqlite_url(db_file), fx
                else:
                    url = db_stack.enter_context(postgres_database())
                    took = import_record(url)
                    log(f"PostgreSQL import took {took:.1f} s")
                    db_fx, run_.versions["postgresql"] = postgres_fixture(url)
                    run_.fixtures["PostgreSQL"] = (
                        f"{len(db_fx.event_ids):,} vote events, {db_fx.votes:,} votes, "
                        f"{len(db_fx.countries)} countries"
                    )
                api = db_stack.enter_context(
                    serve(
                        f"api-{db}", sys.executable, ["api"], env=api_env(url), ready_path=SAME_PATH
                    )
                )
                check_same_data(api, ds, db_name, db_fx)
                if ceiling is None:
                    _, ctype, body = http_get(api.base + SAME_PATH)
                    body_path = CACHE / "ceiling-body.bin"
                    body_path.write_bytes(body)
                    log(f"ceiling body: {len(body):,} bytes, {ctype}")
                    ceiling = stack.enter_context(
                        serve(
                            "ceiling",
                            sys.executable,
                            ["ceiling", "--body-file", str(body_path), "--content-type", ctype],
                            env={**os.environ},
                            ready_path=SAME_PATH,
                        )
                    )
                for case in cases:
                    ref = ceiling if case.reference == "ceiling" else ds
                    run_.rows.append(
                        bench.case(
                            db,
                            case,
                            api,
                            ref,
                            api_paths(case.key, db_fx, random.Random(4)),
                            reference_paths(case.key, fx, db_name, random.Random(4)),
                        )
                    )

    print(table(run_))
    print()
    print(verdicts(run_))
    print()
    print(rounds_detail(run_))
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(run_), indent=2, default=str))
        log(f"wrote {args.json}")
    if not args.no_doc:
        write_doc(section(run_))
        log(f"wrote the Read API section of {DOC.relative_to(ROOT)}")
    return 0


# ------------------------------------------------------------------------------- _serve


def serve_main(argv: Sequence[str]) -> None:
    """``read_api.py _serve {api|ceiling|datasette} --port P ...``: one uvicorn worker."""
    parser = argparse.ArgumentParser(prog="read_api.py _serve")
    parser.add_argument("kind", choices=("api", "ceiling", "datasette"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body-file", type=Path)
    parser.add_argument("--content-type", default="application/json")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--metadata", type=Path)
    args = parser.parse_args(argv)
    app: Any
    if args.kind == "api":
        sys.path.insert(0, str(ROOT))
        from app.config import Settings
        from app.main import create_app

        app = create_app(Settings())
    elif args.kind == "ceiling":
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        body = args.body_file.read_bytes()
        media_type = args.content_type

        async def prepared(request: Request) -> Response:
            return Response(body, media_type=media_type)

        app = Starlette(routes=[Route("/{path:path}", prepared)])
    else:
        from datasette.app import Datasette  # type: ignore[import-not-found]

        ds = Datasette(
            immutables=[str(args.db)],
            metadata=json.loads(args.metadata.read_text()),
            settings=DATASETTE_SETTINGS,
        )
        app = ds.app()

    import uvicorn

    uvicorn.run(
        app, host="127.0.0.1", port=args.port, workers=1, log_level="warning", access_log=False
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        serve_main(sys.argv[2:])
    else:
        sys.exit(main())
