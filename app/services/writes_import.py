"""POST /v1/imports: the UN Digital Library importer on an uploaded file, inside the request's
write transaction (all or nothing, together with its audit entry)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.auth import Caller
from app.errors import Conflict, DomainError
from app.importers.csvfiles import file_sha256
from app.importers.errors import BadRow, ImportFailed
from app.importers.load import ImportConflict, ImportReport, load_batch
from app.importers.progress import NullProgress
from app.importers.runner import ADVISORY_LOCK, Job, last_import_sha, parse_job
from app.services.writes_audit import record_write

MAX_REPORTED_ROWS = 1000


class ImportRejected(DomainError):
    """422: the file has bad rows; nothing was imported. Lists every bad row (up to a cap)."""

    status = 422

    def __init__(self, rows: list[BadRow], name: str) -> None:
        shown = rows[:MAX_REPORTED_ROWS]
        super().__init__(
            f"{len(rows)} bad row(s) in {name}; nothing was imported.",
            errors=[
                {"loc": ["body", f"line {r.line}", r.column], "msg": f"{r.why} ({r.value!r})"}
                for r in shown
            ],
            bad_rows=[
                {"file": name, "line": r.line, "column": r.column, "value": r.value, "why": r.why}
                for r in shown
            ],
            bad_row_count=len(rows),
        )


def _report_dict(report: ImportReport, name: str) -> dict[str, Any]:
    out = dataclasses.asdict(report)
    out["files"] = [name]  # not the server's temporary path
    out["summary"] = dataclasses.replace(report, files=[name]).summary()
    return out


async def import_undl_upload(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    path: Path,
    *,
    dry_run: bool,
    force: bool = False,
    source: str = "undl",
) -> dict[str, Any]:
    """Parse and load the file like ``unga import undl`` (skipping a file imported before
    unless ``force``); the dataset version is bumped by the loader when anything changed."""
    name = path.name
    job = Job("undl", path, source)
    sha = file_sha256(path)

    def work(s: Session) -> ImportReport:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
        if not force and not dry_run and last_import_sha(s, job) == sha:
            return ImportReport(kind="undl", source=source, files=[name], skipped=True)
        batch = parse_job(s, job, NullProgress())
        return load_batch(s, batch, source, file_name=job.file_name, sha256=sha, dry_run=dry_run)

    try:
        report = await session.run_sync(work)
    except ImportFailed as exc:
        raise ImportRejected(exc.bad_rows, name) from exc
    except ImportConflict as exc:
        raise Conflict(str(exc)) from exc
    out = _report_dict(report, name)
    if not dry_run and not report.skipped:
        await record_write(
            session,
            caller,
            request,
            resource="import",
            resource_id=f"undl:{name}:{sha[:12]}",
            action="import",
            before=None,
            after=out,
            bump=False,
        )
    return out
