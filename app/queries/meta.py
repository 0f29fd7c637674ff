"""The dataset's version, freshness, sources and size."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import MAX_PAGE_SIZE, MAX_VOTE_PAGE_SIZE
from app.models import Country, Resolution, Source, Vote, VoteEvent
from app.queries.common import Item, utc


async def meta(
    session: AsyncSession, *, version: int, changed_at: object, data_as_of: object
) -> Item:
    sources = (await session.scalars(select(Source).order_by(Source.id))).all()
    counts = (
        await session.execute(
            select(
                select(func.count(Country.id)).scalar_subquery(),
                select(func.count(Resolution.id)).scalar_subquery(),
                select(func.count(VoteEvent.id)).scalar_subquery(),
                select(func.count()).select_from(Vote).scalar_subquery(),
                select(func.max(VoteEvent.voted_on)).scalar_subquery(),
            )
        )
    ).one()
    return {
        "dataset": {
            "version": version,
            "changed_at": changed_at,
            "data_as_of": data_as_of,
            "latest_vote_on": counts[4],
        },
        "sources": [
            {
                "slug": s.slug,
                "name": s.name,
                "credit": s.credit,
                "licence": s.licence,
                "url": s.url,
                "imported_at": utc(s.imported_at),
            }
            for s in sources
        ],
        "counts": {
            "countries": counts[0],
            "resolutions": counts[1],
            "vote_events": counts[2],
            "votes": counts[3],
        },
        "limits": {"page_size": MAX_PAGE_SIZE, "vote_page_size": MAX_VOTE_PAGE_SIZE},
        "formats": ["json", "csv"],
    }
