"""Query parameters and OpenAPI response documentation shared by the read routers."""

from __future__ import annotations

from datetime import date, datetime
from http import HTTPStatus
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request

from app.deps import Page
from app.queries.filters import VoteFilters

Sort = Literal["date", "-date", "margin", "-margin"]
PositionParam = Literal["yes", "no", "abstain", "non_voting"]
KindParam = Literal["whole", "paragraph", "amendment", "motion", "unknown"]
SessionType = Literal["regular", "special", "emergency_special"]
TEXT = 200
SESSION_PATTERN = r"^(?:[1-9][0-9]{0,2}|(?:[Ee][Ss]|[Ss])-[1-9][0-9]{0,2})$"


def _filters(
    ga_session: Annotated[
        str | None,
        Query(
            alias="session",
            pattern=SESSION_PATTERN,
            description="General Assembly session: `75`, `S-13` (special) or `ES-11` "
            "(emergency special).",
            examples=["75"],
        ),
    ] = None,
    session_type: Annotated[SessionType | None, Query(description="Kind of session.")] = None,
    date_from: Annotated[
        date | None,
        Query(
            alias="from",
            description="Votes on or after this date (month precision for approximate dates).",
            examples=["2021-06-01"],
        ),
    ] = None,
    date_to: Annotated[
        date | None,
        Query(
            alias="to",
            description="Votes on or before this date (month precision for approximate dates).",
            examples=["2021-06-30"],
        ),
    ] = None,
    topic: Annotated[
        list[str] | None,
        Query(
            max_length=20,
            description="Topic code (repeat for any of several): me, nu, di, hr, co, ec.",
            examples=[["hr"]],
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=TEXT,
            description="Words that must all appear in the title or description.",
            examples=["Myanmar"],
        ),
    ] = None,
    adopted: Annotated[
        bool | None, Query(description="Only votes computed as adopted (true) or rejected.")
    ] = None,
    important: Annotated[
        bool | None,
        Query(description="Only votes the US State Department lists as important (true)."),
    ] = None,
    kind: Annotated[
        KindParam | None,
        Query(description="Votes on a whole text, a paragraph, an amendment or a motion."),
    ] = None,
    updated_since: Annotated[
        datetime | None,
        Query(
            description="Only records changed at or after this instant (ISO 8601), to sync "
            "incrementally; compare with the `Last-Modified` header.",
            examples=["2021-06-18T00:00:00Z"],
        ),
    ] = None,
    sort: Annotated[
        Sort,
        Query(
            description="`-date` (newest first, default), `date`, `margin` (closest votes "
            "first) or `-margin` (widest first). Ties are broken by id."
        ),
    ] = "-date",
) -> VoteFilters:
    return VoteFilters(
        ga_session=ga_session,
        session_type=session_type,
        date_from=date_from,
        date_to=date_to,
        topics=tuple(topic or ()),
        q=q,
        adopted=adopted,
        important=important,
        kind=kind,
        updated_since=updated_since,
        sort=sort,
    )


BaseFilters = Annotated[VoteFilters, Depends(_filters)]


def vote_filters(
    base: BaseFilters,
    country: Annotated[
        str | None,
        Query(
            max_length=TEXT,
            description="Only votes in which this country has a row: ISO3, ISO2, M49 or name.",
            examples=["BLR"],
        ),
    ] = None,
    position: Annotated[
        PositionParam | None,
        Query(
            description="With `country`: only votes where it took this position; alone: "
            "votes in which at least one state took it (`position=no`: votes with any no)."
        ),
    ] = None,
) -> VoteFilters:
    return VoteFilters(**{**base.__dict__, "country": country, "position": position})


def history_filters(
    base: BaseFilters,
    position: Annotated[
        PositionParam | None, Query(description="Only votes where the country took it.")
    ] = None,
) -> VoteFilters:
    return VoteFilters(**{**base.__dict__, "position": position})


VoteFiltersDep = Annotated[VoteFilters, Depends(vote_filters)]
HistoryFiltersDep = Annotated[VoteFilters, Depends(history_filters)]


def csv_page(request: Request, page: Page) -> Page | None:
    """CSV streams the whole selection unless ``limit`` or ``offset`` is given explicitly."""
    params = request.query_params
    return page if "limit" in params or "offset" in params else None


# ------------------------------------------------------------------------------ OpenAPI docs

UNKNOWN_COUNTRY = (
    "Query parameter `country`: No country matches 'Narnia'. Did you mean Armenia (ARM)?"
)

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                },
            },
        },
        "suggestions": {"type": "array", "items": {"type": "object"}},
    },
}


def _problem(status: int, title: str, detail: str, instance: str, **extra: Any) -> dict[str, Any]:
    example = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    return {
        "description": f"{title} (problem+json).",
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA, "example": example}},
    }


def responses(
    example: Any,
    *,
    csv: str | None,
    instance: str,
    not_found: str | None = None,
    invalid: tuple[str, str] = ("limit", "Input should be less than or equal to 200"),
) -> dict[int | str, dict[str, Any]]:
    """200 with a JSON (and CSV) example, 304, 404 and 422 as problem+json."""
    content: dict[str, Any] = {"application/json": {"example": example}}
    if csv is not None:
        content["text/csv"] = {"schema": {"type": "string"}, "example": csv}
    out: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "OK. Carries `ETag`, `Last-Modified` and `Cache-Control`.",
            "content": content,
        },
        304: {"description": "Not Modified: `If-None-Match` matched the current `ETag`."},
        422: _problem(
            422,
            HTTPStatus(422).phrase,
            f"Invalid request: {invalid[0]}.",
            instance,
            errors=[{"loc": ["query", invalid[0]], "msg": invalid[1]}],
        ),
    }
    if not_found is not None:
        out[404] = _problem(404, "Not Found", not_found, instance)
    return out
