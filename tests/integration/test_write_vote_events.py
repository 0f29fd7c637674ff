"""Writes to vote events: whole rolls validated against membership, tallies recomputed in the
same transaction, corrections with If-Match, deletes kept in the audit log."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Vote, VoteEvent
from app.models.auth import AuditEntry
from tests.integration.test_write_helpers import (
    auth,
    codes_on,
    key_in,
    resolution_body,
    unique_symbol,
    vote_body,
)

pytestmark = pytest.mark.anyio


async def _resolution(client: httpx.AsyncClient, key: str) -> str:
    sym = unique_symbol()
    r = await client.post("/v1/resolutions", json=resolution_body(sym), headers=auth(key))
    assert r.status_code == 201, r.text
    return sym


async def _event(client: httpx.AsyncClient, key: str, **positions: str) -> dict[str, Any]:
    sym = await _resolution(client, key)
    codes = await codes_on_client(client)
    r = await client.post(
        "/v1/vote-events", json=vote_body(codes, sym, **positions), headers=auth(key)
    )
    assert r.status_code == 201, r.text
    return {"body": r.json(), "etag": r.headers["etag"], "symbol": sym, "codes": codes}


_CODES: list[str] = []


async def codes_on_client(client: httpx.AsyncClient) -> list[str]:
    assert _CODES, "call _codes(session) first"
    return _CODES


@pytest.fixture(autouse=True)
async def _codes(session: AsyncSession) -> None:
    if not _CODES:
        _CODES.extend(await codes_on(session))


async def test_post_whole_roll_recomputes_tally_and_outcome(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    assert len(_CODES) == 193
    made = await _event(client, key, BLR="no", CHN="abstain", RUS="abstain", DMA="non_voting")
    body = made["body"]
    assert body["tally"] == {"yes": 189, "no": 1, "abstain": 2, "non_voting": 1, "members": 193}
    assert body["computed_outcome"] == "adopted"
    assert body["resolution"] == made["symbol"] and body["session"] == "99"
    assert len(body["votes"]) == 193 and not any(v["inferred"] for v in body["votes"])
    dma = next(v for v in body["votes"] if v["country"] == "DMA")
    assert dma["position"] == "non_voting" and dma["non_voting_reason"] == "absent"
    ev = await session.get(VoteEvent, body["id"])
    assert ev is not None and ev.yes_count == 189
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.resource == "vote_event", AuditEntry.resource_id == str(body["id"])
        )
    )
    assert entry is not None and entry.action == "create" and entry.after_state == body


async def test_roll_errors_name_each_bad_row(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    sym = await _resolution(client, key)
    votes = vote_body(_CODES, sym)["votes"]
    votes = [v for v in votes if v["country"] != "FRA"]  # a member missing
    votes[1] = {**votes[0]}  # a duplicate
    votes[2] = {"country": "XQZ", "position": "yes"}  # unknown code
    votes.append({"country": "SUN", "position": "no"})  # not a member in 2025
    before = await session.scalar(select(func.count()).select_from(Vote))
    r = await client.post(
        "/v1/vote-events", json={**vote_body(_CODES, sym), "votes": votes}, headers=auth(key)
    )
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    by_loc = {tuple(e["loc"]): e["msg"] for e in errors}
    assert "appears twice" in by_loc[("body", "votes", "1", "country")]
    assert "unknown country code XQZ" in by_loc[("body", "votes", "2", "country")]
    assert "FRA" in by_loc[("body", "votes")]
    sun_index = str(len(votes) - 1)
    assert "not a UN member" in by_loc[("body", "votes", sun_index, "country")]
    assert await session.scalar(select(func.count()).select_from(Vote)) == before


async def test_vocabulary_and_unknown_fields_are_422(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    body = vote_body(_CODES[:3], None)
    body["votes"][0]["position"] = "maybe"
    body["votes"][1] = {"country": "FRA", "position": "yes", "non_voting_reason": "absent"}
    body["votes"][2]["weight"] = 2
    body["tally"] = {"yes": 999}
    body["kind"] = "whatever"
    r = await client.post("/v1/vote-events", json=body, headers=auth(key))
    assert r.status_code == 422
    locs = {tuple(e["loc"][:3]) for e in r.json()["errors"]}
    assert ("body", "votes", "0") in locs and ("body", "votes", "1") in locs
    assert ("body", "votes", "2") in locs and ("body", "tally") in locs
    assert ("body", "kind") in locs


async def test_outside_membership_when_allowed_is_flagged(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    body = vote_body(_CODES, None)
    body["votes"].append({"country": "SUN", "position": "no"})
    body["kind"] = "motion"
    r = await client.post(
        "/v1/vote-events?allow_outside_membership=true", json=body, headers=auth(key)
    )
    assert r.status_code == 201, r.text
    sun = next(v for v in r.json()["votes"] if v["country"] == "SUN")
    assert sun["outside_membership"] is True


async def test_second_main_vote_for_a_resolution_is_409(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    made = await _event(client, key)
    r = await client.post(
        "/v1/vote-events", json=vote_body(_CODES, made["symbol"]), headers=auth(key)
    )
    assert r.status_code == 409
    assert f"/v1/vote-events/{made['body']['id']}" in r.json()["detail"]
    ok = await client.post(
        "/v1/vote-events",
        json={**vote_body(_CODES, made["symbol"]), "is_main": False, "kind": "paragraph"},
        headers=auth(key),
    )
    assert ok.status_code == 201


async def test_patch_corrects_rows_with_if_match(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    made = await _event(client, key, BLR="no")
    url = f"/v1/vote-events/{made['body']['id']}"
    r = await client.patch(
        url,
        json={"votes": [{"country": "BLR", "position": "abstain"}], "important": True},
        headers={**auth(key), "If-Match": made["etag"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["tally"]["no"] == 0 and r.json()["tally"]["abstain"] == 1
    assert r.json()["important"] is True
    stale = await client.patch(
        url,
        json={"votes": [{"country": "BLR", "position": "no"}]},
        headers={**auth(key), "If-Match": made["etag"]},
    )
    assert stale.status_code == 412
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.resource_id == str(made["body"]["id"]), AuditEntry.action == "update"
        )
    )
    assert entry is not None and entry.before_state is not None and entry.after_state is not None
    assert entry.before_state["tally"]["no"] == 1 and entry.after_state["tally"]["no"] == 0
    # a date on which the roll is no longer complete or valid
    bad = await client.patch(url, json={"voted_on": "1950-06-01"}, headers=auth(key))
    assert bad.status_code == 422
    locs = {tuple(e["loc"]) for e in bad.json()["errors"]}
    assert ("body", "voted_on") in locs  # states that were not yet members
    assert ("body", "votes") in locs  # 1950 members missing from the roll (SUN, YUG …)


async def test_patch_a_seeded_roll(client: httpx.AsyncClient, session: AsyncSession) -> None:
    """A/RES/75/287 (119-1-36, 37 non-voting): correct one row of the seeded roll."""
    key = await key_in(session, "votes:write")
    ev_id = await session.scalar(
        select(VoteEvent.id).where(VoteEvent.yes_count == 119, VoteEvent.no_count == 1)
    )
    assert ev_id is not None
    r = await client.patch(
        f"/v1/vote-events/{ev_id}",
        json={"votes": [{"country": "BLR", "position": "abstain"}]},
        headers=auth(key),
    )
    assert r.status_code == 200, r.text
    t = r.json()["tally"]
    assert (t["yes"], t["no"], t["abstain"], t["non_voting"]) == (119, 0, 37, 37)
    assert "no: official 1, rows 0" in r.json()["totals_discrepancy"]
    assert r.json()["sources"], "the source identifiers are kept"


async def test_put_replaces_the_whole_roll(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    made = await _event(client, key)
    body = vote_body(_CODES, made["symbol"], **{c: "no" for c in _CODES[:100]})
    body["majority_required"] = "two_thirds"
    r = await client.put(
        f"/v1/vote-events/{made['body']['id']}",
        json=body,
        headers={**auth(key), "If-Match": made["etag"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["tally"]["no"] == 100 and r.json()["computed_outcome"] == "rejected"
    r = await client.put("/v1/vote-events/999999", json=body, headers=auth(key))
    assert r.status_code == 404


async def test_delete_keeps_the_roll_in_the_audit_log(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    made = await _event(client, key)
    ev_id = made["body"]["id"]
    r = await client.delete(
        f"/v1/vote-events/{ev_id}", headers={**auth(key), "If-Match": made["etag"]}
    )
    assert r.status_code == 204
    assert await session.get(VoteEvent, ev_id) is None
    assert (
        await session.scalar(
            select(func.count()).select_from(Vote).where(Vote.vote_event_id == ev_id)
        )
        == 0
    )
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.resource_id == str(ev_id), AuditEntry.action == "delete"
        )
    )
    assert entry is not None and entry.before_state == made["body"]


async def test_deleting_a_resolution_keeps_its_vote_events_in_the_audit_log(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    key = await key_in(session, "votes:write")
    made = await _event(client, key)
    r = await client.delete(f"/v1/resolutions/{made['symbol']}", headers=auth(key))
    assert r.status_code == 204
    assert await session.get(VoteEvent, made["body"]["id"]) is None
    entry = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.resource == "resolution",
            AuditEntry.resource_id == made["symbol"],
            AuditEntry.action == "delete",
        )
    )
    assert entry is not None and entry.before_state is not None
    assert entry.before_state["vote_events"] == [made["body"]]
