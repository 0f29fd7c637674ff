"""Domain exceptions and the handlers that turn every error into RFC 9457 problem+json."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status: int = 400
    headers: dict[str, str] | None = None

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class BadFilter(DomainError):
    status = 422


class PreconditionFailed(DomainError):
    status = 412


class NotReady(DomainError):
    status = 503


class Unauthorized(DomainError):
    """No valid API key: always the same body, with a ``WWW-Authenticate`` challenge."""

    status = 401

    def __init__(self, detail: str = "A valid API key is required.", **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers = {"WWW-Authenticate": 'Bearer realm="unga-tracker"'}


class Forbidden(DomainError):
    status = 403


class PayloadTooLarge(DomainError):
    status = 413


class TooManyRequests(DomainError):
    status = 429

    def __init__(self, detail: str, *, headers: dict[str, str], **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers = headers


def problem(
    status: int,
    detail: str | None = None,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return Response(
        orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append({"loc": loc, "msg": str(err.get("msg", "invalid"))})
    return out


# PostgreSQL SQLSTATEs of a transaction that lost a race: deadlock, serialization failure,
# lock not available. The work was rolled back and can simply be retried.
_RETRYABLE_SQLSTATES = {"40P01", "40001", "55P03"}


def classify_database_error(exc: DBAPIError) -> tuple[int, str]:
    """409 for a transaction that lost a race with another writer, 503 for a database that is
    busy or unreachable; both rolled back, both safe to retry."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _RETRYABLE_SQLSTATES:
        return 409, "A concurrent change to the same data won; nothing was written. Retry."
    if "database is locked" in str(orig):
        return 503, "The database is busy; nothing was written. Retry shortly."
    if exc.connection_invalidated:
        return 503, "The database connection was lost; nothing was written. Retry."
    return 500, "An unexpected database error occurred; nothing was written."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return problem(
            exc.status, exc.detail, instance=request.url.path, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = _validation_errors(exc)
        names = ", ".join(".".join(e["loc"][1:] or e["loc"]) for e in errors)
        return problem(
            422,
            f"Invalid request: {names}." if names else "Invalid request.",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        if detail == HTTPStatus(exc.status_code).phrase:
            detail = None
        return problem(
            exc.status_code,
            detail,
            instance=request.url.path,
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> Response:
        status, detail = classify_database_error(exc)
        return problem(status, detail, instance=request.url.path, headers={"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        return problem(500, "An unexpected error occurred.", instance=request.url.path)
