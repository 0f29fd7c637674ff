"""Installs the write API on the app: routers, rate limits, CORS and the OpenAPI notes."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from app.api import admin, write_imports, write_resolutions, write_vote_events
from app.auth import PUBLIC_POSTS, CORSMiddleware
from app.config import Settings
from app.ratelimit import RateLimiter, ReadRateLimitMiddleware
from app.schemas.common import Problem


def openapi_notes(settings: Settings) -> str:
    reads = settings.rate_limit_reads or "no limit"
    writes = settings.rate_limit_writes or "no limit"
    return f"""
## Writing

Every write (`POST`, `PUT`, `PATCH`, `DELETE`, except the read-only
`POST /v1/news/suggest-links`) needs an API key with the operation's scope (`votes:write`,
`news:write`, `import`; `admin` for the audit log), sent as `Authorization: Bearer unga_…` or
`X-API-Key: unga_…` (never in the query string). Keys are made by the operator with
`unga keys create`. 401 for a missing or invalid key, 403 for a key without the scope.
Writes answer `ETag`; `PUT`, `PATCH` and `DELETE` honour `If-Match` (412 when the record
changed since it was read). Every write is in the audit log (`GET /v1/audit`).

## Rate limits

Anonymous requests (GETs and public POSTs): {reads} per client address per
{settings.rate_limit_window} s. Writes: {writes} per API key per {settings.rate_limit_window} s.
Responses carry `RateLimit`, `RateLimit-Policy` and `X-RateLimit-Limit`/`-Remaining`/`-Reset`
(seconds); a 429 adds `Retry-After`. The counts are kept per server process: with several
workers a client may get up to that many times the limit.
"""


def install_write_api(app: FastAPI, settings: Settings) -> None:
    app.include_router(write_resolutions.router)
    app.include_router(write_vote_events.router)
    app.include_router(write_imports.router)
    app.include_router(admin.router)
    app.state.write_gate = asyncio.Lock()  # SQLite writers of this process queue here
    limiter = RateLimiter(settings)
    app.state.rate_limiter = limiter
    app.add_middleware(ReadRateLimitMiddleware, limiter=limiter, public_posts=PUBLIC_POSTS)
    # Added last, so outermost: rate-limit and error responses carry CORS headers too.
    app.add_middleware(
        CORSMiddleware,
        read_origins=settings.cors_read_origins,
        write_origins=settings.cors_write_origins,
        public_posts=PUBLIC_POSTS,
    )
    app.description = (app.description or "") + openapi_notes(settings)
    _document_rate_limits(app)


_TOO_MANY = {
    "description": "Rate limit reached (problem+json); see Retry-After.",
    "headers": {"Retry-After": {"description": "Seconds.", "schema": {"type": "integer"}}},
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def _document_rate_limits(app: FastAPI) -> None:
    """Every limited operation (all of ``/v1``) documents its 429."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Problem", Problem.model_json_schema()
        )
        for path, item in schema.get("paths", {}).items():
            if not path.startswith("/v1/"):
                continue
            for method, operation in item.items():
                if method in {"get", "head", "post", "put", "patch", "delete"}:
                    operation.setdefault("responses", {}).setdefault("429", _TOO_MANY)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
