"""Writes to resolutions and failed drafts (scope ``votes:write``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from app.api.write_common import IfMatch, IfNoneMatch, scope_note, send_written, write_responses
from app.auth import VotesWriter
from app.deps import SessionDep
from app.schemas.write import (
    RESOLUTION_RECORD_EXAMPLE,
    ResolutionFields,
    ResolutionIn,
    ResolutionPatch,
    ResolutionRecord,
)
from app.services import writes

router = APIRouter(tags=["writes"])

SymbolPath = Annotated[
    str,
    Path(
        description="Resolution symbol (any common form, e.g. `A/RES/75/287`) or draft symbol.",
        examples=["A/RES/75/287"],
        max_length=100,
    ),
]


@router.post(
    "/v1/resolutions",
    status_code=201,
    response_model=ResolutionRecord,
    summary="Create a resolution or failed draft",
    description="Adds a resolution (or a draft that failed: only `draft_symbol`). Symbols are "
    "stored in canonical form; `session` defaults to the symbol's. 409 if the symbol exists."
    + scope_note("votes:write"),
    responses=write_responses(
        409, ok=201, ok_description="Created.", example=RESOLUTION_RECORD_EXAMPLE
    ),
)
async def create_resolution(
    body: ResolutionIn,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    written = await writes.create_resolution(session, caller, request, body)
    return send_written(response, written, location=writes.resolution_location(written.record))


@router.put(
    "/v1/resolutions/{symbol:path}",
    response_model=ResolutionRecord,
    summary="Create or replace a resolution by symbol",
    description="Idempotent: sends the whole record; creates it (201) if the symbol is new, "
    "replaces it (200) otherwise. Honours `If-Match` and `If-None-Match: *`."
    + scope_note("votes:write"),
    responses=write_responses(
        404,
        409,
        412,
        ok_description="Replaced (201 when created).",
        example=RESOLUTION_RECORD_EXAMPLE,
    ),
)
async def put_resolution(
    symbol: SymbolPath,
    body: ResolutionFields,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> dict[str, Any]:
    written = await writes.put_resolution(
        session, caller, request, symbol, body, if_match=if_match, if_none_match=if_none_match
    )
    return send_written(response, written, location=writes.resolution_location(written.record))


@router.patch(
    "/v1/resolutions/{symbol:path}",
    response_model=ResolutionRecord,
    summary="Change some fields of a resolution",
    description="Absent fields stay; `null` clears a nullable field. Honours `If-Match`."
    + scope_note("votes:write"),
    responses=write_responses(404, 409, 412, example=RESOLUTION_RECORD_EXAMPLE),
)
async def patch_resolution(
    symbol: SymbolPath,
    body: ResolutionPatch,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    written = await writes.patch_resolution(
        session, caller, request, symbol, body, if_match=if_match
    )
    return send_written(response, written)


@router.delete(
    "/v1/resolutions/{symbol:path}",
    status_code=204,
    summary="Delete a resolution",
    description="Deletes the record with its vote events and news links; the audit log keeps "
    "all of it. Honours `If-Match`." + scope_note("votes:write"),
    responses=write_responses(404, 412, ok=204, ok_description="Deleted."),
)
async def delete_resolution(
    symbol: SymbolPath,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> None:
    await writes.delete_resolution(session, caller, request, symbol, if_match=if_match)
    response.headers["Cache-Control"] = "no-store"
