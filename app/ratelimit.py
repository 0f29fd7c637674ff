"""Rate limits: anonymous requests per client address, writes per API key.

Fixed windows of ``UNGA_RATE_LIMIT_WINDOW`` seconds, counted in memory, so
**the limits hold per worker process**: with N uvicorn workers a client can get up to N times
the limit. Run one worker, or enforce a shared limit in front (reverse proxy, Redis) when that
matters. Responses carry the limit in the IETF draft form and the older ``X-RateLimit-*`` form::

    RateLimit-Policy: 1200;w=60
    RateLimit: limit=1200, remaining=1199, reset=37
    X-RateLimit-Limit: 1200
    X-RateLimit-Remaining: 1199
    X-RateLimit-Reset: 37            (seconds until the window resets)

and a 429 adds ``Retry-After`` (seconds).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import TooManyRequests, problem

EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window resets
    window: int

    def headers(self) -> dict[str, str]:
        out = {
            "RateLimit-Policy": f"{self.limit};w={self.window}",
            "RateLimit": f"limit={self.limit}, remaining={self.remaining}, reset={self.reset}",
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            out["Retry-After"] = str(self.reset)
        return out


class FixedWindow:
    """Counts hits per key in the current window; memory holds one window's keys."""

    def __init__(
        self, limit: int, window: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._window_no = -1
        self._counts: dict[str, int] = {}

    def hit(self, key: str) -> Decision | None:
        """Count one request; ``None`` when the limit is off (0)."""
        if self.limit <= 0:
            return None
        now = self.clock()
        window_no = int(now // self.window)
        if window_no != self._window_no:
            self._window_no = window_no
            self._counts = {}
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        reset = max(1, math.ceil((window_no + 1) * self.window - now))
        return Decision(
            allowed=count <= self.limit,
            limit=self.limit,
            remaining=max(0, self.limit - count),
            reset=reset,
            window=self.window,
        )


class RateLimiter:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.reads = FixedWindow(settings.rate_limit_reads, settings.rate_limit_window, clock)
        self.writes = FixedWindow(settings.rate_limit_writes, settings.rate_limit_window, clock)

    def check_client(self, host: str) -> Decision | None:
        return self.reads.hit(host)

    def charge_client(self, host: str) -> None:
        """Count a request against the client's anonymous budget (failed authentication)."""
        decision = self.reads.hit(host)
        if decision is not None and not decision.allowed:
            raise TooManyRequests(
                "Too many requests from this client; retry later.", headers=decision.headers()
            )

    def check_key(self, key_id: str) -> dict[str, str]:
        """Count one write for the key: its headers, or :class:`TooManyRequests`."""
        decision = self.writes.hit(key_id)
        if decision is None:
            return {}
        if not decision.allowed:
            raise TooManyRequests(
                f"Write limit of {decision.limit} per {decision.window} s reached for this key.",
                headers=decision.headers(),
            )
        return decision.headers()


class ReadRateLimitMiddleware:
    """Limits GET/HEAD and the public read-only POSTs per client address (anonymous reads).
    Writes are limited per key by ``require_scope`` instead."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter, public_posts: Iterable[str]) -> None:
        self.app = app
        self.limiter = limiter
        self.public_posts = frozenset(public_posts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        public_post = method == "POST" and scope["path"] in self.public_posts
        if not (method in ("GET", "HEAD") or public_post):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        decision = self.limiter.check_client(client[0] if client else "unknown")
        if decision is None:
            await self.app(scope, receive, send)
            return
        headers = decision.headers()
        if not decision.allowed:
            response = problem(
                429,
                "Too many requests from this client; retry later.",
                instance=scope["path"],
                headers=headers,
            )
            await response(scope, receive, send)
            return
        raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *raw_headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
