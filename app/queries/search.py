"""Full-text search over resolutions and news, on the database's own engine.

One interface, two engines (both created and kept in step by triggers in migration 0004):

- SQLite: the FTS5 table ``fts_search`` (porter stemmer, accents folded), ranked by ``bm25``
  with the title weighted 10 to 1 over the body; rowid ``2 * id`` is a resolution, ``2 * id + 1``
  a news item;
- PostgreSQL: ``search_documents(kind, ref_id, document tsvector)`` with a GIN index, ranked by
  ``ts_rank_cd`` (title weight A, body B).

Queries are words, all required (stemmed: "sanctions" finds "sanction"); a symbol such as
``75/287`` finds ``A/RES/75/287``. Anything else in the query (quotes, operators) is ignored,
so no input can produce a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Integer, column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import Subquery

from app.models import NewsItem, Resolution
from app.news.text import fold

Kind = Literal["resolution", "news"]
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def query_words(q: str) -> list[str]:
    """The words of a query, in order, without duplicates (at most 12)."""
    out: list[str] = []
    for w in _WORD.findall(q):
        w = w[:60]
        if w.casefold() not in (x.casefold() for x in out):
            out.append(w)
    return out[:MAX_QUERY_WORDS]


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    if bind is None:  # pragma: no cover - sessions are always bound here
        raise RuntimeError("unbound session")
    return bind.dialect.name


def _sqlite_match(words: list[str]) -> str:
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def _pg_query(words: list[str]) -> str:
    return " ".join(words)


@dataclass(frozen=True)
class Hit:
    kind: Kind
    id: int
    score: float


async def search(
    session: AsyncSession, q: str, *, kind: Kind | None, limit: int, offset: int
) -> tuple[list[Hit], int]:
    """One page of hits, best first (ties by kind, then id), and the total."""
    words = query_words(q)
    if not words:
        return [], 0
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if _dialect(session) == "sqlite":
        params["q"] = _sqlite_match(words)
        where = "fts_search MATCH :q"
        if kind is not None:
            where += " AND (rowid % 2) = :parity"
            params["parity"] = 0 if kind == "resolution" else 1
        total = (
            await session.execute(text(f"SELECT count(*) FROM fts_search WHERE {where}"), params)
        ).scalar_one()
        rows = await session.execute(
            text(
                "SELECT rowid, -bm25(fts_search, 10.0, 1.0) AS score FROM fts_search "
                f"WHERE {where} ORDER BY score DESC, rowid % 2, rowid LIMIT :limit OFFSET :offset"
            ),
            params,
        )
        hits = [
            Hit("resolution" if rowid % 2 == 0 else "news", rowid // 2, round(float(score), 4))
            for rowid, score in rows
        ]
        return hits, int(total)
    params["q"] = _pg_query(words)
    where = "document @@ plainto_tsquery('english', :q)"
    if kind is not None:
        where += " AND kind = :kind"
        params["kind"] = "r" if kind == "resolution" else "n"
    total = (
        await session.execute(text(f"SELECT count(*) FROM search_documents WHERE {where}"), params)
    ).scalar_one()
    rows = await session.execute(
        text(
            "SELECT kind, ref_id, ts_rank_cd(document, plainto_tsquery('english', :q)) AS score "
            f"FROM search_documents WHERE {where} "
            "ORDER BY score DESC, kind DESC, ref_id LIMIT :limit OFFSET :offset"
        ),
        params,
    )
    hits = [
        Hit("resolution" if k == "r" else "news", int(ref), round(float(score), 4))
        for k, ref, score in rows
    ]
    return hits, int(total)


def matching_news_ids(session: AsyncSession, q: str) -> Subquery | None:
    """A subquery of the ids of news items matching ``q`` (for ``GET /v1/news?q=``); None when
    the query has no words."""
    words = query_words(q)
    if not words:
        return None
    if _dialect(session) == "sqlite":
        stmt = text(
            "SELECT (rowid - 1) / 2 AS id FROM fts_search "
            "WHERE fts_search MATCH :news_q AND (rowid % 2) = 1"
        ).bindparams(news_q=_sqlite_match(words))
    else:
        stmt = text(
            "SELECT ref_id AS id FROM search_documents "
            "WHERE kind = 'n' AND document @@ plainto_tsquery('english', :news_q)"
        ).bindparams(news_q=_pg_query(words))
    return stmt.columns(column("id", Integer)).subquery("news_matches")


def snippet(text_: str | None, words: list[str], width: int = 160) -> str | None:
    """A short excerpt of ``text_`` around the first query word it contains (by word start, so
    "sanction" finds "sanctions"), with the matches in [brackets]."""
    if not text_:
        return None
    folded = fold(text_)
    aligned = len(folded) == len(text_)  # folding may change lengths ("ß" -> "ss")
    stems = [fold(w)[: max(4, len(w) - 2)] for w in words]
    patterns = [re.compile(r"\b" + re.escape(stem) + r"\w*") for stem in stems if stem]
    first = 0
    if aligned:
        starts = [m.start() for p in patterns if (m := p.search(folded))]
        first = min(starts, default=0)
    start = max(0, first - width // 3)
    end = min(len(text_), start + width)
    piece = text_[start:end]
    if aligned:
        spans = sorted(
            {(m.start(), m.end()) for p in patterns for m in p.finditer(folded[start:end])}
        )
        out, pos = [], 0
        for a, b in spans:
            if a < pos:
                continue
            out += [piece[pos:a], "[", piece[a:b], "]"]
            pos = b
        piece = "".join(out) + piece[pos:]
    return ("…" if start > 0 else "") + piece.strip() + ("…" if end < len(text_) else "")


async def hydrate(
    session: AsyncSession, hits: list[Hit]
) -> tuple[dict[int, Resolution], dict[int, NewsItem]]:
    """The records behind a page of hits (two queries)."""
    res_ids = [h.id for h in hits if h.kind == "resolution"]
    news_ids = [h.id for h in hits if h.kind == "news"]
    resolutions: dict[int, Resolution] = {}
    news: dict[int, NewsItem] = {}
    if res_ids:
        for r in await session.scalars(select(Resolution).where(Resolution.id.in_(res_ids))):
            resolutions[r.id] = r
    if news_ids:
        for n in await session.scalars(select(NewsItem).where(NewsItem.id.in_(news_ids))):
            news[n.id] = n
    return resolutions, news
