"""News writes and link suggestions, against the database.

- **Suggestions**: the record is prepared once into a :class:`ResolutionIndex` (kept per
  database, rebuilt when the dataset version moves: every write and import bumps it), then each
  article is scored in memory; the rolls of the few best candidates are read for the position
  evidence. The scoring itself is pure (``app.news.suggest``).
- **Writes** (create, change, delete, replace links, ingest a feed): check ``If-Match`` where
  asked, change, record the audit entry and bump the dataset version, in the caller's
  transaction. Functions only flush.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

from fastapi import Request
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import Caller
from app.errors import Conflict, NotFound
from app.models import (
    Country,
    CountryName,
    DatasetState,
    GASession,
    NewsCountryLink,
    NewsItem,
    NewsResolutionLink,
    Resolution,
    Vote,
    VoteEvent,
)
from app.news.feeds import FeedItem
from app.news.suggest import (
    Article,
    PublishedDate,
    ResolutionFacts,
    ResolutionIndex,
    Suggestions,
    VoteFacts,
    analyze,
)
from app.news.terms import CountryVocabulary, load_country_terms
from app.queries import news as queries
from app.queries.countries import find_country
from app.queries.resolutions import find as find_resolution
from app.schemas.news import CountryLinkIn, NewsCreate, NewsLinksIn, NewsPatch, ResolutionLinkIn
from app.services.writes_audit import check_if_match, etag_of, invalid, record_write

Record = dict[str, Any]


# --- the suggestion index ----------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionContext:
    index: ResolutionIndex
    vocabulary: CountryVocabulary


@dataclass
class _Cached:
    version: tuple[Any, ...]  # the dataset version when last confirmed (one tiny query)
    state: tuple[Any, ...]  # what the index was built from (three aggregate queries)
    context: SuggestionContext


_CACHE: dict[str, _Cached] = {}
_LOCK = asyncio.Lock()


def clear_index_cache() -> None:
    """Forget every prepared index (tests that change data without bumping the version)."""
    _CACHE.clear()


def _database_key(session: AsyncSession) -> str:
    bind: Any = session.bind
    url = getattr(bind, "url", None) or bind.engine.url
    return str(url.render_as_string(hide_password=True))


async def load_facts(session: AsyncSession) -> list[ResolutionFacts]:
    """Every resolution with its recorded votes, as the scorer needs them (two queries)."""
    votes: dict[int, list[VoteFacts]] = {}
    texts: dict[int, list[str]] = {}
    rows = await session.execute(
        select(
            VoteEvent.id,
            VoteEvent.resolution_id,
            VoteEvent.voted_on,
            VoteEvent.date_approximate,
            VoteEvent.yes_count,
            VoteEvent.no_count,
            VoteEvent.abstain_count,
            VoteEvent.official_yes,
            VoteEvent.official_no,
            VoteEvent.official_abstain,
            VoteEvent.is_main,
            VoteEvent.title,
            VoteEvent.description,
        )
        .where(VoteEvent.resolution_id.is_not(None))
        .order_by(VoteEvent.id)
    )
    for ev in rows:
        rid = int(ev.resolution_id)
        votes.setdefault(rid, []).append(
            VoteFacts(
                event_id=ev.id,
                voted_on=ev.voted_on,
                approximate=bool(ev.date_approximate),
                yes=ev.yes_count,
                no=ev.no_count,
                abstain=ev.abstain_count,
                official_yes=ev.official_yes,
                official_no=ev.official_no,
                official_abstain=ev.official_abstain,
                is_main=bool(ev.is_main),
            )
        )
        own = texts.setdefault(rid, [])
        for t in (ev.title, ev.description):
            if t and t not in own:
                own.append(t)
    out = []
    res_rows = await session.execute(
        select(
            Resolution.id,
            Resolution.symbol,
            Resolution.draft_symbol,
            Resolution.title,
            Resolution.description,
            GASession.code,
            Resolution.adopted_on,
            Resolution.date_approximate,
        )
        .outerjoin(GASession, GASession.id == Resolution.ga_session_id)
        .order_by(Resolution.id)
    )
    for r in res_rows:
        out.append(
            ResolutionFacts(
                id=r.id,
                symbol=r.symbol,
                draft_symbol=r.draft_symbol,
                title=r.title,
                description=r.description,
                ga_session=r.code,
                adopted_on=r.adopted_on,
                date_approximate=bool(r.date_approximate),
                votes=tuple(votes.get(r.id, ())),
                texts=tuple(t for t in texts.get(r.id, ()) if t != r.title),
            )
        )
    return out


async def _record_state(session: AsyncSession) -> tuple[Any, ...]:
    """What the index depends on: resolutions, vote events and country names (counts and last
    changes). News writes bump the dataset version but leave this as it was."""
    parts: list[Any] = []
    for model in (Resolution, VoteEvent):
        count, changed, top = (
            await session.execute(
                select(func.count(), func.max(model.updated_at), func.max(model.id))
            )
        ).one()
        parts += [count, str(changed), top]
    names = (await session.execute(select(func.count(), func.max(CountryName.id)))).one()
    return (*parts, *names)


async def suggestion_context(session: AsyncSession, seed_dir: Path | None) -> SuggestionContext:
    """The prepared index for this database, rebuilt when the record it was built from has
    changed (resolutions, vote events, country names). While the dataset version stays put, one
    tiny query confirms it; when it moves (any write or import), the record is compared."""
    db = f"{_database_key(session)} {seed_dir}"
    row = (await session.execute(select(DatasetState.version, DatasetState.changed_at))).first()
    version = (row[0], str(row[1])) if row else (0, "")
    cached = _CACHE.get(db)
    if cached is not None and cached.version == version:
        return cached.context
    state = await _record_state(session)
    if cached is not None and cached.state == state:
        cached.version = version
        return cached.context
    async with _LOCK:
        cached = _CACHE.get(db)
        if cached is not None and cached.state == state:
            return cached.context
        vocabulary = await session.run_sync(lambda s: load_country_terms(s, seed_dir))
        facts = await load_facts(session)
        # Building takes a few seconds for the whole record: off the event loop.
        index = await asyncio.to_thread(ResolutionIndex, facts, vocabulary.matcher())
        context = SuggestionContext(index, vocabulary)
        _CACHE[db] = _Cached(version, state, context)
        return context


async def rolls_for(
    session: AsyncSession, event_ids: Sequence[int], codes: Iterable[str]
) -> dict[int, dict[str, str]]:
    """The positions of the given countries in the given vote events."""
    codes = sorted(set(codes))
    if not event_ids or not codes:
        return {}
    rows = await session.execute(
        select(Vote.vote_event_id, Country.code, Vote.position)
        .join(Country, Country.id == Vote.country_id)
        .where(Vote.vote_event_id.in_(list(event_ids)), Country.code.in_(codes))
    )
    out: dict[int, dict[str, str]] = {}
    for event_id, code, position in rows:
        out.setdefault(int(event_id), {})[code] = position
    return out


async def suggest_links(
    session: AsyncSession, article: Article, *, seed_dir: Path | None, limit: int = 5
) -> tuple[Suggestions, SuggestionContext]:
    """Ranked resolution suggestions (above the threshold) and the countries named."""
    context = await suggestion_context(session, seed_dir)
    index = context.index
    analysis = await asyncio.to_thread(analyze, article, index.matcher)
    candidates = index.score(analysis)
    rolls = await rolls_for(
        session, index.events_to_check(candidates), {p.code for p in analysis.positions}
    )
    resolutions = index.finalize(analysis, candidates, rolls, limit=limit)
    return Suggestions(resolutions, analysis.countries, analysis.language), context


def article_of(
    title: str, text: str, published: str | date | datetime | None, language: str | None = None
) -> Article:
    if isinstance(published, datetime):
        published = published.date()
    return Article(title, text, PublishedDate.parse(published), language)


# --- records -----------------------------------------------------------------------------------


def _published(value: datetime | date | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(), UTC)


def record_of(n: NewsItem) -> Record:
    """The news item as the audit log and its ETag see it (links loaded)."""
    item = queries.to_item(n)
    published = item["published_at"]
    return {
        "id": n.id,
        "url": n.url,
        "title": n.title,
        "outlet": n.outlet,
        "published_at": published.isoformat() if published else None,
        "summary": n.summary,
        "language": n.language,
        "resolutions": [
            {"symbol": r["symbol"] or r["draft_symbol"], "relation": r["relation"]}
            for r in item["resolutions"]
        ],
        "countries": [{"code": c["code"], "relation": c["relation"]} for c in item["countries"]],
    }


async def _reload(session: AsyncSession, news_id: int) -> NewsItem:
    session.expire_all()
    item = await queries.get(session, news_id)
    if item is None:  # pragma: no cover - just written
        raise NotFound(f"No news item {news_id}.")
    return item


async def _locked(session: AsyncSession, news_id: int) -> NewsItem:
    stmt = select(NewsItem.id).where(NewsItem.id == news_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    if (await session.execute(stmt)).first() is None:
        raise NotFound(f"No news item {news_id}.")
    return await _reload(session, news_id)


async def _check_url_free(session: AsyncSession, url: str, own_id: int | None = None) -> None:
    found = (await session.execute(select(NewsItem.id).where(NewsItem.url == url))).scalar()
    if found is not None and found != own_id:
        raise Conflict(
            f"News item {found} already has the URL {url}.", existing=f"/v1/news/{found}"
        )


async def _resolve_links(
    session: AsyncSession,
    resolutions: Sequence[ResolutionLinkIn],
    countries: Sequence[CountryLinkIn],
) -> tuple[dict[int, str], dict[int, str]]:
    """Resolution and country ids for the links of a body, 422 naming any unknown one."""
    res_links: dict[int, str] = {}
    for i, link in enumerate(resolutions):
        res = await find_resolution(session, link.symbol)
        if res is None:
            raise invalid(["body", "resolutions", i, "symbol"], f"no resolution {link.symbol}")
        res_links[res.id] = link.relation
    country_links: dict[int, str] = {}
    for i, c in enumerate(countries):
        country = await find_country(session, c.ref)
        if country is None:
            raise invalid(["body", "countries", i, "ref"], f"no country {c.ref}")
        country_links[country.id] = c.relation
    return res_links, country_links


async def _write_links(
    session: AsyncSession,
    news_id: int,
    resolutions: dict[int, str],
    countries: dict[int, str],
    *,
    replace: bool,
) -> None:
    if replace:
        await session.execute(
            delete(NewsResolutionLink).where(NewsResolutionLink.news_item_id == news_id)
        )
        await session.execute(
            delete(NewsCountryLink).where(NewsCountryLink.news_item_id == news_id)
        )
    for rid, relation in resolutions.items():
        session.add(NewsResolutionLink(news_item_id=news_id, resolution_id=rid, relation=relation))
    for cid, relation in countries.items():
        session.add(NewsCountryLink(news_item_id=news_id, country_id=cid, relation=relation))
    await session.flush()


def suggested_links(
    suggestions: Suggestions, context: SuggestionContext
) -> tuple[dict[int, str], dict[int, str]]:
    """Suggestions as links of relation ``suggested`` (countries without a row are skipped)."""
    resolutions = {s.resolution_id: "suggested" for s in suggestions.resolutions}
    countries: dict[int, str] = {}
    for finding in suggestions.countries:
        info = context.vocabulary.countries.get(finding.code)
        if info is not None and info.id is not None:
            countries[info.id] = "suggested"
    return resolutions, countries


@dataclass(frozen=True)
class Written:
    record: Record
    etag: str
    created: bool = False
    id: int = 0


async def create_news(
    session: AsyncSession,
    caller: Caller | None,
    request: Request | None,
    body: NewsCreate,
    *,
    suggest: bool,
    seed_dir: Path | None,
) -> Written:
    """A new news item with the links given, plus (``suggest``) the suggested ones."""
    await _check_url_free(session, body.url)
    res_links, country_links = await _resolve_links(session, body.resolutions, body.countries)
    if suggest:
        article = article_of(
            body.title, body.text or body.summary or "", body.published_at, body.language
        )
        found, context = await suggest_links(session, article, seed_dir=seed_dir)
        more_res, more_countries = suggested_links(found, context)
        res_links = {**more_res, **res_links}  # what the editor gave wins
        country_links = {**more_countries, **country_links}
    item = NewsItem(
        url=body.url,
        title=body.title,
        outlet=body.outlet,
        published_at=_published(body.published_at),
        summary=body.summary,
        language=body.language,
    )
    session.add(item)
    await session.flush()
    await _write_links(session, item.id, res_links, country_links, replace=False)
    item = await _reload(session, item.id)
    after = record_of(item)
    await record_write(
        session,
        caller,
        request,
        resource="news_item",
        resource_id=str(item.id),
        action="create",
        before=None,
        after=after,
    )
    return Written(queries.to_item(item), etag_of(after) or "", created=True, id=item.id)


async def update_news(
    session: AsyncSession,
    caller: Caller | None,
    request: Request | None,
    news_id: int,
    body: NewsPatch,
    *,
    if_match: str | None,
) -> Written:
    item = await _locked(session, news_id)
    before = record_of(item)
    await check_if_match(session, if_match, etag_of(before), what=f"News item {news_id}")
    changes = body.model_dump(exclude_unset=True)
    if "url" in changes:
        await _check_url_free(session, changes["url"], own_id=news_id)
    for key, value in changes.items():
        setattr(item, key, _published(value) if key == "published_at" else value)
    await session.flush()
    return await _finish_change(session, caller, request, news_id, before, "update")


async def replace_links(
    session: AsyncSession,
    caller: Caller | None,
    request: Request | None,
    news_id: int,
    body: NewsLinksIn,
    *,
    if_match: str | None,
) -> Written:
    item = await _locked(session, news_id)
    before = record_of(item)
    await check_if_match(session, if_match, etag_of(before), what=f"News item {news_id}")
    res_links, country_links = await _resolve_links(session, body.resolutions, body.countries)
    await _write_links(session, news_id, res_links, country_links, replace=True)
    return await _finish_change(session, caller, request, news_id, before, "replace")


async def _finish_change(
    session: AsyncSession,
    caller: Caller | None,
    request: Request | None,
    news_id: int,
    before: Record,
    action: Literal["replace", "update"],
) -> Written:
    """The item as changed, its audit entry written if anything changed."""
    item = await _reload(session, news_id)
    after = record_of(item)
    if after != before:
        await record_write(
            session,
            caller,
            request,
            resource="news_item",
            resource_id=str(news_id),
            action=action,
            before=before,
            after=after,
        )
    return Written(queries.to_item(item), etag_of(after) or "", id=news_id)


async def delete_news(
    session: AsyncSession,
    caller: Caller | None,
    request: Request | None,
    news_id: int,
    *,
    if_match: str | None,
) -> None:
    item = await _locked(session, news_id)
    before = record_of(item)
    await check_if_match(session, if_match, etag_of(before), what=f"News item {news_id}")
    await session.delete(item)
    await session.flush()
    await record_write(
        session,
        caller,
        request,
        resource="news_item",
        resource_id=str(news_id),
        action="delete",
        before=before,
        after=None,
    )


# --- feeds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestReport:
    added: list[int]
    skipped: int  # already stored (same URL) or without a usable link
    suggested_links: int


async def ingest_items(
    session: AsyncSession,
    items: Sequence[FeedItem],
    *,
    outlet: str | None,
    seed_dir: Path | None,
) -> IngestReport:
    """Store the feed items not stored yet (by URL), each with its suggested links."""
    urls = [i.url for i in items]
    existing = set(
        (await session.execute(select(NewsItem.url).where(NewsItem.url.in_(urls)))).scalars()
    )
    added: list[int] = []
    skipped = 0
    links = 0
    seen: set[str] = set()
    for it in items:
        if it.url in existing or it.url in seen:
            skipped += 1
            continue
        seen.add(it.url)
        body = NewsCreate(
            url=it.url,
            title=it.title[:1000] or it.url[:1000],
            outlet=(it.outlet or outlet or None) and (it.outlet or outlet or "")[:200],
            published_at=it.published_at,
            summary=it.summary[:5000] if it.summary else None,
            language=it.language,
            text=it.text[:200_000] if it.text else None,
        )
        written = await create_news(session, None, None, body, suggest=True, seed_dir=seed_dir)
        added.append(written.id)
        links += len(written.record["resolutions"]) + len(written.record["countries"])
    return IngestReport(added, skipped, links)
