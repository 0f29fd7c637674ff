"""Real commits on a scratch database: two editors with the same If-Match (one wins, one gets
412, on SQLite and PostgreSQL), a failed write leaves nothing behind, and on SQLite 4 writer
threads × 100 writes with readers give no "database is locked" and lose no acknowledged write."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_sync_engine
from app.main import create_app
from app.models import GASession, Resolution, Vote, VoteEvent
from app.models.auth import AuditEntry
from app.services.dataset import current_version
from tests.dbutil import on_postgres, scratch_database, upgrade
from tests.integration.test_write_helpers import (
    auth,
    live_client,
    resolution_body,
    scratch_keys,
    seed_small,
    small_vote,
)

pytestmark = pytest.mark.anyio


def _state(url: str) -> dict[str, Any]:
    """Everything a write could touch, to compare before and after."""
    engine = make_sync_engine(url)
    with Session(engine) as s:
        out: dict[str, Any] = {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Resolution, VoteEvent, Vote, GASession, AuditEntry)
        }
        out["version"] = current_version(s)
        out["resolutions"] = s.execute(
            select(Resolution.symbol, Resolution.title, Resolution.description).order_by(
                Resolution.id
            )
        ).all()
        out["votes"] = s.execute(
            select(Vote.vote_event_id, Vote.country_id, Vote.position).order_by(
                Vote.vote_event_id, Vote.country_id
            )
        ).all()
    engine.dispose()
    return out


async def test_two_editors_same_if_match_exactly_one_wins(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        upgrade(url)
        seed_small(url)
        (key,) = scratch_keys(url, ["votes:write"])
        async with live_client(url) as (client, _app):
            r = await client.post(
                "/v1/resolutions", json=resolution_body("A/RES/99/1"), headers=auth(key)
            )
            assert r.status_code == 201, r.text
            r = await client.post(
                "/v1/vote-events", json=small_vote("A/RES/99/1", AAA="no"), headers=auth(key)
            )
            assert r.status_code == 201, r.text
            ev, etag = r.json()["id"], r.headers["etag"]
            for round_no in range(5):
                bodies = [
                    small_vote("A/RES/99/1", AAA="abstain", BBB=("no" if round_no % 2 else "yes")),
                    small_vote("A/RES/99/1", CCC="no", DDD="abstain"),
                ]
                # Each body differs from whatever is stored (a no-op PUT keeps the ETag and
                # rightly succeeds).
                for tag, body in zip("ab", bodies, strict=True):
                    for row in body["votes"]:
                        row["name_in_source"] = f"round {round_no}{tag}"
                answers = await asyncio.gather(
                    *(
                        client.put(
                            f"/v1/vote-events/{ev}",
                            json=body,
                            headers={**auth(key), "If-Match": etag},
                        )
                        for body in bodies
                    )
                )
                codes = sorted(a.status_code for a in answers)
                assert codes == [200, 412], [a.text for a in answers]
                winner = next(a for a in answers if a.status_code == 200)
                loser = next(a for a in answers if a.status_code == 412)
                assert loser.headers["content-type"] == "application/problem+json"
                etag = winner.headers["etag"]
                # the winner's roll is what is stored
                stored = await client.patch(f"/v1/vote-events/{ev}", json={}, headers=auth(key))
                assert stored.json()["votes"] == winner.json()["votes"]
                assert stored.headers["etag"] == etag
        engine = make_sync_engine(url)
        with Session(engine) as s:
            replaces = s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.resource == "vote_event", AuditEntry.action == "replace")
            )
        engine.dispose()
        assert replaces == 5


async def test_a_failed_write_leaves_the_database_and_audit_log_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scratch_database(tmp_path) as url:
        upgrade(url)
        seed_small(url)
        (key,) = scratch_keys(url, ["votes:write"])
        async with live_client(url) as (client, _app):
            r = await client.post(
                "/v1/resolutions", json=resolution_body("A/RES/99/1"), headers=auth(key)
            )
            ev = await client.post(
                "/v1/vote-events", json=small_vote("A/RES/99/1"), headers=auth(key)
            )
            assert r.status_code == 201 and ev.status_code == 201
            ev_id = ev.json()["id"]
            before = _state(url)
            failures = [
                # validation: a roll with a member missing and an unknown code
                client.post(
                    "/v1/vote-events",
                    json={
                        **small_vote(None),
                        "votes": [
                            {"country": "AAA", "position": "yes"},
                            {"country": "QQQ", "position": "no"},
                        ],
                    },
                    headers=auth(key),
                ),
                # constraint: the natural key exists
                client.post(
                    "/v1/resolutions", json=resolution_body("A/RES/99/1"), headers=auth(key)
                ),
                # stale precondition
                client.patch(
                    f"/v1/vote-events/{ev_id}",
                    json={"votes": [{"country": "AAA", "position": "no"}]},
                    headers={**auth(key), "If-Match": '"stale"'},
                ),
                client.delete("/v1/resolutions/A/RES/99/77", headers=auth(key)),
                client.patch("/v1/resolutions/A/RES/99/1", json={"title": None}, headers=auth(key)),
            ]
            codes = [(await f).status_code for f in failures]
            assert codes == [422, 409, 412, 404, 422]
            assert _state(url) == before

            # A failure after the change was flushed (here: recording the audit entry) rolls
            # back the change too: a new session row, the resolution and the vote rows.
            from app.services import writes_audit

            async def broken(*args: Any, **kwargs: Any) -> None:
                raise RuntimeError("disk full")

            monkeypatch.setattr("app.services.writes.record_write", broken)
            assert writes_audit.record_write is not broken
            r = await client.post(
                "/v1/resolutions", json=resolution_body("A/RES/95/1"), headers=auth(key)
            )
            assert r.status_code == 500
            r = await client.put(
                f"/v1/vote-events/{ev_id}", json=small_vote(None, AAA="no"), headers=auth(key)
            )
            assert r.status_code == 500
            assert _state(url) == before


def _lock_is_free(url: str, event_id: int) -> bool:
    """Can another connection take the write lock (SQLite) or the event's row lock (PostgreSQL)
    right now, without waiting?"""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    engine = make_sync_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA busy_timeout=200")
                conn.commit()
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    conn.execute(text("SELECT 1"))
            else:
                with conn.begin():
                    conn.execute(
                        text("SELECT id FROM vote_events WHERE id = :i FOR UPDATE NOWAIT"),
                        {"i": event_id},
                    )
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


async def test_a_refused_or_failed_write_releases_its_locks_at_once(tmp_path: Path) -> None:
    """401, 403, 412, 422 and 500 all end the transaction before the response: the next
    writer never waits for a failed one."""
    with scratch_database(tmp_path) as url:
        upgrade(url)
        seed_small(url)
        key, news_only = scratch_keys(url, ["votes:write"], ["news:write"])
        async with live_client(url) as (client, _app):
            r = await client.post("/v1/vote-events", json=small_vote(None), headers=auth(key))
            assert r.status_code == 201, r.text
            ev_id = r.json()["id"]
            url_ev = f"/v1/vote-events/{ev_id}"
            attempts = [
                ("bad key", {"json": small_vote(None)}, auth("unga_zzzzzzzz_" + "x" * 43), 401),
                ("no scope", {"json": small_vote(None)}, auth(news_only), 403),
                ("stale", {"json": small_vote(None)}, {**auth(key), "If-Match": '"x"'}, 412),
                ("invalid", {"json": small_vote(None, ("AAA",))}, auth(key), 422),
            ]
            for name, kwargs, headers, status in attempts:
                r = await client.put(url_ev, headers=headers, **kwargs)
                assert r.status_code == status, (name, r.text)
                assert _lock_is_free(url, ev_id), f"{name}: the lock is still held"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(on_postgres(), reason="the SQLite locking test")
def test_sqlite_writers_and_readers_never_see_database_is_locked(tmp_path: Path) -> None:
    writers, writes_each, max_seconds = 4, 100, 10.0
    with scratch_database(tmp_path) as url:
        upgrade(url)
        seed_small(url)
        (key,) = scratch_keys(url, ["votes:write"])
        app = create_app(Settings(database_url=url, rate_limit_reads=0, rate_limit_writes=0))
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        base = f"http://127.0.0.1:{port}"
        problems: list[str] = []
        acked: dict[str, str] = {}  # symbol -> last acknowledged description
        done = threading.Event()
        lock = threading.Lock()

        def writer(n: int) -> None:
            with httpx.Client(base_url=base, headers=auth(key), timeout=30) as c:
                mine = f"A/RES/98/{n + 1}"
                r = c.put(f"/v1/resolutions/{mine}", json=resolution_body(mine))
                if r.status_code not in (200, 201):
                    problems.append(f"{r.status_code} {r.text}")
                for i in range(writes_each - 1):
                    if i % 3 == 0:  # a new record
                        sym = f"A/RES/97/{n * 1000 + i + 1}"
                        r = c.post("/v1/resolutions", json=resolution_body(sym, description="new"))
                        ok, target, value = r.status_code == 201, sym, "new"
                    else:  # a correction of the thread's own record
                        value = f"rev {i}"
                        r = c.patch(f"/v1/resolutions/{mine}", json={"description": value})
                        ok, target = r.status_code == 200, mine
                    if not ok:
                        problems.append(f"{r.status_code} {r.text}")
                        continue
                    with lock:
                        acked[target] = value

        reads = [0]

        def http_reader(paths: tuple[str, ...]) -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                while not done.is_set():
                    for path in paths:
                        r = c.get(path)
                        reads[0] += 1
                        if r.status_code >= 500 or "locked" in r.text:
                            problems.append(f"GET {path}: {r.status_code} {r.text}")
                    time.sleep(0.01)

        def sql_reader() -> None:
            """A reader on its own connection (another client of the same file)."""
            engine = make_sync_engine(url)
            try:
                while not done.is_set():
                    with Session(engine) as s:
                        s.scalar(select(func.count()).select_from(Resolution))
                        s.execute(select(Resolution.symbol, Resolution.description).limit(50)).all()
                        reads[0] += 1
                    time.sleep(0.01)
            except Exception as exc:  # any error is a failure here
                problems.append(f"reader: {exc!r}")
            finally:
                engine.dispose()

        started = time.monotonic()
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        readers = [
            threading.Thread(target=http_reader, args=(("/readyz", "/v1/meta"),)),
            threading.Thread(target=http_reader, args=(("/v1/resolutions/A/RES/98/1",),)),
            threading.Thread(target=sql_reader),
        ]
        try:
            for t in (*threads, *readers):
                t.start()
            for t in threads:
                t.join(timeout=60)
            elapsed = time.monotonic() - started
            # readers go on for max_seconds in all
            done.wait(max(0.0, max_seconds - elapsed))
        finally:
            done.set()
            for t in readers:
                t.join(timeout=10)
            server.should_exit = True
            thread.join(timeout=10)

        assert not problems, problems[:5]
        assert len(acked) == writers + (writes_each - 1 + 2) // 3 * writers
        assert not any(t.is_alive() for t in threads), "writers did not finish"
        assert reads[0] > 100, reads
        engine = make_sync_engine(url)
        with Session(engine) as s:
            stored = dict(
                s.execute(
                    select(Resolution.symbol, Resolution.description).where(
                        Resolution.symbol.in_(list(acked))
                    )
                ).all()
            )
            audited = s.scalar(select(func.count()).select_from(AuditEntry))
        engine.dispose()
        assert stored == acked
        assert audited == writers * writes_each
