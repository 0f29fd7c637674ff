"""Full-text search across resolutions and news (SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from app.api.params import responses
from app.deps import PageParams, ReadSessionDep
from app.formats import json_response
from app.http_cache import dataset_snapshot
from app.queries import search as queries
from app.queries.common import resolution_url, utc
from app.queries.news import news_url
from app.schemas.common import Page
from app.schemas.news import SearchHitOut

router = APIRouter(tags=["search"], dependencies=[Depends(dataset_snapshot)])

_EXAMPLE = {
    "items": [
        {
            "kind": "resolution",
            "id": 7,
            "symbol": "A/RES/75/287",
            "title": "The situation in Myanmar",
            "snippet": "The situation in [Myanmar]",
            "date": "2021-06-18",
            "score": 7.31,
            "url": "/v1/resolutions/A/RES/75/287",
        },
        {
            "kind": "news",
            "id": 1,
            "symbol": None,
            "title": "Assembly urges states to stop arms reaching Myanmar",
            "snippet": "…a resolution on [Myanmar] by 119 votes to 1.",
            "date": "2021-06-19",
            "score": 5.02,
            "url": "/v1/news/1",
        },
    ],
    "total": 2,
    "limit": 50,
    "offset": 0,
}


@router.get(
    "/v1/search",
    response_model=Page[SearchHitOut],
    summary="Search resolutions and news",
    description=(
        "Full-text search over resolution titles, descriptions and symbols and news titles "
        "and summaries, best match first (ties by kind and id), on the database's own engine "
        "(SQLite FTS5 with BM25, or PostgreSQL `tsvector` with a GIN index and `ts_rank_cd`), "
        "kept in step with every write and import by triggers. All words must match; "
        'English words match their other forms ("sanctions" finds "sanction"); `75/287` '
        "finds A/RES/75/287. `kind` keeps one kind of record. `score` is relevance on the "
        "engine's own scale. Pages hold up to 200."
    ),
    responses=responses(_EXAMPLE, csv=None, instance="/v1/search", invalid=("q", "Field required")),
)
async def search(
    session: ReadSessionDep,
    page: PageParams,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="Words to find.", examples=["Myanmar"])
    ],
    kind: Annotated[
        Literal["resolution", "news"] | None, Query(description="Only this kind of record.")
    ] = None,
) -> Response:
    hits, total = await queries.search(session, q, kind=kind, limit=page.limit, offset=page.offset)
    resolutions, news = await queries.hydrate(session, hits)
    words = queries.query_words(q)
    items: list[dict[str, Any]] = []
    for h in hits:
        if h.kind == "resolution" and h.id in resolutions:
            r = resolutions[h.id]
            symbol = r.symbol or r.draft_symbol
            items.append(
                {
                    "kind": "resolution",
                    "id": r.id,
                    "symbol": symbol,
                    "title": r.title,
                    "snippet": queries.snippet(
                        f"{r.title}. {r.description}" if r.description else r.title, words
                    ),
                    "date": r.adopted_on,
                    "score": h.score,
                    "url": resolution_url(symbol or ""),
                }
            )
        elif h.kind == "news" and h.id in news:
            n = news[h.id]
            published = utc(n.published_at)
            items.append(
                {
                    "kind": "news",
                    "id": n.id,
                    "symbol": None,
                    "title": n.title,
                    "snippet": queries.snippet(
                        f"{n.title}. {n.summary}" if n.summary else n.title, words
                    ),
                    "date": published.date() if published else None,
                    "score": h.score,
                    "url": news_url(n.id),
                }
            )
    return json_response(
        {"items": items, "total": total, "limit": page.limit, "offset": page.offset}
    )
