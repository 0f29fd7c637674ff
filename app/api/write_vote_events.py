"""Writes to vote events, whole rolls included (scope ``votes:write``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.write_common import IfMatch, scope_note, send_written, write_responses
from app.auth import VotesWriter
from app.deps import SessionDep
from app.schemas.write import (
    VOTE_EVENT_RECORD_EXAMPLE,
    VoteEventIn,
    VoteEventPatch,
    VoteEventRecord,
)
from app.services import writes

router = APIRouter(tags=["writes"])

EventId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Vote event id.", examples=[1])]
AllowOutside = Annotated[
    bool,
    Query(
        description="Accept rows for states that were not UN members on the date (they are "
        "recorded and flagged `outside_membership`); otherwise such rows are a 422."
    ),
]

_ROLL_RULES = (
    " The roll must name every member state on `voted_on` exactly once (to the month when "
    "`date_approximate`), absent or not voting members as `non_voting`; codes must be known and "
    "positions from the vocabulary. Tallies and the computed outcome are recomputed in the same "
    "transaction."
)


@router.post(
    "/v1/vote-events",
    status_code=201,
    response_model=VoteEventRecord,
    summary="Record a vote with its whole roll",
    description="Adds a recorded vote." + _ROLL_RULES + " 409 if the resolution already has a "
    "main vote event." + scope_note("votes:write"),
    responses=write_responses(
        409, ok=201, ok_description="Created.", example=VOTE_EVENT_RECORD_EXAMPLE
    ),
)
async def create_vote_event(
    body: VoteEventIn,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    allow_outside_membership: AllowOutside = False,
) -> dict[str, Any]:
    written = await writes.create_vote_event(
        session, caller, request, body, allow_outside_membership=allow_outside_membership
    )
    return send_written(
        response, written, location=writes.vote_event_location(written.record["id"])
    )


@router.put(
    "/v1/vote-events/{event_id}",
    response_model=VoteEventRecord,
    summary="Replace a vote event and its roll",
    description="Sends the whole event and roll; its source identifiers are kept."
    + _ROLL_RULES
    + " Honours `If-Match`."
    + scope_note("votes:write"),
    responses=write_responses(404, 409, 412, example=VOTE_EVENT_RECORD_EXAMPLE),
)
async def put_vote_event(
    event_id: EventId,
    body: VoteEventIn,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
    allow_outside_membership: AllowOutside = False,
) -> dict[str, Any]:
    written = await writes.put_vote_event(
        session,
        caller,
        request,
        event_id,
        body,
        if_match=if_match,
        allow_outside_membership=allow_outside_membership,
    )
    return send_written(response, written)


@router.patch(
    "/v1/vote-events/{event_id}",
    response_model=VoteEventRecord,
    summary="Correct a vote event or some of its rows",
    description="Changes the given fields; `votes` lists only the rows to correct, by country. "
    "The resulting roll is checked whole."
    + _ROLL_RULES
    + " Honours `If-Match`."
    + scope_note("votes:write"),
    responses=write_responses(404, 409, 412, example=VOTE_EVENT_RECORD_EXAMPLE),
)
async def patch_vote_event(
    event_id: EventId,
    body: VoteEventPatch,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
    allow_outside_membership: AllowOutside = False,
) -> dict[str, Any]:
    written = await writes.patch_vote_event(
        session,
        caller,
        request,
        event_id,
        body,
        if_match=if_match,
        allow_outside_membership=allow_outside_membership,
    )
    return send_written(response, written)


@router.delete(
    "/v1/vote-events/{event_id}",
    status_code=204,
    summary="Delete a vote event",
    description="Deletes the event with its roll; the audit log keeps both. Honours `If-Match`."
    + scope_note("votes:write"),
    responses=write_responses(404, 412, ok=204, ok_description="Deleted."),
)
async def delete_vote_event(
    event_id: EventId,
    caller: VotesWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> None:
    await writes.delete_vote_event(session, caller, request, event_id, if_match=if_match)
    response.headers["Cache-Control"] = "no-store"
