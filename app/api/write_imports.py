"""``POST /v1/imports``: a UN Digital Library CSV upload, applied all-or-nothing (scope
``import``)."""

from __future__ import annotations

import shutil
import tempfile
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.write_common import scope_note, write_responses
from app.auth import ImportWriter
from app.deps import SessionDep
from app.errors import PayloadTooLarge
from app.schemas.write import IMPORT_RESULT_EXAMPLE, ImportResult
from app.services.writes_audit import InvalidBody
from app.services.writes_import import import_undl_upload

router = APIRouter(tags=["writes"])

CSV_TYPES = ("text/csv", "application/csv", "application/octet-stream", "text/plain")


GZIP_MAGIC = b"\x1f\x8b"


async def uploaded_csv(
    request: Request,
    name: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
            description="The file's name, recorded with the import (an unchanged file of the "
            "same name is skipped, as on the command line).",
        ),
    ] = "upload.csv",
) -> AsyncIterator[Path]:
    """The request body in a temporary file, read before the key is checked so the database's
    write lock is never held while a client uploads. Gzip (``Content-Encoding: gzip`` or a
    gzip body) is inflated as it arrives. Capped at ``UNGA_MAX_IMPORT_BYTES`` after
    inflating: 413 beyond."""
    limit: int = request.app.state.settings.max_import_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The upload is larger than {limit} bytes.")
    inflate: Any = None
    first = True
    folder = Path(tempfile.mkdtemp(prefix="unga-import-"))
    path = folder / name.removesuffix(".gz")
    try:
        size = 0
        with path.open("wb") as out:
            async for chunk in request.stream():
                if first and chunk:
                    first = False
                    if chunk.startswith(GZIP_MAGIC):
                        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                if inflate is not None:
                    try:
                        chunk = inflate.decompress(chunk, limit + 1 - size)
                    except zlib.error as exc:
                        raise InvalidBody([{"loc": ["body"], "msg": "not valid gzip"}]) from exc
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"The upload is larger than {limit} bytes.")
                out.write(chunk)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


UploadDep = Annotated[Path, Depends(uploaded_csv)]


@router.post(
    "/v1/imports",
    response_model=ImportResult,
    summary="Import a UN Digital Library voting CSV",
    description="The body is the CSV itself (`Content-Type: text/csv`, optionally "
    "gzip), in the UN Digital Library layout (`undl_id, ms_code, ms_name, "
    "ms_vote, date, session, resolution, …`). Applied with the same all-or-nothing importer as "
    "`unga import undl`: every bad row is reported (422, `bad_rows`) and nothing is written, or "
    "the whole file is applied and the import report returned. `dry_run=true` validates only. "
    "A file imported unchanged before is skipped unless `force=true`. The body "
    "is capped (413; `UNGA_MAX_IMPORT_BYTES`, 50 MB by default)." + scope_note("import"),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
    responses=write_responses(
        409, 413, ok_description="Imported (or validated).", example=IMPORT_RESULT_EXAMPLE
    ),
)
async def create_import(
    upload: UploadDep,
    caller: ImportWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    dry_run: Annotated[bool, Query(description="Validate and report; write nothing.")] = False,
    force: Annotated[
        bool, Query(description="Import even if this file was imported unchanged before.")
    ] = False,
) -> dict[str, Any]:
    report = await import_undl_upload(
        session, caller, request, upload, dry_run=dry_run, force=force
    )
    response.headers["Cache-Control"] = "no-store"
    return {"dry_run": dry_run, "report": report}
