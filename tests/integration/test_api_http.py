"""HTTP behaviour of the read API: ETags, 304s, prepared responses that follow the dataset
version, bounded query counts."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.formats import accept_format
from app.http_cache import CHECK_INTERVAL, Entry, ResponseCache, Snapshot, etag_for
from app.models import Resolution, VoteEvent
from app.services.dataset import bump_version
from tests.factories import make_resolution, make_vote_event, make_votes

pytestmark = pytest.mark.anyio

GETS = [
    "/v1/resolutions",
    "/v1/resolutions?session=75&format=csv",
    "/v1/resolutions/A/RES/75/287",
    "/v1/resolutions/A/RES/75/287/votes",
    "/v1/resolutions/A/RES/75/287/votes?format=csv",
    "/v1/resolutions/A/RES/75/287/summary",
    "/v1/vote-events",
    "/v1/vote-events/{event}",
    "/v1/vote-events/{event}/votes",
    "/v1/countries",
    "/v1/countries/BLR",
    "/v1/countries/BLR/votes",
    "/v1/countries/BLR/votes?format=csv",
    "/v1/groups",
    "/v1/groups/p5",
    "/v1/meta",
]
STRONG_ETAG = re.compile(r'^"[0-9]+-[0-9a-f]+"$')


async def event_id(session: AsyncSession) -> int:
    return (
        await session.scalars(
            select(VoteEvent.id).join(Resolution).where(Resolution.symbol == "A/RES/75/287")
        )
    ).one()


async def wait_for_recheck() -> None:
    """Sleep past the interval within which the app trusts the version it last read."""
    await asyncio.sleep(CHECK_INTERVAL + 0.05)


@pytest.mark.parametrize("url", GETS)
async def test_every_get_is_cacheable_and_conditional(
    client: httpx.AsyncClient, session: AsyncSession, url: str
) -> None:
    url = url.format(event=await event_id(session))
    first = await client.get(url)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert STRONG_ETAG.match(etag)
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["last-modified"].endswith(" GMT")
    assert first.headers["vary"] == "Accept"
    # Served again (from prepared bytes): the same representation, the same ETag.
    again = await client.get(url)
    assert again.headers["etag"] == etag and again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    # Conditional requests, on the prepared path, then on the database path.
    r = await client.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["etag"] == etag and r.headers["cache-control"]
    await wait_for_recheck()
    r = await client.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.headers["etag"] == etag
    r = await client.get(url, headers={"If-None-Match": f'"nope", W/{etag}'})
    assert r.status_code == 304
    r = await client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert r.status_code == 304
    r = await client.get(url, headers={"If-None-Match": '"0-0"'})
    assert r.status_code == 200 and r.content == first.content


async def test_etag_depends_on_query_and_format(client: httpx.AsyncClient) -> None:
    tags = set()
    for url, headers in (
        ("/v1/resolutions", {}),
        ("/v1/resolutions?limit=2", {}),
        ("/v1/resolutions?format=csv", {}),
        ("/v1/resolutions", {"Accept": "text/csv"}),
    ):
        r = await client.get(url, headers=headers)
        tags.add(r.headers["etag"])
    assert len(tags) == 4
    r = await client.get("/v1/resolutions", headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    r = await client.get("/v1/resolutions", headers={"Accept": "text/csv;q=0.5, application/json"})
    assert r.headers["content-type"] == "application/json"
    # Derived, not random: another process serving the same version gives the same ETag.
    key = ("/v1/resolutions", b"limit=2", "json")
    assert etag_for(7, key) == etag_for(7, key) != etag_for(8, key)


async def test_etag_changes_when_the_data_changes_and_only_then(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await client.get("/v1/resolutions")
    await wait_for_recheck()
    unchanged = await client.get("/v1/resolutions")
    assert unchanged.headers["etag"] == first.headers["etag"]
    assert unchanged.content == first.content

    def write(s: Any) -> None:  # what an import does: change the data, bump the version
        res = make_resolution(s, symbol="A/RES/99/9", adopted_on=date(2031, 1, 1))
        make_votes(s, make_vote_event(s, voted_on=date(2031, 1, 1), resolution=res), {"BLR": "yes"})
        bump_version(s)

    await session.run_sync(write)
    await wait_for_recheck()
    changed = await client.get("/v1/resolutions")
    assert changed.headers["etag"] != first.headers["etag"]
    assert changed.json()["total"] == first.json()["total"] + 1
    assert changed.json()["items"][0]["symbol"] == "A/RES/99/9"
    r = await client.get("/v1/resolutions", headers={"If-None-Match": first.headers["etag"]})
    assert r.status_code == 200
    meta = (await client.get("/v1/meta")).json()
    assert changed.headers["etag"].startswith(f'"{meta["dataset"]["version"]}-')


async def test_errors_are_not_cached(client: httpx.AsyncClient) -> None:
    for _ in range(2):
        r = await client.get("/v1/resolutions/A/RES/99/999")
        assert r.status_code == 404 and "etag" not in r.headers


# ------------------------------------------------------------------------------ query counts


class StatementCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append(statement)

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self)


@pytest.fixture
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    with StatementCounter(engine) as counter:
        yield counter


async def statements_for(
    client: httpx.AsyncClient, counter: StatementCounter, url: str, **params: Any
) -> int:
    before = len(counter.statements)
    r = await client.get(url, params=params)
    assert r.status_code == 200, r.text
    return len(counter.statements) - before


@pytest.mark.parametrize(
    ("url", "params", "bound"),
    [
        ("/v1/resolutions", {}, 3),
        ("/v1/resolutions", {"country": "BLR", "position": "no", "topic": "hr"}, 5),
        ("/v1/vote-events", {}, 3),
        ("/v1/countries", {}, 6),  # + one grouped count of linked news
        ("/v1/countries", {"group": "weog"}, 7),
        ("/v1/countries/BLR/votes", {}, 4),
        ("/v1/groups", {}, 3),
    ],
)
async def test_list_query_counts_do_not_grow_with_the_page(
    client: httpx.AsyncClient,
    count_statements: StatementCounter,
    url: str,
    params: dict[str, Any],
    bound: int,
) -> None:
    one = await statements_for(client, count_statements, url, limit=1, **params)
    many = await statements_for(client, count_statements, url, limit=200, **params)
    assert one == many <= bound, count_statements.statements


async def test_roll_and_summary_query_counts(
    client: httpx.AsyncClient, count_statements: StatementCounter
) -> None:
    assert await statements_for(client, count_statements, "/v1/resolutions/A/RES/75/287/votes") <= 6
    assert (
        await statements_for(client, count_statements, "/v1/resolutions/A/RES/75/287/summary") <= 7
    )
    assert await statements_for(client, count_statements, "/v1/resolutions/A/RES/75/287") <= 7
    # Served again from prepared bytes: no statement at all.
    assert await statements_for(client, count_statements, "/v1/resolutions/A/RES/75/287/votes") == 0

    # Once the confirmation has expired: one query (the version), then the prepared bytes;
    # the handler does not run again.
    await wait_for_recheck()
    assert await statements_for(client, count_statements, "/v1/resolutions/A/RES/75/287/votes") == 1
    assert await statements_for(client, count_statements, "/v1/resolutions/A/RES/75/287/votes") == 0


async def test_prepared_bytes_carry_one_exact_content_length(client: httpx.AsyncClient) -> None:
    url = "/v1/resolutions/A/RES/75/287/votes"
    first = await client.get(url)
    for _ in range(2):  # from memory: the same Content-Length, once, whatever was sent before
        r = await client.get(url)
        assert r.status_code == 200 and r.content == first.content
        assert r.headers.get_list("content-length") == [str(len(first.content))]
    # Conditional headers are honoured on the memory path too, each on its own.
    r = await client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert r.status_code == 304 and "content-length" not in r.headers
    r = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert r.status_code == 304
    r = await client.get(url, headers={"If-None-Match": '"0-0"'})
    assert r.status_code == 200 and r.headers.get_list("content-length") == [str(len(r.content))]


async def test_head_is_a_get_without_body(client: httpx.AsyncClient) -> None:
    get = await client.get("/v1/resolutions/A/RES/75/287/summary")
    for _ in range(2):  # through the route, then from prepared bytes
        head = await client.head("/v1/resolutions/A/RES/75/287/summary")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == get.headers["etag"]
        assert head.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("text/csv", "csv"),
        ("text/csv, application/json", "json"),
        ("text/csv;q=0.9, application/json;q=0.8", "csv"),
        ("application/json;q=0.5, text/*", "csv"),
        ("text/html, text/csv;q=0.1", "csv"),
        ("text/csv;q=0", "json"),
        ("text/csv;q=abc", "json"),
    ],
)
def test_accept_negotiation(accept: str | None, expected: str) -> None:
    assert accept_format(accept) == expected


def test_prepared_responses_are_bounded_and_follow_the_version() -> None:
    cache = ResponseCache(max_bytes=3 * 1256, max_entry_bytes=2000)
    cache.confirm(Snapshot(1, None, None))
    keys = [(f"/v1/x{i}", b"", "json") for i in range(5)]
    for key in keys:
        cache.put(1, key, Entry([], b"x" * 1000, etag_for(1, key), None))
    assert len(cache) == 3 and cache.get(keys[0]) is None and cache.get(keys[4]) is not None
    cache.put(1, keys[0], Entry([], b"x" * 5000, "", None))  # too big to keep
    assert cache.get(keys[0]) is None
    cache.put(0, keys[0], Entry([], b"old", "", None))  # prepared for an older version
    assert cache.get(keys[0]) is None
    cache.confirm(Snapshot(1, None, None))
    assert len(cache) == 3
    cache.confirm(Snapshot(2, None, None))
    assert len(cache) == 0
