"""GET /v1/countries…: lookup by any code or name, lists, and whole voting histories."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Country, Membership, Vote
from app.schemas.common import Page
from app.schemas.countries import CountryDetail, CountryOut, CountryVotesPage

pytestmark = pytest.mark.anyio


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    r = await client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("BLR", "BLR"),
        ("blr", "BLR"),
        ("BY", "BLR"),
        ("112", "BLR"),
        ("Belarus", "BLR"),
        ("  belarus ", "BLR"),
        ("Republic of Belarus", "BLR"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("russian federation", "RUS"),
        ("RUS", "RUS"),
        ("643", "RUS"),
        ("USSR", "SUN"),
        ("Burma", "MMR"),
        ("Myanmar", "MMR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("turkiye", "TUR"),
        ("4", "AFG"),
        ("United States", "USA"),
        ("Côte d'Ivoire", "CIV"),
    ],
)
async def test_country_references(client: httpx.AsyncClient, ref: str, code: str) -> None:
    body = await get_json(client, f"/v1/countries/{ref}")
    assert body["code"] == code


async def test_country_detail(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/v1/countries/RUS")
    CountryDetail.model_validate(body)
    assert (body["iso2"], body["m49"], body["member"]) == ("RU", "643", True)
    assert {
        "group": "p5",
        "kind": "permanent",
        "role": "member",
        "since": "1991-12-24",
        "until": None,
    } in body["groups"]
    assert body["predecessors"] == [{"code": "SUN", "how": "continuation", "on": "1991-12-24"}]
    assert any(n["name"] == "Russia" and n["kind"] == "alias" for n in body["names"])
    ussr = await get_json(client, "/v1/countries/SUN")
    assert ussr["is_historical"] is True and ussr["member"] is False
    assert ussr["left_on"] == "1991-12-24"
    assert ussr["successors"] == [{"code": "RUS", "how": "continuation", "on": "1991-12-24"}]


async def test_unknown_country_suggests_close_matches(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/countries/Belarusia")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["suggestions"][0]["code"] == "BLR"
    assert "Did you mean Belarus (BLR)?" in body["detail"]
    r = await client.get("/v1/countries/Qwxz")
    assert r.status_code == 404 and r.json()["suggestions"] == []


async def test_list_countries(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = await get_json(client, "/v1/countries", limit=200)
    Page[CountryOut].model_validate(body)
    total = (await session.execute(select(func.count(Country.id)))).scalar_one()
    assert body["total"] == total
    names = [i["name"] for i in body["items"]]
    assert names == sorted(names)
    page2 = await get_json(client, "/v1/countries", limit=200, offset=200)
    assert len(body["items"]) + len(page2["items"]) == total


async def test_list_by_group_and_date(client: httpx.AsyncClient, session: AsyncSession) -> None:
    p5 = await get_json(client, "/v1/countries", group="p5")
    assert {i["code"] for i in p5["items"]} == {"CHN", "FRA", "GBR", "RUS", "USA"}
    p5_1971 = await get_json(client, "/v1/countries", group="p5", member_on="1971-01-01")
    assert {i["code"] for i in p5_1971["items"]} == {"TWN", "FRA", "GBR", "SUN", "USA"}
    day = date(1950, 1, 1)
    members = (
        await session.execute(
            select(func.count(func.distinct(Membership.country_id))).where(
                Membership.admitted_on <= day,
                or_(Membership.left_on.is_(None), Membership.left_on > day),
            )
        )
    ).scalar_one()
    body = await get_json(client, "/v1/countries", member_on="1950-01-01", limit=200)
    assert body["total"] == members and 50 < members < 70
    eastern = await get_json(client, "/v1/countries", group="eastern-european", limit=200)
    assert "BLR" in {i["code"] for i in eastern["items"]}
    assert (await get_json(client, "/v1/countries", updated_since="2999-01-01T00:00:00Z"))[
        "total"
    ] == 0
    assert (await get_json(client, "/v1/countries", updated_since="2000-01-01"))["total"] == (
        await session.execute(select(func.count(Country.id)))
    ).scalar_one()
    found = await get_json(client, "/v1/countries", q="bela")
    assert [i["code"] for i in found["items"]] == ["BLR"]
    r = await client.get("/v1/countries", params={"group": "p5", "format": "csv"})
    assert {row["code"] for row in csv.DictReader(io.StringIO(r.text))} == {
        "CHN",
        "FRA",
        "GBR",
        "RUS",
        "USA",
    }


async def test_history_with_summary(client: httpx.AsyncClient, session: AsyncSession) -> None:
    rows = (
        await session.execute(
            select(Vote.position, func.count())
            .join(Country)
            .where(Country.code == "BLR")
            .group_by(Vote.position)
        )
    ).all()
    expected = Counter({p: n for p, n in rows})
    body = await get_json(client, "/v1/countries/Belarus/votes")
    CountryVotesPage.model_validate(body)
    total = sum(expected.values())
    assert body["total"] == body["summary"]["votes"] == total == len(body["items"])
    assert body["country"]["code"] == "BLR" and body["limit"] == 1000
    for p in ("yes", "no", "abstain", "non_voting"):
        assert body["summary"][p]["count"] == expected[p]
        assert body["summary"][p]["share"] == round(expected[p] / total, 4)
    newest = body["items"][0]
    assert (newest["symbol"], newest["position"], newest["name_in_source"]) == (
        "A/RES/75/287",
        "no",
        "BELARUS",
    )
    dates = [i["date"] for i in body["items"]]
    assert dates == sorted(dates, reverse=True)
    noes = await get_json(client, "/v1/countries/BLR/votes", position="no")
    assert noes["total"] == expected["no"] and all(i["position"] == "no" for i in noes["items"])
    assert noes["summary"]["no"]["share"] == 1.0
    page = await get_json(client, "/v1/countries/BLR/votes", limit=2, offset=1)
    assert [i["vote_event_id"] for i in page["items"]] == [
        i["vote_event_id"] for i in body["items"][1:3]
    ]
    assert page["total"] == total
    recent = await get_json(
        client, "/v1/countries/BLR/votes", **{"from": "2015-01-01"}, q="Myanmar"
    )
    assert [i["symbol"] for i in recent["items"]] == ["A/RES/75/287"]


async def test_history_as_streamed_csv(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/v1/countries/BLR/votes")
    r = await client.get("/v1/countries/BLR/votes", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert "content-length" not in r.headers  # streamed, not built in memory
    assert 'filename="BLR-votes.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["vote_event_id"]) for row in rows] == [
        i["vote_event_id"] for i in body["items"]
    ]
    assert rows[0]["symbol"] == "A/RES/75/287" and rows[0]["position"] == "no"


async def test_history_page_cap(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/countries/BLR/votes", params={"limit": 1001})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "limit"]
    assert (await client.get("/v1/countries/BLR/votes", params={"limit": 1000})).status_code == 200


async def test_news_counts_and_links_on_resolution_and_country(client: httpx.AsyncClient) -> None:
    """The seeded Moscow Times item is linked to A/RES/75/287 and to Belarus: both responses
    count it and link to the related news, and the count matches the news endpoint's total."""
    res = (await client.get("/v1/resolutions/A/RES/75/287")).json()
    news = (await client.get(res["links"]["news"])).json()
    assert res["news_count"] == news["total"] == len(res["news"]) >= 1
    listed = (await client.get("/v1/resolutions", params={"q": "Myanmar"})).json()["items"]
    row = next(i for i in listed if i["symbol"] == "A/RES/75/287")
    assert row["news_count"] == res["news_count"]
    assert row["news_url"] == res["links"]["news"]

    blr = (await client.get("/v1/countries/BLR")).json()
    blr_news = (await client.get(blr["links"]["news"])).json()
    assert blr["news_count"] == blr_news["total"] >= 1
    listed_c = (await client.get("/v1/countries", params={"q": "Belarus"})).json()["items"]
    assert next(i for i in listed_c if i["code"] == "BLR")["news_count"] == blr["news_count"]
    fra = (await client.get("/v1/countries/FRA")).json()
    assert fra["news_count"] == 0
