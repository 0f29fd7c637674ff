"""``unga news ingest``: a feed from a file and from a server on 127.0.0.1 (run by the test),
stored once per URL with suggested links; other URL schemes refused."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import app.news_cli as news_cli
from app.cli import cli
from app.config import Settings
from app.db import make_sync_engine
from app.models import NewsCountryLink, NewsItem, NewsResolutionLink, Resolution
from app.models.auth import AuditEntry
from app.seed import load_seed
from tests.dbutil import scratch_database, upgrade

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Example Wire</title><language>en</language>
  <item>
    <title>Assembly calls for halt to arms flows into Myanmar</title>
    <link>https://wire.example.org/2021/06/19/myanmar</link>
    <description>The UN General Assembly adopted a resolution on Myanmar by 119 votes in favour,
    1 against (Belarus) and 36 abstentions, China and Russia among them.</description>
    <pubDate>Sat, 19 Jun 2021 10:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Local football results</title>
    <link>https://wire.example.org/2021/06/19/football</link>
    <description>The home side won 3-1.</description>
    <pubDate>Sat, 19 Jun 2021 18:00:00 GMT</pubDate>
  </item>
</channel></rss>"""


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with scratch_database(tmp_path) as url:
        upgrade(url)
        engine = make_sync_engine(url)
        with Session(engine) as s, s.begin():
            load_seed(s, Settings().seed_dir)
        engine.dispose()
        monkeypatch.setattr(news_cli, "get_settings", lambda: Settings(database_url=url))
        yield url


@pytest.fixture
def feed_server() -> Iterator[str]:
    body = FEED.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/feed.xml")
                self.end_headers()
                return
            if self.path != "/feed.xml":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _stored(url: str) -> dict[str, tuple[list[tuple[str, str]], list[str]]]:
    engine = make_sync_engine(url)
    out = {}
    try:
        with Session(engine) as s:
            for item in s.scalars(select(NewsItem).where(NewsItem.url.like("%wire.example%"))):
                links = s.execute(
                    select(Resolution.symbol, NewsResolutionLink.relation)
                    .join(Resolution, Resolution.id == NewsResolutionLink.resolution_id)
                    .where(NewsResolutionLink.news_item_id == item.id)
                ).all()
                countries = s.scalars(
                    select(NewsCountryLink.relation).where(NewsCountryLink.news_item_id == item.id)
                ).all()
                out[item.url] = ([(str(a), str(b)) for a, b in links], list(countries))
    finally:
        engine.dispose()
    return out


def _check_ingested(url: str) -> None:
    stored = _stored(url)
    assert set(stored) == {
        "https://wire.example.org/2021/06/19/myanmar",
        "https://wire.example.org/2021/06/19/football",
    }
    links, countries = stored["https://wire.example.org/2021/06/19/myanmar"]
    assert links == [("A/RES/75/287", "suggested")]
    assert len(countries) >= 4 and set(countries) == {"suggested"}
    assert stored["https://wire.example.org/2021/06/19/football"] == ([], [])
    engine = make_sync_engine(url)
    with Session(engine) as s:
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.resource == "news_item")))
        outlets = set(s.scalars(select(NewsItem.outlet).where(NewsItem.url.like("%wire%"))))
    engine.dispose()
    assert actors == {"command line"} and outlets == {"Example Wire"}


def test_ingest_a_feed_file_once(database: str, tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["news", "ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    _check_ingested(database)
    again = runner.invoke(cli, ["news", "ingest", str(path)])
    assert again.exit_code == 0, again.output
    assert "0 added, 2 already stored" in again.output
    assert len(_stored(database)) == 2


def test_ingest_a_feed_served_on_localhost(database: str, feed_server: str) -> None:
    result = CliRunner().invoke(cli, ["news", "ingest", f"{feed_server}/moved"])
    assert result.exit_code == 0, result.output
    _check_ingested(database)


@pytest.mark.parametrize(
    "source", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/1"]
)
def test_ingest_refuses_other_schemes(database: str, source: str) -> None:
    result = CliRunner().invoke(cli, ["news", "ingest", source])
    assert result.exit_code == 2
    assert "http" in result.output
    assert _stored(database) == {}


def test_ingest_reports_a_missing_feed_and_a_size_cap(
    database: str, feed_server: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["news", "ingest", f"{feed_server}/nope.xml"])
    assert result.exit_code == 2 and "404" in result.output
    result = CliRunner().invoke(
        cli, ["news", "ingest", f"{feed_server}/feed.xml", "--max-bytes", "100"]
    )
    assert result.exit_code == 2 and "larger" in result.output
    assert _stored(database) == {}


def test_suggest_command(database: str, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(
        "The General Assembly adopted a resolution on Myanmar: 119 in favour, 1 against, "
        "36 abstentions.",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["news", "suggest", str(path), "--title", "Myanmar vote", "--published", "2021-06-19"]
    )
    assert result.exit_code == 0, result.output
    assert '"symbol": "A/RES/75/287"' in result.output
