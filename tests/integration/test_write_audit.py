"""GET /v1/audit: every write, newest first, filterable; admin only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import parse_key
from tests.integration.test_write_helpers import auth, key_in, resolution_body, unique_symbol

pytestmark = pytest.mark.anyio


async def test_audit_lists_writes_with_who_what_and_values(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    writer = await key_in(session, "votes:write")
    admin = await key_in(session, "admin")
    sym = unique_symbol()
    await client.post("/v1/resolutions", json=resolution_body(sym), headers=auth(writer))
    await client.patch(f"/v1/resolutions/{sym}", json={"title": "New"}, headers=auth(writer))
    await client.delete(f"/v1/resolutions/{sym}", headers=auth(writer))

    r = await client.get("/v1/audit", params={"resource_id": sym}, headers=auth(admin))
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    page = r.json()
    assert page["total"] == 3 and page["limit"] == 50 and page["offset"] == 0
    assert [e["action"] for e in page["items"]] == ["delete", "update", "create"]
    delete, update, create = page["items"]
    assert {e["key_id"] for e in page["items"]} == {parse_key(writer)}
    assert create["before"] is None and create["after"]["symbol"] == sym
    assert update["before"]["title"] != "New" and update["after"]["title"] == "New"
    assert delete["after"] is None and delete["before"]["title"] == "New"
    assert delete["method"] == "DELETE" and delete["path"] == f"/v1/resolutions/{sym}"
    assert delete["recorded_at"].endswith(("Z", "+00:00"))

    r = await client.get(
        "/v1/audit",
        params={"action": "update", "key": parse_key(writer), "limit": 1},
        headers=auth(admin),
    )
    assert r.json()["total"] == 1 and r.json()["items"][0]["resource_id"] == sym
    r = await client.get("/v1/audit", params={"since": "2999-01-01T00:00:00Z"}, headers=auth(admin))
    assert r.json()["total"] == 0
    # a writer is not an admin, and nobody reads the log without a key
    assert (await client.get("/v1/audit", headers=auth(writer))).status_code == 403
    assert (await client.get("/v1/audit")).status_code == 401


async def test_since_understands_time_zones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    writer = await key_in(session, "votes:write")
    admin = await key_in(session, "admin")
    r = await client.post(
        "/v1/resolutions", json=resolution_body(unique_symbol()), headers=auth(writer)
    )
    assert r.status_code == 201
    page = (await client.get("/v1/audit", params={"limit": 1}, headers=auth(admin))).json()
    when = page["items"][0]["recorded_at"]
    t = datetime.fromisoformat(when.replace("Z", "+00:00"))
    # the same instant written in UTC+10 minus a second, and plus a second
    plus10 = timezone(timedelta(hours=10))
    before = (t - timedelta(seconds=1)).astimezone(plus10).isoformat()
    after = (t + timedelta(seconds=1)).astimezone(plus10).isoformat()
    hit = await client.get("/v1/audit", params={"since": before}, headers=auth(admin))
    miss = await client.get("/v1/audit", params={"since": after}, headers=auth(admin))
    assert hit.json()["total"] >= 1 and miss.json()["total"] == 0
