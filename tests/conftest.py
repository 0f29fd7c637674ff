"""Fixtures: one migrated (and seeded) test database per run, one rolled-back transaction per
test, and an HTTP client over ASGI in the test's own event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_engine, make_sessionmaker, make_sync_engine
from app.deps import get_read_session, get_session
from app.main import create_app
from tests.dbutil import scratch_database, upgrade


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated and seeded database for the whole run (committed once, then read-only:
    every test's own writes are rolled back)."""
    tmp = tmp_path_factory.mktemp("db")
    with scratch_database(tmp) as url:
        upgrade(url)
        from app.seed import load_seed

        engine = make_sync_engine(url)
        with Session(engine) as session, session.begin():
            load_seed(session, Settings().seed_dir)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def sync_engine(db_url: str) -> Iterator[Engine]:
    engine = make_sync_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sync_session(sync_engine: Engine) -> Iterator[Session]:
    """A sync session inside an outer transaction that is rolled back after the test."""
    with sync_engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            trans.rollback()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """An async session inside an outer transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        sess = AsyncSession(bind=conn, join_transaction_mode="create_savepoint", autoflush=False)
        try:
            yield sess
        finally:
            await sess.close()
            await trans.rollback()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
async def client(
    settings: Settings, engine: AsyncEngine, session: AsyncSession
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)

    async def _session() -> AsyncIterator[AsyncSession]:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()  # releases the test's savepoint only

    async def _read_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[get_read_session] = _read_session
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def shared_data() -> Path:
    path = Settings().data_dir
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    return path
