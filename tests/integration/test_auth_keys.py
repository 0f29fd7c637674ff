"""API keys: made once by the command line, stored only as a hash, read only from headers,
one 401 for every way a key can be wrong."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from app.auth import create_api_key, generate_key, hash_key, parse_key
from app.config import get_settings
from app.models.auth import ApiKey
from tests.dbutil import scratch_database, upgrade
from tests.integration.test_write_helpers import (
    auth,
    count_rows,
    keys_in,
    live_client,
    resolution_body,
    seed_small,
    unique_symbol,
)

pytestmark = pytest.mark.anyio


def test_key_format_and_parsing() -> None:
    new = generate_key()
    prefix, key_id, secret = new.key.split("_", 2)
    assert prefix == "unga" and key_id == new.key_id and len(key_id) == 8
    assert len(secret) >= 43
    assert parse_key(new.key) == new.key_id
    for bad in ("", "unga_short_x", "Bearer " + new.key, new.key.replace("unga_", "ungA_")):
        assert parse_key(bad) is None


def test_hashes_with_and_without_pepper() -> None:
    key = generate_key().key
    assert hash_key(key, None) == ("sha256", hashlib.sha256(key.encode()).hexdigest())
    scheme, digest = hash_key(key, "pepper")
    assert scheme == "hmac-sha256"
    assert digest == hmac.new(b"pepper", key.encode(), hashlib.sha256).hexdigest()
    # a peppered hash cannot be checked without the pepper
    assert hash_key(key, None, "hmac-sha256") == ("hmac-sha256", "")


async def test_key_table_holds_no_plaintext_key(session: AsyncSession) -> None:
    made = await session.run_sync(
        lambda s: [create_api_key(s, name="n", scopes=["admin"], pepper=p) for p in (None, "pep")]
    )
    rows = (await session.execute(text("SELECT * FROM api_keys"))).all()
    dump = " ".join(str(v) for row in rows for v in row)
    for row, key in made:
        secret = key.split("_", 2)[2]
        assert key not in dump and secret not in dump
        assert row.key_id in dump  # the public id is kept
        assert row.key_hash == hash_key(key, None if row.hash_scheme == "sha256" else "pep")[1]


async def test_every_kind_of_bad_key_gets_the_same_401(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    keys = await keys_in(session, "votes:write")
    body = resolution_body(unique_symbol())
    answers = []
    for headers in (
        {},
        auth(keys.bad),
        auth(keys.revoked),
        auth(keys.expired),
        auth(keys.scoped[:-1] + ("A" if keys.scoped[-1] != "A" else "B")),  # wrong secret
        {"Authorization": f"Basic {keys.scoped}"},
        {"Authorization": "Bearer not-a-key"},
        {"X-API-Key": keys.revoked},
        {**auth(keys.scoped), "X-API-Key": keys.unscoped},  # two different keys
    ):
        r = await client.post("/v1/resolutions", json=body, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["content-type"] == "application/problem+json"
        answers.append(r.json())
    assert all(a == answers[0] for a in answers)


async def test_key_in_query_string_is_never_read(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    keys = await keys_in(session, "votes:write")
    body = resolution_body(unique_symbol())
    for param in ("api_key", "key", "token", "access_token", "X-API-Key"):
        r = await client.post("/v1/resolutions", params={param: keys.scoped}, json=body)
        assert r.status_code == 401


async def test_bearer_and_x_api_key_both_work_and_last_use_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    keys = await keys_in(session, "votes:write")
    key_id = parse_key(keys.scoped)
    r = await client.post(
        "/v1/resolutions", json=resolution_body(unique_symbol()), headers={"X-API-Key": keys.scoped}
    )
    assert r.status_code == 201
    r = await client.post(
        "/v1/resolutions", json=resolution_body(unique_symbol()), headers=auth(keys.scoped)
    )
    assert r.status_code == 201
    row = (
        await session.execute(
            text("SELECT last_used_at FROM api_keys WHERE key_id = :k"), {"k": key_id}
        )
    ).one()
    assert row[0] is not None


async def test_key_without_the_scope_is_403(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    keys = await keys_in(session, "votes:write")
    r = await client.post(
        "/v1/resolutions", json=resolution_body(unique_symbol()), headers=auth(keys.unscoped)
    )
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert "votes:write" in r.json()["detail"]


async def test_cli_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli import cli

    with scratch_database(tmp_path) as url:
        upgrade(url)
        seed_small(url)
        monkeypatch.setenv("UNGA_DATABASE_URL", url)
        monkeypatch.setenv("UNGA_KEY_PEPPER", "a-server-side-secret")
        get_settings.cache_clear()
        try:
            runner = CliRunner()
            made = runner.invoke(
                cli, ["keys", "create", "--name", "newsroom", "--scope", "votes:write"]
            )
            assert made.exit_code == 0, made.output
            key = made.stdout.strip().splitlines()[-1]
            key_id = parse_key(key)
            assert key_id is not None
            bad = runner.invoke(cli, ["keys", "create", "--name", "x", "--scope", "root"])
            assert bad.exit_code != 0
            listed = runner.invoke(cli, ["keys", "list"])
            assert listed.exit_code == 0 and key_id in listed.stdout
            assert key.split("_", 2)[2] not in listed.stdout and "newsroom" in listed.stdout

            async with live_client(url) as (client, _app):
                r = await client.post(
                    "/v1/resolutions", json=resolution_body("A/RES/99/1"), headers=auth(key)
                )
                assert r.status_code == 201, r.text
                revoked = runner.invoke(cli, ["keys", "revoke", key_id])
                assert revoked.exit_code == 0
                r = await client.post(
                    "/v1/resolutions", json=resolution_body("A/RES/99/2"), headers=auth(key)
                )
                assert r.status_code == 401
            assert runner.invoke(cli, ["keys", "revoke", "nosuchid"]).exit_code == 1
            listed = runner.invoke(cli, ["keys", "list"])
            assert "newsroom" in listed.stdout
        finally:
            get_settings.cache_clear()
        assert count_rows(url, ApiKey) == 1
