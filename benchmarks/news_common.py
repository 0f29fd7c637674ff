"""Shared by the news benchmarks: a database holding the full record, and the labelled articles.

The articles are read where they lie (``UNGA_DATA_DIR``/news, default ``../shared/data/news``);
their texts are never copied into the project.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db import make_sync_engine  # noqa: E402


def news_dir(settings: Settings) -> Path:
    return settings.data_dir / "news"


def dev_items(settings: Settings) -> list[dict[str, Any]]:
    path = news_dir(settings) / "dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def moscow_times(settings: Settings) -> str:
    return (news_dir(settings) / "moscow-times-2021-06-myanmar-junta-chief-visit.txt").read_text(
        encoding="utf-8"
    )


def build_full_record(url: str, settings: Settings) -> float:
    """Migrate, seed and import the whole shared record into ``url``; seconds taken."""
    from alembic import command

    from app.importers.runner import all_jobs, run_import
    from app.migrations_state import alembic_config
    from app.seed import load_seed

    started = time.perf_counter()
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")
    engine = make_sync_engine(url)
    try:
        with Session(engine) as session, session.begin():
            load_seed(session, settings.seed_dir)
    finally:
        engine.dispose()
    for job in all_jobs(settings.data_dir):
        run_import(url, job)
    return time.perf_counter() - started


@contextmanager
def full_record_database(path: str | None, settings: Settings) -> Iterator[str]:
    """The database to benchmark on: the SQLite file or URL given (reused as it is), else a
    scratch SQLite file with the full record imported (deleted afterwards)."""
    if path:
        yield path if "://" in path else f"sqlite+aiosqlite:///{Path(path).resolve()}"
        return
    with tempfile.TemporaryDirectory(prefix="unga-news-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/full.db"
        seconds = build_full_record(url, settings)
        print(f"imported the full record into a scratch database in {seconds:.1f} s", flush=True)
        yield url
