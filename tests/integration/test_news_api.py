"""The news endpoints: lists and filters, one item, news of a resolution and of a country,
link suggestions, and the writes (keys, ETags, If-Match, audit, suggested links)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Country, NewsItem, Resolution
from app.models.auth import AuditEntry
from app.queries.news import news_counts
from tests.integration.test_write_helpers import auth, key_in
from tests.integration.test_write_helpers import make_client as make_client  # fixture

pytestmark = pytest.mark.anyio

SEEDED = "The Moscow Times"  # the seed's one news item, linked to A/RES/75/287 and 4 countries


def problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["title"]
    return body


async def test_list_shows_items_with_their_links(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/news")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] >= 1 and body["limit"] == 50 and body["offset"] == 0
    item = next(i for i in body["items"] if i["outlet"] == SEEDED)
    assert [x["symbol"] for x in item["resolutions"]] == ["A/RES/75/287"]
    assert {c["code"] for c in item["countries"]} == {"BLR", "CHN", "MMR", "RUS"}
    assert item["links"]["self"] == f"/v1/news/{item['id']}"
    assert r.headers.get("etag")


@pytest.mark.parametrize(
    "params",
    [
        {"resolution": "A/RES/75/287"},
        {"resolution": "75/287"},
        {"resolution": "A/75/L.85/Rev.1"},
        {"country": "Russia"},
        {"country": "BY"},
        {"country": "Burma", "relation": "mentions"},
        {"relation": "mentions"},
        {"from": "2021-06-22", "to": "2021-06-22"},
        {"outlet": "the moscow times"},
        {"q": "Myanmar"},
        {"q": "legitimacy"},  # "lends legitimacy" in the seeded summary: stemmed
    ],
)
async def test_filters_that_match(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    r = await client.get("/v1/news", params=params)
    assert r.status_code == 200, r.text
    assert SEEDED in [i["outlet"] for i in r.json()["items"]]


@pytest.mark.parametrize(
    "params",
    [
        {"resolution": "A/RES/75/287", "relation": "reports_on"},
        {"country": "FRA"},
        {"from": "2021-06-23"},
        {"to": "2021-06-21"},
        {"outlet": "Other Times"},
        {"q": "zebra"},
        {"q": "!!!"},
    ],
)
async def test_filters_that_do_not(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    r = await client.get("/v1/news", params=params)
    assert r.status_code == 200, r.text
    assert SEEDED not in [i["outlet"] for i in r.json()["items"]]


async def test_errors_are_problems(client: httpx.AsyncClient) -> None:
    body = problem(await client.get("/v1/news", params={"resolution": "A/RES/99/999"}), 404)
    assert "resolution" in body["detail"]
    problem(await client.get("/v1/news", params={"country": "Narnia"}), 404)
    body = problem(await client.get("/v1/news", params={"from": "yesterday"}), 422)
    assert body["errors"][0]["loc"] == ["query", "from"]
    problem(await client.get("/v1/news", params={"relation": "likes"}), 422)
    problem(await client.get("/v1/news", params={"limit": 201}), 422)
    problem(await client.get("/v1/news/999999"), 404)
    problem(await client.get("/v1/news/0"), 422)
    problem(await client.get("/v1/resolutions/A/RES/99/999/news"), 404)
    problem(await client.get("/v1/countries/Narnia/news"), 404)


async def test_one_item(client: httpx.AsyncClient, session: AsyncSession) -> None:
    news_id = (await session.scalars(select(NewsItem.id).where(NewsItem.outlet == SEEDED))).one()
    r = await client.get(f"/v1/news/{news_id}")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == news_id and r.json()["published_at"].startswith("2021-06-22")


@pytest.mark.parametrize(
    "url",
    [
        "/v1/resolutions/A/RES/75/287/news",
        "/v1/resolutions/A-RES-75-287/news",
        "/v1/resolutions/75/287/news?relation=mentions",
        "/v1/countries/BLR/news",
        "/v1/countries/Burma/news",
        "/v1/countries/112/news",
    ],
)
async def test_news_of_a_resolution_or_country(client: httpx.AsyncClient, url: str) -> None:
    r = await client.get(url)
    assert r.status_code == 200, r.text
    assert SEEDED in [i["outlet"] for i in r.json()["items"]]


async def test_the_resolution_itself_is_still_served(client: httpx.AsyncClient) -> None:
    # /v1/resolutions/{symbol}/news is registered before the read API's catch-all
    r = await client.get("/v1/resolutions/A/RES/75/287")
    assert r.status_code == 200, r.text
    assert r.json()["symbol"] == "A/RES/75/287"


async def test_news_counts(session: AsyncSession) -> None:
    res_id = (
        await session.scalars(select(Resolution.id).where(Resolution.symbol == "A/RES/75/287"))
    ).one()
    counts = await news_counts(session, resolution_ids=[res_id, -1])
    assert counts[res_id] >= 1 and -1 not in counts
    ids = {
        c.code: c.id
        for c in await session.scalars(select(Country).where(Country.code.in_(["BLR", "FRA"])))
    }
    counts = await news_counts(session, country_ids=ids.values())
    assert counts[ids["BLR"]] >= 1 and ids["FRA"] not in counts
    assert await news_counts(session, resolution_ids=[]) == {}
    with pytest.raises(ValueError):
        await news_counts(session)


async def test_list_query_count_does_not_grow(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from tests.integration.test_api_http import StatementCounter

    key = await key_in(session, "news:write")
    for n in range(3):
        body = {"url": f"https://example.org/count/{n}", "title": f"Item {n}"}
        body["resolutions"] = [{"symbol": "A/RES/75/287"}]  # type: ignore[assignment]
        body["countries"] = [{"ref": "FRA"}, {"ref": "DEU"}]  # type: ignore[assignment]
        assert (await client.post("/v1/news", json=body, headers=auth(key))).status_code == 201
    engine = session.bind.engine  # type: ignore[union-attr]
    with StatementCounter(engine) as counter:
        await client.get("/v1/news", params={"limit": 1, "country": "FRA"})
        one = len(counter.statements)
        await client.get("/v1/news", params={"limit": 200, "country": "DEU"})
        many = len(counter.statements) - one
    assert one == many <= 8, counter.statements


# --- link suggestions --------------------------------------------------------------------------

ARTICLE = {
    "title": "Assembly urges states to stop arms reaching Myanmar",
    "text": (
        "The UN General Assembly on Friday adopted a resolution calling on states to prevent "
        "the flow of arms into Myanmar, by 119 votes in favour to 1 against (Belarus), with 36 "
        "abstentions, China and Russia among them. Moscow said it regretted the text."
    ),
    "published_on": "2021-06-19",
}


async def test_suggest_links(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/news/suggest-links", json=ARTICLE)
    assert r.status_code == 200, r.text
    body = r.json()
    top = body["resolutions"][0]
    assert top["symbol"] == "A/RES/75/287" and top["score"] >= body["threshold"]["score"]
    assert top["url"] == "/v1/resolutions/A/RES/75/287"
    kinds = {e["kind"] for e in top["evidence"]}
    assert {"tally", "date", "content"} <= kinds
    text = ARTICLE["title"] + "\n" + ARTICLE["text"]
    for e in top["evidence"]:
        for span in e["spans"]:
            assert text[span["start"] : span["end"]] == span["text"]
    countries = {c["code"]: c for c in body["countries"]}
    assert {"MMR", "BLR", "CHN", "RUS"} <= set(countries)
    assert countries["BLR"]["named"] and countries["BLR"]["url"] == "/v1/countries/BLR"
    mention = countries["MMR"]["mentions"][0]
    assert text[mention["start"] : mention["end"]] == mention["text"] == "Myanmar"
    assert [m["via"] for m in countries["RUS"]["mentions"]] == ["alias", "capital"]
    assert body["language"] == "en" and body["url"] is None


async def test_weak_evidence_gives_an_empty_list(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/v1/news/suggest-links",
        json={
            "text": "A quiet week in the capital; the weather was fine.",
            "published_on": "2021-06",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["resolutions"] == []


async def test_suggest_links_never_fetches_the_url(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.news.feeds as feeds

    def refuse(*_: object, **__: object) -> bytes:
        raise AssertionError("the API fetched a URL")

    monkeypatch.setattr(feeds, "fetch", refuse)
    monkeypatch.setattr(httpx.Client, "send", refuse)
    body = {**ARTICLE, "url": "http://127.0.0.1:9/article"}
    r = await client.post("/v1/news/suggest-links", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["url"] == "http://127.0.0.1:9/article"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "x", "url": "file:///etc/passwd"},
        {"text": "x", "url": "ftp://example.org/feed"},
        {"text": "x", "published_on": "June 2021"},
        {"text": "x", "published_on": "2021-13"},
        {"text": "x", "limit": 0},
        {"text": "x", "unexpected": 1},
    ],
)
async def test_suggest_links_validates(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    problem(await client.post("/v1/news/suggest-links", json=body), 422)


# --- writes ------------------------------------------------------------------------------------


async def test_writes_need_a_key(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = {"url": "https://example.org/a", "title": "A"}
    problem(await client.post("/v1/news", json=body), 401)
    key = await key_in(session, "votes:write")
    problem(await client.post("/v1/news", json=body, headers=auth(key)), 403)
    problem(await client.delete("/v1/news/1"), 401)
    problem(await client.patch("/v1/news/1", json={"title": "B"}), 401)
    problem(await client.put("/v1/news/1/links", json={}), 401)


async def test_create_change_link_delete(client: httpx.AsyncClient, session: AsyncSession) -> None:
    key = await key_in(session, "news:write")
    version = await client.get("/v1/news")
    etag_before = version.headers["etag"]
    body = {
        "url": "https://example.org/2021/06/19/myanmar",
        "title": "Assembly acts on Myanmar",
        "outlet": "Example",
        "published_at": "2021-06-19",
        "summary": "A short summary.",
        "language": "en",
        "resolutions": [{"symbol": "75/287", "relation": "reports_on"}],
        "countries": [{"ref": "Burma"}],
    }
    r = await client.post("/v1/news", json=body, headers=auth(key))
    assert r.status_code == 201, r.text
    created = r.json()
    news_id = created["id"]
    assert r.headers["location"] == f"/v1/news/{news_id}"
    etag = r.headers["etag"]
    assert created["resolutions"][0]["relation"] == "reports_on"
    assert created["countries"] == [
        {"code": "MMR", "name": "Myanmar", "relation": "mentions", "url": "/v1/countries/MMR"}
    ]
    assert (await client.get("/v1/news")).headers["etag"] != etag_before

    problem(await client.post("/v1/news", json=body, headers=auth(key)), 409)
    bad = {**body, "url": "https://example.org/other", "resolutions": [{"symbol": "99/999"}]}
    err = problem(await client.post("/v1/news", json=bad, headers=auth(key)), 422)
    assert err["errors"][0]["loc"] == ["body", "resolutions", "0", "symbol"]
    problem(
        await client.post(
            "/v1/news", json={**body, "url": "javascript:alert(1)"}, headers=auth(key)
        ),
        422,
    )
    problem(await client.post("/v1/news", json={**body, "extra": 1}, headers=auth(key)), 422)

    stale = {"If-Match": '"0000"', **auth(key)}
    problem(await client.patch(f"/v1/news/{news_id}", json={"title": "X"}, headers=stale), 412)
    r = await client.patch(
        f"/v1/news/{news_id}",
        json={"title": "Assembly acts"},
        headers={"If-Match": etag, **auth(key)},
    )
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Assembly acts" and r.headers["etag"] != etag
    problem(await client.patch(f"/v1/news/{news_id}", json={"title": None}, headers=auth(key)), 422)

    links = {
        "resolutions": [{"symbol": "A/RES/75/287", "relation": "mentions"}],
        "countries": [{"ref": "BLR", "relation": "reports_on"}, {"ref": "CHN"}],
    }
    r = await client.put(f"/v1/news/{news_id}/links", json=links, headers=auth(key))
    assert r.status_code == 200, r.text
    assert [(c["code"], c["relation"]) for c in r.json()["countries"]] == [
        ("BLR", "reports_on"),
        ("CHN", "mentions"),
    ]
    assert r.json()["resolutions"][0]["relation"] == "mentions"

    r = await client.delete(f"/v1/news/{news_id}", headers=auth(key))
    assert r.status_code == 204, r.text
    problem(await client.get(f"/v1/news/{news_id}"), 404)
    problem(await client.delete(f"/v1/news/{news_id}", headers=auth(key)), 404)

    actions = (
        await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.resource == "news_item", AuditEntry.resource_id == str(news_id))
            .order_by(AuditEntry.id)
        )
    ).all()
    assert actions == ["create", "update", "replace", "delete"]


async def test_create_with_suggestions(client: httpx.AsyncClient, session: AsyncSession) -> None:
    key = await key_in(session, "news:write")
    body = {
        "url": "https://example.org/2021/06/19/assembly-arms",
        "title": ARTICLE["title"],
        "published_at": "2021-06-19T09:30:00Z",
        "summary": "The Assembly adopted a resolution on Myanmar.",
        "text": ARTICLE["text"],
        "countries": [{"ref": "Belarus", "relation": "reports_on"}],
    }
    r = await client.post("/v1/news?suggest=true", json=body, headers=auth(key))
    assert r.status_code == 201, r.text
    item = r.json()
    assert [(x["symbol"], x["relation"]) for x in item["resolutions"]] == [
        ("A/RES/75/287", "suggested")
    ]
    relations = {c["code"]: c["relation"] for c in item["countries"]}
    assert relations["BLR"] == "reports_on"  # the editor's link wins
    assert relations["MMR"] == relations["CHN"] == relations["RUS"] == "suggested"
    # the text is not stored
    stored = await session.get(NewsItem, item["id"])
    assert stored is not None and stored.summary == body["summary"]
    r = await client.get("/v1/news", params={"relation": "suggested", "resolution": "A/RES/75/287"})
    assert item["id"] in [i["id"] for i in r.json()["items"]]
    total = (await session.execute(select(func.count()).select_from(NewsItem))).scalar_one()
    assert total >= 2


async def test_suggest_links_is_rate_limited_like_reads(make_client: Any) -> None:
    async with make_client(rate_limit_reads=2, rate_limit_window=60) as client:
        codes = [
            (await client.post("/v1/news/suggest-links", json=ARTICLE)).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
