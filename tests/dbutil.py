"""Test database helpers: a temporary SQLite file by default, PostgreSQL via TEST_DATABASE_URL.

PostgreSQL test databases are created and dropped by the tests themselves (throwaway names),
never reused.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db import sync_url
from app.migrations_state import alembic_config


def test_database_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def on_postgres() -> bool:
    url = test_database_url()
    return bool(url) and make_url(url).get_backend_name() == "postgresql"


@contextmanager
def scratch_database(tmp_dir: Path) -> Iterator[str]:
    """A new, empty database of the kind under test; dropped afterwards."""
    base = test_database_url()
    if base and make_url(base).get_backend_name() == "postgresql":
        name = f"unga_scratch_{uuid.uuid4().hex[:10]}"
        admin = create_engine(
            sync_url(make_url(base).set(database="postgres")), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(base).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        path = tmp_dir / f"scratch_{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite+aiosqlite:///{path}"


def upgrade(url: str, revision: str = "head") -> None:
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, revision)


def downgrade(url: str, revision: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.downgrade(cfg, revision)
