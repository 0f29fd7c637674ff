"""Run an import: skip an unchanged file, parse it, then write it in one transaction.

All or nothing: the input is parsed and validated completely before the write transaction
starts (a bad row means nothing is written); everything is then written in one transaction,
so a failure, or a process killed mid-way, leaves the database as it was (SQLite: the
uncommitted WAL frames are ignored; PostgreSQL: the server aborts the transaction).

On SQLite the write transaction takes the write lock up front (``BEGIN IMMEDIATE``). For a
large file, foreign keys are checked once before commit (``PRAGMA foreign_key_check`` on the
tables the import writes) instead of row by row: switched off for the connection before the
transaction begins and back on after. On PostgreSQL an advisory lock serialises concurrent imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.db import make_sync_engine
from app.importers.countries import load_country_resolver
from app.importers.csvfiles import file_sha256, find_table
from app.importers.errors import BadRow, ImportFailed
from app.importers.load import ImportReport, load_batch, source_by_slug
from app.importers.progress import NullProgress, Progress
from app.importers.records import Batch
from app.importers.undl import parse_undl
from app.importers.unvotes import parse_unvotes
from app.models import ImportRun, Topic

CHECKED_TABLES = (
    "resolutions",
    "ga_sessions",
    "topics",
    "vote_events",
    "vote_event_sources",
    "vote_event_topics",
    "votes",
    "import_runs",
    "imported_records",
)
ADVISORY_LOCK = 0x756E6761  # "unga"
BULK_ROWS = 100_000  # from this many rows, SQLite checks foreign keys once, before commit

DEFAULT_SOURCES = {"unvotes": "unvotes", "undl": "undl"}


@dataclass(frozen=True)
class Job:
    """One import: a 1946-2019 folder (``unvotes``) or a UN Digital Library CSV (``undl``)."""

    kind: str
    path: Path
    source: str

    def files(self) -> list[Path]:
        if self.kind == "unvotes":
            found = [find_table(self.path, s) for s in ("roll_calls", "votes", "issues")]
            return [p for p in found if p is not None]
        return [self.path]

    @property
    def file_name(self) -> str:
        return f"{self.path.name}/" if self.kind == "unvotes" else self.path.name


def last_import_sha(session: Session, job: Job) -> str | None:
    source = source_by_slug(session, job.source)
    return session.execute(
        select(ImportRun.sha256)
        .where(
            ImportRun.kind == job.kind,
            ImportRun.source_id == source.id,
            ImportRun.file_name == job.file_name,
        )
        .order_by(ImportRun.id.desc())
        .limit(1)
    ).scalar()


def parse_job(session: Session, job: Job, progress: Progress) -> Batch:
    resolver = load_country_resolver(session)
    if job.kind == "unvotes":
        topics = {
            r[0]: r[1]
            for r in session.execute(select(Topic.code, Topic.name).where(Topic.scheme == "voeten"))
        }
        return parse_unvotes(job.path, resolver, topics, progress)
    return parse_undl(job.path, resolver, progress)


@contextmanager
def write_session(engine: Engine, *, bulk: bool = False) -> Iterator[Session]:
    """One write transaction, committed when the block ends without error. ``bulk`` (SQLite):
    foreign keys are checked once before commit instead of row by row."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        deferred_fk = sqlite and bulk
        raw: Any = conn.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA cache_size=-65536")
        if deferred_fk:
            raw.execute("PRAGMA foreign_keys=OFF")  # checked once before commit, below
        try:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with Session(bind=conn, autoflush=False) as session, session.begin():
                if not sqlite:
                    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
                yield session
                session.flush()
                if deferred_fk:
                    for table in CHECKED_TABLES:
                        broken = session.execute(text(f"PRAGMA foreign_key_check({table})")).first()
                        if broken is not None:
                            raise RuntimeError(f"foreign key check failed: {tuple(broken)}")
        finally:
            if deferred_fk:
                raw.execute("PRAGMA foreign_keys=ON")


def run_import(
    database_url: str,
    job: Job,
    *,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one job; raises :class:`ImportFailed` (listing every bad row) on bad input."""
    progress = progress or NullProgress()
    files = job.files()
    if not files or not all(p.is_file() for p in files):
        raise ImportFailed([BadRow(str(job.path), 0, "", "", "file or folder not found")])
    sha = file_sha256(*files)
    engine = make_sync_engine(database_url)
    try:
        with Session(engine) as session:
            if not force and last_import_sha(session, job) == sha:
                return ImportReport(
                    kind=job.kind,
                    source=job.source,
                    files=[str(p) for p in files],
                    skipped=True,
                )
            batch = parse_job(session, job, progress)
            if dry_run:
                report = load_batch(
                    session,
                    batch,
                    job.source,
                    file_name=job.file_name,
                    sha256=sha,
                    dry_run=True,
                    progress=progress,
                )
                session.rollback()
                return report
        with write_session(engine, bulk=batch.rows_read >= BULK_ROWS) as session:
            return load_batch(
                session,
                batch,
                job.source,
                file_name=job.file_name,
                sha256=sha,
                progress=progress,
            )
    finally:
        engine.dispose()


def all_jobs(data_dir: Path) -> list[Job]:
    """What ``unga import all`` imports, in order: the 1946-2019 tables, the 2020-2021 UN
    Digital Library file, then the 2022 files."""
    unga = data_dir / "unga"
    jobs = [Job("unvotes", unga, "unvotes")]
    recent = unga / "recent" / "undl_2020_2021.csv.gz"
    jobs.append(Job("undl", recent, "undl"))
    jobs.extend(
        Job("undl", p, "es11-secondary" if p.name.startswith("es11") else "undl-2022-secondary")
        for p in sorted((unga / "recent2022").glob("*.csv.gz"))
    )
    return jobs
