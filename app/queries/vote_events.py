"""Vote events: every recorded vote, with or without a resolution symbol."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.models import GASession, Resolution, VoteEvent, VoteEventSource
from app.queries.common import Item, Listing, latest, margin, resolution_url, tally
from app.queries.countries import country_conditions
from app.queries.filters import VoteFilters, common_conditions, ordering, vote_event_target

MAX_EVENT_ID = 2_147_483_647

RULES = {
    "simple": (
        "Simple majority of the members present and voting: adopted when yes > no. "
        "Abstentions and non-votes do not count (rules of procedure, rule 86)."
    ),
    "two_thirds": (
        "Two-thirds majority of the members present and voting (an important question, "
        "rule 83): adopted when yes >= 2 x no, with at least one yes. Abstentions and "
        "non-votes do not count (rule 86)."
    ),
}


def event_options() -> tuple[Any, ...]:
    return (
        selectinload(VoteEvent.sources).joinedload(VoteEventSource.source),
        selectinload(VoteEvent.topics),
        joinedload(VoteEvent.ga_session),
    )


def session_item(s: GASession | None) -> Item | None:
    if s is None:
        return None
    return {"code": s.code, "type": s.type, "number": s.number}


def resolution_ref(r: Resolution | None) -> Item | None:
    if r is None:
        return None
    symbol = r.symbol or r.draft_symbol or ""
    return {
        "symbol": r.symbol,
        "draft_symbol": r.draft_symbol,
        "title": r.title,
        "url": resolution_url(symbol),
    }


def event_item(ev: VoteEvent, resolution: Resolution | None) -> Item:
    """A vote event in full (``ev`` loaded with ``event_options()``)."""
    res = resolution_ref(resolution)
    return {
        "id": ev.id,
        "resolution": res,
        "title": ev.title,
        "description": ev.description,
        "session": session_item(ev.ga_session),
        "date": ev.voted_on,
        "date_approximate": ev.date_approximate,
        "kind": ev.kind,
        "is_main": ev.is_main,
        "main_inferred": ev.main_inferred,
        "meeting_record": ev.meeting_record,
        "important": ev.important,
        "majority_required": ev.majority_required,
        "majority_recorded": ev.majority_recorded,
        "rule": RULES.get(ev.majority_required, ""),
        "tally": tally(
            ev.yes_count, ev.no_count, ev.abstain_count, ev.non_voting_count, ev.members_count
        ),
        "official": {
            "yes": ev.official_yes,
            "no": ev.official_no,
            "abstain": ev.official_abstain,
            "non_voting": ev.official_non_voting,
            "members": ev.official_members,
        },
        "computed_outcome": ev.computed_outcome,
        "official_outcome": ev.official_outcome,
        "outcome_discrepancy": ev.outcome_discrepancy,
        "totals_discrepancy": ev.totals_discrepancy,
        "margin": margin(ev.yes_count, ev.no_count, ev.majority_required)
        if ev.members_count
        else None,
        "topics": [{"code": t.code, "name": t.name} for t in ev.topics],
        "sources": [
            {
                "source": s.source.slug,
                "name": s.source.name,
                "licence": s.source.licence,
                "key": s.source_key,
                "ref": s.source_ref,
                "url": s.url,
            }
            for s in ev.sources
        ],
        "updated_at": latest(ev.updated_at),
        "url": f"/v1/vote-events/{ev.id}",
        "links": {
            "votes": f"/v1/vote-events/{ev.id}/votes",
            "resolution": res["url"] if res else None,
        },
    }


async def load_event(session: AsyncSession, event_id: int) -> VoteEvent | None:
    if not 0 < event_id <= MAX_EVENT_ID:
        return None
    stmt = (
        select(VoteEvent)
        .where(VoteEvent.id == event_id)
        .options(*event_options(), joinedload(VoteEvent.resolution))
    )
    return (await session.scalars(stmt)).first()


async def detail(session: AsyncSession, event_id: int) -> Item | None:
    ev = await load_event(session, event_id)
    return event_item(ev, ev.resolution) if ev is not None else None


# ---------------------------------------------------------------------------------- list


def _list_item(r: Row[Any]) -> Item:
    symbol = r.symbol or r.draft_symbol
    return {
        "id": r.id,
        "symbol": r.symbol,
        "draft_symbol": r.draft_symbol,
        "title": r.title or r.res_title,
        "session": r.session_code,
        "date": r.voted_on,
        "date_approximate": r.date_approximate,
        "kind": r.kind,
        "is_main": r.is_main,
        "important": r.important,
        "majority_required": r.majority_required,
        "tally": tally(r.yes, r.no, r.abstain, r.non_voting, r.members),
        "margin": margin(r.yes, r.no, r.majority_required) if r.members else None,
        "outcome": r.computed_outcome,
        "official_outcome": r.official_outcome,
        "outcome_discrepancy": r.official_outcome != "unknown"
        and r.official_outcome != r.computed_outcome,
        "totals_discrepancy": r.totals_discrepancy,
        "updated_at": latest(r.updated_at),
        "url": f"/v1/vote-events/{r.id}",
        "resolution_url": resolution_url(symbol) if symbol else None,
    }


async def listing(session: AsyncSession, *, filters: VoteFilters) -> Listing:
    t = vote_event_target()
    conds = await common_conditions(session, filters, t)
    conds += await country_conditions(session, filters, t)
    if filters.kind is not None:
        conds.append(VoteEvent.kind == filters.kind)
    rows = (
        select(
            VoteEvent.id,
            VoteEvent.title,
            VoteEvent.voted_on,
            VoteEvent.date_approximate,
            VoteEvent.kind,
            VoteEvent.is_main,
            VoteEvent.important,
            VoteEvent.majority_required,
            VoteEvent.yes_count.label("yes"),
            VoteEvent.no_count.label("no"),
            VoteEvent.abstain_count.label("abstain"),
            VoteEvent.non_voting_count.label("non_voting"),
            VoteEvent.members_count.label("members"),
            VoteEvent.computed_outcome,
            VoteEvent.official_outcome,
            VoteEvent.totals_discrepancy,
            VoteEvent.updated_at,
            Resolution.symbol,
            Resolution.draft_symbol,
            Resolution.title.label("res_title"),
            GASession.code.label("session_code"),
        )
        .select_from(VoteEvent)
        .outerjoin(Resolution, Resolution.id == VoteEvent.resolution_id)
        .outerjoin(GASession, GASession.id == t.ga_session_id)
        .where(*conds)
        .order_by(*ordering(filters.sort, t))
    )
    count = select(func.count()).select_from(VoteEvent)
    if filters.q:  # the only filter that reads the resolution
        count = count.outerjoin(Resolution, Resolution.id == VoteEvent.resolution_id)
    count = count.where(*conds)
    return Listing(rows=rows, item=_list_item, count=count)
