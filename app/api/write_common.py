"""Pieces shared by the write routers: conditional-request headers, documented responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Response

from app.schemas.common import Problem
from app.services.writes import Written

IfMatch = Annotated[
    str | None,
    Header(
        description="ETag(s) the change is based on (from a GET or an earlier write); "
        "412 if the record has changed since. Recommended for every correction.",
        max_length=2000,
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(description="`*` to create only (412 if the record exists).", max_length=2000),
]

_PROBLEM_CONTENT = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}

_RATE_HEADERS = {
    "RateLimit": {
        "description": "Per-key write limit: `limit=…, remaining=…, reset=…` (seconds).",
        "schema": {"type": "string"},
    },
    "RateLimit-Policy": {"description": "`limit;w=window`", "schema": {"type": "string"}},
    "X-RateLimit-Limit": {"schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"schema": {"type": "integer"}},
    "X-RateLimit-Reset": {
        "description": "Seconds until the window resets.",
        "schema": {"type": "integer"},
    },
}
ETAG_HEADER = {"ETag": {"description": "The record's strong ETag.", "schema": {"type": "string"}}}
LOCATION_HEADER = {
    "Location": {"description": "The new record's URL.", "schema": {"type": "string"}}
}


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "model": Problem,
        "description": description,
        "content": _PROBLEM_CONTENT,
    }
    if headers:
        out["headers"] = headers
    return out


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem(
        "No valid API key (missing, malformed, unknown, expired or revoked: one answer for all).",
        {"WWW-Authenticate": {"schema": {"type": "string"}}},
    ),
    403: _problem("The key lacks the scope this operation needs."),
    422: _problem("Invalid request: `errors` names each bad field."),
    429: _problem(
        "Rate limit reached.",
        {"Retry-After": {"description": "Seconds.", "schema": {"type": "integer"}}},
    ),
}


def write_responses(
    *codes: int,
    ok: int = 200,
    ok_description: str = "Written.",
    example: dict[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The documented responses of a write operation: its success and the given errors."""
    extra = {
        404: _problem("No such record."),
        409: _problem("Conflicts with an existing record (natural key)."),
        412: _problem("If-Match no longer holds: the record changed since it was read."),
        413: _problem("The body is larger than the server accepts."),
    }
    headers: dict[str, Any] = dict(_RATE_HEADERS)
    if ok != 204:
        headers.update(ETAG_HEADER)
    if ok == 201:
        headers.update(LOCATION_HEADER)
    out: dict[int | str, dict[str, Any]] = {ok: {"description": ok_description, "headers": headers}}
    if example is not None:
        out[ok]["content"] = {"application/json": {"example": example}}
    out.update(AUTH_RESPONSES)
    out.update({code: extra[code] for code in codes})
    return out


def send_written(
    response: Response, written: Written, *, location: str | None = None
) -> dict[str, Any]:
    """Status, ETag and (for a create) Location on the response; the record as the body."""
    response.headers["ETag"] = written.etag
    response.headers["Cache-Control"] = "no-store"
    if written.created:
        response.status_code = 201
        if location:
            response.headers["Location"] = location
    return written.record


def scope_note(scope: str) -> str:
    return f"\n\nNeeds an API key with the scope `{scope}`."
