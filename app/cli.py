"""The ``unga`` console command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings
from app.importers.cli import import_cli
from app.keys_cli import keys_cli
from app.news_cli import news_cli

cli = typer.Typer(help="unga-tracker: UN General Assembly votes API.", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(import_cli, name="import")
cli.add_typer(news_cli, name="news")
console = Console(stderr=True)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes.")] = False,
) -> None:
    """Serve the API with uvicorn."""
    import uvicorn

    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level="info",
    )


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database up (all-or-nothing)."""
    from alembic import command

    from app.migrations_state import alembic_config

    command.upgrade(alembic_config(get_settings().database_url), revision)


@db_cli.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")],
) -> None:
    """Migrate the database down."""
    from alembic import command

    from app.migrations_state import alembic_config

    command.downgrade(alembic_config(get_settings().database_url), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the database's revision."""
    from alembic import command

    from app.migrations_state import alembic_config

    command.current(alembic_config(get_settings().database_url))


@cli.command()
def seed(
    seed_dir: Annotated[
        Path | None, typer.Option(help="Folder of seed CSVs (default: the project's seed/).")
    ] = None,
) -> None:
    """Load the curated seed data (idempotent: running it twice gives the same state)."""
    from sqlalchemy.orm import Session

    from app.db import make_sync_engine
    from app.seed import load_seed

    settings = get_settings()
    engine = make_sync_engine(settings.database_url).execution_options(sqlite_begin="IMMEDIATE")
    try:
        with Session(engine) as session, session.begin():
            report = load_seed(session, seed_dir or settings.seed_dir)
    finally:
        engine.dispose()
    summary = ", ".join(f"{k} {v}" for k, v in report.items() if v)
    console.print(f"seed loaded: {summary or 'nothing changed'}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
