"""GET /v1/resolutions…: lists and filters, the symbol forms, rolls and the summary, on the seed."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Country, GASession, Resolution, Topic, Vote, VoteEvent, VoteEventTopic
from app.schemas.common import Page
from app.schemas.resolutions import ResolutionDetail, ResolutionOut, Summary
from app.schemas.vote_events import Roll
from tests.factories import make_resolution, make_vote_event, make_votes

pytestmark = pytest.mark.anyio

MYANMAR = "A/RES/75/287"


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    r = await client.get(url, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()


async def symbols(client: httpx.AsyncClient, **params: Any) -> list[str]:
    body = await get_json(client, "/v1/resolutions", limit=200, **params)
    assert body["total"] == len(body["items"])
    return [i["symbol"] for i in body["items"]]


async def seeded_symbols(session: AsyncSession, *conds: Any) -> set[str]:
    stmt = select(Resolution.symbol).join(VoteEvent, VoteEvent.resolution_id == Resolution.id)
    return set((await session.scalars(stmt.where(*conds))).all())


# ---------------------------------------------------------------------------------- list


async def test_list_envelope_newest_first(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = await get_json(client, "/v1/resolutions")
    Page[ResolutionOut].model_validate(body)
    total = (await session.execute(select(func.count(Resolution.id)))).scalar_one()
    assert body["total"] == total and (body["limit"], body["offset"]) == (50, 0)
    dates = [i["date"] for i in body["items"]]
    assert dates == sorted(dates, reverse=True)
    first = body["items"][0]
    assert first["symbol"] == MYANMAR
    assert first["tally"] == {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193}
    assert (first["outcome"], first["official_outcome"], first["margin"]) == (
        "adopted",
        "adopted",
        118,
    )


async def test_paging_slices_the_same_order(client: httpx.AsyncClient) -> None:
    everything = await symbols(client)
    page = await get_json(client, "/v1/resolutions", limit=2, offset=1)
    assert [i["symbol"] for i in page["items"]] == everything[1:3]
    assert page["total"] == len(everything)
    oldest_first = await symbols(client, sort="date")
    assert oldest_first == list(reversed(everything))


async def test_session_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    seventy_five = await session.scalar(select(GASession.id).where(GASession.code == "75"))
    expected = set(
        (
            await session.scalars(
                select(Resolution.symbol).where(Resolution.ga_session_id == seventy_five)
            )
        ).all()
    )
    assert set(await symbols(client, session="75")) == expected == {MYANMAR}
    assert await symbols(client, session="ES-10") == ["A/RES/ES-10/19"]
    assert await symbols(client, session="es-10") == ["A/RES/ES-10/19"]
    assert await symbols(client, session_type="emergency_special") == ["A/RES/ES-10/19"]
    assert await symbols(client, session="99") == []


async def test_date_filters_month_precision_for_approximate_dates(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev = (
        await session.scalars(
            select(VoteEvent).join(Resolution).where(Resolution.symbol == "A/RES/2758(XXVI)")
        )
    ).one()
    assert ev.date_approximate and ev.voted_on == date(1971, 10, 7)
    assert "A/RES/2758(XXVI)" in await symbols(client, **{"from": "1971-10-20", "to": "1971-10-20"})
    assert "A/RES/2758(XXVI)" in await symbols(client, to="1971-10-01")
    assert "A/RES/2758(XXVI)" not in await symbols(client, **{"from": "1971-11-01"})
    # Exact dates compare to the day.
    assert MYANMAR not in await symbols(client, **{"from": "2021-06-19"})
    assert MYANMAR in await symbols(client, **{"from": "2021-06-18", "to": "2021-06-18"})
    recent = await symbols(client, **{"from": "2014-01-01"})
    assert recent and all(
        s in {MYANMAR, "A/RES/74/7", "A/RES/ES-10/19", "A/RES/68/262"} for s in recent
    )


async def test_topic_q_important_adopted(client: httpx.AsyncClient, session: AsyncSession) -> None:
    hr = await seeded_symbols(
        session,
        VoteEvent.id.in_(
            select(VoteEventTopic.vote_event_id).join(Topic).where(Topic.code == "hr")
        ),
    )
    assert hr and set(await symbols(client, topic="hr")) == hr
    assert set(await symbols(client, topic=["hr", "me"])) >= hr
    assert await symbols(client, q="myanmar") == [MYANMAR]
    assert await symbols(client, q="situation MYANMAR") == [MYANMAR]
    assert await symbols(client, q="Myanmar Cuba") == []
    important = await seeded_symbols(session, VoteEvent.important.is_(True))
    assert set(await symbols(client, important="true")) == important
    not_important = await seeded_symbols(session, VoteEvent.important.is_(False))
    assert set(await symbols(client, important="false")) == not_important
    adopted = await seeded_symbols(session, VoteEvent.computed_outcome == "adopted")
    assert set(await symbols(client, adopted="true")) == adopted
    assert await symbols(client, adopted="false") == []


async def test_country_and_position_compose(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    blr_no = await seeded_symbols(
        session,
        VoteEvent.id.in_(
            select(Vote.vote_event_id)
            .join(Country)
            .where(Country.code == "BLR", Vote.position == "no")
        ),
    )
    assert MYANMAR in blr_no
    assert set(await symbols(client, country="BLR", position="no")) == blr_no
    # Any reference to the country works, and the filters compose.
    assert set(await symbols(client, country="Belarus", position="no")) == blr_no
    assert await symbols(client, country="by", position="no", **{"from": "2015-01-01"}) == [MYANMAR]
    assert await symbols(client, country="BLR", position="no", session="68") == ["A/RES/68/262"]
    # Without a position: every resolution with a row for the country.
    assert set(await symbols(client, country="BLR")) == await seeded_symbols(
        session,
        VoteEvent.id.in_(select(Vote.vote_event_id).join(Country).where(Country.code == "BLR")),
    )
    # Without a country: votes in which at least one state took the position.
    assert set(await symbols(client, position="no")) == await seeded_symbols(
        session, VoteEvent.no_count > 0
    )


async def test_sort_by_margin_closest_first(client: httpx.AsyncClient) -> None:
    items = (await get_json(client, "/v1/resolutions", sort="margin", limit=200))["items"]
    margins = [abs(i["margin"]) for i in items if i["margin"] is not None]
    assert margins == sorted(margins) and len(margins) >= 2
    widest = (await get_json(client, "/v1/resolutions", sort="-margin", limit=200))["items"]
    assert abs(widest[0]["margin"]) == max(margins)


async def test_kind_and_updated_since(client: httpx.AsyncClient, session: AsyncSession) -> None:
    def build(s: Any) -> None:
        res = make_resolution(s, symbol="A/RES/99/7", adopted_on=date(2030, 1, 2))
        main = make_vote_event(s, voted_on=date(2030, 1, 2), resolution=res)
        amendment = make_vote_event(
            s, voted_on=date(2030, 1, 2), resolution=res, kind="amendment", is_main=False
        )
        make_votes(s, main, {"BLR": "yes", "FRA": "yes", "CHN": "no"})
        make_votes(s, amendment, {"BLR": "no", "FRA": "yes", "CHN": "no"})

    await session.run_sync(build)
    assert await symbols(client, kind="amendment") == ["A/RES/99/7"]
    assert "A/RES/99/7" in await symbols(client, kind="whole")
    body = await get_json(client, "/v1/resolutions", q="99/7")
    item = body["items"][0]
    # The main vote is the one on the whole text, not the amendment.
    assert item["kind"] == "whole" and item["tally"]["yes"] == 2
    # The amendment's "no" by Belarus does not make the resolution one Belarus voted against.
    assert "A/RES/99/7" not in await symbols(client, country="BLR", position="no")
    assert await symbols(client, updated_since="2999-01-01T00:00:00Z") == []
    total = (await session.execute(select(func.count(Resolution.id)))).scalar_one()
    assert len(await symbols(client, updated_since="2000-01-01T00:00:00+02:00")) == total


# ---------------------------------------------------------------------------------- one


@pytest.mark.parametrize(
    "path",
    [
        "A/RES/75/287",
        quote("A/RES/75/287", safe=""),
        "A-RES-75-287",
        "75/287",
        "a/res/75/287",
        "A/75/L.85/Rev.1",
        quote("A/75/L.85/Rev.1", safe=""),
        "A-75-L.85-REV.1",
    ],
)
async def test_symbol_forms(client: httpx.AsyncClient, path: str) -> None:
    body = await get_json(client, f"/v1/resolutions/{path}")
    assert body["symbol"] == MYANMAR and body["draft_symbol"] == "A/75/L.85/Rev.1"


@pytest.mark.parametrize(
    "path",
    ["A/RES/2758 (XXVI)", "A/RES/2758(XXVI)", quote("A/RES/2758 (XXVI)", safe=""), "2758(XXVI)"],
)
async def test_old_symbol_forms(client: httpx.AsyncClient, path: str) -> None:
    body = await get_json(client, f"/v1/resolutions/{path}")
    assert body["symbol"] == "A/RES/2758(XXVI)"
    assert body["date_approximate"] is True


async def test_detail_has_vote_events_with_outcomes(client: httpx.AsyncClient) -> None:
    body = await get_json(client, f"/v1/resolutions/{MYANMAR}")
    ResolutionDetail.model_validate(body)
    (ev,) = body["vote_events"]
    assert body["main_vote_event_id"] == ev["id"]
    assert ev["tally"] == {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193}
    assert ev["official"] == ev["tally"]
    assert ev["majority_required"] == "simple"
    assert (ev["computed_outcome"], ev["official_outcome"], ev["outcome_discrepancy"]) == (
        "adopted",
        "adopted",
        False,
    )
    assert ev["sources"][0]["source"] == "undl" and ev["sources"][0]["key"] == "3929594"
    assert body["meeting_record"] == "A/75/PV.83"
    assert body["links"]["draft"] == "https://undocs.org/A/75/L.85/Rev.1"
    assert [n["outlet"] for n in body["news"]] == ["The Moscow Times"]
    jerusalem = await get_json(client, "/v1/resolutions/A/RES/ES-10/19")
    (ev,) = jerusalem["vote_events"]
    assert ev["totals_discrepancy"] == "yes: official 128, rows 127"


# ---------------------------------------------------------------------------------- roll


async def test_roll_every_member_grouped_by_position(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = await get_json(client, f"/v1/resolutions/{MYANMAR}/votes")
    Roll.model_validate(body)
    assert body["total"] == 193
    groups = {g["position"]: g for g in body["by_position"]}
    assert [g["position"] for g in body["by_position"]] == ["yes", "no", "abstain", "non_voting"]
    assert {p: g["count"] for p, g in groups.items()} == {
        "yes": 119,
        "no": 1,
        "abstain": 36,
        "non_voting": 37,
    }
    for g in body["by_position"]:
        assert len(g["votes"]) == g["count"]
        assert all(v["position"] == g["position"] for v in g["votes"])
        subtotals: Counter[str] = Counter()
        for v in g["votes"]:
            subtotals.update(v["regional_groups"] or ["none"])
        assert g["by_regional_group"] == dict(subtotals)
    (belarus,) = groups["no"]["votes"]
    assert belarus["code"] == "BLR" and belarus["regional_groups"] == ["eastern-european"]
    assert belarus["name_in_source"] == "BELARUS"
    turkey = next(v for g in body["by_position"] for v in g["votes"] if v["code"] == "TUR")
    assert turkey["regional_groups"] == ["asia-pacific", "weog"]
    usa = next(v for v in groups["yes"]["votes"] if v["code"] == "USA")
    assert usa["regional_groups"] == ["weog"]  # counted there for elections
    # The 37 non-votes of A/RES/75/287 are recorded, not inferred.
    assert all(not v["inferred"] for v in groups["non_voting"]["votes"])
    event_id = body["vote_event"]["id"]
    codes = set(
        (
            await session.scalars(
                select(Country.code).join(Vote).where(Vote.vote_event_id == event_id)
            )
        ).all()
    )
    assert {v["code"] for g in body["by_position"] for v in g["votes"]} == codes


async def test_roll_marks_inferred_non_votes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    row = (
        await session.execute(
            select(Resolution.symbol, Country.code)
            .join(VoteEvent, VoteEvent.resolution_id == Resolution.id)
            .join(Vote, Vote.vote_event_id == VoteEvent.id)
            .join(Country, Country.id == Vote.country_id)
            .where(Vote.inferred.is_(True))
            .limit(1)
        )
    ).first()
    assert row is not None, "the seed fills in inferred non-votes"
    body = await get_json(client, f"/v1/resolutions/{row.symbol}/votes")
    vote = next(v for g in body["by_position"] for v in g["votes"] if v["code"] == row.code)
    assert vote["inferred"] is True and vote["position"] == "non_voting"
    assert vote["non_voting_reason"] == "unknown"


async def test_roll_of_another_event(client: httpx.AsyncClient, session: AsyncSession) -> None:
    def build(s: Any) -> tuple[int, int]:
        res = make_resolution(s, symbol="A/RES/99/8", adopted_on=date(2030, 1, 2))
        main = make_vote_event(s, voted_on=date(2030, 1, 2), resolution=res)
        paragraph = make_vote_event(
            s, voted_on=date(2030, 1, 2), resolution=res, kind="paragraph", is_main=False
        )
        make_votes(s, main, {"BLR": "yes", "FRA": "yes"})
        make_votes(s, paragraph, {"BLR": "abstain", "FRA": "no"})
        return main.id, paragraph.id

    main_id, paragraph_id = await session.run_sync(build)
    main = await get_json(client, "/v1/resolutions/A/RES/99/8/votes")
    assert main["vote_event"]["id"] == main_id
    other = await get_json(client, "/v1/resolutions/A/RES/99/8/votes", event=paragraph_id)
    assert other["vote_event"]["kind"] == "paragraph"
    assert {g["position"]: g["count"] for g in other["by_position"]}["abstain"] == 1
    r = await client.get(f"/v1/resolutions/{MYANMAR}/votes", params={"event": paragraph_id})
    assert r.status_code == 404 and "is not a vote on A/RES/75/287" in r.json()["detail"]


async def test_roll_as_csv(client: httpx.AsyncClient) -> None:
    for kwargs in ({"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}):
        r = await client.get(f"/v1/resolutions/{MYANMAR}/votes", **kwargs)  # type: ignore[arg-type]
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        assert "A-RES-75-287-votes.csv" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == 193
        assert Counter(row["position"] for row in rows) == {
            "yes": 119,
            "no": 1,
            "abstain": 36,
            "non_voting": 37,
        }
        blr = next(row for row in rows if row["code"] == "BLR")
        assert (blr["position"], blr["regional_groups"], blr["inferred"]) == (
            "no",
            "eastern-european",
            "false",
        )


# ---------------------------------------------------------------------------------- summary


async def test_summary_reads_correctly_from_the_seed(client: httpx.AsyncClient) -> None:
    body = await get_json(client, f"/v1/resolutions/{MYANMAR}/summary")
    Summary.model_validate(body)
    assert (
        body["sentence"]
        == "Adopted 119–1–36; Belarus against; China and Russia among 36 abstentions"
    )
    assert body["tally"] == {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193}
    assert body["outcome"]["computed"] == body["outcome"]["official"] == "adopted"
    assert body["outcome"]["majority_required"] == "simple" and "rule 86" in body["outcome"]["rule"]
    p5 = {v["code"]: v["position"] for v in body["notable"]["p5"]}
    assert p5 == {"CHN": "abstain", "FRA": "yes", "GBR": "yes", "RUS": "abstain", "USA": "yes"}
    assert [v["code"] for v in body["notable"]["lone_dissenters"]] == ["BLR"]
    assert body["links"]["draft"] == {
        "symbol": "A/75/L.85/Rev.1",
        "url": "https://undocs.org/A/75/L.85/Rev.1",
    }
    assert body["links"]["meeting_record"]["symbol"] == "A/75/PV.83"
    # The table by regional group agrees with the roll.
    roll = await get_json(client, f"/v1/resolutions/{MYANMAR}/votes")
    expected: dict[str, Counter[str]] = {}
    for g in roll["by_position"]:
        for v in g["votes"]:
            for slug in v["regional_groups"] or ["none"]:
                expected.setdefault(slug, Counter())[v["position"]] += 1
    table = {row["group"]: row for row in body["by_regional_group"]}
    assert set(table) == set(expected)
    for slug, counts in expected.items():
        row = table[slug]
        assert {p: row[p] for p in ("yes", "no", "abstain", "non_voting")} == {
            p: counts[p] for p in ("yes", "no", "abstain", "non_voting")
        }
        assert row["members"] == sum(counts.values())
    assert table["eastern-european"]["no"] == 1
    assert any("Türkiye" in note for note in body["notes"])


async def test_summary_of_other_seeded_votes(client: httpx.AsyncClient) -> None:
    china = await get_json(client, "/v1/resolutions/A/RES/2758 (XXVI)/summary")
    t = china["tally"]
    assert china["sentence"].startswith(f"Adopted {t['yes']}–{t['no']}–{t['abstain']}; ")
    assert "the United States" in china["sentence"]  # a permanent member among the noes
    assert "The source dates this vote to the month only." in china["notes"]
    jerusalem = await get_json(client, "/v1/resolutions/A/RES/ES-10/19/summary")
    assert any("official 128" in n for n in jerusalem["notes"])


async def test_summary_as_csv_is_the_group_table(client: httpx.AsyncClient) -> None:
    r = await client.get(f"/v1/resolutions/{MYANMAR}/summary", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["group"] for row in rows} >= {"african", "asia-pacific", "eastern-european", "weog"}
    assert next(row for row in rows if row["group"] == "eastern-european")["no"] == "1"


async def test_list_as_csv_streams_the_selection(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/v1/resolutions", limit=200)
    r = await client.get("/v1/resolutions", params={"format": "csv"})
    assert r.status_code == 200 and "content-length" not in r.headers  # streamed
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["symbol"] for row in rows] == [i["symbol"] for i in body["items"]]
    first = rows[0]
    assert (first["symbol"], first["yes"], first["no"], first["abstain"]) == (
        MYANMAR,
        "119",
        "1",
        "36",
    )
    r = await client.get("/v1/resolutions", params={"limit": 2}, headers={"Accept": "text/csv"})
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 2
