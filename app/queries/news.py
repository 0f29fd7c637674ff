"""Reading news items: lists with filters, one item, and counts per resolution or country.

``news_counts`` is what the resolution and country endpoints call to show how much news is
linked to them (one grouped query for a whole page of records).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.deps import Page
from app.models import NewsCountryLink, NewsItem, NewsResolutionLink
from app.queries.common import resolution_url, utc
from app.queries.search import matching_news_ids

Item = dict[str, Any]


def news_url(news_id: int) -> str:
    return f"/v1/news/{news_id}"


@dataclass(frozen=True)
class NewsFilters:
    resolution_id: int | None = None
    country_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    outlet: str | None = None
    q: str | None = None
    relation: str | None = None


def _filtered(session: AsyncSession, stmt: Select[Any], f: NewsFilters) -> Select[Any]:
    if f.resolution_id is not None:
        cond = (NewsResolutionLink.news_item_id == NewsItem.id) & (
            NewsResolutionLink.resolution_id == f.resolution_id
        )
        if f.relation:
            cond = cond & (NewsResolutionLink.relation == f.relation)
        stmt = stmt.where(exists().where(cond))
    if f.country_id is not None:
        cond = (NewsCountryLink.news_item_id == NewsItem.id) & (
            NewsCountryLink.country_id == f.country_id
        )
        if f.relation:
            cond = cond & (NewsCountryLink.relation == f.relation)
        stmt = stmt.where(exists().where(cond))
    if f.relation and f.resolution_id is None and f.country_id is None:
        stmt = stmt.where(
            exists().where(
                (NewsResolutionLink.news_item_id == NewsItem.id)
                & (NewsResolutionLink.relation == f.relation)
            )
            | exists().where(
                (NewsCountryLink.news_item_id == NewsItem.id)
                & (NewsCountryLink.relation == f.relation)
            )
        )
    if f.date_from is not None:
        stmt = stmt.where(NewsItem.published_at >= datetime.combine(f.date_from, time(), UTC))
    if f.date_to is not None:
        stmt = stmt.where(NewsItem.published_at < datetime.combine(f.date_to, time.max, UTC))
    if f.outlet:
        stmt = stmt.where(func.lower(NewsItem.outlet) == f.outlet.strip().lower())
    if f.q:
        matches = matching_news_ids(session, f.q)
        if matches is None:
            stmt = stmt.where(NewsItem.id.is_(None))
        else:
            stmt = stmt.where(NewsItem.id.in_(select(matches.c.id)))
    return stmt


def _load_links() -> tuple[Any, ...]:
    return (
        selectinload(NewsItem.resolution_links).joinedload(NewsResolutionLink.resolution),
        selectinload(NewsItem.country_links).joinedload(NewsCountryLink.country),
    )


def to_item(n: NewsItem) -> Item:
    """A news item with its links (which must be loaded)."""
    resolutions = sorted(
        n.resolution_links, key=lambda link: (link.relation != "reports_on", link.resolution_id)
    )
    countries = sorted(n.country_links, key=lambda link: link.country.code)
    return {
        "id": n.id,
        "url": n.url,
        "title": n.title,
        "outlet": n.outlet,
        "published_at": utc(n.published_at),
        "summary": n.summary,
        "language": n.language,
        "created_at": utc(n.created_at),
        "updated_at": utc(n.updated_at),
        "resolutions": [
            {
                "symbol": link.resolution.symbol,
                "draft_symbol": link.resolution.draft_symbol,
                "title": link.resolution.title,
                "relation": link.relation,
                "url": resolution_url(link.resolution.symbol or link.resolution.draft_symbol or ""),
            }
            for link in resolutions
        ],
        "countries": [
            {
                "code": link.country.code,
                "name": link.country.name,
                "relation": link.relation,
                "url": f"/v1/countries/{link.country.code}",
            }
            for link in countries
        ],
        "links": {"self": news_url(n.id)},
    }


async def list_page(session: AsyncSession, *, filters: NewsFilters, page: Page) -> Item:
    """One page, newest first (undated items last), ties by id; three queries whatever the
    page size (count, items, then their links)."""
    total = (
        await session.execute(_filtered(session, select(func.count(NewsItem.id)), filters))
    ).scalar_one()
    stmt = (
        _filtered(session, select(NewsItem), filters)
        .options(*_load_links())
        .order_by(NewsItem.published_at.is_(None), NewsItem.published_at.desc(), NewsItem.id)
        .limit(page.limit)
        .offset(page.offset)
    )
    items = [to_item(n) for n in (await session.scalars(stmt)).unique()]
    return {"items": items, "total": int(total), "limit": page.limit, "offset": page.offset}


async def get(session: AsyncSession, news_id: int) -> NewsItem | None:
    stmt = select(NewsItem).where(NewsItem.id == news_id).options(*_load_links())
    return (await session.scalars(stmt)).unique().first()


async def news_counts(
    session: AsyncSession,
    *,
    resolution_ids: Iterable[int] | None = None,
    country_ids: Iterable[int] | None = None,
    relation: str | None = None,
) -> dict[int, int]:
    """How many news items are linked to each resolution (or each country): one grouped query.
    Ids without news are absent (read them as 0). Give exactly one of the two id lists."""
    if (resolution_ids is None) == (country_ids is None):
        raise ValueError("give resolution_ids or country_ids")
    if resolution_ids is not None:
        ids = list(resolution_ids)
        key = NewsResolutionLink.resolution_id
        stmt = select(key, func.count()).where(key.in_(ids))
        if relation:
            stmt = stmt.where(NewsResolutionLink.relation == relation)
    else:
        ids = list(country_ids or [])
        key = NewsCountryLink.country_id
        stmt = select(key, func.count()).where(key.in_(ids))
        if relation:
            stmt = stmt.where(NewsCountryLink.relation == relation)
    if not ids:
        return {}
    rows = await session.execute(stmt.group_by(key))
    return {int(k): int(c) for k, c in rows}
