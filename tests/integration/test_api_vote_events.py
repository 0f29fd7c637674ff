"""GET /v1/vote-events…: every recorded vote, with or without a resolution."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Resolution, VoteEvent
from app.schemas.common import Page
from app.schemas.vote_events import Roll, VoteEventDetail, VoteEventOut
from tests.factories import make_vote_event, make_votes

pytestmark = pytest.mark.anyio


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    r = await client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def myanmar_event_id(session: AsyncSession) -> int:
    return (
        await session.scalars(
            select(VoteEvent.id).join(Resolution).where(Resolution.symbol == "A/RES/75/287")
        )
    ).one()


async def test_list_includes_votes_without_a_resolution(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    def build(s: Any) -> int:
        motion = make_vote_event(
            s, voted_on=date(1950, 3, 1), date_approximate=True, kind="motion", title="Adjourn"
        )
        make_votes(s, motion, {"FRA": "yes", "GBR": "no", "USA": "no"})
        return motion.id

    motion_id = await session.run_sync(build)
    body = await get_json(client, "/v1/vote-events", limit=200)
    Page[VoteEventOut].model_validate(body)
    total = (await session.execute(select(func.count(VoteEvent.id)))).scalar_one()
    assert body["total"] == total == len(body["items"])
    motion = next(i for i in body["items"] if i["id"] == motion_id)
    assert motion["symbol"] is None and motion["resolution_url"] is None
    assert (motion["kind"], motion["date_approximate"], motion["outcome"]) == (
        "motion",
        True,
        "rejected",
    )
    assert motion["tally"] == {"yes": 1, "no": 2, "abstain": 0, "non_voting": 0, "members": 3}
    assert [
        i["id"] for i in (await get_json(client, "/v1/vote-events", kind="motion"))["items"]
    ] == [motion_id]
    # Month precision for its approximate date; the rejected filter finds it.
    found = await get_json(client, "/v1/vote-events", to="1950-03-01", adopted="false")
    assert [i["id"] for i in found["items"]] == [motion_id]
    found = await get_json(client, "/v1/vote-events", **{"from": "1950-03-31", "to": "1950-03-31"})
    assert [i["id"] for i in found["items"]] == [motion_id]


async def test_filters_as_for_resolutions(client: httpx.AsyncClient, session: AsyncSession) -> None:
    event_id = await myanmar_event_id(session)
    body = await get_json(client, "/v1/vote-events", country="Belarus", position="no", session="75")
    assert [i["id"] for i in body["items"]] == [event_id]
    assert body["items"][0]["symbol"] == "A/RES/75/287"
    body = await get_json(client, "/v1/vote-events", q="Myanmar", sort="margin")
    assert [i["id"] for i in body["items"]] == [event_id]
    jerusalem = await get_json(client, "/v1/vote-events", session="ES-10")
    assert jerusalem["items"][0]["totals_discrepancy"] == "yes: official 128, rows 127"


async def test_one_vote_event_and_its_roll(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    event_id = await myanmar_event_id(session)
    body = await get_json(client, f"/v1/vote-events/{event_id}")
    VoteEventDetail.model_validate(body)
    assert body["resolution"]["symbol"] == "A/RES/75/287"
    assert body["date"] == "2021-06-18" and body["date_approximate"] is False
    assert body["sources"] == [
        {
            "source": "undl",
            "name": body["sources"][0]["name"],
            "licence": "non-commercial, with attribution",
            "key": "3929594",
            "ref": "A/RES/75/287",
            "url": "https://digitallibrary.un.org/record/3929594",
        }
    ]
    roll = await get_json(client, f"/v1/vote-events/{event_id}/votes")
    Roll.model_validate(roll)
    same = await get_json(client, "/v1/resolutions/A/RES/75/287/votes")
    assert roll == same
    r = await client.get(f"/v1/vote-events/{event_id}/votes", headers={"Accept": "text/csv"})
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 193
    r = await client.get(f"/v1/vote-events/{event_id}", params={"format": "csv"})
    (row,) = csv.DictReader(io.StringIO(r.text))
    assert (row["vote_event_id"], row["yes"], row["official_yes"]) == (str(event_id), "119", "119")


async def test_list_as_csv(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/v1/vote-events", limit=200)
    r = await client.get("/v1/vote-events", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == [i["id"] for i in body["items"]]
    assert rows[0]["outcome"] == body["items"][0]["outcome"]
