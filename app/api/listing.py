"""List responses over a :class:`Listing`: a JSON page, or CSV streaming the whole selection."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.api.params import csv_page
from app.deps import Page
from app.formats import Columns, Format, csv_stream, json_response
from app.queries.common import Listing, fetch_page, stream_items


def listing_csv(
    request: Request,
    session: AsyncSession,
    listing: Listing,
    page: Page,
    cols: Columns,
    filename: str,
) -> Response:
    """The whole selection as a CSV stream, or only the page asked for by ``limit``/``offset``."""
    chunks = stream_items(session, listing, page=csv_page(request, page))
    return csv_stream(chunks, cols, filename)


async def listing_response(
    request: Request,
    session: AsyncSession,
    listing: Listing,
    page: Page,
    fmt: Format,
    cols: Columns,
    filename: str,
) -> Response:
    """One page in the list envelope (JSON), or the selection as CSV (see :func:`listing_csv`)."""
    if fmt == "csv":
        return listing_csv(request, session, listing, page, cols, filename)
    return json_response(await fetch_page(session, listing, page))
