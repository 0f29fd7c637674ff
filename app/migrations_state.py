"""What the migrations say: the head revision, and the database's current one."""

from __future__ import annotations

from functools import lru_cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.config import PROJECT_ROOT


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if database_url:
        cfg.attributes["database_url"] = database_url
    return cfg


@lru_cache
def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def current_revisions(conn: AsyncConnection) -> frozenset[str]:
    rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
    return frozenset(r[0] for r in rows)
