"""Feeds: parsing RSS and Atom, the http(s)-only rule, the size cap and redirects (no network:
httpx's MockTransport stands in for servers)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from app.news.feeds import FeedError, check_url, fetch, is_url, parse_feed, plain_text, read_source

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Example Wire</title><language>en-gb</language>
  <item>
    <title>Assembly votes on &lt;b&gt;arms&lt;/b&gt;</title>
    <link>https://wire.example.org/1</link>
    <description>&lt;p&gt;The General Assembly voted &amp;amp; adopted a text.&lt;/p&gt;
    </description>
    <pubDate>Sat, 19 Jun 2021 10:00:00 GMT</pubDate>
  </item>
  <item><title>No link</title></item>
  <item><title>Bad link</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Exemple</title>
  <entry>
    <title>Vote</title>
    <link href="http://exemple.org/vote"/>
    <updated>2021-06-18T20:00:00Z</updated>
    <summary>Court.</summary>
    <content type="html">&lt;p&gt;Un texte plus long sur le vote.&lt;/p&gt;</content>
  </entry>
</feed>"""


def test_rss() -> None:
    feed = parse_feed(RSS)
    assert feed.title == "Example Wire" and feed.language == "en"
    assert len(feed.items) == 1  # entries without an http(s) link are left out
    item = feed.items[0]
    assert item.url == "https://wire.example.org/1"
    assert item.title == "Assembly votes on arms"
    assert item.summary == "The General Assembly voted & adopted a text."
    assert item.published_at == datetime(2021, 6, 19, 10, tzinfo=UTC)
    assert item.outlet == "Example Wire" and item.language == "en"


def test_atom() -> None:
    item = parse_feed(ATOM).items[0]
    assert (item.url, item.summary, item.text) == (
        "http://exemple.org/vote",
        "Court.",
        "Un texte plus long sur le vote.",
    )
    assert item.published_at == datetime(2021, 6, 18, 20, tzinfo=UTC)


def test_not_a_feed() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>hello")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/f", "gopher://x", "javascript:alert(1)", "//x", "x"],
)
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FeedError, match="http"):
        check_url(url)
    with pytest.raises(FeedError):
        fetch(url)


def test_read_source_refuses_other_schemes_and_missing_files() -> None:
    assert is_url("file:///etc/passwd") and not is_url("/tmp/feed.xml")
    with pytest.raises(FeedError, match="http"):
        read_source("file:///etc/passwd")
    with pytest.raises(FeedError, match="no such file"):
        read_source("/nonexistent/feed.xml")


def _client(handler: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def test_fetch_and_size_cap() -> None:
    def ok(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=RSS)

    assert fetch("https://feeds.example.org/rss", client=_client(ok)) == RSS
    with pytest.raises(FeedError, match="larger"):
        fetch("https://feeds.example.org/rss", client=_client(ok), max_bytes=100)

    def error(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    with pytest.raises(FeedError, match="404"):
        fetch("https://feeds.example.org/rss", client=_client(error))


def test_redirects_only_to_http() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/a":
            return httpx.Response(302, headers={"Location": "/b"})
        if request.url.path == "/b":
            return httpx.Response(302, headers={"Location": "file:///etc/passwd"})
        return httpx.Response(200, content=RSS)

    with pytest.raises(FeedError, match="http"):
        fetch("https://feeds.example.org/a", client=_client(handler))

    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/again"})

    with pytest.raises(FeedError, match="redirects"):
        fetch("https://feeds.example.org/start", client=_client(loop))


def test_plain_text() -> None:
    assert plain_text("<p>A &amp; B</p>\n <i>c</i>") == "A & B c"
    assert plain_text("") is None and plain_text(None) is None
