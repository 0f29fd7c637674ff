"""Rate limits (anonymous reads per client, writes per key) and CORS for browsers."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.ratelimit import FixedWindow
from tests.integration.test_write_helpers import (
    ClientMaker,
    auth,
    key_in,
    keys_in,
    resolution_body,
    unique_symbol,
)
from tests.integration.test_write_helpers import make_client as make_client  # fixture

pytestmark = pytest.mark.anyio


def test_fixed_window_counts_and_resets() -> None:
    now = [1000.0]
    w = FixedWindow(2, 60, clock=lambda: now[0])
    first, second, third = w.hit("a"), w.hit("a"), w.hit("a")
    assert first and second and third
    assert (first.allowed, first.remaining) == (True, 1)
    assert (second.allowed, second.remaining) == (True, 0)
    assert not third.allowed and third.headers()["Retry-After"] == str(third.reset)
    assert 0 < third.reset <= 60
    other = w.hit("b")
    assert other and other.allowed
    now[0] += 60
    again = w.hit("a")
    assert again and again.allowed and again.remaining == 1
    assert FixedWindow(0, 60).hit("a") is None  # 0: no limit


async def test_anonymous_reads_are_limited_per_client(make_client: ClientMaker) -> None:
    async with make_client(rate_limit_reads=3, rate_limit_window=60) as client:
        answers = [await client.get("/v1/meta") for _ in range(4)]
        assert [r.status_code for r in answers[:3]] == [200, 200, 200]
        first = answers[0]
        assert first.headers["x-ratelimit-limit"] == "3"
        assert first.headers["x-ratelimit-remaining"] == "2"
        assert first.headers["ratelimit-policy"] == "3;w=60"
        assert first.headers["ratelimit"].startswith("limit=3, remaining=2, reset=")
        limited = answers[3]
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        assert int(limited.headers["retry-after"]) > 0
        assert limited.headers["x-ratelimit-remaining"] == "0"
        # health probes are not limited
        assert (await client.get("/healthz")).status_code == 200


async def test_writes_are_limited_per_key(make_client: ClientMaker, session: AsyncSession) -> None:
    one = await key_in(session, "votes:write")
    two = await key_in(session, "votes:write")
    async with make_client(rate_limit_writes=2, rate_limit_reads=0) as client:
        codes = []
        for _ in range(3):
            r = await client.post(
                "/v1/resolutions", json=resolution_body(unique_symbol()), headers=auth(one)
            )
            codes.append(r.status_code)
            if r.status_code == 201:
                assert r.headers["x-ratelimit-limit"] == "2"
        assert codes == [201, 201, 429]
        assert "retry-after" in r.headers
        assert r.headers["content-type"] == "application/problem+json"
        r = await client.post(
            "/v1/resolutions", json=resolution_body(unique_symbol()), headers=auth(two)
        )
        assert r.status_code == 201  # another key has its own budget


async def test_failed_authentication_spends_the_client_budget(
    make_client: ClientMaker, session: AsyncSession
) -> None:
    keys = await keys_in(session, "votes:write")
    async with make_client(rate_limit_reads=2) as client:
        body = resolution_body(unique_symbol())
        codes = [
            (await client.post("/v1/resolutions", json=body, headers=auth(keys.bad))).status_code
            for _ in range(3)
        ]
        assert codes == [401, 401, 429]


async def test_cors_reads_from_any_origin_without_credentials(make_client: ClientMaker) -> None:
    async with make_client() as client:
        r = await client.get("/v1/meta", headers={"Origin": "https://dash.example"})
        assert r.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in r.headers
        assert "ETag" in r.headers["access-control-expose-headers"]
        pre = await client.options(
            "/v1/meta",
            headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "GET"},
        )
        assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == "*"


async def test_cors_writes_only_from_listed_origins_and_never_with_credentials(
    make_client: ClientMaker, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    preflight = {
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization",
    }
    async with make_client() as client:
        pre = await client.options(
            "/v1/resolutions/A/RES/75/287", headers={"Origin": "https://evil.example", **preflight}
        )
        assert pre.status_code == 403 and "access-control-allow-origin" not in pre.headers
    async with make_client(cors_write_origins=["https://editor.example"]) as client:
        pre = await client.options(
            "/v1/resolutions/A/RES/75/287",
            headers={"Origin": "https://editor.example", **preflight},
        )
        assert pre.status_code == 204
        assert pre.headers["access-control-allow-origin"] == "https://editor.example"
        assert "Authorization" in pre.headers["access-control-allow-headers"]
        assert "If-Match" in pre.headers["access-control-allow-headers"]
        assert "access-control-allow-credentials" not in pre.headers
        other = await client.options(
            "/v1/resolutions/A/RES/75/287", headers={"Origin": "https://evil.example", **preflight}
        )
        assert other.status_code == 403
        r = await client.post(
            "/v1/resolutions",
            json=resolution_body(unique_symbol()),
            headers={**auth(key), "Origin": "https://evil.example"},
        )
        assert "access-control-allow-origin" not in r.headers
        r = await client.post(
            "/v1/resolutions",
            json=resolution_body(unique_symbol()),
            headers={**auth(key), "Origin": "https://editor.example"},
        )
        assert r.status_code == 201
        assert r.headers["access-control-allow-origin"] == "https://editor.example"
        assert "access-control-allow-credentials" not in r.headers
