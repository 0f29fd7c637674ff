"""Resolutions: lists, one resolution in any symbol form, its roll and its summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import selectinload
from starlette.responses import Response

from app.api.listing import listing_response
from app.api.params import UNKNOWN_COUNTRY, VoteFiltersDep, responses
from app.deps import PageParams, ReadSessionDep
from app.errors import NotFound
from app.formats import FormatDep, columns, csv_response, filename_for, json_response
from app.http_cache import dataset_snapshot
from app.models import Resolution, VoteEvent
from app.queries import resolutions as queries
from app.queries import rolls
from app.queries.vote_events import MAX_EVENT_ID, event_options
from app.schemas import examples
from app.schemas.common import Page
from app.schemas.resolutions import ResolutionDetail, ResolutionOut, Summary
from app.schemas.vote_events import Roll

router = APIRouter(tags=["resolutions"], dependencies=[Depends(dataset_snapshot)])

LIST_COLUMNS = columns(
    "id",
    "symbol",
    "draft_symbol",
    "title",
    "session",
    "date",
    "date_approximate",
    "vote_event_id",
    "kind",
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
    "updated_at",
)
EVENT_COLUMNS = [
    ("vote_event_id", "id"),
    *columns(
        "date",
        "date_approximate",
        "kind",
        "is_main",
        "title",
        "majority_required",
        "tally.yes",
        "tally.no",
        "tally.abstain",
        "tally.non_voting",
        "tally.members",
    ),
    ("official_yes", "official.yes"),
    ("official_no", "official.no"),
    ("official_abstain", "official.abstain"),
    ("official_non_voting", "official.non_voting"),
    *columns("computed_outcome", "official_outcome", "outcome_discrepancy", "totals_discrepancy"),
]
ROLL_COLUMNS = columns(
    "code",
    "iso2",
    "name",
    "regional_groups",
    "position",
    "non_voting_reason",
    "inferred",
    "intended_position",
    "name_in_source",
    "outside_membership",
)
GROUP_TABLE_COLUMNS = columns("group", "name", "yes", "no", "abstain", "non_voting", "members")

SymbolPath = Annotated[
    str,
    Path(
        description="The resolution's symbol in any common form: `A/RES/75/287` (slashes raw "
        "or URL-encoded), `A-RES-75-287`, `75/287`, `A/RES/2758 (XXVI)` with or without the "
        "space, or its draft's symbol, `A/75/L.85/Rev.1`.",
        examples=["A/RES/75/287"],
    ),
]
EventParam = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_EVENT_ID,
        description="A vote event of this resolution (an amendment, a paragraph) instead of "
        "the main vote; ids are listed in the resolution's `vote_events`.",
    ),
]
EVENT_INVALID = ("event", "Input should be a valid integer, unable to parse string as an integer")
FILTERS_DOC = """
Filters compose (AND): `session` (75, S-13, ES-11), `session_type`, `from`/`to` (dates; month
precision for the approximate dates of 1946-1997), `topic`, `q` (words in the title or
description), `country` (+ `position`: every resolution on which Belarus voted no is
`country=BLR&position=no`), `adopted`, `important`, `kind` (resolutions with at least one vote
of that kind), `updated_since`. The vote filters apply to the resolution's main vote (on the
text as a whole). `sort=margin` lists the closest votes first.

Pages hold up to 200 items (`limit`, default 50) and say how many match (`total`). CSV
(`?format=csv` or `Accept: text/csv`) streams the whole selection unless `limit`/`offset` are
given.
"""


async def _resolution_with_events(session: ReadSessionDep, symbol: str) -> Resolution:
    res = await queries.find(
        session,
        symbol,
        options=(selectinload(Resolution.vote_events).options(*event_options()),),
    )
    if res is None:
        raise NotFound(f"No resolution {symbol}.")
    return res


def _pick_event(res: Resolution, event: int | None) -> VoteEvent:
    symbol = queries.display_symbol(res)
    if event is not None:
        for ev in res.vote_events:
            if ev.id == event:
                return ev
        raise NotFound(f"Vote event {event} is not a vote on {symbol}.")
    main = queries.main_event(res.vote_events)
    if main is None:
        raise NotFound(f"{symbol} has no recorded vote (adopted without a vote).")
    return main


@router.get(
    "/v1/resolutions",
    response_model=Page[ResolutionOut],
    summary="List and filter resolutions",
    description="Resolutions with the tally and outcome of their main vote." + FILTERS_DOC,
    responses=responses(
        examples.RESOLUTION_LIST,
        csv=examples.RESOLUTION_LIST_CSV,
        instance="/v1/resolutions",
        not_found=UNKNOWN_COUNTRY,
    ),
)
async def list_resolutions(
    request: Request,
    session: ReadSessionDep,
    filters: VoteFiltersDep,
    page: PageParams,
    fmt: FormatDep,
) -> Response:
    listing = await queries.listing(session, filters=filters)
    return await listing_response(
        request, session, listing, page, fmt, LIST_COLUMNS, "resolutions.csv"
    )


@router.get(
    "/v1/resolutions/{symbol:path}/votes",
    response_model=Roll,
    summary="The roll of a resolution's vote",
    description=(
        "Every member state's vote on the resolution's main vote (or on `?event=ID`), grouped "
        "by position with subtotals by regional group: position, regional groups, whether a "
        "non-vote is recorded or inferred from membership dates, the intended position where "
        "the record notes one and the name the source used. The vote event comes with its "
        "tally, rule, outcomes and the sources' own identifiers. CSV: one row per state."
    ),
    responses=responses(
        examples.ROLL,
        csv=examples.ROLL_CSV,
        instance="/v1/resolutions/A/RES/75/287/votes",
        not_found="No resolution A/RES/99/999.",
        invalid=EVENT_INVALID,
    ),
)
async def resolution_votes(
    session: ReadSessionDep, symbol: SymbolPath, fmt: FormatDep, event: EventParam = None
) -> Response:
    res = await _resolution_with_events(session, symbol)
    data = await rolls.roll(session, _pick_event(res, event), res)
    if fmt == "csv":
        name = f"{filename_for(queries.display_symbol(res))}-votes.csv"
        return csv_response(rolls.roll_csv_rows(data), ROLL_COLUMNS, name)
    return json_response(data)


@router.get(
    "/v1/resolutions/{symbol:path}/summary",
    response_model=Summary,
    summary="A resolution's vote at a glance",
    description=(
        "For a journalist, in one call: the tally, the outcome and the rule that decided it, a "
        "table by regional group, the notable positions (the permanent members, states alone "
        "in their position, intended positions), links to the resolution, its draft and the "
        "meeting record, and one sentence: *Adopted 119–1–36; Belarus against; China and "
        "Russia among 36 abstentions*. CSV: the table by regional group."
    ),
    responses=responses(
        examples.SUMMARY,
        csv=examples.SUMMARY_CSV,
        instance="/v1/resolutions/A/RES/75/287/summary",
        not_found="No resolution A/RES/99/999.",
        invalid=EVENT_INVALID,
    ),
)
async def resolution_summary(
    session: ReadSessionDep, symbol: SymbolPath, fmt: FormatDep, event: EventParam = None
) -> Response:
    res = await _resolution_with_events(session, symbol)
    data = await rolls.summary(session, _pick_event(res, event), res)
    if fmt == "csv":
        name = f"{filename_for(queries.display_symbol(res))}-summary.csv"
        return csv_response(data["by_regional_group"], GROUP_TABLE_COLUMNS, name)
    return json_response(data)


@router.get(
    "/v1/resolutions/{symbol:path}",
    response_model=ResolutionDetail,
    summary="One resolution, by any form of its symbol",
    description=(
        "The resolution and every vote event on it (the whole text, paragraphs, amendments), "
        "each with its tally (yes, no, abstain, non-voting, members), the majority required, "
        "the outcome computed under rule 86, the official outcome and any discrepancy between "
        "them; plus linked news. The symbol may be given as `A/RES/75/287`, URL-encoded, "
        "`A-RES-75-287`, `75/287` or as the draft's `A/75/L.85/Rev.1`. CSV: one row per vote "
        "event."
    ),
    responses=responses(
        examples.RESOLUTION_DETAIL,
        csv=examples.RESOLUTION_DETAIL_CSV,
        instance="/v1/resolutions/A/RES/99/999",
        not_found="No resolution A/RES/99/999.",
        invalid=("format", "Input should be 'json' or 'csv'"),
    ),
)
async def get_resolution(session: ReadSessionDep, symbol: SymbolPath, fmt: FormatDep) -> Response:
    data = await queries.detail(session, symbol)
    if data is None:
        raise NotFound(f"No resolution {symbol}.")
    if fmt == "csv":
        name = f"{filename_for(data['symbol'] or data['draft_symbol'])}.csv"
        return csv_response(data["vote_events"], EVENT_COLUMNS, name)
    return json_response(data)
