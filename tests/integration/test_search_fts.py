"""Full-text search: the endpoint, and the index kept in step with every write and import
(triggers of migration 0004), on SQLite (FTS5) and PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_sync_engine
from app.importers.runner import Job, run_import
from app.models import NewsItem, Resolution
from app.queries.search import query_words, search, snippet
from app.seed import load_seed
from tests.dbutil import on_postgres, scratch_database, upgrade
from tests.integration.test_write_helpers import auth, key_in

pytestmark = pytest.mark.anyio


async def hits(client: httpx.AsyncClient, q: str, **params: Any) -> list[tuple[str, str]]:
    r = await client.get("/v1/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] >= len(body["items"])
    return [(i["kind"], i["symbol"] or i["title"]) for i in body["items"]]


async def test_search_finds_resolutions_and_news(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/search", params={"q": "Myanmar"})
    assert r.status_code == 200, r.text
    body = r.json()
    kinds = {(i["kind"], i["symbol"]) for i in body["items"]}
    assert ("resolution", "A/RES/75/287") in kinds
    assert any(k == "news" for k, _ in kinds)
    res = next(i for i in body["items"] if i["symbol"] == "A/RES/75/287")
    assert res["url"] == "/v1/resolutions/A/RES/75/287" and "[Myanmar]" in res["snippet"]
    assert res["date"] == "2021-06-18"
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert r.headers.get("etag")


async def test_search_by_kind_symbol_and_stem(client: httpx.AsyncClient) -> None:
    assert {k for k, _ in await hits(client, "Myanmar", kind="news")} == {"news"}
    assert ("resolution", "A/RES/75/287") in await hits(client, "75/287")
    assert ("resolution", "A/RES/68/262") in await hits(client, "Ukraine territorial")
    assert ("resolution", "A/RES/68/262") in await hits(client, "integrity", kind="resolution")
    assert await hits(client, "Myanmar zebra") == []  # every word must match


@pytest.mark.parametrize(
    "q", ['"', "*", "AND OR NOT", "NEAR(a b)", "a:b", "'; DROP TABLE x; --", "é"]
)
async def test_any_query_is_safe(client: httpx.AsyncClient, q: str) -> None:
    r = await client.get("/v1/search", params={"q": q})
    assert r.status_code == 200, r.text


async def test_bad_requests(client: httpx.AsyncClient) -> None:
    for params in ({}, {"q": ""}, {"q": "x", "kind": "vote"}, {"q": "x" * 201}):
        r = await client.get("/v1/search", params=params)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"


async def test_paging(client: httpx.AsyncClient) -> None:
    first = (await client.get("/v1/search", params={"q": "resolution", "limit": 1})).json()
    second = (
        await client.get("/v1/search", params={"q": "resolution", "limit": 1, "offset": 1})
    ).json()
    if first["total"] > 1:
        assert first["items"] != second["items"]


async def test_index_follows_orm_writes(session: AsyncSession) -> None:
    res = Resolution(symbol="A/RES/99/901", title="Conservation of the snow leopard")
    session.add(res)
    await session.flush()
    found, _ = await search(session, "leopard", kind=None, limit=10, offset=0)
    assert ("resolution", res.id) in [(h.kind, h.id) for h in found]
    await session.execute(
        update(Resolution).where(Resolution.id == res.id).values(title="Conservation of the ibex")
    )
    assert (await search(session, "leopard", kind=None, limit=10, offset=0))[1] == 0
    assert (await search(session, "ibex", kind="resolution", limit=10, offset=0))[1] == 1
    await session.execute(
        update(Resolution).where(Resolution.id == res.id).values(description="In the Alps.")
    )
    assert (await search(session, "ibex alps", kind=None, limit=10, offset=0))[1] == 1
    await session.execute(delete(Resolution).where(Resolution.id == res.id))
    assert (await search(session, "ibex", kind=None, limit=10, offset=0))[1] == 0


async def test_index_follows_api_writes(client: httpx.AsyncClient, session: AsyncSession) -> None:
    key = await key_in(session, "news:write", "votes:write")
    body = {"url": "https://example.org/narwhal", "title": "Narwhal census", "summary": "Tusks."}
    r = await client.post("/v1/news", json=body, headers=auth(key))
    assert r.status_code == 201, r.text
    news_id = r.json()["id"]
    assert await hits(client, "narwhal") == [("news", "Narwhal census")]
    assert await hits(client, "tusks") == [("news", "Narwhal census")]
    r = await client.patch(
        f"/v1/news/{news_id}", json={"title": "Beluga census"}, headers=auth(key)
    )
    assert r.status_code == 200, r.text
    assert await hits(client, "narwhal") == []
    assert await hits(client, "beluga") == [("news", "Beluga census")]
    assert await client.get("/v1/news", params={"q": "beluga"}) is not None
    listed = (await client.get("/v1/news", params={"q": "beluga"})).json()["items"]
    assert [i["id"] for i in listed] == [news_id]
    assert (await client.delete(f"/v1/news/{news_id}", headers=auth(key))).status_code == 204
    assert await hits(client, "beluga") == []

    # a resolution written through the write API
    r = await client.post(
        "/v1/resolutions",
        json={"symbol": "A/RES/99/902", "title": "Protection of the axolotl"},
        headers=auth(key),
    )
    assert r.status_code == 201, r.text
    assert await hits(client, "axolotl") == [("resolution", "A/RES/99/902")]


UNDL_HEADER = (
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link\n"
)


def _undl_file(path: Path, number: int, title: str) -> Path:
    rows = [
        f"900{number},{code},{code},{vote},2021-06-18,75,A/RES/75/{number},,,A/75/PV.99,"
        f"{title},,,,2,1,1,0,4,https://digitallibrary.un.org/record/900{number}\n"
        for code, vote in (("FRA", "Y"), ("DEU", "Y"), ("BLR", "N"), ("CHN", "A"))
    ]
    path.write_text(UNDL_HEADER + "".join(rows), encoding="utf-8")
    return path


def _search_sync(url: str, word: str) -> list[int]:
    engine = make_sync_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                sql = "SELECT rowid / 2 FROM fts_search WHERE fts_search MATCH :q AND rowid % 2 = 0"
            else:
                sql = (
                    "SELECT ref_id FROM search_documents WHERE kind = 'r' "
                    "AND document @@ plainto_tsquery('english', :q)"
                )
            return [int(r[0]) for r in conn.execute(text(sql), {"q": word})]
    finally:
        engine.dispose()


def test_index_follows_imports(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        upgrade(url)
        engine = make_sync_engine(url)
        with Session(engine) as s, s.begin():
            load_seed(s, Settings().seed_dir)  # the seed is an import too
        engine.dispose()
        assert _search_sync(url, "Myanmar"), "seeded resolutions are searchable"
        first = _undl_file(tmp_path / "a.csv", 998, "Protection of quokkas")
        run_import(url, Job("undl", first, "undl"))
        quokkas = _search_sync(url, "quokka")
        assert len(quokkas) == 1
        second = _undl_file(tmp_path / "b.csv", 999, "Protection of wombats : resolution")
        run_import(url, Job("undl", second, "undl"))
        assert _search_sync(url, "quokka") == quokkas
        wombats = _search_sync(url, "wombat")
        assert len(wombats) == 1 and wombats != quokkas


def test_migration_backfills_and_drops_the_index(tmp_path: Path) -> None:
    from tests.dbutil import downgrade

    with scratch_database(tmp_path) as url:
        upgrade(url, "0003")
        engine = make_sync_engine(url)
        with Session(engine) as s, s.begin():
            load_seed(s, Settings().seed_dir)
            seeded = s.scalar(select(NewsItem.id))
        engine.dispose()
        upgrade(url)  # 0004 indexes what is already there
        assert _search_sync(url, "Myanmar")
        downgrade(url, "0003")
        engine = make_sync_engine(url)
        with engine.connect() as conn:
            name = "fts_search" if engine.dialect.name == "sqlite" else "search_documents"
            if engine.dialect.name == "sqlite":
                left = conn.execute(
                    text(
                        "SELECT count(*) FROM sqlite_master "
                        "WHERE name LIKE 'fts_%' OR name LIKE 'search_%'"
                    )
                ).scalar()
            else:
                left = conn.execute(
                    text("SELECT count(*) FROM pg_class WHERE relname LIKE 'search_%'")
                ).scalar()
            assert left == 0, name
            # writes still work without the index (no trigger left behind)
            conn.execute(text("UPDATE news_items SET title = 'x' WHERE id = :i"), {"i": seeded})
            conn.commit()
        engine.dispose()


def test_helpers() -> None:
    assert query_words('  "Myanmar"  arms-flow MYANMAR ') == ["Myanmar", "arms", "flow"]
    assert snippet("Sanctions were lifted.", ["sanction"]) == "[Sanctions] were lifted."
    assert snippet(None, ["x"]) is None
    long = "word " * 100 + "target here"
    assert "[target]" in (snippet(long, ["target"]) or "")


@pytest.mark.postgres
def test_postgres_uses_a_gin_index(db_url: str) -> None:
    if not on_postgres():
        pytest.skip("PostgreSQL only")
    engine = make_sync_engine(db_url)
    with engine.connect() as conn:
        kind = conn.execute(
            text(
                "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = c.relam "
                "WHERE c.relname = 'search_documents_document_idx'"
            )
        ).scalar()
    engine.dispose()
    assert kind == "gin"
