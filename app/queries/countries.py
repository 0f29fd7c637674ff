"""Countries: lookup by any code or name, lists, details and whole voting histories."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import Page
from app.domain.names import name_key
from app.models import (
    Country,
    CountryName,
    CountrySuccession,
    GASession,
    Group,
    GroupMembership,
    Membership,
    Resolution,
    Vote,
    VoteEvent,
)
from app.queries.common import (
    POSITION_ORDER,
    Item,
    Listing,
    latest,
    margin,
    resolution_url,
    tally,
)
from app.queries.filters import (
    Target,
    VoteFilters,
    as_utc,
    common_conditions,
    ordering,
    position_count,
    unknown_param,
    vote_event_target,
    without_controls,
)
from app.queries.news import news_counts

KIND_RANK = {
    "iso3": 0,
    "iso2": 1,
    "m49": 2,
    "un_name": 3,
    "common": 4,
    "official": 5,
    "alias": 6,
    "source_code": 7,
}
SUGGEST_KINDS = ("un_name", "common", "official", "alias")
MAX_REF = 200


def clean_ref(ref: str) -> str | None:
    ref = ref.strip()
    if not ref or len(ref) > MAX_REF or any(ord(c) < 32 for c in ref):
        return None
    return ref


def _valid_on(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or valid_to > on)


async def find_country(session: AsyncSession, ref: str) -> Country | None:
    """The country a code or name refers to: ISO3, ISO2 or M49 code, or any name or alias the
    data knows, case- and accent-insensitively. Where a name is dated (``RUS`` is the USSR's
    code in the vote data before 24 December 1991) the name valid today wins; then codes
    before names, and UN names before aliases."""
    cleaned = clean_ref(ref)
    if cleaned is None:
        return None
    key = name_key(cleaned)
    code = cleaned.upper()
    direct = [Country.code == code]
    if len(code) == 2:
        direct.append(Country.iso2 == code)
    if cleaned.isdigit() and len(cleaned) <= 3:
        direct.append(Country.m49 == cleaned.zfill(3))
    name_match = and_(CountryName.country_id == Country.id, CountryName.key == key)
    stmt = (
        select(Country, CountryName.kind, CountryName.valid_from, CountryName.valid_to)
        .outerjoin(CountryName, name_match if key else CountryName.id.is_(None))
        .where(or_(*direct, CountryName.id.is_not(None)))
    )
    rows = [(r[0], r[1], r[2], r[3]) for r in (await session.execute(stmt)).all()]
    if not rows:
        return None
    day = date.today()

    def rank(row: tuple[Country, str | None, date | None, date | None]) -> tuple[int, ...]:
        country, kind, valid_from, valid_to = row
        if kind is None:  # matched a code column directly
            by_code = 0 if country.code == code else 1 if country.iso2 == code else 2
            return (0, by_code, int(country.is_historical), country.id)
        current = _valid_on(valid_from, valid_to, day)
        return (0 if current else 1, KIND_RANK.get(kind, 9), int(country.is_historical), country.id)

    best: Country = min(rows, key=rank)[0]
    return best


async def suggest_countries(session: AsyncSession, ref: str, *, n: int = 5) -> list[Item]:
    """Close matches for an unknown reference (difflib over the lookup keys)."""
    key = name_key(ref[:MAX_REF])
    rows = (
        await session.execute(
            select(CountryName.key, Country.code, Country.name)
            .join(Country, Country.id == CountryName.country_id)
            .where(CountryName.kind.in_(SUGGEST_KINDS))
        )
    ).all()
    by_key: dict[str, tuple[str, str]] = {}
    for k, code, name in rows:
        by_key.setdefault(k, (code, name))
    out: list[Item] = []
    seen: set[str] = set()
    for match in difflib.get_close_matches(key, list(by_key), n=n * 3, cutoff=0.6):
        code, name = by_key[match]
        if code not in seen:
            seen.add(code)
            out.append({"code": code, "name": name, "url": f"/v1/countries/{code}"})
        if len(out) == n:
            break
    return out


async def no_match(session: AsyncSession, ref: str) -> tuple[str, list[Item]]:
    """The message for an unknown reference, with close matches suggested."""
    suggestions = await suggest_countries(session, ref)
    hint = ""
    if suggestions:
        hint = f" Did you mean {suggestions[0]['name']} ({suggestions[0]['code']})?"
    return f"No country matches {ref!r}.{hint}", suggestions


def member_on(country_id: Any, day: date) -> Any:
    """The country held a UN seat on ``day``."""
    return exists().where(
        Membership.country_id == country_id,
        Membership.admitted_on <= day,
        or_(Membership.left_on.is_(None), Membership.left_on > day),
    )


def group_member_on(day: date) -> Any:
    """A group membership row valid on ``day``: open bounds are the UN membership's bounds."""
    return and_(
        or_(GroupMembership.since.is_(None), GroupMembership.since <= day),
        or_(GroupMembership.until.is_(None), GroupMembership.until > day),
        or_(
            and_(GroupMembership.since.is_not(None), GroupMembership.until.is_not(None)),
            member_on(GroupMembership.country_id, day),
        ),
    )


# ------------------------------------------------------------------------------ list, detail


def _country_item(
    c: Country,
    spells: Sequence[Membership],
    groups: Sequence[tuple[Any, ...]],
    news_count: int,
) -> Item:
    last = spells[-1] if spells else None
    today = date.today()
    return {
        "code": c.code,
        "iso2": c.iso2,
        "m49": c.m49,
        "name": c.name,
        "official_name": c.official_name,
        "is_historical": c.is_historical,
        "member": any(
            s.admitted_on <= today and (s.left_on is None or s.left_on > today) for s in spells
        ),
        "admitted_on": spells[0].admitted_on if spells else None,
        "left_on": last.left_on if last else None,
        "groups": [
            {"group": slug, "kind": kind, "role": role, "since": since, "until": until}
            for slug, kind, role, since, until in groups
        ],
        "url": f"/v1/countries/{c.code}",
        "news_count": news_count,
    }


async def _spells_and_groups(
    session: AsyncSession, ids: Sequence[int]
) -> tuple[dict[int, list[Membership]], dict[int, list[tuple[Any, ...]]]]:
    spells: dict[int, list[Membership]] = {i: [] for i in ids}
    groups: dict[int, list[tuple[Any, ...]]] = {i: [] for i in ids}
    if not ids:
        return spells, groups
    for m in (
        await session.scalars(
            select(Membership)
            .where(Membership.country_id.in_(ids))
            .order_by(Membership.admitted_on, Membership.id)
        )
    ).all():
        spells[m.country_id].append(m)
    for row in (
        await session.execute(
            select(
                GroupMembership.country_id,
                Group.slug,
                Group.kind,
                GroupMembership.role,
                GroupMembership.since,
                GroupMembership.until,
            )
            .join(Group, Group.id == GroupMembership.group_id)
            .where(GroupMembership.country_id.in_(ids))
            .order_by(Group.slug, GroupMembership.role, GroupMembership.id)
        )
    ).all():
        groups[row[0]].append(tuple(row[1:]))
    return spells, groups


async def list_page(
    session: AsyncSession,
    *,
    page: Page | None,
    group: str | None = None,
    on: date | None = None,
    q: str | None = None,
    updated_since: datetime | None = None,
) -> Item:
    """Countries (current and historical seats), by name; four statements per page.
    ``page=None`` returns every row (CSV)."""
    conds: list[Any] = []
    if group is not None:
        g = (await session.execute(select(Group.id).where(Group.slug == group))).scalar()
        if g is None:
            known = (await session.execute(select(Group.slug).order_by(Group.slug))).scalars()
            raise unknown_param("group", f"No group {group!r}; known: {', '.join(known)}.")
        conds.append(
            exists().where(
                GroupMembership.group_id == g,
                GroupMembership.country_id == Country.id,
                group_member_on(on or date.today()),
            )
        )
    if on is not None:
        conds.append(member_on(Country.id, on))
    if updated_since is not None:
        conds.append(Country.updated_at >= as_utc(updated_since))
    if q:
        key = name_key(q)
        conds.append(
            or_(
                Country.code == without_controls(q).strip().upper(),
                exists().where(
                    CountryName.country_id == Country.id,
                    CountryName.key.like(f"%{key}%") if key else CountryName.id.is_(None),
                ),
            )
        )
    total = (await session.execute(select(func.count(Country.id)).where(*conds))).scalar_one()
    stmt = select(Country).where(*conds).order_by(Country.name, Country.id)
    if page is not None:
        stmt = stmt.limit(page.limit).offset(page.offset)
    countries = (await session.scalars(stmt)).all()
    spells, groups = await _spells_and_groups(session, [c.id for c in countries])
    counts = await news_counts(session, country_ids=[c.id for c in countries])
    return {
        "items": [
            _country_item(c, spells[c.id], groups[c.id], counts.get(c.id, 0)) for c in countries
        ],
        "total": int(total),
        "limit": page.limit if page else int(total),
        "offset": page.offset if page else 0,
    }


async def detail(session: AsyncSession, country: Country) -> Item:
    spells, groups = await _spells_and_groups(session, [country.id])
    counts = await news_counts(session, country_ids=[country.id])
    item = _country_item(country, spells[country.id], groups[country.id], counts.get(country.id, 0))
    names = (
        await session.scalars(
            select(CountryName)
            .where(CountryName.country_id == country.id)
            .order_by(CountryName.kind, CountryName.name, CountryName.id)
        )
    ).all()
    links = (
        await session.execute(
            select(CountrySuccession, Country.code)
            .join(
                Country,
                or_(
                    and_(
                        CountrySuccession.predecessor_id == country.id,
                        Country.id == CountrySuccession.successor_id,
                    ),
                    and_(
                        CountrySuccession.successor_id == country.id,
                        Country.id == CountrySuccession.predecessor_id,
                    ),
                ),
            )
            .order_by(CountrySuccession.id)
        )
    ).all()
    item.update(
        {
            "names": [
                {"name": n.name, "kind": n.kind, "valid_from": n.valid_from, "valid_to": n.valid_to}
                for n in names
            ],
            "memberships": [
                {
                    "admitted_on": s.admitted_on,
                    "left_on": s.left_on,
                    "left_how": s.left_how,
                    "name_during": s.name_during,
                }
                for s in spells[country.id]
            ],
            "predecessors": [
                {"code": code, "how": s.how, "on": s.on}
                for s, code in links
                if s.successor_id == country.id
            ],
            "successors": [
                {"code": code, "how": s.how, "on": s.on}
                for s, code in links
                if s.predecessor_id == country.id
            ],
            "links": {
                "votes": f"/v1/countries/{country.code}/votes",
                "news": f"/v1/countries/{country.code}/news",
            },
        }
    )
    return item


# ------------------------------------------------------------------------------ history


def _history_item(r: Row[Any]) -> Item:
    symbol = r.symbol or r.draft_symbol
    return {
        "vote_event_id": r.event_id,
        "symbol": r.symbol,
        "draft_symbol": r.draft_symbol,
        "title": r.event_title or r.res_title,
        "session": r.session_code,
        "date": r.voted_on,
        "date_approximate": r.date_approximate,
        "kind": r.kind,
        "is_main": r.is_main,
        "position": r.position,
        "non_voting_reason": r.non_voting_reason,
        "inferred": r.inferred,
        "intended_position": r.intended_position,
        "name_in_source": r.name_in_source,
        "outside_membership": r.outside_membership,
        "tally": tally(r.yes, r.no, r.abstain, r.non_voting, r.members),
        "margin": margin(r.yes, r.no, r.majority) if r.members else None,
        "outcome": r.computed_outcome,
        "updated_at": latest(r.updated_at),
        "url": f"/v1/vote-events/{r.event_id}",
        "resolution_url": resolution_url(symbol) if symbol else None,
    }


async def history(
    session: AsyncSession, country: Country, *, filters: VoteFilters
) -> tuple[Listing, Any]:
    """A country's votes (every vote event it has a row in) under the filters, and the
    statement of its summary (counts by position over the whole selection)."""
    t = vote_event_target()
    conds = await common_conditions(session, filters, t)
    conds.append(Vote.country_id == country.id)
    if filters.kind is not None:
        conds.append(VoteEvent.kind == filters.kind)
    if filters.position is not None:
        conds.append(Vote.position == filters.position)
    base = (
        select(
            Vote.position,
            Vote.non_voting_reason,
            Vote.inferred,
            Vote.intended_position,
            Vote.name_in_source,
            Vote.outside_membership,
            VoteEvent.id.label("event_id"),
            VoteEvent.kind,
            VoteEvent.is_main,
            VoteEvent.voted_on,
            VoteEvent.date_approximate,
            VoteEvent.title.label("event_title"),
            VoteEvent.majority_required.label("majority"),
            VoteEvent.yes_count.label("yes"),
            VoteEvent.no_count.label("no"),
            VoteEvent.abstain_count.label("abstain"),
            VoteEvent.non_voting_count.label("non_voting"),
            VoteEvent.members_count.label("members"),
            VoteEvent.computed_outcome,
            VoteEvent.updated_at,
            Resolution.symbol,
            Resolution.draft_symbol,
            Resolution.title.label("res_title"),
            GASession.code.label("session_code"),
        )
        .select_from(Vote)
        .join(VoteEvent, VoteEvent.id == Vote.vote_event_id)
        .outerjoin(Resolution, Resolution.id == VoteEvent.resolution_id)
        .outerjoin(GASession, GASession.id == t.ga_session_id)
        .where(*conds)
        .order_by(*ordering(filters.sort, t))
    )
    summary = (
        select(Vote.position, func.count())
        .select_from(Vote)
        .join(VoteEvent, VoteEvent.id == Vote.vote_event_id)
        .group_by(Vote.position)
    )
    if filters.q:  # the only filter that reads the resolution
        summary = summary.outerjoin(Resolution, Resolution.id == VoteEvent.resolution_id)
    summary = summary.where(*conds)
    return Listing(rows=base, item=_history_item), summary


async def history_summary(session: AsyncSession, statement: Any) -> Item:
    counts = dict.fromkeys(POSITION_ORDER, 0)
    for position, n in (await session.execute(statement)).all():
        counts[position] = int(n)
    total = sum(counts.values())
    out: Item = {"votes": total}
    for p in POSITION_ORDER:
        out[p] = {"count": counts[p], "share": round(counts[p] / total, 4) if total else None}
    return out


def country_ref(country: Country) -> Item:
    return {"code": country.code, "name": country.name, "url": f"/v1/countries/{country.code}"}


async def country_conditions(session: AsyncSession, f: VoteFilters, t: Target) -> list[Any]:
    """``country`` (+ ``position``): votes in which that country has a row (in that position).
    ``position`` alone: votes in which at least one state took that position."""
    if f.country is None:
        if f.position is not None:
            return [position_count(t, f.position) > 0]
        return []
    country = await find_country(session, f.country)
    if country is None:
        message, suggestions = await no_match(session, f.country)
        raise unknown_param("country", message, suggestions=suggestions)
    cond = [Vote.vote_event_id == t.event_id, Vote.country_id == country.id]
    if f.position is not None:
        cond.append(Vote.position == f.position)
    return [exists().where(*cond)]


async def history_page(
    session: AsyncSession, country: Country, *, filters: VoteFilters, page: Page
) -> Item:
    """One page of the history and the summary of the whole selection: two statements."""
    listing, summary_stmt = await history(session, country, filters=filters)
    summary = await history_summary(session, summary_stmt)
    rows = (await session.execute(listing.rows.limit(page.limit).offset(page.offset))).all()
    return {
        "country": country_ref(country),
        "summary": summary,
        "items": [listing.item(r) for r in rows],
        "total": summary["votes"],
        "limit": page.limit,
        "offset": page.offset,
    }
