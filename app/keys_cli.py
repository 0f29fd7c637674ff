"""``unga keys``: create, list and revoke API keys. A key is printed once, when created."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import as_utc, create_api_key, pepper_of, revoke_api_key
from app.config import get_settings
from app.models._types import utcnow
from app.models.auth import SCOPES, ApiKey, AuditEntry

keys_cli = typer.Typer(help="API keys for the write API.", no_args_is_help=True)
err = Console(stderr=True)


@contextmanager
def _write_session() -> Iterator[Session]:
    """One all-or-nothing write transaction (BEGIN IMMEDIATE on SQLite)."""
    from app.db import make_sync_engine

    engine = make_sync_engine(get_settings().database_url).execution_options(
        sqlite_begin="IMMEDIATE"
    )
    try:
        with Session(engine) as session, session.begin():
            yield session
    finally:
        engine.dispose()


def _audit(session: Session, row: ApiKey, action: str) -> None:
    session.add(
        AuditEntry(
            recorded_at=utcnow(),
            api_key_id=None,
            actor="command line",
            resource="api_key",
            resource_id=row.key_id,
            action=action,
            before_state=None,
            after_state=_describe(row),
        )
    )


def _describe(row: ApiKey) -> dict[str, object]:
    def iso(value: datetime | None) -> str | None:
        v = as_utc(value)
        return v.isoformat() if v else None

    return {
        "key_id": row.key_id,
        "name": row.name,
        "scopes": list(row.scopes),
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
        "revoked_at": iso(row.revoked_at),
    }


@keys_cli.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="Who or what the key is for.")],
    scope: Annotated[
        list[str],
        typer.Option("--scope", help=f"A scope (repeat for several): {', '.join(SCOPES)}."),
    ],
    expires_in_days: Annotated[
        int | None, typer.Option(help="Expire the key after this many days.", min=1)
    ] = None,
) -> None:
    """Create a key and print it once (stdout); only its hash is stored."""
    if not name.strip() or len(name) > 100:
        raise typer.BadParameter("give a name of 1-100 characters", param_hint="--name")
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    try:
        with _write_session() as session:
            row, key = create_api_key(
                session,
                name=name.strip(),
                scopes=scope,
                pepper=pepper_of(get_settings()),
                expires_at=expires_at,
            )
            _audit(session, row, "create")
            key_id, scopes = row.key_id, ", ".join(row.scopes)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scope") from exc
    err.print(f"created key {key_id} ({name}) with scopes {scopes}")
    err.print("This is the only time the key is shown; store it now:")
    typer.echo(key)


@keys_cli.command("list")
def list_keys() -> None:
    """List keys (ids, names, scopes, times; never the keys themselves)."""
    from app.db import make_sync_engine

    engine = make_sync_engine(get_settings().database_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
    finally:
        engine.dispose()
    table = Table("id", "name", "scopes", "created", "expires", "revoked", "last used")
    now = datetime.now(UTC)

    def fmt(value: datetime | None) -> str:
        v = as_utc(value)
        return v.strftime("%Y-%m-%d %H:%M") if v else "-"

    for row in rows:
        expires = as_utc(row.expires_at)
        expired = expires is not None and expires <= now
        table.add_row(
            row.key_id,
            row.name,
            " ".join(row.scopes),
            fmt(row.created_at),
            fmt(row.expires_at) + (" (expired)" if expired else ""),
            fmt(row.revoked_at),
            fmt(row.last_used_at),
        )
    Console().print(table)


@keys_cli.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (8 characters).")]) -> None:
    """Revoke a key: it answers 401 from now on."""
    with _write_session() as session:
        row = revoke_api_key(session, key_id.strip().lower())
        if row is None:
            err.print(f"no key {key_id}")
            raise typer.Exit(1)
        _audit(session, row, "revoke")
    err.print(f"revoked key {key_id}")
