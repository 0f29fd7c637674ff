"""Vote events: every recorded vote, including those with no resolution symbol."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from app.api.listing import listing_response
from app.api.params import UNKNOWN_COUNTRY, VoteFiltersDep, responses
from app.api.resolutions import EVENT_COLUMNS, ROLL_COLUMNS
from app.deps import PageParams, ReadSessionDep
from app.errors import NotFound
from app.formats import FormatDep, columns, csv_response, json_response
from app.http_cache import dataset_snapshot
from app.queries import rolls
from app.queries import vote_events as queries
from app.queries.vote_events import MAX_EVENT_ID
from app.schemas import examples
from app.schemas.common import Page
from app.schemas.vote_events import Roll, VoteEventDetail, VoteEventOut

router = APIRouter(tags=["vote events"], dependencies=[Depends(dataset_snapshot)])

LIST_COLUMNS = columns(
    "id",
    "symbol",
    "draft_symbol",
    "title",
    "session",
    "date",
    "date_approximate",
    "kind",
    "is_main",
    "important",
    "majority_required",
    "tally.yes",
    "tally.no",
    "tally.abstain",
    "tally.non_voting",
    "tally.members",
    "margin",
    "outcome",
    "official_outcome",
    "outcome_discrepancy",
    "totals_discrepancy",
    "updated_at",
)
EventId = Annotated[
    int, Path(ge=1, le=MAX_EVENT_ID, description="The vote event's id.", examples=[1])
]


@router.get(
    "/v1/vote-events",
    response_model=Page[VoteEventOut],
    summary="List and filter vote events",
    description=(
        "Every recorded vote: on whole texts, paragraphs, amendments and motions, including "
        "votes with no resolution symbol (failed drafts, amendments, early roll calls). The "
        "filters are those of `/v1/resolutions`, applied to each vote: `session`, "
        "`session_type`, `from`/`to`, `topic`, `q`, `country` + `position`, `adopted`, "
        "`important`, `kind`, `updated_since`; `sort=margin` lists the closest votes first. "
        "Pages hold up to 200 items; CSV streams the whole selection unless `limit`/`offset` "
        "are given."
    ),
    responses=responses(
        examples.EVENT_LIST,
        csv=examples.EVENT_LIST_CSV,
        instance="/v1/vote-events",
        not_found=UNKNOWN_COUNTRY,
    ),
)
async def list_vote_events(
    request: Request,
    session: ReadSessionDep,
    filters: VoteFiltersDep,
    page: PageParams,
    fmt: FormatDep,
) -> Response:
    listing = await queries.listing(session, filters=filters)
    return await listing_response(
        request, session, listing, page, fmt, LIST_COLUMNS, "vote-events.csv"
    )


@router.get(
    "/v1/vote-events/{event_id}/votes",
    response_model=Roll,
    summary="The roll of a vote event",
    description=(
        "Every member state's vote, grouped by position with subtotals by regional group, as "
        "for `/v1/resolutions/{symbol}/votes`. CSV: one row per state."
    ),
    responses=responses(
        examples.ROLL,
        csv=examples.ROLL_CSV,
        instance="/v1/vote-events/1/votes",
        not_found="No vote event 999999.",
        invalid=("event_id", "Input should be greater than or equal to 1"),
    ),
)
async def vote_event_votes(session: ReadSessionDep, event_id: EventId, fmt: FormatDep) -> Response:
    ev = await queries.load_event(session, event_id)
    if ev is None:
        raise NotFound(f"No vote event {event_id}.")
    data = await rolls.roll(session, ev, ev.resolution)
    if fmt == "csv":
        return csv_response(rolls.roll_csv_rows(data), ROLL_COLUMNS, f"vote-event-{ev.id}.csv")
    return json_response(data)


@router.get(
    "/v1/vote-events/{event_id}",
    response_model=VoteEventDetail,
    summary="One vote event",
    description=(
        "The vote with its resolution (if any), kind, date (and whether it is approximate), "
        "tally, majority required, computed and official outcome, any discrepancy, topics and "
        "the sources' own identifiers. CSV: one row."
    ),
    responses=responses(
        examples.EVENT_DETAIL,
        csv=examples.EVENT_DETAIL_CSV,
        instance="/v1/vote-events/999999",
        not_found="No vote event 999999.",
        invalid=("event_id", "Input should be greater than or equal to 1"),
    ),
)
async def get_vote_event(session: ReadSessionDep, event_id: EventId, fmt: FormatDep) -> Response:
    data = await queries.detail(session, event_id)
    if data is None:
        raise NotFound(f"No vote event {event_id}.")
    if fmt == "csv":
        return csv_response([data], EVENT_COLUMNS, f"vote-event-{event_id}.csv")
    return json_response(data)
