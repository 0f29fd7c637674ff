"""Bump the dataset version inside the writer's transaction (sync; async code uses run_sync)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models._types import utcnow
from app.models.dataset import DatasetState


def bump_version(session: Session, *, refreshed: bool = False) -> int:
    """Increment the dataset version (creating the row if needed); returns the new version.
    ``refreshed``: the change is an import from the sources, so the data is "as of" now."""
    now = utcnow()
    values: dict[str, object] = {"version": DatasetState.version + 1, "changed_at": now}
    if refreshed:
        values["data_as_of"] = now
    result = session.execute(
        update(DatasetState)
        .where(DatasetState.id == 1)
        .values(values)
        .returning(DatasetState.version)
    ).scalar_one_or_none()
    if result is None:
        session.add(
            DatasetState(id=1, version=1, changed_at=now, data_as_of=now if refreshed else None)
        )
        session.flush()
        return 1
    return int(result)


def current_version(session: Session) -> int:
    value = session.execute(select(DatasetState.version).where(DatasetState.id == 1)).scalar()
    return int(value or 0)
