"""Every write route × {no key, bad key, revoked key, key without the scope, key with it}
→ {401, 401, 401, 403, 2xx}; every non-GET route carries the auth dependency; the OpenAPI
document declares the security scheme on exactly those operations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import AUTH_DEPENDENCIES, PUBLIC_POSTS
from app.config import Settings
from app.main import create_app
from app.models.auth import AuditEntry
from tests.integration.test_write_helpers import (
    auth,
    codes_on,
    keys_in,
    resolution_body,
    unique_symbol,
    vote_body,
)

# Reads that need a key (admin only).
ADMIN_READS = {("GET", "/v1/audit")}
READ_METHODS = {"GET", "HEAD"}

Request = tuple[str, dict[str, Any]]  # url, httpx request kwargs
Builder = Callable[[httpx.AsyncClient, AsyncSession, str], Awaitable[Request]]


async def _resolution(client: httpx.AsyncClient, key: str) -> tuple[str, str]:
    sym = unique_symbol()
    r = await client.post("/v1/resolutions", json=resolution_body(sym), headers=auth(key))
    assert r.status_code == 201, r.text
    return sym, r.headers["etag"]


async def _vote_event(client: httpx.AsyncClient, session: AsyncSession, key: str) -> int:
    sym, _ = await _resolution(client, key)
    r = await client.post(
        "/v1/vote-events", json=vote_body(await codes_on(session), sym), headers=auth(key)
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def post_resolution(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    return "/v1/resolutions", {"json": resolution_body(unique_symbol())}


async def put_resolution(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    sym, etag = await _resolution(c, key)
    body = resolution_body(sym, description="replaced")
    return f"/v1/resolutions/{sym}", {"json": body, "headers": {"If-Match": etag}}


async def patch_resolution(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    sym, etag = await _resolution(c, key)
    return f"/v1/resolutions/{sym}", {"json": {"description": "x"}, "headers": {"If-Match": etag}}


async def delete_resolution(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    sym, etag = await _resolution(c, key)
    return f"/v1/resolutions/{sym}", {"headers": {"If-Match": etag}}


async def post_vote_event(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    sym, _ = await _resolution(c, key)
    return "/v1/vote-events", {"json": vote_body(await codes_on(s), sym)}


async def put_vote_event(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    ev = await _vote_event(c, s, key)
    body = vote_body(await codes_on(s), None, BLR="no")
    return f"/v1/vote-events/{ev}", {"json": body}


async def patch_vote_event(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    ev = await _vote_event(c, s, key)
    return f"/v1/vote-events/{ev}", {"json": {"votes": [{"country": "BLR", "position": "no"}]}}


async def delete_vote_event(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    ev = await _vote_event(c, s, key)
    return f"/v1/vote-events/{ev}", {}


UNDL_HEADER = (
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link\n"
)


_import_seq = iter(range(1, 10**6))


async def post_import(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    n = next(_import_seq)
    row = (
        f"9990{n:04d},AFG,AFGHANISTAN,Y,2024-12-11,79,A/RES/79/{950 + n},,,,Matrix import,"
        f",,,,,,,,https://digitallibrary.un.org/record/9990{n:04d}\n"
    )
    return f"/v1/imports?name=matrix-{n}.csv", {
        "content": (UNDL_HEADER + row).encode(),
        "headers": {"Content-Type": "text/csv"},
    }


_news_seq = iter(range(1, 10**6))


async def _news(c: httpx.AsyncClient, key: str) -> tuple[int, str]:
    body = {"url": f"https://news.example.org/matrix/{next(_news_seq)}", "title": "Matrix"}
    r = await c.post("/v1/news", json=body, headers=auth(key))
    assert r.status_code == 201, r.text
    return int(r.json()["id"]), r.headers["etag"]


async def post_news(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    body = {"url": f"https://news.example.org/matrix/new/{next(_news_seq)}", "title": "New"}
    return "/v1/news", {"json": body}


async def patch_news(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    news_id, etag = await _news(c, key)
    return f"/v1/news/{news_id}", {"json": {"summary": "x"}, "headers": {"If-Match": etag}}


async def put_news_links(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    news_id, _ = await _news(c, key)
    body = {"resolutions": [{"symbol": "A/RES/75/287"}], "countries": [{"ref": "MMR"}]}
    return f"/v1/news/{news_id}/links", {"json": body}


async def delete_news(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    news_id, etag = await _news(c, key)
    return f"/v1/news/{news_id}", {"headers": {"If-Match": etag}}


async def get_audit(c: httpx.AsyncClient, s: AsyncSession, key: str) -> Request:
    return "/v1/audit", {}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as registered
    scope: str
    build: Builder


ROUTES = [
    Route("POST", "/v1/resolutions", "votes:write", post_resolution),
    Route("PUT", "/v1/resolutions/{symbol:path}", "votes:write", put_resolution),
    Route("PATCH", "/v1/resolutions/{symbol:path}", "votes:write", patch_resolution),
    Route("DELETE", "/v1/resolutions/{symbol:path}", "votes:write", delete_resolution),
    Route("POST", "/v1/vote-events", "votes:write", post_vote_event),
    Route("PUT", "/v1/vote-events/{event_id}", "votes:write", put_vote_event),
    Route("PATCH", "/v1/vote-events/{event_id}", "votes:write", patch_vote_event),
    Route("DELETE", "/v1/vote-events/{event_id}", "votes:write", delete_vote_event),
    Route("POST", "/v1/imports", "import", post_import),
    Route("POST", "/v1/news", "news:write", post_news),
    Route("PATCH", "/v1/news/{news_id}", "news:write", patch_news),
    Route("PUT", "/v1/news/{news_id}/links", "news:write", put_news_links),
    Route("DELETE", "/v1/news/{news_id}", "news:write", delete_news),
    Route("GET", "/v1/audit", "admin", get_audit),
]
STATES = {"no key": 401, "bad key": 401, "revoked key": 401, "key without scope": 403, "key": 200}


def _app() -> FastAPI:
    return create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))


def _routes(app: FastAPI) -> dict[tuple[str, str], Any]:
    """Every API route as served, with its effective dependencies (routers included)."""
    out = {}
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute):
            for method in ctx.methods or ():
                out[(method, str(ctx.path))] = ctx
    return out


def _scopes(dependant: Dependant) -> set[str]:
    found = set()
    for dep in dependant.dependencies:
        if dep.call in AUTH_DEPENDENCIES:
            found.add(AUTH_DEPENDENCIES[dep.call])
        found |= _scopes(dep)
    return found


def _needs_key(method: str, path: str) -> bool:
    if (method, path) in ADMIN_READS:
        return True
    return method not in READ_METHODS and not (method == "POST" and path in PUBLIC_POSTS)


def inventory_problems(app: FastAPI) -> list[str]:
    """Non-GET routes (and admin reads) without exactly one require_scope dependency, and
    public routes that have one."""
    problems = []
    for (method, path), route in sorted(_routes(app).items()):
        scopes = _scopes(route.dependant)
        if _needs_key(method, path):
            if len(scopes) != 1:
                problems.append(f"{method} {path}: {sorted(scopes) or 'no auth dependency'}")
        elif scopes:
            problems.append(f"{method} {path} is public but has {sorted(scopes)}")
    return problems


def test_route_inventory_every_write_route_requires_a_key() -> None:
    """Fails when a non-GET route is added without a require_scope dependency (or a public
    read-only POST is not listed in app.auth.PUBLIC_POSTS)."""
    app = _app()
    assert not inventory_problems(app)
    # the matrix below drives every one of them
    routes = _routes(app)
    needing = {k for k in routes if _needs_key(*k)}
    assert needing <= {(r.method, r.path) for r in ROUTES}, needing - {
        (r.method, r.path) for r in ROUTES
    }


def test_route_inventory_catches_an_unprotected_write() -> None:
    app = _app()

    @app.post("/v1/oops")
    async def oops() -> dict[str, str]:
        return {}

    assert inventory_problems(app) == ["POST /v1/oops: no auth dependency"]


def test_public_posts_are_really_public() -> None:
    routes = _routes(_app())
    for path in PUBLIC_POSTS:
        route = routes.get(("POST", path))
        if route is not None:
            assert not _scopes(route.dependant)


def test_openapi_declares_security_on_exactly_the_keyed_operations() -> None:
    spec = _app().openapi()
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert any(s.get("in") == "header" and s.get("name") == "X-API-Key" for s in schemes.values())
    secured, expected = set(), set()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method.upper() not in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}:
                continue
            key = (method.upper(), path)
            if op.get("security"):
                secured.add(key)
                assert 401 in map(int, op["responses"]) and 403 in map(int, op["responses"])
            registered = path.replace("{symbol}", "{symbol:path}")
            if _needs_key(method.upper(), registered) or _needs_key(method.upper(), path):
                expected.add(key)
    assert secured == expected
    assert secured, "no secured operation at all"


def _present(route: Route) -> bool:
    return (route.method, route.path) in _routes(_app())


CASES = [pytest.param(r, s, id=f"{r.method} {r.path} / {s}") for r in ROUTES for s in STATES]


@pytest.mark.anyio
@pytest.mark.parametrize(("route", "state"), CASES)
async def test_matrix(
    route: Route, state: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    if not _present(route):
        pytest.skip(f"{route.method} {route.path} is not registered")
    keys = await keys_in(session, route.scope)
    url, kwargs = await route.build(client, session, keys.scoped)
    headers = dict(kwargs.pop("headers", {}))
    key = {
        "no key": None,
        "bad key": keys.bad,
        "revoked key": keys.revoked,
        "key without scope": keys.unscoped,
        "key": keys.scoped,
    }[state]
    if key is not None:
        headers.update(auth(key))
    audit_before = await session.scalar(select(func.count()).select_from(AuditEntry))
    r = await client.request(route.method, url, headers=headers, **kwargs)
    expected = STATES[state]
    if expected == 200:
        assert 200 <= r.status_code < 300, r.text
    else:
        assert r.status_code == expected, r.text
        assert r.headers["content-type"] == "application/problem+json"
        if expected == 401:
            assert "www-authenticate" in r.headers
        # a refused write leaves no trace
        audit_after = await session.scalar(select(func.count()).select_from(AuditEntry))
        assert audit_after == audit_before
    if expected == 200 and route.method != "GET":
        audit_after = await session.scalar(select(func.count()).select_from(AuditEntry))
        assert audit_after == (audit_before or 0) + 1, "every write is audited"
