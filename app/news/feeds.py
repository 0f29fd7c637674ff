"""Reading RSS and Atom feeds: fetched with httpx (http and https only, timeouts, a size cap),
parsed with the maintained ``feedparser``.

Only the command line (``unga news ingest``) fetches: the API never fetches a URL given in a
request body. Redirects are followed only to http(s) URLs, at most five times.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser  # type: ignore[import-untyped]
import httpx

MAX_FEED_BYTES = 5 * 1024 * 1024
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_REDIRECTS = 5
USER_AGENT = "unga-tracker feed reader (+https://github.com/unga-tracker)"
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class FeedError(Exception):
    """The feed could not be read: bad URL scheme, network error, too large, not a feed."""


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    summary: str | None
    text: str | None  # the fullest content the feed carries (for suggestions; not stored)
    published_at: datetime | None
    outlet: str | None
    language: str | None


@dataclass(frozen=True)
class Feed:
    title: str | None
    language: str | None
    items: list[FeedItem]


def check_url(url: str) -> str:
    """The URL, if it is an absolute http(s) URL; FeedError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FeedError(f"only http(s) URLs can be fetched, not {url[:200]!r}")
    return url.strip()


def is_url(source: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source.strip()) is not None


def fetch(
    url: str, *, client: httpx.Client | None = None, max_bytes: int = MAX_FEED_BYTES
) -> bytes:
    """The body at ``url``, streamed and cut off past ``max_bytes`` (FeedError)."""
    check_url(url)
    own = client is None
    client = client or httpx.Client(
        timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )
    try:
        for _ in range(MAX_REDIRECTS + 1):
            with client.stream("GET", url) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    url = check_url(str(response.url.join(location)))
                    continue
                if response.status_code != 200:
                    raise FeedError(f"{url[:200]} answered {response.status_code}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FeedError(f"the feed is larger than {max_bytes} bytes")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise FeedError(f"the feed is larger than {max_bytes} bytes")
                return bytes(body)
        raise FeedError(f"more than {MAX_REDIRECTS} redirects")
    except httpx.HTTPError as exc:
        raise FeedError(f"could not fetch {url[:200]}: {type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            client.close()


def read_source(source: str, *, max_bytes: int = MAX_FEED_BYTES) -> bytes:
    """A feed from an http(s) URL or a local file. Other URL schemes are refused."""
    if is_url(source):
        return fetch(source, max_bytes=max_bytes)
    path = Path(source)
    if not path.is_file():
        raise FeedError(f"no such file: {source}")
    if path.stat().st_size > max_bytes:
        raise FeedError(f"the feed is larger than {max_bytes} bytes")
    return path.read_bytes()


def plain_text(value: str | None) -> str | None:
    """HTML reduced to text: tags dropped, entities decoded, spaces collapsed."""
    if not value:
        return None
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()
    return text or None


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def parse_feed(data: bytes) -> Feed:
    """Items of an RSS or Atom document; entries without an http(s) link are left out."""
    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.get("entries"):
        raise FeedError(f"not a feed: {parsed.get('bozo_exception')!s}"[:300])
    meta = parsed.get("feed", {})
    outlet = plain_text(meta.get("title"))
    language = (meta.get("language") or "").split("-")[0].lower() or None
    items: list[FeedItem] = []
    for entry in parsed.get("entries", []):
        link = (entry.get("link") or "").strip()
        try:
            check_url(link)
        except FeedError:
            continue
        summary = plain_text(entry.get("summary"))
        contents = [plain_text(c.get("value")) for c in entry.get("content", []) or []]
        text = max((c for c in contents if c), key=len, default=None) or summary
        items.append(
            FeedItem(
                url=link[:1000],
                title=plain_text(entry.get("title")) or link[:1000],
                summary=summary,
                text=text,
                published_at=_when(entry),
                outlet=outlet,
                language=language if language and re.fullmatch(r"[a-z]{2,3}", language) else None,
            )
        )
    return Feed(outlet, language, items)
