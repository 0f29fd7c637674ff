"""API keys, the ``require_scope`` dependency every write route carries, and CORS.

Keys look like ``unga_<key_id>_<secret>``: ``key_id`` is 8 lowercase letters or digits (public,
shown by ``unga keys list`` and in the audit log), ``secret`` is ``secrets.token_urlsafe(32)``.
The database keeps only ``HMAC-SHA-256(pepper, key)`` (``UNGA_KEY_PEPPER``) or, without a
pepper, ``SHA-256(key)``. Keys travel in ``Authorization: Bearer …`` or ``X-API-Key``; a key in
the query string is never read.

Using it on a route (news and any later write routes do the same)::

    from app.auth import Caller, require_scope

    @router.post("/v1/news", status_code=201, dependencies=[...])
    async def create_news(body: NewsIn, caller: Annotated[Caller, Depends(require_scope(
        "news:write"))], session: SessionDep, request: Request) -> ...:
        ...
        await record_audit(session, caller, request, resource="news_item", ...)

``require_scope`` answers 401 (same body whether the key is missing, malformed, unknown,
expired or revoked; with ``WWW-Authenticate``), 403 for a valid key without the scope and 429
past the per-key write limit. It also opens the request's transaction with ``BEGIN IMMEDIATE``
on SQLite (the writer takes the lock before it reads), so it must be the route's first use of
the session: put it before anything else that touches the database.
"""

import asyncio
import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Annotated, Literal

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.deps import SessionDep
from app.errors import Forbidden, NotReady, Unauthorized
from app.models._types import utcnow
from app.models.auth import SCOPES, ApiKey

ScopeName = Literal["votes:write", "news:write", "import", "admin"]

KEY_PREFIX = "unga"
_KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_KEY_RE = re.compile(r"^unga_([a-z0-9]{8})_([A-Za-z0-9_-]{20,200})$")
LAST_USED_GRANULARITY = timedelta(seconds=60)

# Read-only POST operations: public (no key), rate-limited like reads. The route-inventory test
# fails for any other non-GET route without a require_scope dependency.
PUBLIC_POSTS = frozenset({"/v1/news/suggest-links"})

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKeyBearer",
    bearerFormat="unga_<key id>_<secret>",
    description="An API key in `Authorization: Bearer unga_…`. Made by `unga keys create`.",
)
header_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKeyHeader",
    description="The same API key in an `X-API-Key` header.",
)


# --- keys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewKey:
    key: str  # shown once, never stored
    key_id: str


def generate_key() -> NewKey:
    key_id = "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(8))
    return NewKey(key=f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}", key_id=key_id)


def parse_key(raw: str) -> str | None:
    """The key id of a well-formed key, else ``None``."""
    m = _KEY_RE.match(raw.strip())
    return m[1] if m else None


def hash_key(key: str, pepper: str | None, scheme: str | None = None) -> tuple[str, str]:
    """``(scheme, hex digest)``: HMAC-SHA-256 with the pepper when there is one."""
    scheme = scheme or ("hmac-sha256" if pepper else "sha256")
    if scheme == "hmac-sha256":
        if not pepper:
            # A key hashed with a pepper cannot be checked without it: never matches.
            return scheme, ""
        return scheme, hmac.new(pepper.encode(), key.encode(), hashlib.sha256).hexdigest()
    return scheme, hashlib.sha256(key.encode()).hexdigest()


def pepper_of(settings: Settings) -> str | None:
    return settings.key_pepper.get_secret_value() if settings.key_pepper else None


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def validate_scopes(scopes: Iterable[str]) -> list[str]:
    out = sorted(set(scopes))
    unknown = [s for s in out if s not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    if not out:
        raise ValueError("a key needs at least one scope")
    return out


def create_api_key(
    session: Session,
    *,
    name: str,
    scopes: Iterable[str],
    pepper: str | None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key (hash only) and return it with the plaintext, to be shown once."""
    scope_list = validate_scopes(scopes)
    while True:
        new = generate_key()
        if session.scalar(select(ApiKey.id).where(ApiKey.key_id == new.key_id)) is None:
            break
    scheme, digest = hash_key(new.key, pepper)
    row = ApiKey(
        key_id=new.key_id,
        name=name,
        key_hash=digest,
        hash_scheme=scheme,
        scopes=scope_list,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row, new.key


def revoke_api_key(session: Session, key_id: str) -> ApiKey | None:
    """Revoke by key id (idempotent: an already revoked key keeps its first revocation time)."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_id == key_id))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row


# --- the dependency ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """The authenticated key behind a request."""

    id: int
    key_id: str
    name: str
    scopes: tuple[str, ...]

    @property
    def actor(self) -> str:
        return f"key {self.key_id} ({self.name})"[:140]


WRITE_GATE_TIMEOUT = 30.0


async def begin_write(session: AsyncSession, gate: asyncio.Lock | None = None) -> None:
    """Open the transaction as a writer: ``BEGIN IMMEDIATE`` on SQLite, so the write lock is taken
    before the first read (a deferred reader that later writes can fail with "database is
    locked"). No-op when the session is already in a transaction (tests join an outer one).

    On SQLite, writers of this process also queue on ``gate`` (held until the transaction
    ends): waiting in the event loop is fair and immediate, whereas SQLite's busy handler polls
    with sleeps of up to 100 ms. Other processes are still held off by the busy timeout."""
    if session.in_transaction():
        return
    bind = session.bind
    if gate is None or bind is None or bind.dialect.name != "sqlite":
        await session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        return
    try:
        await asyncio.wait_for(gate.acquire(), WRITE_GATE_TIMEOUT)
    except TimeoutError as exc:
        raise NotReady("The database is busy; retry shortly.") from exc
    released = False

    def release(*_: object) -> None:
        nonlocal released
        if not released:
            released = True
            gate.release()

    def on_end(_session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            release()

    event.listen(session.sync_session, "after_transaction_end", on_end)
    try:
        await session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    except BaseException:
        release()
        raise


def client_host(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def authenticate(request: Request, session: AsyncSession, raw: str | None) -> Caller:
    """The caller for a presented key, or :class:`Unauthorized` (one body for every failure)."""
    settings: Settings = request.app.state.settings
    key_id = parse_key(raw) if raw else None
    if key_id is None or raw is None:
        _count_failure(request)
        raise Unauthorized()
    row = await session.scalar(select(ApiKey).where(ApiKey.key_id == key_id))
    pepper = pepper_of(settings)
    # Hash even for an unknown id, so timing says nothing about which ids exist.
    _, digest = hash_key(raw.strip(), pepper, row.hash_scheme if row else None)
    expected = row.key_hash if row else "0" * 64
    now = utcnow()
    expires_at = as_utc(row.expires_at) if row else None
    if (
        row is None
        or not digest
        or not hmac.compare_digest(digest, expected)
        or row.revoked_at is not None
        or (expires_at is not None and expires_at <= now)
    ):
        _count_failure(request)
        raise Unauthorized()
    last_used = as_utc(row.last_used_at)
    if last_used is None or now - last_used >= LAST_USED_GRANULARITY:
        row.last_used_at = now
    return Caller(id=row.id, key_id=row.key_id, name=row.name, scopes=tuple(row.scopes))


def _count_failure(request: Request) -> None:
    """A failed authentication costs the client one request of its anonymous budget."""
    limiter = getattr(request.app.state, "rate_limiter", None)
    if limiter is not None:
        limiter.charge_client(client_host(request))


AuthDependency = Callable[..., Awaitable[Caller]]
# Every dependency made by require_scope, with its scope: the route-inventory test reads this.
AUTH_DEPENDENCIES: dict[AuthDependency, str] = {}


@cache
def require_scope(scope: ScopeName) -> AuthDependency:
    """A dependency that authenticates the request's key and requires ``scope``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope}")

    async def dependency(
        request: Request,
        response: Response,
        session: SessionDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
        x_api_key: Annotated[str | None, Depends(header_scheme)],
    ) -> Caller:
        raw_bearer = bearer.credentials if bearer else None
        if raw_bearer and x_api_key and raw_bearer.strip() != x_api_key.strip():
            _count_failure(request)
            raise Unauthorized()
        await begin_write(session, getattr(request.app.state, "write_gate", None))
        caller = await authenticate(request, session, raw_bearer or x_api_key)
        if scope not in caller.scopes:
            raise Forbidden(f"This API key lacks the scope {scope!r}.")
        limiter = getattr(request.app.state, "rate_limiter", None)
        if limiter is not None:
            for name, value in limiter.check_key(caller.key_id).items():
                response.headers[name] = value
        request.state.caller = caller
        return caller

    dependency.__name__ = f"require_scope_{scope.replace(':', '_')}"
    AUTH_DEPENDENCIES[dependency] = scope
    return dependency


VotesWriter = Annotated[Caller, Depends(require_scope("votes:write"))]
NewsWriter = Annotated[Caller, Depends(require_scope("news:write"))]
ImportWriter = Annotated[Caller, Depends(require_scope("import"))]
Admin = Annotated[Caller, Depends(require_scope("admin"))]


# --- CORS -------------------------------------------------------------------------------------

READ_METHODS = frozenset({"GET", "HEAD"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXPOSED_HEADERS = (
    "ETag, Location, Last-Modified, Retry-After, RateLimit, RateLimit-Policy, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)
READ_REQUEST_HEADERS = "Accept, Content-Type, If-None-Match, If-Modified-Since"
WRITE_REQUEST_HEADERS = "Authorization, X-API-Key, Content-Type, If-Match, If-None-Match, Accept"


class CORSMiddleware:
    """Cross-origin access for browsers: GETs (and public read-only POSTs) from
    ``cors_read_origins`` (``*`` by default, sent as ``*``), writes only from the explicitly
    listed ``cors_write_origins`` (none by default). Credentials are never allowed
    (``Access-Control-Allow-Credentials`` is never sent): keys travel in headers, not cookies."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        read_origins: Iterable[str],
        write_origins: Iterable[str],
        public_posts: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.read_origins = frozenset(o.rstrip("/") for o in read_origins)
        self.write_origins = frozenset(o.rstrip("/") for o in write_origins if o != "*")
        self.public_posts = frozenset(public_posts)

    def _allow(self, origin: str, method: str, path: str) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for this origin and method, if allowed."""
        if method in READ_METHODS or (method == "POST" and path in self.public_posts):
            if "*" in self.read_origins:
                return "*"
            return origin if origin in self.read_origins else None
        if method in WRITE_METHODS and origin in self.write_origins:
            return origin
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"]
        requested = headers.get("access-control-request-method")
        if method == "OPTIONS" and requested:
            await self._preflight(origin, requested.upper(), path, send)
            return
        allow = self._allow(origin, method, path)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                raw.append((b"vary", b"Origin"))
                if allow is not None:
                    raw.append((b"access-control-allow-origin", allow.encode("latin-1")))
                    raw.append((b"access-control-expose-headers", EXPOSED_HEADERS.encode()))
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, origin: str, method: str, path: str, send: Send) -> None:
        allow = self._allow(origin, method, path)
        raw: list[tuple[bytes, bytes]] = [(b"vary", b"Origin"), (b"content-length", b"0")]
        status = 403
        if allow is not None:
            status = 204
            write = method in WRITE_METHODS and path not in self.public_posts
            raw += [
                (b"access-control-allow-origin", allow.encode("latin-1")),
                (b"access-control-allow-methods", method.encode("latin-1")),
                (
                    b"access-control-allow-headers",
                    (WRITE_REQUEST_HEADERS if write else READ_REQUEST_HEADERS).encode(),
                ),
                (b"access-control-max-age", b"600"),
            ]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": b""})
