"""Link suggestion on the real articles, read where they lie (``news/`` in the shared data):
the Moscow Times article on the seeded database, and the labelled corpus ``dev.jsonl`` on the
full 1946-2021 record imported into a scratch database (slow)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_engine, make_sessionmaker, make_sync_engine
from app.importers.runner import all_jobs, run_import
from app.seed import load_seed
from app.services.news import article_of, suggest_links
from tests.dbutil import scratch_database, upgrade

pytestmark = pytest.mark.anyio

MOSCOW_TIMES = "moscow-times-2021-06-myanmar-junta-chief-visit.txt"
LABEL_CODES = {"SUN": "RUS"}  # the corpus files the USSR under RUS, as the vote data does


def _news(shared_data: Path) -> Path:
    path = shared_data / "news"
    if not (path / "dev.jsonl").is_file():
        pytest.skip(f"no news corpus at {path}")
    return path


async def test_moscow_times_on_the_seed(client: httpx.AsyncClient, shared_data: Path) -> None:
    text = (_news(shared_data) / MOSCOW_TIMES).read_text(encoding="utf-8")
    r = await client.post(
        "/v1/news/suggest-links", json={"text": text, "published_on": "2021-06-22"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["resolutions"][0]["symbol"] == "A/RES/75/287"
    assert {"MMR", "RUS", "BLR", "CHN"} <= {c["code"] for c in body["countries"]}


@pytest.fixture(scope="module")
def full_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings()
    if not (settings.data_dir / "unga" / "roll_calls.csv.gz").is_file():
        pytest.skip("the shared vote data is not there")
    with scratch_database(tmp_path_factory.mktemp("full")) as url:
        upgrade(url)
        engine = make_sync_engine(url)
        with Session(engine) as s, s.begin():
            load_seed(s, settings.seed_dir)
        engine.dispose()
        for job in all_jobs(settings.data_dir):
            run_import(url, job)
        yield url


@pytest.fixture
async def full_session(full_record: str) -> AsyncIterator[AsyncSession]:
    engine = make_engine(full_record)
    try:
        async with make_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def _suggest(session: AsyncSession, item: dict[str, Any]) -> tuple[list[str], Any]:
    article = article_of(item.get("title") or "", item["text"], item.get("published_on"))
    found, _ = await suggest_links(session, article, seed_dir=Settings().seed_dir)
    return [s.symbol or s.draft_symbol or "" for s in found.resolutions], found.countries


@pytest.mark.slow
async def test_dev_corpus_on_the_full_record(full_session: AsyncSession, shared_data: Path) -> None:
    lines = (_news(shared_data) / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    top = top_n = empty = empty_n = tp = fn = fp = 0
    misses = []
    for item in items:
        symbols, countries = await _suggest(full_session, item)
        truth = item["resolutions"][0] if item["resolutions"] else None
        if truth is None:
            empty_n += 1
            empty += not symbols
        else:
            top_n += 1
            top += bool(symbols) and symbols[0] == truth
        if (truth is None and symbols) or (truth and (not symbols or symbols[0] != truth)):
            misses.append((item["id"], truth, symbols))
        named = set(item["countries"])
        allowed = named | set(item.get("countries_indirect") or [])
        found = {LABEL_CODES.get(c.code, c.code) for c in countries}
        direct = {LABEL_CODES.get(c.code, c.code) for c in countries if c.direct}
        tp += len(named & found)
        fn += len(named - found)
        fp += len(direct - allowed)
    assert top / top_n >= 0.9, misses
    assert empty / empty_n >= 0.8, misses
    assert tp / (tp + fn) >= 0.95
    assert tp / (tp + fp) >= 0.9


@pytest.mark.slow
async def test_moscow_times_on_the_full_record(
    full_session: AsyncSession, shared_data: Path
) -> None:
    text = (_news(shared_data) / MOSCOW_TIMES).read_text(encoding="utf-8")
    symbols, countries = await _suggest(full_session, {"text": text, "published_on": "2021-06-22"})
    assert symbols[:1] == ["A/RES/75/287"]
    assert {"MMR", "RUS", "BLR", "CHN"} <= {c.code for c in countries}


@pytest.mark.slow
async def test_full_record_is_searchable(full_session: AsyncSession) -> None:
    from sqlalchemy import func, select, text

    from app.models import Resolution
    from app.queries.search import search

    hits, total = await search(full_session, "Myanmar", kind="resolution", limit=50, offset=0)
    assert total >= 5
    symbols = set(
        await full_session.scalars(
            select(Resolution.symbol).where(Resolution.id.in_([h.id for h in hits]))
        )
    )
    assert "A/RES/75/287" in symbols
    resolutions = (await full_session.execute(select(func.count(Resolution.id)))).scalar_one()
    if full_session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
        sql = "SELECT count(*) FROM fts_search WHERE rowid % 2 = 0"
    else:
        sql = "SELECT count(*) FROM search_documents WHERE kind = 'r'"
    indexed = (await full_session.execute(text(sql))).scalar_one()
    assert resolutions > 4000 and indexed == resolutions
