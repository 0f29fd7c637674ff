"""Admin-only reads: the audit log of every write (scope ``admin``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.write_common import AUTH_RESPONSES, scope_note
from app.auth import Admin
from app.deps import PageParams, SessionDep
from app.schemas.common import Page
from app.schemas.write import AuditEntryOut
from app.services.writes_audit import AuditFilters, list_audit

router = APIRouter(tags=["admin"])

_EXAMPLE = {
    "items": [
        {
            "id": 2,
            "recorded_at": "2026-11-28T14:03:11Z",
            "key_id": "k3x9a0bc",
            "actor": "key k3x9a0bc (newsroom)",
            "method": "PATCH",
            "path": "/v1/resolutions/A/RES/75/287",
            "resource": "resolution",
            "resource_id": "A/RES/75/287",
            "action": "update",
            "before": {"symbol": "A/RES/75/287", "meeting_record": None},
            "after": {"symbol": "A/RES/75/287", "meeting_record": "A/75/PV.83"},
        }
    ],
    "total": 1,
    "limit": 50,
    "offset": 0,
}


@router.get(
    "/v1/audit",
    response_model=Page[AuditEntryOut],
    summary="The audit log of writes",
    description="Every write, newest first: the key, the time, the resource, the action and the "
    "record before and after (a deleted record stays here)." + scope_note("admin"),
    responses={
        200: {"content": {"application/json": {"example": _EXAMPLE}}},
        **{k: v for k, v in AUTH_RESPONSES.items()},
    },
)
async def audit_log(
    caller: Admin,
    session: SessionDep,
    page: PageParams,
    response: Response,
    resource: Annotated[str | None, Query(max_length=40, examples=["resolution"])] = None,
    resource_id: Annotated[str | None, Query(max_length=120, examples=["A/RES/75/287"])] = None,
    action: Annotated[
        Literal["create", "replace", "update", "delete", "import", "revoke"] | None, Query()
    ] = None,
    key: Annotated[str | None, Query(max_length=8, description="A key id.")] = None,
    since: Annotated[datetime | None, Query(description="Entries recorded at or after.")] = None,
) -> Page[AuditEntryOut]:
    items, total = await list_audit(
        session,
        filters=AuditFilters(
            resource=resource, resource_id=resource_id, action=action, key_id=key, since=since
        ),
        limit=page.limit,
        offset=page.offset,
    )
    response.headers["Cache-Control"] = "no-store"
    return Page[AuditEntryOut](items=items, total=total, limit=page.limit, offset=page.offset)
