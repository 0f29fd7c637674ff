"""Conditional GETs and prepared responses for the read API (``/v1/…``).

The data changes rarely (an import, a correction) and every change bumps
``dataset_state.version``. So a response is a pure function of (dataset version, path, query
string, negotiated format), and:

- its **ETag** is derived from exactly that (strong: the same key at the same version always
  gives the same bytes), so it changes when the data changes and only then;
  ``Last-Modified`` is the time of the dataset's last change;
- its **bytes are prepared once** and served again from memory (an LRU bounded in bytes) until
  the version moves.

Two halves:

``HttpCacheMiddleware`` (pure ASGI, in front of the router) answers a GET from memory, 304 or
200, without touching FastAPI or the database, as long as the version was confirmed less than
``check_interval`` seconds ago. Otherwise the request goes through to the route, and the
middleware adds ``ETag``/``Cache-Control``/``Last-Modified``/``Vary`` to a 200 and keeps its
bytes, streamed bodies included (teed while they stream, dropped if they outgrow
``max_entry_bytes``).

``dataset_snapshot`` (a router dependency) reads the version with one tiny query through the
request's own session, confirms it to the cache (clearing it when the version moved) and, before
any real work is done, answers ``If-None-Match``/``If-Modified-Since`` with 304, or a request
whose bytes are already prepared at that version with those bytes.

Multi-worker deployments keep one cache per process; ETags agree across processes because they
are derived, not random. A response prepared while an import commits may mix versions for at
most one ``check_interval``; the next confirmation clears it.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import ReadSessionDep
from app.formats import accept_format
from app.models import DatasetState
from app.queries.common import utc

PREFIX = "/v1/"
CHECK_INTERVAL = 0.5  # seconds within which a confirmed dataset version is trusted
MAX_RECHECK = 5.0  # seconds after which a confirmation still under way no longer holds others
CacheKey = tuple[str, bytes, str]
VALIDATORS = frozenset({b"etag", b"cache-control", b"vary", b"last-modified"})
CONDITIONAL = frozenset({b"if-none-match", b"if-modified-since"})


@dataclass(frozen=True)
class Snapshot:
    """The dataset as a request saw it."""

    version: int
    changed_at: datetime | None
    data_as_of: datetime | None


@dataclass(frozen=True)
class Entry:
    """A prepared 200: headers (without Content-Length) and body; the headers a hit sends
    (with Content-Length) are built once, here."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    last_modified: datetime | None
    response_headers: list[tuple[bytes, bytes]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        length = (b"content-length", str(len(self.body)).encode())
        object.__setattr__(self, "response_headers", [*self.headers, length])


def http_date(value: datetime) -> str:
    return format_datetime(value.replace(microsecond=0), usegmt=True)


def etag_for(version: int, key: CacheKey) -> str:
    path, query, fmt = key
    digest = hashlib.blake2b(digest_size=10)
    digest.update(path.encode())
    digest.update(b"?")
    digest.update(query)
    digest.update(b"#" + fmt.encode())
    return f'"{version}-{digest.hexdigest()}"'


def not_modified(headers: Headers, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110 §13.1: If-None-Match (weak comparison) wins; else If-Modified-Since."""
    inm = headers.get("if-none-match")
    if inm is not None:
        if inm.strip() == "*":
            return True
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags
    ims = headers.get("if-modified-since")
    if ims and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


class ResponseCache:
    """Prepared responses for one dataset version, and the clock of the last confirmation."""

    def __init__(
        self,
        *,
        max_age: int = 60,
        check_interval: float = CHECK_INTERVAL,
        max_bytes: int = 256 * 1024 * 1024,
        max_entry_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self.max_age = max_age
        self.check_interval = check_interval
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.cache_control = f"public, max-age={max_age}".encode()
        self.snapshot: Snapshot | None = None
        self._checked_at = float("-inf")
        self._recheck_since: float | None = None
        self._entries: OrderedDict[CacheKey, Entry] = OrderedDict()
        self._bytes = 0

    # -- the version clock
    def fresh(self) -> Snapshot | None:
        """The confirmed snapshot if it was confirmed recently enough to trust, or while
        another request is confirming it (so that only one request at a time waits for the
        database when the interval runs out)."""
        now = time.monotonic()
        if now - self._checked_at < self.check_interval:
            return self.snapshot
        if self._recheck_since is not None and now - self._recheck_since < MAX_RECHECK:
            return self.snapshot
        return None

    def claim_recheck(self) -> bool:
        """Called by a request about to confirm the version; False if one already is."""
        if self._recheck_since is not None:
            return False
        self._recheck_since = time.monotonic()
        return True

    def release_recheck(self) -> None:
        self._recheck_since = None

    def expire(self) -> None:
        """Make the next request confirm the version."""
        self._checked_at = float("-inf")
        self._recheck_since = None

    def confirm(self, snapshot: Snapshot) -> None:
        if self.snapshot is None or snapshot.version != self.snapshot.version:
            self.clear()
        self.snapshot = snapshot
        self._checked_at = time.monotonic()
        self._recheck_since = None

    # -- entries
    def get(self, key: CacheKey) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, version: int, key: CacheKey, entry: Entry) -> None:
        if self.snapshot is None or self.snapshot.version != version:
            return  # prepared for a version that is no longer current
        size = len(entry.body) + 256
        if size > self.max_entry_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body) + 256
        self._entries[key] = entry
        self._bytes += size
        while self._bytes > self.max_bytes and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body) + 256

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    # -- headers
    def validators(self, snapshot: Snapshot, key: CacheKey) -> list[tuple[bytes, bytes]]:
        out = [
            (b"etag", etag_for(snapshot.version, key).encode()),
            (b"cache-control", self.cache_control),
            (b"vary", b"Accept"),
        ]
        if snapshot.changed_at is not None:
            out.append((b"last-modified", http_date(snapshot.changed_at).encode()))
        return out


def cache_key(scope: Scope) -> CacheKey:
    accept = b""
    for name, value in scope["headers"]:
        if name == b"accept":
            accept = value
            break
    return scope["path"], scope.get("query_string", b""), accept_format(accept.decode("latin-1"))


class HttpCacheMiddleware:
    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "HEAD":  # a GET without its body
            scope = {**scope, "method": "GET"}
            send = self._headless(send)
        elif method != "GET":
            await self.app(scope, receive, self._expiring(send))
            return
        key = cache_key(scope)
        cache = self.cache
        snapshot = cache.fresh()
        if snapshot is not None:
            entry = cache.get(key)
            if entry is not None:
                await self._serve(entry, scope, send)
                return
        state: dict[str, Any] = scope.setdefault("state", {})
        state["cache_key"] = key
        claimed = snapshot is None and cache.claim_recheck()
        try:
            await self.app(scope, receive, self._recorder(scope, key, send))
        finally:
            if claimed:
                cache.release_recheck()

    @staticmethod
    def _headless(send: Send) -> Send:
        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        return send_headers_only

    def _expiring(self, send: Send) -> Send:
        """A write in this process (committed before its response starts) makes the next GET
        confirm the version at once; writes elsewhere are seen within ``check_interval``."""

        async def expire_then_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.cache.expire()
            await send(message)

        return expire_then_send

    async def _serve(self, entry: Entry, scope: Scope, send: Send) -> None:
        conditional = any(name in CONDITIONAL for name, _ in scope["headers"])
        if conditional and not_modified(Headers(scope=scope), entry.etag, entry.last_modified):
            headers = [(n, v) for n, v in entry.headers if n in VALIDATORS]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        # A copy: servers and outer middleware may append to the list they are given.
        headers = entry.response_headers.copy()
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})

    def _recorder(self, scope: Scope, key: CacheKey, send: Send) -> Send:
        cache = self.cache
        snapshot: Snapshot | None = None
        headers: list[tuple[bytes, bytes]] = []
        parts: list[bytes] | None = None
        size = 0

        async def record(message: Message) -> None:
            nonlocal snapshot, headers, parts, size
            if message["type"] == "http.response.start":
                state = scope.get("state", {})
                snapshot = state.get("dataset_snapshot")
                if message["status"] == 200 and snapshot is not None and not state.get("prepared"):
                    validators = cache.validators(snapshot, key)
                    names = {name for name, _ in validators}
                    headers = [
                        (n, v) for n, v in message.get("headers", []) if n.lower() not in names
                    ] + validators
                    message = {**message, "headers": headers}
                    parts = []
            elif message["type"] == "http.response.body" and parts is not None:
                body = message.get("body", b"")
                size += len(body)
                if size > cache.max_entry_bytes:
                    parts = None
                else:
                    parts.append(body)
                    if not message.get("more_body", False) and snapshot is not None:
                        kept = [(n, v) for n, v in headers if n.lower() != b"content-length"]
                        entry = Entry(
                            kept,
                            b"".join(parts),
                            etag_for(snapshot.version, key),
                            utc(snapshot.changed_at),
                        )
                        cache.put(snapshot.version, key, entry)
                        parts = None
            await send(message)

        return record


class Prepared(Exception):
    """Raised by ``dataset_snapshot`` to answer before the handler runs: a 304, or the bytes
    prepared earlier for this key at the version just confirmed."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers
        self.body = body

    def response(self) -> Response:
        response = Response(self.body, status_code=self.status)
        extra = [(b"content-length", str(len(self.body)).encode())] if self.status == 200 else []
        response.raw_headers = [*self.headers, *extra]
        return response


async def read_snapshot(session: AsyncSession) -> Snapshot:
    row = (
        await session.execute(
            select(DatasetState.version, DatasetState.changed_at, DatasetState.data_as_of).where(
                DatasetState.id == 1
            )
        )
    ).first()
    if row is None:
        return Snapshot(0, None, None)
    return Snapshot(int(row.version), utc(row.changed_at), utc(row.data_as_of))


async def dataset_snapshot(request: Request, session: ReadSessionDep) -> Snapshot:
    """Confirm the dataset version (one tiny query), then answer at once where possible: 304
    for a matching conditional GET, the prepared bytes where this request's are ready."""
    cache: ResponseCache = request.app.state.http_cache
    snapshot = await read_snapshot(session)
    cache.confirm(snapshot)
    request.state.dataset_snapshot = snapshot
    key: CacheKey | None = getattr(request.state, "cache_key", None)
    if key is None:
        return snapshot
    if not_modified(request.headers, etag_for(snapshot.version, key), snapshot.changed_at):
        raise Prepared(304, cache.validators(snapshot, key))
    entry = cache.get(key)
    if entry is not None:
        request.state.prepared = True
        raise Prepared(200, entry.headers, entry.body)
    return snapshot


SnapshotDep = Annotated[Snapshot, Depends(dataset_snapshot)]


def install_http_cache(app: FastAPI, *, max_age: int) -> ResponseCache:
    """Add the middleware (install it before middleware that varies per client, such as rate
    limits, so that those wrap it) and the handler answering ``Prepared``."""
    cache = ResponseCache(max_age=max_age)
    app.state.http_cache = cache
    app.add_middleware(HttpCacheMiddleware, cache=cache)

    @app.exception_handler(Prepared)
    async def _prepared(request: Request, exc: Prepared) -> Response:
        return exc.response()

    return cache
