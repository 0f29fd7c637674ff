"""Writes to resolutions: create, idempotent PUT, PATCH, DELETE, conflicts, preconditions,
validation and the audit log."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Resolution
from app.models.auth import AuditEntry
from app.services.dataset import current_version
from tests.integration.test_write_helpers import auth, key_in, resolution_body, unique_symbol

pytestmark = pytest.mark.anyio


async def _audit(session: AsyncSession, resource_id: str) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.resource_id == resource_id).order_by(AuditEntry.id)
    )
    return list(rows)


async def test_create_answers_201_with_location_and_etag(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    version = await session.run_sync(current_version)
    sym = unique_symbol()
    r = await client.post(
        "/v1/resolutions",
        json=resolution_body(sym.replace("/", "-"), meeting_record="A/99/PV.1"),
        headers=auth(key),
    )
    assert r.status_code == 201, r.text
    assert r.headers["location"] == f"/v1/resolutions/{sym}"
    assert r.headers["etag"].startswith('"')
    body = r.json()
    assert body["symbol"] == sym and body["session"] == "99" and body["vote_event_ids"] == []
    assert "x-ratelimit-remaining" in r.headers and "ratelimit" in r.headers
    entries = await _audit(session, sym)
    assert [e.action for e in entries] == ["create"]
    assert entries[0].before_state is None and entries[0].after_state == body
    assert entries[0].api_key_id is not None
    assert await session.run_sync(current_version) == version + 1


async def test_second_resolution_with_same_symbol_is_409(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    r = await client.post(
        "/v1/resolutions", json=resolution_body("A/RES/75/287"), headers=auth(key)
    )
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "A/RES/75/287" in r.json()["detail"]


async def test_put_is_idempotent_and_honours_preconditions(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    sym = unique_symbol()
    url = f"/v1/resolutions/{sym}"
    body = resolution_body(sym)
    # If-Match on a record that does not exist: 412, nothing created.
    r = await client.put(url, json=body, headers={**auth(key), "If-Match": '"nope"'})
    assert r.status_code == 412
    created = await client.put(url, json=body, headers={**auth(key), "If-None-Match": "*"})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == url
    again = await client.put(url, json=body, headers=auth(key))
    assert again.status_code == 200
    assert again.json() == created.json() and again.headers["etag"] == created.headers["etag"]
    assert [e.action for e in await _audit(session, sym)] == ["create"]  # no-op: no entry
    # create-only on an existing record
    r = await client.put(url, json=body, headers={**auth(key), "If-None-Match": "*"})
    assert r.status_code == 412
    # a stale ETag
    changed = await client.put(
        url,
        json={**body, "title": "Changed"},
        headers={**auth(key), "If-Match": created.headers["etag"]},
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Changed"
    stale = await client.put(
        url,
        json={**body, "title": "Lost"},
        headers={**auth(key), "If-Match": created.headers["etag"]},
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert [e.action for e in await _audit(session, sym)] == ["create", "replace"]


async def test_put_body_symbol_must_match_path(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    r = await client.put(
        "/v1/resolutions/A/RES/99/1", json=resolution_body("A/RES/99/2"), headers=auth(key)
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "symbol"]


async def test_patch_changes_only_given_fields(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    sym = unique_symbol()
    created = await client.post(
        "/v1/resolutions",
        json=resolution_body(sym, description="old", adopted_on="2024-12-01"),
        headers=auth(key),
    )
    etag = created.headers["etag"]
    # any common spelling of the symbol in the path
    r = await client.patch(
        f"/v1/resolutions/{sym.replace('/', '-')}",
        json={"description": None, "meeting_record": "A/99/PV.7"},
        headers={**auth(key), "If-Match": etag},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["description"] is None and body["meeting_record"] == "A/99/PV.7"
    assert body["adopted_on"] == "2024-12-01" and body["title"] == created.json()["title"]
    assert r.headers["etag"] != etag
    entries = await _audit(session, sym)
    assert entries[-1].action == "update"
    assert entries[-1].before_state is not None and entries[-1].before_state["description"] == "old"
    # null for a required field is a 422 naming it
    r = await client.patch(f"/v1/resolutions/{sym}", json={"title": None}, headers=auth(key))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "title"]
    # a symbol taken by another record
    r = await client.patch(
        f"/v1/resolutions/{sym}", json={"symbol": "A/RES/75/287"}, headers=auth(key)
    )
    assert r.status_code == 409


async def test_read_api_etag_satisfies_if_match_until_the_data_changes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """An ETag from a GET of the read API carries the dataset version: good for If-Match until
    any write bumps the version."""
    from app.http_cache import etag_for

    key = await key_in(session, "votes:write")
    sym = unique_symbol()
    await client.post("/v1/resolutions", json=resolution_body(sym), headers=auth(key))
    version = await session.run_sync(current_version)
    read_tag = etag_for(version, (f"/v1/resolutions/{sym}", b"", "json"))
    r = await client.patch(
        f"/v1/resolutions/{sym}", json={"title": "One"}, headers={**auth(key), "If-Match": read_tag}
    )
    assert r.status_code == 200, r.text
    r = await client.patch(
        f"/v1/resolutions/{sym}", json={"title": "Two"}, headers={**auth(key), "If-Match": read_tag}
    )
    assert r.status_code == 412


async def test_delete_keeps_the_record_in_the_audit_log(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    sym = unique_symbol()
    created = await client.post(
        "/v1/resolutions", json=resolution_body(sym, description="keep me"), headers=auth(key)
    )
    stale = await client.delete(f"/v1/resolutions/{sym}", headers={**auth(key), "If-Match": '"x"'})
    assert stale.status_code == 412
    r = await client.delete(
        f"/v1/resolutions/{sym}", headers={**auth(key), "If-Match": created.headers["etag"]}
    )
    assert r.status_code == 204 and r.content == b""
    assert await session.scalar(select(Resolution.id).where(Resolution.symbol == sym)) is None
    entry = (await _audit(session, sym))[-1]
    assert entry.action == "delete" and entry.after_state is None
    assert entry.before_state is not None and entry.before_state["description"] == "keep me"
    r = await client.delete(f"/v1/resolutions/{sym}", headers=auth(key))
    assert r.status_code == 404


async def test_failed_draft_by_draft_symbol(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    body = {"draft_symbol": "a/99/l.5/rev.1", "title": "A draft that failed"}
    r = await client.post("/v1/resolutions", json=body, headers=auth(key))
    assert r.status_code == 201, r.text
    assert r.json()["draft_symbol"] == "A/99/L.5/Rev.1" and r.json()["symbol"] is None
    assert r.headers["location"] == "/v1/resolutions/A/99/L.5/Rev.1"
    assert (await client.post("/v1/resolutions", json=body, headers=auth(key))).status_code == 409
    r = await client.put(
        "/v1/resolutions/A/99/L.5/Rev.1",
        json={"title": "A draft that failed", "description": "later"},
        headers=auth(key),
    )
    assert r.status_code == 200 and r.json()["description"] == "later"


async def test_validation_names_each_bad_field_and_rejects_unknown_ones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    before = await session.scalar(select(func.count()).select_from(Resolution))
    r = await client.post(
        "/v1/resolutions",
        json={
            "symbol": "not a symbol",
            "title": "",
            "session": "XYZ",
            "adopted_on": "2021-13-45",
            "source_url": "ftp://x",
            "id": 5,
        },
        headers=auth(key),
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    locs = {tuple(e["loc"]) for e in r.json()["errors"]}
    for field in ("symbol", "title", "session", "adopted_on", "source_url", "id"):
        assert ("body", field) in locs, (field, locs)
    assert "symbol" in r.json()["detail"] and "id" in r.json()["detail"]
    r = await client.post(
        "/v1/resolutions", json=resolution_body("A/RES/99/3", session="98"), headers=auth(key)
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "session"]
    assert await session.scalar(select(func.count()).select_from(Resolution)) == before
