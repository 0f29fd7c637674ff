"""Dependencies shared by the routers: the database session, settings, paging."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's transaction: committed when the handler returns, rolled back if it raised
    (the exception is thrown in here at the ``yield``)."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        if session.in_transaction():
            await session.commit()


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A read-only session: nothing to commit; closing it ends the transaction and returns the
    connection, whatever happened (a client that went away mid-stream included)."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": the transaction ends (commit or rollback) when the handler returns,
# before the response is sent, so a 2xx always means committed work.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
# Reads only: the session stays open until the response is sent, so a CSV can stream from a
# server-side cursor in the same read transaction.
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="request")]
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
