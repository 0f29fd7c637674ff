"""Groups: the regional groups, the permanent members and the EU."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from app.api.params import responses
from app.deps import ReadSessionDep
from app.errors import NotFound
from app.formats import FormatDep, columns, csv_response, json_response
from app.http_cache import dataset_snapshot
from app.queries import groups as queries
from app.schemas import examples
from app.schemas.common import Page
from app.schemas.groups import GroupDetail, GroupOut

router = APIRouter(tags=["groups"], dependencies=[Depends(dataset_snapshot)])

GROUP_COLUMNS = columns("slug", "name", "kind", "member_count", "description", "source")
MEMBER_COLUMNS = columns("code", "name", "role", "since", "since_precision", "until", "notes")
OnParam = Annotated[
    date | None,
    Query(description="Membership on this date (default today).", examples=["2021-06-18"]),
]


@router.get(
    "/v1/groups",
    response_model=Page[GroupOut],
    summary="List groups",
    description=(
        "The five regional groups of the General Assembly, the permanent members of the "
        "Security Council and the European Union, with their number of members on `on` "
        "(default today). CSV: one row per group."
    ),
    responses=responses(examples.GROUP_LIST, csv=examples.GROUP_LIST_CSV, instance="/v1/groups"),
)
async def list_groups(session: ReadSessionDep, fmt: FormatDep, on: OnParam = None) -> Response:
    data = await queries.list_all(session, on=on or date.today())
    if fmt == "csv":
        return csv_response(data["items"], GROUP_COLUMNS, "groups.csv")
    return json_response(data)


@router.get(
    "/v1/groups/{group}",
    response_model=GroupDetail,
    summary="One group and its members on a date",
    description=(
        "A group by slug (`african`, `asia-pacific`, `eastern-european`, "
        "`latin-american-caribbean`, `weog`, `p5`, `eu`) or id, with its members on `on` "
        "(default today): each with its role (member, observer, counted for elections only) "
        "and dates. `/v1/groups/p5?on=1971-01-01` lists the Republic of China's seat. CSV: one "
        "row per member."
    ),
    responses=responses(
        examples.GROUP_DETAIL,
        csv=examples.GROUP_DETAIL_CSV,
        instance="/v1/groups/nato",
        not_found="No group 'nato'.",
        invalid=("on", "Input should be a valid date or datetime, input is too short"),
    ),
)
async def get_group(
    session: ReadSessionDep,
    group: Annotated[
        str,
        Path(max_length=100, description="Slug or id.", examples=["eastern-european"]),
    ],
    fmt: FormatDep,
    on: OnParam = None,
) -> Response:
    found = await queries.find(session, group)
    if found is None:
        raise NotFound(f"No group {group!r}.")
    data = await queries.detail(session, found, on=on or date.today())
    if fmt == "csv":
        return csv_response(data["members"], MEMBER_COLUMNS, f"{found.slug}.csv")
    return json_response(data)
