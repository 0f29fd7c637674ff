"""Run the test suite against a throwaway PostgreSQL database, then drop it.

The server is UNGA_TEST_PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
Where no server answers, the run is skipped with a message, except under CI=true, where it fails:
CI must test PostgreSQL (.ci/run starts a throwaway server when none answers).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get(
    "UNGA_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def main(argv: list[str]) -> int:
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        msg = f"PostgreSQL not reachable at {ADMIN_URL}: {exc}".strip()
        if in_ci:
            print(f"FAIL: {msg} (CI=true requires the PostgreSQL run)", file=sys.stderr)
            return 1
        print(f"SKIPPED the PostgreSQL run: {msg}", file=sys.stderr)
        return 0
    name = f"unga_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    info = admin.info
    url = f"postgresql+asyncpg://{info.user}@{info.host}:{info.port}/{name}"
    if info.password:
        url = f"postgresql+asyncpg://{info.user}:{info.password}@{info.host}:{info.port}/{name}"
    print(f"== PostgreSQL run on database {name} ({info.host}:{info.port})", flush=True)
    try:
        env = dict(os.environ, TEST_DATABASE_URL=url)
        return subprocess.call([sys.executable, "-m", "pytest", *argv], env=env)
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
