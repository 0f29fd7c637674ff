"""The read API on the full imported record (1946-2022: the seed, then every shared source
through the importer), on SQLite or PostgreSQL like the rest of the suite."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_sync_engine
from app.importers.progress import LogProgress
from app.importers.runner import all_jobs, run_import
from app.main import create_app
from app.models import Country, Resolution, Vote, VoteEvent
from app.schemas.common import Page
from app.schemas.countries import CountryVotesPage
from app.schemas.resolutions import ResolutionOut, Summary
from app.schemas.vote_events import Roll, VoteEventOut
from app.seed import load_seed
from tests.dbutil import scratch_database, upgrade

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture(scope="module")
def full_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = Settings().data_dir
    if not (data_dir / "unga" / "votes.csv.gz").exists():
        pytest.skip(f"shared data not found at {data_dir}")
    with scratch_database(tmp_path_factory.mktemp("full")) as url:
        upgrade(url)
        engine = make_sync_engine(url)
        with Session(engine) as session, session.begin():
            load_seed(session, Settings().seed_dir)
        engine.dispose()
        quiet = LogProgress(io.StringIO())
        for job in all_jobs(data_dir):
            run_import(url, job, dry_run=False, force=False, progress=quiet)
        yield url


@pytest.fixture(scope="module")
def db(full_url: str) -> Iterator[Engine]:
    engine = make_sync_engine(full_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def api(full_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = create_app(Settings(database_url=full_url, rate_limit_reads=0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c, app


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    r = await client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def scalar(db: Engine, stmt: Any) -> Any:
    with Session(db) as s:
        return s.execute(stmt).scalar_one()


async def test_lists_cover_the_whole_record(api: tuple[httpx.AsyncClient, Any], db: Engine) -> None:
    client, _ = api
    body = await get_json(client, "/v1/resolutions", limit=200)
    Page[ResolutionOut].model_validate(body)
    assert body["total"] == scalar(db, select(func.count(Resolution.id))) > 4000
    events = await get_json(client, "/v1/vote-events", limit=200, sort="margin")
    Page[VoteEventOut].model_validate(events)
    assert events["total"] == scalar(db, select(func.count(VoteEvent.id))) > 6000
    margins = [abs(i["margin"]) for i in events["items"] if i["margin"] is not None]
    assert margins == sorted(margins)
    usa_no = scalar(
        db,
        select(func.count(VoteEvent.id)).where(
            VoteEvent.id.in_(
                select(Vote.vote_event_id)
                .join(Country)
                .where(Country.code == "USA", Vote.position == "no")
            )
        ),
    )
    assert (await get_json(client, "/v1/vote-events", country="USA", position="no"))[
        "total"
    ] == usa_no
    # Votes before the record's dates were precise: month precision, the 1946 session.
    early = await get_json(client, "/v1/vote-events", to="1946-12-31", sort="date")
    assert early["total"] > 0 and early["items"][0]["date"].startswith("1946")


async def test_myanmar_still_reads_correctly_after_the_import(
    api: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _ = api
    summary = await get_json(client, "/v1/resolutions/A/RES/75/287/summary")
    Summary.model_validate(summary)
    assert (
        summary["sentence"]
        == "Adopted 119–1–36; Belarus against; China and Russia among 36 abstentions"
    )
    roll = await get_json(client, "/v1/resolutions/75/287/votes")
    Roll.model_validate(roll)
    assert {g["position"]: g["count"] for g in roll["by_position"]} == {
        "yes": 119,
        "no": 1,
        "abstain": 36,
        "non_voting": 37,
    }
    sources = {s["source"] for s in roll["vote_event"]["sources"]}
    assert "undl" in sources


async def test_rolls_of_old_votes_match_their_tallies(
    api: tuple[httpx.AsyncClient, Any], db: Engine
) -> None:
    client, _ = api
    with Session(db) as s:
        ids = s.scalars(select(VoteEvent.id).order_by(VoteEvent.voted_on).limit(3)).all()
        ids += s.scalars(select(VoteEvent.id).order_by(VoteEvent.id.desc()).limit(2)).all()
    for event_id in ids:
        roll = await get_json(client, f"/v1/vote-events/{event_id}/votes")
        tally = roll["vote_event"]["tally"]
        counts = {g["position"]: g["count"] for g in roll["by_position"]}
        assert counts == {p: tally[p] for p in counts} and roll["total"] == tally["members"]
        r = await client.get(f"/v1/vote-events/{event_id}/votes", params={"format": "csv"})
        assert len(list(csv.DictReader(io.StringIO(r.text)))) == tally["members"]


async def test_a_whole_country_history(api: tuple[httpx.AsyncClient, Any], db: Engine) -> None:
    client, _ = api
    with Session(db) as s:
        rows = s.execute(
            select(Vote.position, func.count())
            .join(Country)
            .where(Country.code == "USA")
            .group_by(Vote.position)
        ).all()
    expected = Counter(dict(rows))
    total = sum(expected.values())
    assert total > 6000
    first = await get_json(client, "/v1/countries/United States/votes")
    CountryVotesPage.model_validate(first)
    assert first["total"] == total and len(first["items"]) == 1000
    assert {p: first["summary"][p]["count"] for p in expected} == dict(expected)
    r = await client.get("/v1/countries/USA/votes", params={"format": "csv"})
    assert r.status_code == 200 and "content-length" not in r.headers
    rows_csv = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows_csv) == total
    assert Counter(row["position"] for row in rows_csv) == expected
    assert [int(row["vote_event_id"]) for row in rows_csv[:1000]] == [
        i["vote_event_id"] for i in first["items"]
    ]
    second = await get_json(client, "/v1/countries/USA/votes", offset=1000)
    assert second["items"][0]["vote_event_id"] == int(rows_csv[1000]["vote_event_id"])


async def test_query_counts_do_not_grow_with_the_data(
    api: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = api
    statements: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for url, bound in (
            ("/v1/resolutions?limit=200&country=USA&position=no", 4),
            ("/v1/vote-events?limit=200", 3),
            ("/v1/countries?limit=200", 6),  # + the grouped count of linked news
            ("/v1/countries/USA/votes", 4),
            ("/v1/resolutions/A/RES/75/287/summary", 7),
        ):
            before = len(statements)
            assert (await client.get(url)).status_code == 200
            assert len(statements) - before <= bound, statements[before:]
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_meta_says_when_the_data_was_refreshed(
    api: tuple[httpx.AsyncClient, Any], db: Engine
) -> None:
    """After an import, /v1/meta gives the data's "as of" time (the last import that changed
    anything) and the newest vote held; the seed alone leaves "as of" empty."""
    client, _ = api
    meta = await get_json(client, "/v1/meta")
    state = meta["dataset"]
    assert state["data_as_of"] is not None
    newest = scalar(db, select(func.max(VoteEvent.voted_on)))
    assert state["latest_vote_on"] == newest.isoformat()
    slugs = {s["slug"]: s for s in meta["sources"]}
    assert slugs["unvotes"]["imported_at"] is not None
