"""Resolutions (adopted, and failed drafts known by their draft symbol) with their votes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, exists, func, literal, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.domain.symbols import parse_symbol
from app.models import GASession, NewsItem, NewsResolutionLink, Resolution, VoteEvent
from app.queries.common import (
    Item,
    Listing,
    document_url,
    latest,
    margin,
    resolution_url,
    tally,
)
from app.queries.countries import country_conditions
from app.queries.filters import Target, VoteFilters, common_conditions, ordering
from app.queries.vote_events import event_item, event_options, session_item

MAX_SYMBOL = 80
NO_DATE = date(1, 1, 1)  # sorts resolutions without any date last (newest first)


def main_event(events: list[VoteEvent]) -> VoteEvent | None:
    """The vote on the resolution as a whole: the one marked main, else the latest vote on
    the whole text, else the latest vote (the same order as ``_main_event_id``)."""
    if not events:
        return None
    return min(
        events,
        key=lambda e: (not e.is_main, e.kind != "whole", -e.voted_on.toordinal(), -e.id),
    )


def _main_event_id() -> Any:
    """The id of a resolution's main vote, as a correlated scalar subquery: one index lookup
    per resolution on either database, whatever the planner's statistics."""
    return (
        select(VoteEvent.id)
        .where(VoteEvent.resolution_id == Resolution.id)
        .order_by(
            VoteEvent.is_main.desc(),
            case((VoteEvent.kind == "whole", 0), else_=1),
            VoteEvent.voted_on.desc(),
            VoteEvent.id.desc(),
        )
        .limit(1)
        .correlate(Resolution)
        .scalar_subquery()
    )


async def find(
    session: AsyncSession, text: str, *, options: tuple[Any, ...] = ()
) -> Resolution | None:
    """A resolution by its symbol in any common spelling, or by its draft's symbol."""
    text = text.strip()
    if not text or len(text) > MAX_SYMBOL or any(ord(c) < 32 for c in text):
        return None
    parsed = parse_symbol(text)
    if parsed is None:
        cond = or_(Resolution.symbol == text, Resolution.draft_symbol == text)
    elif parsed.kind == "resolution":
        cond = Resolution.symbol == parsed.canonical
    else:
        cond = Resolution.draft_symbol == parsed.canonical
    stmt = select(Resolution).where(cond).options(*options).order_by(Resolution.id).limit(1)
    return (await session.scalars(stmt)).first()


def display_symbol(r: Resolution) -> str:
    return r.symbol or r.draft_symbol or ""


async def detail(session: AsyncSession, symbol: str) -> Item | None:
    res = await find(
        session,
        symbol,
        options=(
            joinedload(Resolution.ga_session),
            selectinload(Resolution.vote_events).options(*event_options()),
        ),
    )
    if res is None:
        return None
    news = (
        await session.execute(
            select(NewsItem, NewsResolutionLink.relation)
            .join(NewsResolutionLink, NewsResolutionLink.news_item_id == NewsItem.id)
            .where(NewsResolutionLink.resolution_id == res.id)
            .order_by(NewsItem.published_at.desc(), NewsItem.id)
        )
    ).all()
    main = main_event(res.vote_events)
    url = resolution_url(display_symbol(res))
    return {
        "id": res.id,
        "symbol": res.symbol,
        "draft_symbol": res.draft_symbol,
        "title": res.title,
        "description": res.description,
        "session": session_item(res.ga_session),
        "adopted_on": res.adopted_on,
        "date_approximate": res.date_approximate,
        "meeting_record": res.meeting_record,
        "source_url": res.source_url,
        "updated_at": latest(res.updated_at, *(e.updated_at for e in res.vote_events)),
        "main_vote_event_id": main.id if main else None,
        "vote_events": [event_item(e, res) for e in res.vote_events],
        "news_count": len(news),
        "news": [
            {
                "title": n.title,
                "url": n.url,
                "outlet": n.outlet,
                "published_at": latest(n.published_at),
                "relation": relation,
            }
            for n, relation in news
        ],
        "links": {
            "self": url,
            "votes": f"{url}/votes",
            "summary": f"{url}/summary",
            "news": f"{url}/news",
            "document": document_url(res.symbol) if res.symbol else None,
            "draft": document_url(res.draft_symbol) if res.draft_symbol else None,
            "meeting_record": document_url(res.meeting_record) if res.meeting_record else None,
        },
    }


# ---------------------------------------------------------------------------------- list


def _list_item(r: Row[Any]) -> Item:
    symbol = r.symbol or r.draft_symbol
    has_tally = r.event_id is not None
    return {
        "id": r.id,
        "symbol": r.symbol,
        "draft_symbol": r.draft_symbol,
        "title": r.title,
        "session": r.session_code,
        "date": r.date if r.date != NO_DATE else None,
        "date_approximate": bool(r.date_approximate),
        "vote_event_id": r.event_id,
        "kind": r.kind,
        "important": r.important,
        "majority_required": r.majority_required,
        "tally": tally(r.yes, r.no, r.abstain, r.non_voting, r.members) if has_tally else None,
        "margin": margin(r.yes, r.no, r.majority_required) if has_tally and r.members else None,
        "outcome": r.outcome,
        "official_outcome": r.official_outcome,
        "outcome_discrepancy": r.official_outcome is not None
        and r.official_outcome != "unknown"
        and r.official_outcome != r.outcome,
        "updated_at": latest(r.updated_at, r.event_updated_at),
        "url": resolution_url(symbol),
        "news_count": r.news_count,
        "news_url": f"{resolution_url(symbol)}/news",
    }


async def listing(session: AsyncSession, *, filters: VoteFilters) -> Listing:
    """Resolutions with their main vote. The vote filters (dates, topic, outcome, importance,
    country and position, margin) apply to the main vote; ``kind`` keeps resolutions with at
    least one vote of that kind (``amendment``: resolutions whose amendments were voted on)."""
    ev = aliased(VoteEvent, name="main_event")
    outcome = func.coalesce(
        ev.computed_outcome,
        case((Resolution.symbol.is_not(None), literal("adopted")), else_=literal("unknown")),
    )
    day = func.coalesce(ev.voted_on, Resolution.adopted_on, literal(NO_DATE))
    t = Target(
        event_id=ev.id,
        date=day,
        approximate=func.coalesce(ev.date_approximate, Resolution.date_approximate),
        ga_session_id=func.coalesce(Resolution.ga_session_id, ev.ga_session_id),
        texts=(Resolution.title, Resolution.description, Resolution.symbol),
        outcome=outcome,
        important=ev.important,
        updated=(Resolution.updated_at, ev.updated_at),
        yes=ev.yes_count,
        no=ev.no_count,
        abstain=ev.abstain_count,
        non_voting=ev.non_voting_count,
        members=ev.members_count,
        majority=ev.majority_required,
        row_id=Resolution.id,
    )
    conds = await common_conditions(session, filters, t)
    conds += await country_conditions(session, filters, t)
    if filters.kind is not None:
        conds.append(
            exists().where(VoteEvent.resolution_id == Resolution.id, VoteEvent.kind == filters.kind)
        )
    joined = select(Resolution.id).select_from(Resolution).outerjoin(ev, ev.id == _main_event_id())
    rows = (
        joined.with_only_columns(
            Resolution.id,
            Resolution.symbol,
            Resolution.draft_symbol,
            Resolution.title,
            Resolution.updated_at,
            day.label("date"),
            t.approximate.label("date_approximate"),
            ev.id.label("event_id"),
            ev.kind,
            ev.important,
            ev.majority_required,
            ev.yes_count.label("yes"),
            ev.no_count.label("no"),
            ev.abstain_count.label("abstain"),
            ev.non_voting_count.label("non_voting"),
            ev.members_count.label("members"),
            ev.official_outcome,
            ev.updated_at.label("event_updated_at"),
            outcome.label("outcome"),
            GASession.code.label("session_code"),
            select(func.count())
            .where(NewsResolutionLink.resolution_id == Resolution.id)
            .scalar_subquery()
            .label("news_count"),
        )
        .outerjoin(GASession, GASession.id == t.ga_session_id)
        .where(*conds)
        .order_by(*ordering(filters.sort, t))
    )
    count = joined.with_only_columns(func.count()).where(*conds)
    return Listing(rows=rows, item=_list_item, count=count)
