"""Declarative base, engine factories and the one place that owns a request's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def async_url(url: str | URL) -> URL:
    """The async-driver form of a database URL (aiosqlite, asyncpg)."""
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite":
        return u.set(drivername="sqlite+aiosqlite")
    if backend == "postgresql":
        return u.set(drivername="postgresql+asyncpg")
    raise ValueError(f"unsupported database backend: {backend}")


def sync_url(url: str | URL) -> URL:
    """The sync-driver form of a database URL (pysqlite, psycopg 3): migrations and bulk imports."""
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite":
        return u.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        return u.set(drivername="postgresql+psycopg")
    raise ValueError(f"unsupported database backend: {backend}")


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _install_sqlite_pragmas(engine: Engine) -> None:
    """WAL, a busy timeout and foreign keys on every connection; explicit BEGIN so that a
    write transaction can take the write lock up front (``sqlite_begin="IMMEDIATE"``)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | URL, *, echo: bool = False) -> AsyncEngine:
    u = async_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if u.get_backend_name() == "postgresql":
        kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    engine = create_async_engine(u, **kwargs)
    if u.get_backend_name() == "sqlite":
        _install_sqlite_pragmas(engine.sync_engine)
    return engine


def make_sync_engine(url: str | URL, *, echo: bool = False) -> Engine:
    u = sync_url(url)
    engine = create_engine(u, echo=echo)
    if u.get_backend_name() == "sqlite":
        _install_sqlite_pragmas(engine)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
