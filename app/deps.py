"""Dependencies shared by the routers: the database session, settings, paging."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.db import session_scope


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    # aclosing: when the request fails, session_scope must roll back and release the
    # connection now, not when the inner generator is garbage-collected (until then a
    # failed write kept SQLite's write lock, or PostgreSQL row locks).
    scope = cast(AsyncGenerator[AsyncSession, None], session_scope(request.app.state.sessionmaker))
    async with aclosing(scope) as sessions:
        async for session in sessions:
            yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": the transaction ends (commit or rollback) when the handler returns,
# before the response is sent, so a 2xx always means committed work.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
# Reads only: the session stays open until the response is sent, so a CSV can stream from a
# server-side cursor in the same read transaction.
ReadSessionDep = Annotated[AsyncSession, Depends(get_session, scope="request")]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]

MAX_PAGE_SIZE = 200
MAX_VOTE_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size (1-{MAX_PAGE_SIZE}).")
    ] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


def vote_page_params(
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_VOTE_PAGE_SIZE, description=f"Page size (1-{MAX_VOTE_PAGE_SIZE})."),
    ] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


PageParams = Annotated[Page, Depends(page_params)]
VotePageParams = Annotated[Page, Depends(vote_page_params)]
