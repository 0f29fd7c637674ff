"""Pieces shared by the read queries: paging and streaming a selection, tallies, links."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import Page

Item = dict[str, Any]
# Any SELECT, whatever its columns (mypy does not relate Select[int, str] to Select[*Any]).
AnySelect = Any
POSITION_ORDER = ("yes", "no", "abstain", "non_voting")
STREAM_CHUNK = 1000


@dataclass(frozen=True)
class Listing:
    """A filtered, ordered selection: ``rows`` (unpaged) and how to turn a row into an item."""

    rows: AnySelect  # ordered, not paged
    item: Callable[[Row[Any]], Item]
    count: AnySelect | None = None  # defaults to counting ``rows``

    def count_statement(self) -> AnySelect:
        if self.count is not None:
            return self.count
        return select(func.count()).select_from(self.rows.order_by(None).subquery())


async def fetch_page(session: AsyncSession, listing: Listing, page: Page) -> Item:
    """One page in the list envelope; two statements whatever the page size."""
    total = (await session.execute(listing.count_statement())).scalar_one()
    rows = (await session.execute(listing.rows.limit(page.limit).offset(page.offset))).all()
    return {
        "items": [listing.item(r) for r in rows],
        "total": int(total),
        "limit": page.limit,
        "offset": page.offset,
    }


async def stream_items(
    session: AsyncSession, listing: Listing, *, page: Page | None = None
) -> AsyncIterator[list[Item]]:
    """The whole selection (or one page of it), in chunks, from a server-side cursor."""
    stmt = listing.rows
    if page is not None:
        stmt = stmt.limit(page.limit).offset(page.offset)
    result = await session.stream(stmt.execution_options(yield_per=STREAM_CHUNK))
    try:
        async for rows in result.partitions(STREAM_CHUNK):
            yield [listing.item(r) for r in rows]
    finally:
        await result.close()


def utc(value: datetime | None) -> datetime | None:
    """Timestamps as aware UTC (SQLite hands them back naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def latest(*values: datetime | None) -> datetime | None:
    present = [v for v in (utc(x) for x in values) if v is not None]
    return max(present) if present else None


def tally(yes: int, no: int, abstain: int, non_voting: int, members: int) -> Item:
    return {"yes": yes, "no": no, "abstain": abstain, "non_voting": non_voting, "members": members}


def margin(yes: int, no: int, majority: str) -> int:
    """Votes beyond what the rule needs: yes - no (simple), yes - 2*no (two-thirds)."""
    return yes - 2 * no if majority == "two_thirds" else yes - no


def path_part(text: str) -> str:
    return quote(text, safe="/()")


def resolution_url(symbol: str) -> str:
    return f"/v1/resolutions/{path_part(symbol)}"


def document_url(symbol: str) -> str:
    """The UN's own short link for a document symbol."""
    return f"https://undocs.org/{path_part(symbol)}"
