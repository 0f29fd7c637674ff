"""Countries: lookup by any code or name, and each country's whole voting history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from app.api.listing import listing_csv
from app.api.params import TEXT, HistoryFiltersDep, csv_page, responses
from app.deps import PageParams, ReadSessionDep, VotePageParams
from app.errors import NotFound
from app.formats import FormatDep, columns, csv_response, json_response
from app.http_cache import dataset_snapshot
from app.models import Country
from app.queries import countries as queries
from app.schemas import examples
from app.schemas.common import Page
from app.schemas.countries import CountryDetail, CountryOut, CountryVotesPage

router = APIRouter(tags=["countries"], dependencies=[Depends(dataset_snapshot)])

COUNTRY_COLUMNS = columns(
    "code",
    "iso2",
    "m49",
    "name",
    "official_name",
    "is_historical",
    "member",
    "admitted_on",
    "left_on",
)
HISTORY_COLUMNS = columns(
    "vote_event_id",
    "symbol",
    "draft_symbol",
    "title",
    "session",
    "date",
    "date_approximate",
    "kind",
    "is_main",
    "position",
    "non_voting_reason",
    "inferred",
    "intended_position",
    "name_in_source",
    "outside_membership",
    "tally.yes",
    "tally.no",
    "tally.abstain",
    "tally.non_voting",
    "margin",
    "outcome",
)
RefPath = Annotated[
    str,
    Path(
        max_length=TEXT,
        description="ISO3 (`BLR`), ISO2 (`BY`), M49 (`112`) or any name or alias the data "
        "knows (`Belarus`, `Russia`, `Russian Federation`, `Burma`, `Turkey`), in any case.",
        examples=["BLR"],
    ),
]


async def _country(session: ReadSessionDep, ref: str) -> Country:
    country = await queries.find_country(session, ref)
    if country is None:
        message, suggestions = await queries.no_match(session, ref)
        raise NotFound(message, suggestions=suggestions)
    return country


@router.get(
    "/v1/countries",
    response_model=Page[CountryOut],
    summary="List countries",
    description=(
        "Every state that ever held a seat (historical seats such as the USSR included), by "
        "name. `group` keeps members of a group (`eastern-european`, `p5`, `eu` …) on "
        "`member_on` (default today); `member_on` alone keeps UN members on that date; `q` "
        "searches names and codes. Pages hold up to 200; CSV lists the whole selection."
    ),
    responses=responses(
        examples.COUNTRY_LIST,
        csv=examples.COUNTRY_LIST_CSV,
        instance="/v1/countries",
        not_found="Query parameter `group`: No group 'nato'; known: african, asia-pacific, "
        "eastern-european, eu, latin-american-caribbean, p5, weog.",
    ),
)
async def list_countries(
    request: Request,
    session: ReadSessionDep,
    page: PageParams,
    fmt: FormatDep,
    group: Annotated[
        str | None,
        Query(max_length=40, description="A group's slug.", examples=["eastern-european"]),
    ] = None,
    member_on: Annotated[
        date | None,
        Query(description="UN members (and group members) on this date.", examples=["2021-06-18"]),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=TEXT, description="Part of a name or a code.")
    ] = None,
    updated_since: Annotated[
        datetime | None,
        Query(description="Only countries changed at or after this instant (ISO 8601)."),
    ] = None,
) -> Response:
    wanted = page if fmt == "json" else csv_page(request, page)
    data = await queries.list_page(
        session, page=wanted, group=group, on=member_on, q=q, updated_since=updated_since
    )
    if fmt == "csv":
        return csv_response(data["items"], COUNTRY_COLUMNS, "countries.csv")
    return json_response(data)


@router.get(
    "/v1/countries/{ref}/votes",
    response_model=CountryVotesPage,
    summary="A country's whole voting history",
    description=(
        "Every vote of the country (one row per vote event) with the filters of "
        "`/v1/resolutions` (`position` is the country's own), and a summary: counts and shares "
        "of yes, no, abstain and non-voting over the whole selection. Pages hold up to 1,000 "
        "votes (default 1,000). CSV streams the whole history (or the page asked for)."
    ),
    responses=responses(
        examples.COUNTRY_VOTES,
        csv=examples.COUNTRY_VOTES_CSV,
        instance="/v1/countries/BLR/votes",
        not_found="No country matches 'Belarusia'. Did you mean Belarus (BLR)?",
        invalid=("limit", "Input should be less than or equal to 1000"),
    ),
)
async def country_votes(
    request: Request,
    session: ReadSessionDep,
    ref: RefPath,
    filters: HistoryFiltersDep,
    page: VotePageParams,
    fmt: FormatDep,
) -> Response:
    country = await _country(session, ref)
    if fmt == "csv":
        listing, _ = await queries.history(session, country, filters=filters)
        return listing_csv(
            request, session, listing, page, HISTORY_COLUMNS, f"{country.code}-votes.csv"
        )
    return json_response(await queries.history_page(session, country, filters=filters, page=page))


@router.get(
    "/v1/countries/{ref}",
    response_model=CountryDetail,
    summary="One country, by code or name",
    description=(
        "A country by ISO3, ISO2, M49 code, name or alias, case- and accent-insensitively: "
        "its codes, every name it is known by (dated where it matters), its UN membership "
        "spells, groups and successions. An unknown reference answers 404 with close matches "
        "in `suggestions`. CSV: one row."
    ),
    responses=responses(
        examples.COUNTRY_DETAIL,
        csv=examples.COUNTRY_DETAIL_CSV,
        instance="/v1/countries/Belarusia",
        not_found="No country matches 'Belarusia'. Did you mean Belarus (BLR)?",
        invalid=("format", "Input should be 'json' or 'csv'"),
    ),
)
async def get_country(session: ReadSessionDep, ref: RefPath, fmt: FormatDep) -> Response:
    data = await queries.detail(session, await _country(session, ref))
    if fmt == "csv":
        return csv_response([data], COUNTRY_COLUMNS, f"{data['code']}.csv")
    return json_response(data)
