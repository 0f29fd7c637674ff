"""POST /v1/imports: a UN Digital Library CSV through the all-or-nothing importer."""

from __future__ import annotations

import gzip

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Resolution, Vote, VoteEvent
from app.models.auth import AuditEntry
from app.services.dataset import current_version
from tests.integration.test_write_helpers import ClientMaker, auth, key_in
from tests.integration.test_write_helpers import make_client as make_client  # fixture

pytestmark = pytest.mark.anyio

HEADER = (
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link\n"
)


def undl_csv(
    rows: list[tuple[str, str]], *, record: str = "99999901", symbol: str = "A/RES/79/901"
) -> bytes:
    lines = [HEADER]
    for code, vote in rows:
        lines.append(
            f"{record},{code},{code} NAME,{vote},2024-12-10,79,{symbol},A/79/L.901,,A/79/PV.60,"
            f"Test import resolution,,,,,,,,,https://digitallibrary.un.org/record/{record}\n"
        )
    return "".join(lines).encode()


GOOD = undl_csv([("AFG", "Y"), ("ALB", "N"), ("DZA", "A"), ("AND", "X")])
CSV = {"Content-Type": "text/csv"}


async def _counts(session: AsyncSession) -> tuple[int, ...]:
    out = []
    for model in (Resolution, VoteEvent, Vote, AuditEntry):
        out.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    out.append(await session.run_sync(current_version))
    return tuple(out)


async def test_import_applies_the_file_and_reports(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "import")
    before = await _counts(session)
    dry = await client.post("/v1/imports?dry_run=true", content=GOOD, headers={**CSV, **auth(key)})
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True and dry.json()["report"]["added"] == 1
    assert await _counts(session) == before
    r = await client.post(
        "/v1/imports?name=votes-2024.csv", content=GOOD, headers={**CSV, **auth(key)}
    )
    assert r.status_code == 200, r.text
    report = r.json()["report"]
    assert report["added"] == 1 and report["files"] == ["votes-2024.csv"]
    assert report["rows"] == 4 and "votes-2024.csv" in report["summary"]
    ev = await session.scalar(
        select(VoteEvent).join(Resolution).where(Resolution.symbol == "A/RES/79/901")
    )
    assert ev is not None and (ev.yes_count, ev.no_count, ev.abstain_count) == (1, 1, 1)
    assert ev.members_count == 193  # the rest of the roll inferred from membership
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.resource == "import"))
    assert entry is not None and entry.action == "import" and entry.after_state is not None
    assert entry.after_state["added"] == 1
    assert await session.run_sync(current_version) == before[-1] + 1
    again = await client.post(
        "/v1/imports?name=votes-2024.csv", content=GOOD, headers={**CSV, **auth(key)}
    )
    assert again.status_code == 200 and again.json()["report"]["skipped"] is True


async def test_gzip_upload(client: httpx.AsyncClient, session: AsyncSession) -> None:
    key = await key_in(session, "import")
    body = gzip.compress(undl_csv([("AFG", "Y")], record="99999902", symbol="A/RES/79/902"))
    r = await client.post(
        "/v1/imports", content=body, headers={"Content-Type": "application/gzip", **auth(key)}
    )
    assert r.status_code == 200, r.text
    assert r.json()["report"]["added"] == 1


async def test_bad_rows_are_all_reported_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "import")
    before = await _counts(session)
    body = undl_csv([("AFG", "Y"), ("XQZ", "Y"), ("ALB", "maybe"), ("AFG", "N")])
    r = await client.post("/v1/imports", content=body, headers={**CSV, **auth(key)})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert problem["bad_row_count"] >= 3 and "nothing was imported" in problem["detail"]
    lines = {row["line"] for row in problem["bad_rows"]}
    assert {3, 4, 5} <= lines
    assert all(e["loc"][0] == "body" for e in problem["errors"])
    assert await _counts(session) == before


async def test_upload_over_the_cap_is_413(make_client: ClientMaker, session: AsyncSession) -> None:
    key = await key_in(session, "import")
    async with make_client(max_import_bytes=200) as client:
        r = await client.post("/v1/imports", content=GOOD, headers={**CSV, **auth(key)})
        assert r.status_code == 413
        assert r.headers["content-type"] == "application/problem+json"

        async def stream():  # no Content-Length: counted while it arrives
            yield GOOD[:150]
            yield GOOD[150:]

        r = await client.post("/v1/imports", content=stream(), headers={**CSV, **auth(key)})
        assert r.status_code == 413
        # a small gzip that inflates past the cap
        bomb = gzip.compress(b"x" * 10_000)
        r = await client.post("/v1/imports", content=bomb, headers={**CSV, **auth(key)})
        assert r.status_code == 413
