"""Sync vs async request handling for unga-tracker, measured on SQLite and PostgreSQL.

Run from the project root with the project's virtualenv:

    .venv/bin/python benchmarks/sync_vs_async.py            # both databases
    .venv/bin/python benchmarks/sync_vs_async.py --no-postgres
    .venv/bin/python benchmarks/sync_vs_async.py --duration 15 --json out.json

What it does, all on 127.0.0.1 and in well under three minutes with the defaults:

1. Builds a throwaway fixture: a temporary SQLite file (WAL) and, unless
   ``--no-postgres``, a PostgreSQL database ``unga_bench_<pid>`` created on
   127.0.0.1:5432 as user ``postgres`` (trust auth) and dropped at the end.
   Both hold 193 countries, 50 vote events and one 193-row roll per event.
2. For each database, starts one uvicorn worker per variant (a subprocess
   running this same file with ``_serve``) serving ``GET /roll/{id}``, which
   returns the roll of one vote event (code, name, position, ORDER BY code)
   as JSON through a pydantic ``response_model``:

   * ``async``   - ``async def`` + async SQLAlchemy (aiosqlite / asyncpg)
   * ``sync40``  - plain ``def`` + sync SQLAlchemy (pysqlite / psycopg 3) in
     FastAPI's default anyio threadpool (40 tokens)
   * ``sync4``   - the same, with the threadpool limited to 4 tokens
   * ``ceiling`` - a bare Starlette route returning the same, pre-serialised
     bytes (no database, no validation): the most this server stack can do

3. Drives each server with ``wrk`` (32 connections, a short warm-up, then an
   ~8 s measured run) and prints a markdown table of requests/s and latency
   percentiles, with ratios to the ceiling measured on the same database.
   If ``wrk`` is not installed (``apt-get install -y wrk``), it falls back to
   a small asyncio + httpx loader, which is much slower than wrk and shares the
   CPU with the server; the table says which loader was used.
4. Unless ``--no-probe``, runs a short pool-exhaustion probe with SQLAlchemy's
   default pool (5 + 10 overflow): ``sync4`` at 32 connections and ``sync40``
   and ``async`` at 128. A sync endpoint holds its connection while FastAPI
   validates the response in the threadpool: once every thread waits for a
   connection and every connection waits for a thread, nothing completes
   until ``pool_timeout`` (30 s) fails a few requests with a 500, and then it
   stalls again. The probe shows which variants stall.

Every database session is one transaction, committed before the response is
sent (``Depends(..., scope="function")``), as in the application. In the
measured runs every variant gets the same pool, 10 + 30 overflow, larger than
the 32 connections so that the pool is never the bottleneck.

The machine is shared and has two cores that the loader, the server and
PostgreSQL compete for: compare the ratios, not the absolute numbers.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
import httpx
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    Engine,
    ForeignKey,
    Select,
    String,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Variant = Literal["ceiling", "async", "sync40", "sync4"]
Database = Literal["sqlite", "postgresql"]

VARIANTS: tuple[Variant, ...] = ("ceiling", "async", "sync40", "sync4")
VARIANT_LABELS: dict[Variant, str] = {
    "ceiling": "(d) ceiling: bare Starlette, prepared bytes",
    "async": "(a) `async def` + async SQLAlchemy",
    "sync40": "(b) `def` + sync SQLAlchemy, threadpool 40",
    "sync4": "(c) `def` + sync SQLAlchemy, threadpool 4",
}
THREAD_TOKENS: dict[Variant, int] = {"sync40": 40, "sync4": 4}
DRIVERS: dict[Database, tuple[str, str]] = {
    # database: (async driver, sync driver)
    "sqlite": ("sqlite+aiosqlite", "sqlite+pysqlite"),
    "postgresql": ("postgresql+asyncpg", "postgresql+psycopg"),
}
# Every variant gets the same pool. For the measured runs its capacity (10 + 30 overflow)
# exceeds the 32 connections, so the pool is never what limits throughput (see the probe).
MEASURE_POOL = (10, 30)
# SQLAlchemy's default pool (5 + 10 overflow), used by the deadlock probe.
DEFAULT_POOL = (5, 10)
# Probe: (variant, wrk connections) run against DEFAULT_POOL for PROBE_SECONDS.
PROBES: tuple[tuple[Variant, int], ...] = (("sync4", 32), ("sync40", 128), ("async", 128))
PROBE_SECONDS = 3.0

N_COUNTRIES = 193
N_EVENTS = 50
ROLL_EVENT_ID = 7
POSITIONS = ("yes", "no", "abstain", "absent")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"


# --------------------------------------------------------------------------- schema


class Base(DeclarativeBase):
    pass


class Country(Base):
    __tablename__ = "countries"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class VoteEvent(Base):
    __tablename__ = "vote_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))


class Vote(Base):
    __tablename__ = "votes"

    vote_event_id: Mapped[int] = mapped_column(ForeignKey("vote_events.id"), primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)
    position: Mapped[str] = mapped_column(String(10))


class RollEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # validated straight from result rows

    code: str
    name: str
    position: str


class RollOut(BaseModel):
    vote_event_id: int
    count: int
    votes: list[RollEntry]


def roll_query(vote_event_id: int) -> Select[str, str, str]:
    return (
        select(Country.code, Country.name, Vote.position)
        .join(Vote, Vote.country_id == Country.id)
        .where(Vote.vote_event_id == vote_event_id)
        .order_by(Country.code)
    )


def roll_payload(vote_event_id: int, rows: Sequence[Any]) -> dict[str, Any]:
    if not rows:
        raise HTTPException(status_code=404, detail="vote event not found")
    return {
        "vote_event_id": vote_event_id,
        "count": len(rows),
        "votes": rows,
    }


# ------------------------------------------------------------------------- engines


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sync_engine(url: str, pool: tuple[int, int] = DEFAULT_POOL) -> Engine:
    engine = create_engine(url, pool_size=pool[0], max_overflow=pool[1], pool_timeout=30)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_async_engine(url: str, pool: tuple[int, int] = DEFAULT_POOL) -> AsyncEngine:
    engine = create_async_engine(url, pool_size=pool[0], max_overflow=pool[1], pool_timeout=30)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def database_urls(database: Database, target: str) -> tuple[str, str]:
    """Return (async URL, sync URL) for a SQLite path or a PostgreSQL database name."""
    async_driver, sync_driver = DRIVERS[database]
    if database == "sqlite":
        return f"{async_driver}:///{target}", f"{sync_driver}:///{target}"
    rest = f"{PG_USER}@{PG_HOST}:{PG_PORT}/{target}"
    return f"{async_driver}://{rest}", f"{sync_driver}://{rest}"


# ------------------------------------------------------------------------ fixtures


def country_name(i: int) -> str:
    return f"Republic of Benchmarkia {i:03d}"


def country_code(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    # Shuffle the insertion order relative to the code order so ORDER BY does work.
    j = (i * 37) % N_COUNTRIES
    return letters[j // 26 // 26 % 26] + letters[j // 26 % 26] + letters[j % 26]


def populate(sync_url: str) -> None:
    engine = make_sync_engine(sync_url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            session.add_all(
                Country(id=i + 1, code=country_code(i), name=country_name(i))
                for i in range(N_COUNTRIES)
            )
            session.add_all(
                VoteEvent(id=e, title=f"Draft resolution A/BENCH/{e}")
                for e in range(1, N_EVENTS + 1)
            )
            session.flush()
            session.execute(
                insert(Vote),
                [
                    {
                        "vote_event_id": e,
                        "country_id": c + 1,
                        "position": POSITIONS[(c * 7 + e) % len(POSITIONS)],
                    }
                    for e in range(1, N_EVENTS + 1)
                    for c in range(N_COUNTRIES)
                ],
            )
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    )


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_version() -> str | None:
    try:
        with _pg_admin() as admin:
            row = admin.execute("SHOW server_version").fetchone()
    except Exception:
        return None
    return str(row[0]) if row else None


# ------------------------------------------------------------------------- servers


def build_app(variant: Variant, async_url: str, sync_url: str, pool: tuple[int, int]) -> Any:
    """Build the ASGI app for one variant (runs inside the server subprocess)."""
    if variant == "ceiling":
        return build_ceiling_app(sync_url)
    if variant == "async":
        return build_async_app(async_url, pool)
    return build_sync_app(sync_url, pool, THREAD_TOKENS[variant])


def build_ceiling_app(sync_url: str) -> Starlette:
    engine = make_sync_engine(sync_url)
    with Session(engine) as session, session.begin():
        rows = session.execute(roll_query(ROLL_EVENT_ID)).all()
    engine.dispose()
    body = RollOut.model_validate(roll_payload(ROLL_EVENT_ID, rows)).model_dump_json()
    prepared = body.encode()

    async def roll(request: Request) -> Response:
        return Response(prepared, media_type="application/json")

    return Starlette(routes=[Route("/roll/{vote_event_id:int}", roll)])


def build_async_app(async_url: str, pool: tuple[int, int]) -> FastAPI:
    engine = make_async_engine(async_url, pool)
    factory = async_sessionmaker(engine, expire_on_commit=False)

    async def get_session() -> AsyncIterator[AsyncSession]:
        async with factory.begin() as session:  # commits on exit
            yield session

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

    @app.get("/roll/{vote_event_id}", response_model=RollOut)
    async def roll(vote_event_id: int, session: SessionDep) -> dict[str, Any]:
        rows = (await session.execute(roll_query(vote_event_id))).all()
        return roll_payload(vote_event_id, rows)

    return app


def build_sync_app(sync_url: str, pool: tuple[int, int], thread_tokens: int) -> FastAPI:
    engine = make_sync_engine(sync_url, pool)
    factory = sessionmaker(engine, expire_on_commit=False)

    def get_session() -> Iterator[Session]:
        with factory.begin() as session:  # commits on exit
            yield session

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = thread_tokens
        yield
        engine.dispose()

    app = FastAPI(lifespan=lifespan)
    SessionDep = Annotated[Session, Depends(get_session, scope="function")]

    @app.get("/roll/{vote_event_id}", response_model=RollOut)
    def roll(vote_event_id: int, session: SessionDep) -> dict[str, Any]:
        rows = session.execute(roll_query(vote_event_id)).all()
        return roll_payload(vote_event_id, rows)

    return app


def serve(argv: Sequence[str]) -> None:
    """Internal: ``sync_vs_async.py _serve VARIANT ASYNC_URL SYNC_URL POOL_SIZE OVERFLOW PORT``."""
    import uvicorn

    variant, async_url, sync_url, pool_size, max_overflow, port = argv
    pool = (int(pool_size), int(max_overflow))
    app = build_app(variant, async_url, sync_url, pool)  # type: ignore[arg-type]
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(port),
        workers=1,
        log_level="warning",
        access_log=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(
    variant: Variant, async_url: str, sync_url: str, pool: tuple[int, int], grace: float = 10
) -> Iterator[str]:
    """Run one uvicorn worker for ``variant``; stop it (SIGINT, then SIGKILL after ``grace``)."""
    port = free_port()
    cmd = [sys.executable, __file__, "_serve", variant, async_url, sync_url]
    cmd += [str(pool[0]), str(pool[1]), str(port)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{variant} server exited with {proc.returncode}")
            try:
                response = httpx.get(f"{base}/roll/{ROLL_EVENT_ID}", timeout=2)
            except httpx.TransportError:
                pass
            else:
                if response.status_code != 200:
                    raise RuntimeError(f"{variant} server answered {response.text[:300]}")
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{variant} server did not start in 30 s")
            time.sleep(0.1)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ------------------------------------------------------------------------- loaders


@dataclass
class LoadResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unparseable wrk latency {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    def grab(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"pattern {pattern!r} not in wrk output:\n{output}")
        return match

    errors = 0
    if sock := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in sock.groups())
    if non2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(non2xx.group(1))
    return LoadResult(
        requests_per_s=float(grab(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=_ms(grab(r"^\s+50%\s+(\S+)").group(1)),
        p99_ms=_ms(grab(r"^\s+99%\s+(\S+)").group(1)),
        requests=int(grab(r"^\s+(\d+) requests in").group(1)),
        errors=errors,
    )


def run_wrk(url: str, connections: int, threads: int, seconds: float, timeout: float) -> LoadResult:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    cmd += ["--latency", "--timeout", f"{max(1, round(timeout))}s", url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=seconds + 60)
    return parse_wrk(out.stdout)


async def _httpx_load(url: str, connections: int, seconds: float, timeout: float) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        start = time.perf_counter()
        deadline = start + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    errors += 1
                    continue
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(
        requests_per_s=len(latencies) / elapsed,
        p50_ms=q[49] * 1000,
        p99_ms=q[98] * 1000,
        requests=len(latencies),
        errors=errors,
    )


def run_load(
    loader: str, url: str, connections: int, threads: int, seconds: float, timeout: float = 10
) -> LoadResult:
    if loader == "wrk":
        return run_wrk(url, connections, threads, seconds, timeout)
    return asyncio.run(_httpx_load(url, connections, seconds, timeout))


# -------------------------------------------------------------------------- driver


@dataclass
class Row:
    database: Database
    variant: Variant
    result: LoadResult
    ratio: float = 0.0


@dataclass
class ProbeRow:
    database: Database
    variant: Variant
    connections: int
    result: LoadResult

    @property
    def stalled(self) -> bool:
        # A stalled server completes (almost) nothing; wrk then reports only timeouts.
        return self.result.requests_per_s < 10


def expected_roll(sync_url: str) -> dict[str, Any]:
    """The roll as every variant must serve it, computed in this process for checking."""
    engine = make_sync_engine(sync_url)
    try:
        with Session(engine) as session, session.begin():
            rows = session.execute(roll_query(ROLL_EVENT_ID)).all()
    finally:
        engine.dispose()
    payload = RollOut.model_validate(roll_payload(ROLL_EVENT_ID, rows)).model_dump()
    assert payload["count"] == N_COUNTRIES, payload["count"]
    codes = [vote["code"] for vote in payload["votes"]]
    assert codes == sorted(codes), "roll is not ordered by code"
    return payload


def bench_database(
    database: Database, target: str, args: argparse.Namespace, loader: str
) -> tuple[list[Row], list[ProbeRow]]:
    async_url, sync_url = database_urls(database, target)
    populate(sync_url)
    expected = expected_roll(sync_url)
    rows: list[Row] = []
    for variant in VARIANTS:
        with running_server(variant, async_url, sync_url, MEASURE_POOL) as base:
            url = f"{base}/roll/{ROLL_EVENT_ID}"
            if httpx.get(url).json() != expected:
                raise AssertionError(f"{variant} on {database} returns a different roll")
            missing = httpx.get(f"{base}/roll/{N_EVENTS + 1}").status_code
            if variant != "ceiling" and missing != 404:
                raise AssertionError(f"{variant} on {database}: unknown event is not 404")
            run_load(loader, url, args.connections, args.threads, args.warmup)
            result = run_load(loader, url, args.connections, args.threads, args.duration)
        rows.append(Row(database, variant, result))
        print(
            f"  {database:<10} {variant:<8} {result.requests_per_s:8.0f} req/s"
            f"  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
            f"  errors {result.errors}",
            flush=True,
        )
    ceiling = rows[0].result.requests_per_s
    for row in rows:
        row.ratio = row.result.requests_per_s / ceiling if ceiling else 0.0

    probes: list[ProbeRow] = []
    if not args.no_probe:
        for variant, connections in PROBES:
            # A stalled server never drains: give it no grace, just kill it.
            with running_server(variant, async_url, sync_url, DEFAULT_POOL, grace=0.5) as base:
                url = f"{base}/roll/{ROLL_EVENT_ID}"
                result = run_load(loader, url, connections, args.threads, PROBE_SECONDS, 2)
            probe = ProbeRow(database, variant, connections, result)
            probes.append(probe)
            print(
                f"  probe {database:<10} {variant:<8} c={connections:<3}"
                f" {result.requests_per_s:6.0f} req/s  errors {result.errors}"
                f"{'  STALLED' if probe.stalled else ''}",
                flush=True,
            )
    return rows, probes


def markdown_table(rows: Sequence[Row]) -> str:
    lines = [
        "| database | variant | req/s | × ceiling | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        r = row.result
        lines.append(
            f"| {row.database} | {VARIANT_LABELS[row.variant]} | {r.requests_per_s:,.0f}"
            f" | {row.ratio:.3f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} |"
        )
    return "\n".join(lines)


def probe_table(probes: Sequence[ProbeRow]) -> str:
    pool_size, overflow = DEFAULT_POOL
    lines = [
        f"Pool-exhaustion probe: SQLAlchemy default pool ({pool_size} + {overflow} overflow),"
        f" {PROBE_SECONDS:g} s, 2 s client timeout",
        "",
        "| database | variant | connections | req/s | errors | outcome |",
        "|---|---|---:|---:|---:|---|",
    ]
    for p in probes:
        outcome = "**stalled (deadlock)**" if p.stalled else "ok"
        lines.append(
            f"| {p.database} | {VARIANT_LABELS[p.variant]} | {p.connections}"
            f" | {p.result.requests_per_s:,.0f} | {p.result.errors} | {outcome} |"
        )
    return "\n".join(lines)


def ratio_summary(rows: Sequence[Row]) -> str:
    by_db: dict[str, dict[str, LoadResult]] = {}
    for row in rows:
        by_db.setdefault(row.database, {})[row.variant] = row.result
    lines = []
    for database, r in by_db.items():
        a, s40, s4 = r["async"], r["sync40"], r["sync4"]
        if not (s40.requests_per_s and s4.requests_per_s and a.p99_ms):
            continue
        lines.append(
            f"- {database}: req/s async ÷ sync40 = {a.requests_per_s / s40.requests_per_s:.2f},"
            f" async ÷ sync4 = {a.requests_per_s / s4.requests_per_s:.2f};"
            f" p99 sync40 ÷ async = {s40.p99_ms / a.p99_ms:.2f},"
            f" sync4 ÷ async = {s4.p99_ms / a.p99_ms:.2f}"
        )
    return "\n".join(lines)


def environment(loader: str, args: argparse.Namespace) -> dict[str, str]:
    import sqlite3

    import fastapi
    import sqlalchemy
    import uvicorn

    load1, load5, _ = os.getloadavg()
    if loader == "wrk":
        load = f"wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s --latency"
    else:
        load = f"asyncio+httpx fallback, {args.connections} connections, {args.duration:g}s"
    return {
        "cpus": str(os.cpu_count()),
        "loadavg at start (1m, 5m)": f"{load1:.2f}, {load5:.2f}",
        "python": platform.python_version(),
        "fastapi": fastapi.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "uvicorn": uvicorn.__version__,
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version() or "n/a",
        "load": f"{load} after a {args.warmup:g}s warm-up, one uvicorn worker per variant",
        "pool (measured runs)": f"pool_size={MEASURE_POOL[0]}, max_overflow={MEASURE_POOL[1]}",
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--threads", type=int, default=1, help="wrk threads (1 leaves more CPU to the server)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-probe", action="store_true", help="skip the pool-exhaustion probe")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)

    loader = "wrk" if shutil.which("wrk") else "httpx"
    if loader != "wrk":
        print(
            "wrk not found (apt-get install -y wrk): using the asyncio+httpx fallback loader,"
            " which is far slower than wrk and shares the CPU with the server.",
            file=sys.stderr,
        )
    env = environment(loader, args)
    for key, value in env.items():
        print(f"{key}: {value}")

    started = time.monotonic()
    rows: list[Row] = []
    probes: list[ProbeRow] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="unga_bench_") as tmp:
            r, p = bench_database("sqlite", str(Path(tmp) / "bench.db"), args, loader)
            rows, probes = rows + r, probes + p
    if not args.no_postgres:
        if env["postgresql"] == "n/a":
            print(f"PostgreSQL not reachable on {PG_HOST}:{PG_PORT}: skipped", file=sys.stderr)
        else:
            with postgres_database(f"unga_bench_{os.getpid()}") as name:
                r, p = bench_database("postgresql", name, args, loader)
                rows, probes = rows + r, probes + p
    if not rows:
        return 1

    print()
    print(markdown_table(rows))
    print()
    print(ratio_summary(rows))
    if probes:
        print()
        print(probe_table(probes))
    print(f"\ntotal time {time.monotonic() - started:.0f} s")
    if args.json:
        results = {
            "environment": env,
            "rows": [
                {"database": r.database, "variant": r.variant, "ratio": r.ratio} | asdict(r.result)
                for r in rows
            ],
            "probes": [
                {"database": p.database, "variant": p.variant, "connections": p.connections}
                | asdict(p.result)
                | {"stalled": p.stalled}
                for p in probes
            ],
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_serve"]:
        serve(sys.argv[2:])
    else:
        sys.exit(main())
