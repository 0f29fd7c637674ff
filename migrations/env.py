"""Alembic environment: URL from Settings (or a test override), batch mode on SQLite, and every
migration inside one transaction on both databases so a failure leaves the schema as it was."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Table

import app.models  # noqa: F401  (registers every table)
from app.config import get_settings
from app.db import Base, is_sqlite, make_sync_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata

# Tables managed by hand in migrations (full-text indexes), invisible to autogenerate.
EXCLUDED_TABLE_PREFIXES = ("fts_", "search_")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    if type_ == "table" and name and name.startswith(EXCLUDED_TABLE_PREFIXES):
        return False
    return not (isinstance(obj, Table) and obj.info.get("skip_autogenerate"))


def database_url() -> str:
    url = config.attributes.get("database_url")
    return str(url) if url else get_settings().database_url


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=is_sqlite(url),
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection, url)
        return
    engine = make_sync_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn, url)
    finally:
        engine.dispose()


def _run(connection: object, url: str) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=is_sqlite(url),
        include_object=include_object,
        compare_type=True,
        transaction_per_migration=False,
        transactional_ddl=True,  # SQLite too: our engine emits a real BEGIN
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
