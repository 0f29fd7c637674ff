"""What every write does besides its own change: check ``If-Match``, record the audit entry and
bump the dataset version, all in the writer's transaction (a failed write leaves neither).

For write routes outside this package (news)::

    caller: Annotated[Caller, Depends(require_scope("news:write"))]
    before = record_of(item)                      # a JSON-able dict, or None for a create
    check_if_match(if_match, etag_of(before), what=f"News item {id}")
    ...change, flush...
    await record_write(session, caller, request, resource="news_item", resource_id=str(id),
                       action="update", before=before, after=record_of(item))
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import orjson
from fastapi import Request
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import Caller, as_utc
from app.errors import DomainError, PreconditionFailed
from app.models._types import utcnow
from app.models.auth import ApiKey, AuditEntry
from app.schemas.write import AuditEntryOut
from app.services.dataset import bump_version, current_version

Action = Literal["create", "replace", "update", "delete", "import", "revoke"]


class InvalidBody(DomainError):
    """422 naming each bad field, in the same shape as request validation errors."""

    status = 422

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        names = ", ".join(".".join(str(p) for p in e["loc"][1:] or e["loc"]) for e in errors)
        super().__init__(f"Invalid request: {names}.", errors=errors)


def invalid(loc: list[str | int], msg: str) -> InvalidBody:
    return InvalidBody([{"loc": [str(p) for p in loc], "msg": msg}])


def etag_of(record: dict[str, Any] | None) -> str | None:
    """A strong ETag for a record: a hash of its stored values (so it changes exactly when
    they do, whoever changed them: the API, an import or the command line)."""
    if record is None:
        return None
    digest = hashlib.sha256(orjson.dumps(record, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f'"{digest[:32]}"'


# The read API's ETags (app.http_cache.etag_for) are "<dataset version>-<hash of the URL>".
# Every write bumps the dataset version, so such a tag carrying the current version proves
# that nothing has changed since the client read: it satisfies If-Match too.
_VERSION_TAG = re.compile(r'^"(\d+)-[0-9a-f]+"$')


def dataset_version_of(etag: str) -> int | None:
    m = _VERSION_TAG.match(etag.strip())
    return int(m[1]) if m else None


async def check_if_match(
    session: AsyncSession, if_match: str | None, current: str | None, *, what: str
) -> None:
    """RFC 9110 ``If-Match`` (strong comparison): ``*``, the record's own ETag (from a write)
    or an ETag of the read API at the current dataset version must be listed. Call it after
    locking the record, so a concurrent writer's change is seen."""
    if if_match is None:
        return
    if current is None:
        raise PreconditionFailed(f"{what} does not exist, so If-Match cannot hold.")
    tags = {t.strip() for t in if_match.split(",")}
    if "*" in tags or current in tags:
        return
    versions = {v for v in map(dataset_version_of, tags) if v is not None}
    if versions and await session.run_sync(current_version) in versions:
        return
    raise PreconditionFailed(
        f"{what} has changed since you read it (If-Match {if_match.strip()[:100]}); "
        "GET it again and reapply your change."
    )


def check_if_none_match(if_none_match: str | None, current: str | None, *, what: str) -> None:
    """``If-None-Match: *`` on a PUT: create only, never replace."""
    if if_none_match is None or current is None:
        return
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    if "*" in tags or current in tags:
        raise PreconditionFailed(f"{what} already exists (If-None-Match).")


async def record_write(
    session: AsyncSession,
    caller: Caller | None,
    request: Request | None,
    *,
    resource: str,
    resource_id: str,
    action: Action,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    bump: bool = True,
) -> None:
    """Add the audit entry and bump the dataset version, inside the caller's transaction."""
    session.add(
        AuditEntry(
            recorded_at=utcnow(),
            api_key_id=caller.id if caller else None,
            actor=caller.actor if caller else "command line",
            method=request.method if request else None,
            path=request.url.path[:500] if request else None,
            resource=resource,
            resource_id=resource_id[:120],
            action=action,
            before_state=before,
            after_state=after,
        )
    )
    await session.flush()
    if bump:
        await session.run_sync(bump_version)


_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class AuditFilters:
    resource: str | None = None
    resource_id: str | None = None
    action: str | None = None
    key_id: str | None = None
    since: datetime | None = None


def _filtered(stmt: _S, f: AuditFilters) -> _S:
    if f.resource:
        stmt = stmt.where(AuditEntry.resource == f.resource)
    if f.resource_id:
        stmt = stmt.where(AuditEntry.resource_id == f.resource_id)
    if f.action:
        stmt = stmt.where(AuditEntry.action == f.action)
    if f.key_id:
        stmt = stmt.where(ApiKey.key_id == f.key_id)
    if f.since:
        since = f.since.astimezone(UTC) if f.since.tzinfo else f.since.replace(tzinfo=UTC)
        stmt = stmt.where(AuditEntry.recorded_at >= since)
    return stmt


async def list_audit(
    session: AsyncSession, *, filters: AuditFilters, limit: int, offset: int
) -> tuple[list[AuditEntryOut], int]:
    """Newest first."""
    base = select(AuditEntry, ApiKey.key_id).outerjoin(ApiKey, ApiKey.id == AuditEntry.api_key_id)
    total_stmt = _filtered(
        select(func.count())
        .select_from(AuditEntry)
        .outerjoin(ApiKey, ApiKey.id == AuditEntry.api_key_id),
        filters,
    )
    total = int(await session.scalar(total_stmt) or 0)
    rows = (
        await session.execute(
            _filtered(base, filters).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
        )
    ).all()
    items = [
        AuditEntryOut(
            id=entry.id,
            recorded_at=as_utc(entry.recorded_at) or entry.recorded_at,
            key_id=key_id,
            actor=entry.actor,
            method=entry.method,
            path=entry.path,
            resource=entry.resource,
            resource_id=entry.resource_id,
            action=entry.action,
            before=entry.before_state,
            after=entry.after_state,
        )
        for entry, key_id in rows
    ]
    return items, total
