"""News: lists and items, news of a resolution or a country, link suggestions, and the writes
(create, change, delete, replace links) that need a key with the ``news:write`` scope.

Register this router before the read API's routers: ``/v1/resolutions/{symbol}/news`` must be
tried before the catch-all ``/v1/resolutions/{symbol:path}``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.responses import Response as StarletteResponse

from app.api.params import responses
from app.api.write_common import IfMatch, write_responses
from app.auth import NewsWriter
from app.config import Settings
from app.deps import PageParams, ReadSessionDep, SessionDep
from app.errors import NotFound
from app.formats import json_response
from app.http_cache import dataset_snapshot
from app.models import Country, Resolution
from app.news.suggest import Suggestions
from app.queries import news as queries
from app.queries.common import resolution_url
from app.queries.countries import find_country
from app.queries.resolutions import find as find_resolution
from app.schemas.common import Page
from app.schemas.news import (
    DEFAULT_THRESHOLD,
    NewsCreate,
    NewsItemOut,
    NewsLinksIn,
    NewsPatch,
    Relation,
    SuggestLinksIn,
    SuggestLinksOut,
)
from app.services import news as service

router = APIRouter(tags=["news"])
read = [Depends(dataset_snapshot)]

MAX_NEWS_ID = 2**31 - 1
NewsId = Annotated[int, Path(ge=1, le=MAX_NEWS_ID, description="The news item's id.")]
RelationParam = Annotated[
    Relation | None,
    Query(description="Keep links of this relation only.", examples=["reports_on"]),
]

_ITEM_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "url": "https://news.example.org/2021/06/19/assembly-myanmar-arms",
    "title": "Assembly urges states to stop arms reaching Myanmar",
    "outlet": "Example News",
    "published_at": "2021-06-19T00:00:00Z",
    "summary": "The General Assembly adopted a resolution on Myanmar by 119 votes to 1.",
    "language": "en",
    "created_at": "2021-06-19T08:00:00Z",
    "updated_at": "2021-06-19T08:00:00Z",
    "resolutions": [
        {
            "symbol": "A/RES/75/287",
            "draft_symbol": "A/75/L.85/Rev.1",
            "title": "The situation in Myanmar",
            "relation": "reports_on",
            "url": "/v1/resolutions/A/RES/75/287",
        }
    ],
    "countries": [
        {"code": "MMR", "name": "Myanmar", "relation": "mentions", "url": "/v1/countries/MMR"}
    ],
    "links": {"self": "/v1/news/1"},
}
_PAGE_EXAMPLE = {"items": [_ITEM_EXAMPLE], "total": 1, "limit": 50, "offset": 0}
_SUGGEST_EXAMPLE: dict[str, Any] = {
    "resolutions": [
        {
            "symbol": "A/RES/75/287",
            "draft_symbol": None,
            "title": "The situation in Myanmar",
            "score": 0.7,
            "points": 9.33,
            "vote_event_id": 41,
            "evidence": [
                {
                    "kind": "tally",
                    "points": 3.72,
                    "detail": "the text states 119, 1, 36; the vote was 119-1-36",
                    "spans": [{"start": 160, "end": 163, "text": "119"}],
                },
                {
                    "kind": "date",
                    "points": 2.0,
                    "detail": "published 1 day(s) after the vote",
                    "spans": [],
                },
                {
                    "kind": "content",
                    "points": 3.0,
                    "detail": "words of its title found: MMR",
                    "spans": [],
                },
            ],
            "url": "/v1/resolutions/A/RES/75/287",
        }
    ],
    "countries": [
        {
            "code": "MMR",
            "name": "Myanmar",
            "named": True,
            "mentions": [{"start": 44, "end": 51, "text": "Myanmar", "via": "name"}],
            "url": "/v1/countries/MMR",
        },
        {
            "code": "BLR",
            "name": "Belarus",
            "named": True,
            "mentions": [{"start": 190, "end": 197, "text": "Belarus", "via": "name"}],
            "url": "/v1/countries/BLR",
        },
    ],
    "language": "en",
    "threshold": {"score": 0.5, "points": 4.0},
    "url": None,
}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _resolution_param(session: Any, symbol: str | None) -> Resolution | None:
    if symbol is None:
        return None
    found = await find_resolution(session, symbol)
    if found is None:
        raise NotFound(f"Query parameter `resolution`: No resolution {symbol[:60]}.")
    return found


async def _country_param(session: Any, ref: str | None) -> Country | None:
    if ref is None:
        return None
    found = await find_country(session, ref)
    if found is None:
        raise NotFound(f"Query parameter `country`: No country matches {ref[:60]!r}.")
    return found


# --- reads -----------------------------------------------------------------------------------


@router.get(
    "/v1/news",
    response_model=Page[NewsItemOut],
    summary="List news items",
    description=(
        "News items with their links to resolutions and countries, newest first. Filters "
        "compose: `resolution` (any symbol form) and `country` (code or name) keep items "
        "linked to them, `relation` keeps links of one kind (with `resolution`/`country`, or "
        "alone: items with any such link), `from`/`to` bound the publication date, `outlet` "
        "is matched whole (any case), `q` searches titles and summaries (full text). Pages "
        "hold up to 200."
    ),
    dependencies=read,
    responses=responses(
        _PAGE_EXAMPLE,
        csv=None,
        instance="/v1/news",
        not_found="Query parameter `country`: No country matches 'Narnia'.",
    ),
)
async def list_news(
    session: ReadSessionDep,
    page: PageParams,
    resolution: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=60,
            description="A resolution symbol.",
            examples=["A/RES/75/287"],
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            min_length=1, max_length=200, description="A country code or name.", examples=["BLR"]
        ),
    ] = None,
    date_from: Annotated[
        date | None, Query(alias="from", description="Published on or after this date.")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Published on or before this date.")
    ] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="The outlet's name.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in title or summary.")] = (
        None
    ),
    relation: RelationParam = None,
) -> Response:
    res = await _resolution_param(session, resolution)
    ctry = await _country_param(session, country)
    filters = queries.NewsFilters(
        resolution_id=res.id if res else None,
        country_id=ctry.id if ctry else None,
        date_from=date_from,
        date_to=date_to,
        outlet=outlet,
        q=q,
        relation=relation,
    )
    return json_response(await queries.list_page(session, filters=filters, page=page))


@router.get(
    "/v1/news/{news_id}",
    response_model=NewsItemOut,
    summary="One news item",
    description="A news item with its links to resolutions and countries.",
    dependencies=read,
    responses=responses(
        _ITEM_EXAMPLE, csv=None, instance="/v1/news/1", not_found="No news item 99."
    ),
)
async def get_news(session: ReadSessionDep, news_id: NewsId) -> Response:
    item = await queries.get(session, news_id)
    if item is None:
        raise NotFound(f"No news item {news_id}.")
    return json_response(queries.to_item(item))


@router.get(
    "/v1/resolutions/{symbol:path}/news",
    response_model=Page[NewsItemOut],
    summary="News about a resolution",
    description=(
        "News items linked to the resolution (symbol in any common form, or its draft's), "
        "newest first; `relation` keeps one kind of link."
    ),
    dependencies=read,
    responses=responses(
        _PAGE_EXAMPLE,
        csv=None,
        instance="/v1/resolutions/A/RES/75/287/news",
        not_found="No resolution A/RES/99/999.",
    ),
)
async def resolution_news(
    session: ReadSessionDep,
    page: PageParams,
    symbol: Annotated[str, Path(max_length=60, description="e.g. A/RES/75/287 or 75/287.")],
    relation: RelationParam = None,
) -> Response:
    res = await find_resolution(session, symbol)
    if res is None:
        raise NotFound(f"No resolution {symbol[:60]}.")
    filters = queries.NewsFilters(resolution_id=res.id, relation=relation)
    return json_response(await queries.list_page(session, filters=filters, page=page))


@router.get(
    "/v1/countries/{ref}/news",
    response_model=Page[NewsItemOut],
    summary="News about a country",
    description=(
        "News items linked to the country (ISO3, ISO2, M49, or a name or alias such as "
        '"Russia" or "Burma"), newest first; `relation` keeps one kind of link.'
    ),
    dependencies=read,
    responses=responses(
        _PAGE_EXAMPLE,
        csv=None,
        instance="/v1/countries/BLR/news",
        not_found="No country matches 'Narnia'.",
    ),
)
async def country_news(
    session: ReadSessionDep,
    page: PageParams,
    ref: Annotated[str, Path(max_length=200, description="e.g. BLR, BY, 112 or Belarus.")],
    relation: RelationParam = None,
) -> Response:
    country = await find_country(session, ref)
    if country is None:
        raise NotFound(f"No country matches {ref[:60]!r}.")
    filters = queries.NewsFilters(country_id=country.id, relation=relation)
    return json_response(await queries.list_page(session, filters=filters, page=page))


# --- link suggestions ------------------------------------------------------------------------


def suggestions_body(
    found: Suggestions, context: service.SuggestionContext, text: str, url: str | None
) -> dict[str, Any]:
    resolutions = []
    for s in found.resolutions:
        resolutions.append(
            {
                "symbol": s.symbol,
                "draft_symbol": s.draft_symbol,
                "title": s.title,
                "score": s.score,
                "points": s.points,
                "vote_event_id": s.vote_event_id,
                "evidence": [
                    {
                        "kind": e.kind,
                        "points": e.points,
                        "detail": e.detail,
                        "spans": [{"start": a, "end": b, "text": text[a:b]} for a, b in e.spans],
                    }
                    for e in s.evidence
                ],
                "url": resolution_url(s.symbol or s.draft_symbol or ""),
            }
        )
    countries = []
    for finding in found.countries:
        info = context.vocabulary.countries.get(finding.code)
        countries.append(
            {
                "code": finding.code,
                "name": info.name if info else finding.code,
                "named": finding.direct,
                "mentions": [
                    {"start": m.start, "end": m.end, "text": m.text, "via": m.kind}
                    for m in finding.mentions
                ],
                "url": f"/v1/countries/{finding.code}" if info and info.id else None,
            }
        )
    return {
        "resolutions": resolutions,
        "countries": countries,
        "language": found.language,
        "threshold": DEFAULT_THRESHOLD.model_dump(),
        "url": url,
    }


@router.post(
    "/v1/news/suggest-links",
    response_model=SuggestLinksOut,
    summary="Suggest links for an article",
    description=(
        "Reads an article (title, text, publication date; an optional URL is echoed, never "
        "fetched) and answers the resolutions it most likely reports on, best first, each "
        "with a score and its evidence (symbols cited in any common form, the reported "
        "tally against each recorded vote, words shared with titles and descriptions, the "
        "date, country positions the roll confirms), and the countries it names with the "
        'matching spans (names in several languages, aliases such as "Burma", capitals '
        'such as "Moscow", demonyms such as "Belarusian": `named` is false for those). '
        "Only suggestions scoring 0.5 or more (4 points) are listed: an empty list means the "
        "evidence is weak. Public and read-only; rate-limited like reads. Spans are offsets "
        'into `title + "\\n" + text`.'
    ),
    responses={
        200: {"content": {"application/json": {"example": _SUGGEST_EXAMPLE}}},
        422: {"description": "Invalid request (problem+json)."},
        429: {"description": "Rate limit reached (problem+json), with `Retry-After`."},
    },
)
async def suggest_links(
    request: Request, session: ReadSessionDep, body: SuggestLinksIn
) -> Response:
    article = service.article_of(body.title, body.text, body.published_on, body.language)
    found, context = await service.suggest_links(
        session, article, seed_dir=_settings(request).seed_dir, limit=body.limit
    )
    text = f"{article.title.strip()}\n{article.text}"
    return json_response(suggestions_body(found, context, text, body.url))


# --- writes ----------------------------------------------------------------------------------


def _written(response: Response, written: service.Written) -> dict[str, Any]:
    response.headers["ETag"] = written.etag
    response.headers["Cache-Control"] = "no-store"
    if written.created:
        response.status_code = 201
        response.headers["Location"] = queries.news_url(written.id)
    return written.record


@router.post(
    "/v1/news",
    response_model=NewsItemOut,
    status_code=201,
    summary="Add a news item",
    description=(
        "Stores a news item with the links given. With `?suggest=true` the article's `text` "
        "(or its summary) is matched too and the suggestions are stored as links of relation "
        "`suggested`, for an editor to confirm (`PUT …/links`) or remove; links given in the "
        "body win over suggestions. The text itself is not stored. 409 if the URL is stored "
        "already.\n\nNeeds an API key with the scope `news:write`."
    ),
    responses=write_responses(409, ok=201, ok_description="Created."),
)
async def create_news(
    caller: NewsWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    body: NewsCreate,
    suggest: Annotated[
        bool, Query(description="Also store suggested links (relation `suggested`).")
    ] = False,
) -> dict[str, Any]:
    written = await service.create_news(
        session, caller, request, body, suggest=suggest, seed_dir=_settings(request).seed_dir
    )
    return _written(response, written)


@router.patch(
    "/v1/news/{news_id}",
    response_model=NewsItemOut,
    summary="Change a news item",
    description=(
        "Changes the fields sent (links are changed with `PUT …/links`). Honours `If-Match`."
        "\n\nNeeds an API key with the scope `news:write`."
    ),
    responses=write_responses(404, 409, 412),
)
async def patch_news(
    caller: NewsWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    news_id: NewsId,
    body: NewsPatch,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    written = await service.update_news(session, caller, request, news_id, body, if_match=if_match)
    return _written(response, written)


@router.put(
    "/v1/news/{news_id}/links",
    response_model=NewsItemOut,
    summary="Replace a news item's links",
    description=(
        "Sets every link of the item to those sent (an editor confirming suggestions sends "
        "them again as `reports_on` or `mentions`, and leaves out the wrong ones). Honours "
        "`If-Match`.\n\nNeeds an API key with the scope `news:write`."
    ),
    responses=write_responses(404, 412),
)
async def put_news_links(
    caller: NewsWriter,
    session: SessionDep,
    request: Request,
    response: Response,
    news_id: NewsId,
    body: NewsLinksIn,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    written = await service.replace_links(
        session, caller, request, news_id, body, if_match=if_match
    )
    return _written(response, written)


@router.delete(
    "/v1/news/{news_id}",
    status_code=204,
    summary="Delete a news item",
    description=(
        "Deletes the item and its links (the audit log keeps the deleted record). Honours "
        "`If-Match`.\n\nNeeds an API key with the scope `news:write`."
    ),
    responses=write_responses(404, 412, ok=204, ok_description="Deleted."),
)
async def delete_news(
    caller: NewsWriter,
    session: SessionDep,
    request: Request,
    news_id: NewsId,
    if_match: IfMatch = None,
) -> StarletteResponse:
    await service.delete_news(session, caller, request, news_id, if_match=if_match)
    return StarletteResponse(status_code=204, headers={"Cache-Control": "no-store"})
