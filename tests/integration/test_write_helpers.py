"""Helpers shared by the write API tests (no tests here): keys, rolls, a live app on a scratch
database with real commits."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from app.auth import create_api_key, revoke_api_key
from app.config import Settings
from app.db import make_sessionmaker, make_sync_engine
from app.deps import get_session
from app.main import create_app
from app.models import Country, Membership
from app.models._types import utcnow
from app.models.auth import SCOPES

ALL_WRITE_SCOPES = ("votes:write", "news:write", "import")
_seq = itertools.count(1)
VOTE_DAY = date(2025, 6, 2)  # every current member, none of the historical seats


def unique_symbol() -> str:
    return f"A/RES/99/{next(_seq) + 1000}"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass(frozen=True)
class Keys:
    """One key per case of the auth matrix (each a plaintext key)."""

    scoped: str  # has the scope under test (and the other write scopes)
    unscoped: str  # valid, but only news:write/import/admin … never the one asked for
    revoked: str
    expired: str
    bad: str  # well-formed, unknown


def make_key(session: Session, scopes: Iterable[str], *, name: str = "test") -> str:
    _, key = create_api_key(session, name=name, scopes=scopes, pepper=None)
    return key


def make_keys(session: Session, scope: str) -> Keys:
    others = [s for s in SCOPES if s != scope]
    revoked_row, revoked = create_api_key(session, name="revoked", scopes=SCOPES, pepper=None)
    revoke_api_key(session, revoked_row.key_id)
    expired_row, expired = create_api_key(
        session,
        name="expired",
        scopes=SCOPES,
        pepper=None,
        expires_at=utcnow() - timedelta(minutes=1),
    )
    assert expired_row.expires_at is not None
    return Keys(
        scoped=make_key(session, SCOPES, name="all"),
        unscoped=make_key(session, others, name="others"),
        revoked=revoked,
        expired=expired,
        bad="unga_zzzzzzzz_" + "x" * 43,
    )


async def keys_in(session: AsyncSession, scope: str) -> Keys:
    """Keys made in the test's session and committed (to the test's savepoint), so that a
    request that fails and rolls back does not take them with it."""
    keys = await session.run_sync(lambda s: make_keys(s, scope))
    await session.commit()
    return keys


async def key_in(session: AsyncSession, *scopes: str) -> str:
    key = await session.run_sync(lambda s: make_key(s, scopes or ALL_WRITE_SCOPES))
    await session.commit()
    return key


def members_on(session: Session, day: date) -> list[str]:
    rows = session.execute(
        select(Country.code)
        .join(Membership, Membership.country_id == Country.id)
        .where(
            Membership.admitted_on <= day,
            or_(Membership.left_on.is_(None), Membership.left_on > day),
        )
        .order_by(Country.code)
    )
    return sorted({r[0] for r in rows})


def roll(codes: list[str], **positions: str) -> list[dict[str, Any]]:
    """Every code votes yes unless named: ``roll(codes, BLR="no", CHN="abstain")``."""
    out = []
    for code in codes:
        pos = positions.get(code, "yes")
        row: dict[str, Any] = {"country": code, "position": pos}
        if pos == "non_voting":
            row["non_voting_reason"] = "absent"
        out.append(row)
    return out


def vote_body(codes: list[str], resolution: str | None, **positions: str) -> dict[str, Any]:
    return {
        "resolution": resolution,
        "kind": "whole",
        "voted_on": VOTE_DAY.isoformat(),
        "meeting_record": "A/79/PV.99",
        "title": "Test vote",
        "votes": roll(codes, **positions),
    }


async def codes_on(session: AsyncSession, day: date = VOTE_DAY) -> list[str]:
    return await session.run_sync(lambda s: members_on(s, day))


def resolution_body(symbol: str, **fields: Any) -> dict[str, Any]:
    return {"symbol": symbol, "title": f"Test resolution {symbol}", **fields}


# --- the app over the test's rolled-back session, with settings of the test's choosing

ClientMaker = Callable[..., Any]


@pytest.fixture
def make_client(db_url: str, engine: AsyncEngine, session: AsyncSession) -> ClientMaker:
    """Like the ``client`` fixture, with settings of the test's choosing."""

    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(Settings(database_url=db_url, **settings))
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)

        async def _session() -> AsyncIterator[AsyncSession]:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            else:
                await session.commit()

        app.dependency_overrides[get_session] = _session
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c

    return make


# --- a live app over a scratch database, with real commits ---------------------------------


def seed_small(url: str, codes: Iterable[str] = ("AAA", "BBB", "CCC", "DDD")) -> None:
    """A few countries, members since 1950, in a migrated scratch database."""
    engine = make_sync_engine(url)
    with Session(engine) as s, s.begin():
        for code in codes:
            c = Country(code=code, name=f"Testland {code}")
            s.add(c)
            s.flush()
            s.add(Membership(country_id=c.id, admitted_on=date(1950, 1, 1)))
    engine.dispose()


def scratch_keys(url: str, *scope_sets: Iterable[str]) -> list[str]:
    engine = make_sync_engine(url)
    with Session(engine) as s, s.begin():
        keys = [make_key(s, scopes) for scopes in scope_sets]
    engine.dispose()
    return keys


def count_rows(url: str, model: type[Any]) -> int:
    from sqlalchemy import func

    engine = make_sync_engine(url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return int(n or 0)


@asynccontextmanager
async def live_client(url: str, **settings: Any) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """The real app (its own engine and sessions: real commits) on ``url``."""
    app = create_app(Settings(database_url=url, **settings))
    async with app.router.lifespan_context(app):
        # Unhandled errors answer 500, as they would from a server.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c, app


def small_vote(
    resolution: str | None, codes: Iterable[str] = ("AAA", "BBB", "CCC", "DDD"), **positions: str
) -> dict[str, Any]:
    return vote_body(list(codes), resolution, **positions)
