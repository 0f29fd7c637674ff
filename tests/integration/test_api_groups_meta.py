"""GET /v1/groups…, /v1/meta."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Country, DatasetState, Group, Resolution, Source, Vote, VoteEvent
from app.schemas.common import Page
from app.schemas.groups import GroupDetail, GroupOut
from app.schemas.meta import Meta

pytestmark = pytest.mark.anyio


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    r = await client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def test_list_groups(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = await get_json(client, "/v1/groups")
    Page[GroupOut].model_validate(body)
    slugs = set((await session.scalars(select(Group.slug))).all())
    assert {g["slug"] for g in body["items"]} == slugs
    by_slug = {g["slug"]: g for g in body["items"]}
    assert by_slug["p5"]["member_count"] == 5
    # The regional groups hold every member today (Türkiye in two of them).
    regional = sum(g["member_count"] for g in body["items"] if g["kind"] == "regional")
    assert regional == 193 + 1
    r = await client.get("/v1/groups", params={"format": "csv"})
    assert {row["slug"] for row in csv.DictReader(io.StringIO(r.text))} == slugs


async def test_group_members_on_a_date(client: httpx.AsyncClient) -> None:
    today = await get_json(client, "/v1/groups/p5")
    GroupDetail.model_validate(today)
    assert {m["code"] for m in today["members"]} == {"CHN", "FRA", "GBR", "RUS", "USA"}
    before = await get_json(client, "/v1/groups/p5", on="1971-10-24")
    assert {m["code"] for m in before["members"]} == {"TWN", "FRA", "GBR", "SUN", "USA"}
    after = await get_json(client, "/v1/groups/p5", on="1971-10-25")
    assert "CHN" in {m["code"] for m in after["members"]} and after["on"] == "1971-10-25"
    weog = await get_json(client, "/v1/groups/weog", on="2021-06-18")
    usa = [m for m in weog["members"] if m["code"] == "USA"]
    assert {m["role"] for m in usa} == {"electoral_only", "observer"}
    israel_1999 = await get_json(client, "/v1/groups/weog", on="1999-01-01")
    assert "ISR" not in {m["code"] for m in israel_1999["members"]}
    israel = next(m for m in weog["members"] if m["code"] == "ISR")
    assert (israel["since"], israel["since_precision"]) == ("2000-05-01", "month")
    r = await client.get("/v1/groups/eastern-european", headers={"Accept": "text/csv"})
    assert "BLR" in {row["code"] for row in csv.DictReader(io.StringIO(r.text))}
    assert (await client.get("/v1/groups/P5")).status_code == 200


async def test_meta(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = await get_json(client, "/v1/meta")
    Meta.model_validate(body)
    state = (await session.scalars(select(DatasetState))).one()
    assert body["dataset"]["version"] == state.version
    latest = (await session.execute(select(func.max(VoteEvent.voted_on)))).scalar_one()
    assert body["dataset"]["latest_vote_on"] == latest.isoformat()
    licences = {s["slug"]: s["licence"] for s in body["sources"]}
    assert set(licences) == set((await session.scalars(select(Source.slug))).all())
    assert "CC0" in licences["unvotes"]
    assert "non-commercial" in licences["undl"]
    counts = body["counts"]
    for key, model in (
        ("countries", Country),
        ("resolutions", Resolution),
        ("vote_events", VoteEvent),
        ("votes", Vote),
    ):
        total = select(func.count()).select_from(model)
        assert counts[key] == (await session.execute(total)).scalar_one()
    assert body["limits"] == {"page_size": 200, "vote_page_size": 1000}
    r = await client.get("/v1/meta", params={"format": "csv"})
    assert {row["slug"] for row in csv.DictReader(io.StringIO(r.text))} == set(licences)
