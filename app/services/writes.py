"""Writes to resolutions and vote events: validate against the database, lock, check
``If-Match``, change, recompute, audit. Functions only flush; the request's session commits.

Every function takes the row lock first (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
transaction already holds the write lock from ``BEGIN IMMEDIATE``), then reads the current record
and compares its ETag, so two editors sending the same ``If-Match`` cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fastapi import Request
from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import Caller
from app.domain.symbols import parse_session_code, parse_symbol
from app.errors import Conflict, NotFound
from app.models import (
    Country,
    GASession,
    Membership,
    NewsResolutionLink,
    Resolution,
    Source,
    Topic,
    Vote,
    VoteEvent,
    VoteEventSource,
    VoteEventTopic,
)
from app.schemas.write import (
    ResolutionFields,
    ResolutionPatch,
    ResolutionRecord,
    RollRowIn,
    RollRowRecord,
    SourceRecord,
    TallyRecord,
    VoteEventIn,
    VoteEventPatch,
    VoteEventRecord,
)
from app.services.rolls import complete_rolls, membership_window
from app.services.writes_audit import (
    InvalidBody,
    check_if_match,
    check_if_none_match,
    etag_of,
    invalid,
    record_write,
)

Record = dict[str, Any]


@dataclass(frozen=True)
class Written:
    """The record after a write, its ETag, and whether the write created it."""

    record: Record
    etag: str
    created: bool = False


def _json(model: ResolutionRecord | VoteEventRecord) -> Record:
    return model.model_dump(mode="json")


# --- shared lookups ---------------------------------------------------------------------------


async def _ga_session_id(
    session: AsyncSession, code: str | None, *, loc: list[str | int]
) -> int | None:
    """The id of a GA session by code, created when the code is valid but not yet known."""
    if code is None:
        return None
    found = await session.scalar(select(GASession.id).where(GASession.code == code))
    if found is not None:
        return int(found)
    parsed = parse_session_code(code)
    if parsed is None:  # pragma: no cover - the schema validated it
        raise invalid(loc, "not a session code")
    row = GASession(type=parsed[0], number=parsed[1], code=code)
    session.add(row)
    await session.flush()
    return row.id


async def _session_code(session: AsyncSession, ga_session_id: int | None) -> str | None:
    if ga_session_id is None:
        return None
    code = await session.scalar(select(GASession.code).where(GASession.id == ga_session_id))
    return str(code) if code is not None else None


def _symbol_session(symbol: str | None) -> str | None:
    parsed = parse_symbol(symbol) if symbol else None
    return parsed.session if parsed else None


async def _flush_or_conflict(session: AsyncSession, what: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"{what} conflicts with an existing record.") from exc


# --- resolutions ------------------------------------------------------------------------------


async def find_resolution(
    session: AsyncSession, symbol_text: str, *, lock: bool = False
) -> Resolution | None:
    """By symbol in any common form, or by draft symbol."""
    parsed = parse_symbol(symbol_text)
    if parsed is None:
        return None
    column = Resolution.symbol if parsed.kind == "resolution" else Resolution.draft_symbol
    stmt = select(Resolution).where(column == parsed.canonical).order_by(Resolution.id)
    if lock:
        stmt = stmt.with_for_update()
    rows = (await session.scalars(stmt.execution_options(populate_existing=True))).all()
    if len(rows) > 1:
        raise Conflict(
            f"The draft {parsed.canonical} belongs to several records; use a resolution symbol."
        )
    return rows[0] if rows else None


async def resolution_record(session: AsyncSession, res: Resolution) -> Record:
    ids = (
        await session.scalars(
            select(VoteEvent.id).where(VoteEvent.resolution_id == res.id).order_by(VoteEvent.id)
        )
    ).all()
    return _json(
        ResolutionRecord(
            id=res.id,
            symbol=res.symbol,
            draft_symbol=res.draft_symbol,
            title=res.title,
            description=res.description,
            session=await _session_code(session, res.ga_session_id),
            adopted_on=res.adopted_on,
            date_approximate=res.date_approximate,
            meeting_record=res.meeting_record,
            source_url=res.source_url,
            vote_event_ids=list(ids),
        )
    )


def resolution_ref(record: Record) -> str:
    return str(record["symbol"] or record["draft_symbol"])


def resolution_location(record: Record) -> str:
    return f"/v1/resolutions/{resolution_ref(record)}"


async def _check_resolution_keys(
    session: AsyncSession, *, symbol: str | None, draft_symbol: str | None, own_id: int | None
) -> None:
    """409 when another record has the symbol (or, for a failed draft, the draft symbol)."""
    if symbol is not None:
        other = await session.scalar(select(Resolution.id).where(Resolution.symbol == symbol))
        if other is not None and other != own_id:
            raise Conflict(f"A resolution {symbol} already exists.")
    elif draft_symbol is not None:
        other = await session.scalar(
            select(Resolution.id).where(
                Resolution.draft_symbol == draft_symbol, Resolution.symbol.is_(None)
            )
        )
        if other is not None and other != own_id:
            raise Conflict(f"A draft {draft_symbol} already exists.")


async def _resolution_values(
    session: AsyncSession, values: dict[str, Any], *, check_session: bool = True
) -> dict[str, Any]:
    """Check symbol/session consistency and turn ``session`` into ``ga_session_id``; a missing
    session is the symbol's."""
    symbol, draft = values.get("symbol"), values.get("draft_symbol")
    if symbol is None and draft is None:
        raise invalid(["body", "symbol"], "a record needs a symbol or a draft_symbol")
    implied = _symbol_session(symbol) or _symbol_session(draft)
    code = values.pop("session", None)
    if code is None:
        code = implied
    elif check_session and implied is not None and code != implied:
        raise invalid(["body", "session"], f"does not match the symbol's session ({implied})")
    values["ga_session_id"] = await _ga_session_id(session, code, loc=["body", "session"])
    return values


async def create_resolution(
    session: AsyncSession, caller: Caller, request: Request, body: ResolutionFields
) -> Written:
    values = await _resolution_values(session, body.model_dump())
    await _check_resolution_keys(
        session, symbol=values["symbol"], draft_symbol=values["draft_symbol"], own_id=None
    )
    res = Resolution(**values)
    session.add(res)
    await _flush_or_conflict(session, "The resolution")
    after = await resolution_record(session, res)
    await record_write(
        session,
        caller,
        request,
        resource="resolution",
        resource_id=resolution_ref(after),
        action="create",
        before=None,
        after=after,
    )
    return Written(after, etag_of(after) or "", created=True)


def _path_symbol(symbol_text: str) -> tuple[str, str]:
    parsed = parse_symbol(symbol_text)
    if parsed is None:
        raise invalid(["path", "symbol"], "not a resolution or draft symbol")
    return parsed.kind, parsed.canonical


async def put_resolution(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    symbol_text: str,
    body: ResolutionFields,
    *,
    if_match: str | None,
    if_none_match: str | None,
) -> Written:
    """Create or replace the record at this symbol (idempotent)."""
    kind, canonical = _path_symbol(symbol_text)
    field = "symbol" if kind == "resolution" else "draft_symbol"
    given = getattr(body, field)
    if given is not None and given != canonical:
        raise invalid(["body", field], f"must match the path ({canonical}) or be left out")
    body = body.model_copy(update={field: canonical})
    existing = await find_resolution(session, canonical, lock=True)
    before = await resolution_record(session, existing) if existing else None
    what = f"Resolution {canonical}"
    check_if_none_match(if_none_match, etag_of(before), what=what)
    await check_if_match(session, if_match, etag_of(before), what=what)
    if existing is None:
        return await create_resolution(session, caller, request, body)
    values = await _resolution_values(session, body.model_dump())
    return await _change_resolution(session, caller, request, existing, values, before, "replace")


async def _change_resolution(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    res: Resolution,
    values: dict[str, Any],
    before: Record | None,
    action: Literal["replace", "update"],
) -> Written:
    """Store the checked values over an existing record; audit it if anything changed."""
    await _check_resolution_keys(
        session, symbol=values["symbol"], draft_symbol=values["draft_symbol"], own_id=res.id
    )
    for key, value in values.items():
        setattr(res, key, value)
    await _flush_or_conflict(session, "The resolution")
    after = await resolution_record(session, res)
    if after != before:
        await record_write(
            session,
            caller,
            request,
            resource="resolution",
            resource_id=resolution_ref(after),
            action=action,
            before=before,
            after=after,
        )
    return Written(after, etag_of(after) or "")


async def _locked_resolution(session: AsyncSession, symbol_text: str) -> Resolution:
    res = await find_resolution(session, symbol_text, lock=True)
    if res is None:
        raise NotFound(f"No resolution {symbol_text}.")
    return res


async def patch_resolution(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    symbol_text: str,
    body: ResolutionPatch,
    *,
    if_match: str | None,
) -> Written:
    res = await _locked_resolution(session, symbol_text)
    before = await resolution_record(session, res)
    await check_if_match(session, if_match, etag_of(before), what=f"Resolution {symbol_text}")
    current = {
        "symbol": res.symbol,
        "draft_symbol": res.draft_symbol,
        "title": res.title,
        "description": res.description,
        "adopted_on": res.adopted_on,
        "date_approximate": res.date_approximate,
        "meeting_record": res.meeting_record,
        "source_url": res.source_url,
    }
    changes = body.model_dump(exclude_unset=True)
    touches_keys = bool({"symbol", "draft_symbol", "session"} & changes.keys())
    # The stored session stays unless the change names one or a new symbol implies one.
    if "session" not in changes and not ({"symbol", "draft_symbol"} & changes.keys()):
        current["session"] = before["session"]
    values = await _resolution_values(session, {**current, **changes}, check_session=touches_keys)
    return await _change_resolution(session, caller, request, res, values, before, "update")


async def delete_resolution(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    symbol_text: str,
    *,
    if_match: str | None,
) -> None:
    """Delete the record with its vote events and news links (the schema cascades); the audit
    entry keeps all of it."""
    res = await _locked_resolution(session, symbol_text)
    before = await resolution_record(session, res)
    await check_if_match(session, if_match, etag_of(before), what=f"Resolution {symbol_text}")
    kept = dict(before)
    kept["vote_events"] = [
        await vote_event_record(session, ev_id) for ev_id in before["vote_event_ids"]
    ]
    links = (
        await session.execute(
            select(NewsResolutionLink.news_item_id, NewsResolutionLink.relation)
            .where(NewsResolutionLink.resolution_id == res.id)
            .order_by(NewsResolutionLink.news_item_id)
        )
    ).all()
    kept["news_links"] = [{"news_item_id": n, "relation": r} for n, r in links]
    session.expunge(res)
    await session.execute(delete(Resolution).where(Resolution.id == res.id))
    await record_write(
        session,
        caller,
        request,
        resource="resolution",
        resource_id=resolution_ref(before),
        action="delete",
        before=kept,
        after=None,
    )


# --- vote events ------------------------------------------------------------------------------


async def vote_event_record(session: AsyncSession, event_id: int) -> Record:
    ev = await session.scalar(
        select(VoteEvent).where(VoteEvent.id == event_id).execution_options(populate_existing=True)
    )
    if ev is None:
        raise NotFound(f"No vote event {event_id}.")
    resolution = None
    if ev.resolution_id is not None:
        row = (
            await session.execute(
                select(Resolution.symbol, Resolution.draft_symbol).where(
                    Resolution.id == ev.resolution_id
                )
            )
        ).one()
        resolution = row[0] or row[1]
    topics = (
        await session.scalars(
            select(Topic.code)
            .join(VoteEventTopic, VoteEventTopic.topic_id == Topic.id)
            .where(VoteEventTopic.vote_event_id == ev.id)
            .order_by(Topic.code)
        )
    ).all()
    sources = (
        await session.execute(
            select(
                Source.slug,
                VoteEventSource.source_key,
                VoteEventSource.source_ref,
                VoteEventSource.url,
            )
            .join(Source, Source.id == VoteEventSource.source_id)
            .where(VoteEventSource.vote_event_id == ev.id)
            .order_by(VoteEventSource.id)
        )
    ).all()
    votes = (
        await session.execute(
            select(
                Country.code,
                Vote.position,
                Vote.non_voting_reason,
                Vote.inferred,
                Vote.intended_position,
                Vote.name_in_source,
                Vote.outside_membership,
            )
            .join(Country, Country.id == Vote.country_id)
            .where(Vote.vote_event_id == ev.id)
            .order_by(Country.code)
        )
    ).all()
    return _json(
        VoteEventRecord(
            id=ev.id,
            resolution=resolution,
            session=await _session_code(session, ev.ga_session_id),
            kind=ev.kind,
            is_main=ev.is_main,
            voted_on=ev.voted_on,
            date_approximate=ev.date_approximate,
            meeting_record=ev.meeting_record,
            title=ev.title,
            description=ev.description,
            important=ev.important,
            majority_required=ev.majority_required,
            majority_recorded=ev.majority_recorded,
            official_outcome=ev.official_outcome,
            official_yes=ev.official_yes,
            official_no=ev.official_no,
            official_abstain=ev.official_abstain,
            official_non_voting=ev.official_non_voting,
            official_members=ev.official_members,
            topics=list(topics),
            tally=TallyRecord(
                yes=ev.yes_count,
                no=ev.no_count,
                abstain=ev.abstain_count,
                non_voting=ev.non_voting_count,
                members=ev.members_count,
            ),
            computed_outcome=ev.computed_outcome,
            totals_discrepancy=ev.totals_discrepancy,
            sources=[
                SourceRecord(source=s, source_key=k, source_ref=r, url=u) for s, k, r, u in sources
            ],
            votes=[
                RollRowRecord(
                    country=c,
                    position=p,
                    non_voting_reason=nr,
                    inferred=inf,
                    intended_position=ip,
                    name_in_source=ns,
                    outside_membership=om,
                )
                for c, p, nr, inf, ip, ns, om in votes
            ],
        )
    )


def vote_event_location(event_id: int) -> str:
    return f"/v1/vote-events/{event_id}"


async def _members_on(
    session: AsyncSession, voted_on: date, approximate: bool
) -> tuple[set[int], set[int]]:
    """(certain members, possible members) on the date (to the month when approximate)."""
    c_from, c_to, p_from, p_to = membership_window(voted_on, approximate)
    certain = await session.scalars(
        select(Membership.country_id).where(
            Membership.admitted_on <= c_from,
            or_(Membership.left_on.is_(None), Membership.left_on > c_to),
        )
    )
    certain_ids = set(certain.all())
    possible = await session.scalars(
        select(Membership.country_id).where(
            and_(
                Membership.admitted_on <= p_to,
                or_(Membership.left_on.is_(None), Membership.left_on > p_from),
            )
        )
    )
    return certain_ids, set(possible.all())


async def _country_ids(session: AsyncSession, codes: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = await session.execute(select(Country.code, Country.id).where(Country.code.in_(wanted)))
    return {code: cid for code, cid in rows.all()}


@dataclass
class _Row:
    country_id: int
    code: str
    position: str
    non_voting_reason: str | None
    intended_position: str | None
    name_in_source: str | None
    inferred: bool = False
    index: int | None = None  # position in the request's votes list


def _rows_from_body(
    votes: Sequence[RollRowIn], ids: dict[str, int], errors: list[dict[str, Any]]
) -> list[_Row]:
    seen: dict[str, int] = {}
    out = []
    for i, v in enumerate(votes):
        loc = ["body", "votes", str(i), "country"]
        if v.country in seen:
            msg = f"{v.country} appears twice (also at {seen[v.country]})"
            errors.append({"loc": loc, "msg": msg})
            continue
        seen[v.country] = i
        if v.country not in ids:
            errors.append({"loc": loc, "msg": f"unknown country code {v.country}"})
            continue
        out.append(
            _Row(
                country_id=ids[v.country],
                code=v.country,
                position=v.position,
                non_voting_reason=v.non_voting_reason,
                intended_position=v.intended_position,
                name_in_source=v.name_in_source,
                index=i,
            )
        )
    return out


async def _check_roll(
    session: AsyncSession,
    rows: list[_Row],
    *,
    voted_on: date,
    approximate: bool,
    allow_outside_membership: bool,
    errors: list[dict[str, Any]],
) -> list[_Row]:
    """Every certain member present; no row for a state that was not even possibly a member
    (unless allowed, then it is flagged). Inferred rows that no longer apply are dropped."""
    certain, possible = await _members_on(session, voted_on, approximate)
    kept = [r for r in rows if not (r.inferred and r.country_id not in certain)]
    present = {r.country_id for r in kept}
    missing = certain - present
    if missing:
        codes = await session.scalars(
            select(Country.code).where(Country.id.in_(missing)).order_by(Country.code)
        )
        errors.append(
            {
                "loc": ["body", "votes"],
                "msg": f"the roll lacks {len(missing)} member(s) on {voted_on.isoformat()}: "
                + ", ".join(codes.all())
                + " (send absent members with position non_voting)",
            }
        )
    if not allow_outside_membership:
        for r in kept:
            if r.country_id not in possible:
                loc = (
                    ["body", "votes", str(r.index), "country"]
                    if r.index is not None
                    else ["body", "voted_on"]
                )
                errors.append(
                    {
                        "loc": loc,
                        "msg": f"{r.code} was not a UN member on {voted_on.isoformat()} "
                        "(allow_outside_membership=true records it, flagged)",
                    }
                )
    return kept


async def _topic_ids(session: AsyncSession, codes: list[str]) -> list[int]:
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    rows = dict(
        (await session.execute(select(Topic.code, Topic.id).where(Topic.code.in_(wanted)))).all()
    )
    unknown = [c for c in wanted if c not in rows]
    if unknown:
        raise invalid(["body", "topics"], f"unknown topic code(s): {', '.join(unknown)}")
    return [rows[c] for c in wanted]


async def _resolution_for_event(session: AsyncSession, ref: str | None) -> Resolution | None:
    if ref is None:
        return None
    res = await find_resolution(session, ref, lock=True)
    if res is None:
        raise invalid(["body", "resolution"], f"no resolution {ref} (create it first)")
    return res


async def _check_single_main(
    session: AsyncSession, resolution: Resolution | None, is_main: bool, own_id: int | None
) -> None:
    if resolution is None or not is_main:
        return
    other = await session.scalar(
        select(VoteEvent.id).where(
            VoteEvent.resolution_id == resolution.id,
            VoteEvent.is_main.is_(True),
            VoteEvent.id != (own_id or -1),
        )
    )
    if other is not None:
        ref = resolution.symbol or resolution.draft_symbol
        raise Conflict(
            f"{ref} already has a main vote event ({vote_event_location(other)}); "
            "correct it with PUT or PATCH, or send is_main=false."
        )


_EVENT_FIELDS = (
    "kind",
    "is_main",
    "voted_on",
    "date_approximate",
    "meeting_record",
    "title",
    "description",
    "important",
    "majority_required",
    "majority_recorded",
    "official_outcome",
    "official_yes",
    "official_no",
    "official_abstain",
    "official_non_voting",
    "official_members",
)


async def _write_roll(session: AsyncSession, event_id: int, rows: list[_Row]) -> None:
    await session.execute(delete(Vote).where(Vote.vote_event_id == event_id))
    if rows:
        await session.execute(
            insert(Vote),
            [
                {
                    "vote_event_id": event_id,
                    "country_id": r.country_id,
                    "position": r.position,
                    "non_voting_reason": r.non_voting_reason,
                    "inferred": r.inferred,
                    "intended_position": r.intended_position,
                    "name_in_source": r.name_in_source,
                    "outside_membership": False,
                }
                for r in rows
            ],
        )
    await session.run_sync(lambda s: complete_rolls(s, [event_id]))


async def _write_topics(session: AsyncSession, event_id: int, topic_ids: list[int]) -> None:
    await session.execute(delete(VoteEventTopic).where(VoteEventTopic.vote_event_id == event_id))
    if topic_ids:
        await session.execute(
            insert(VoteEventTopic),
            [{"vote_event_id": event_id, "topic_id": t} for t in topic_ids],
        )


async def _event_session_id(
    session: AsyncSession, code: str | None, resolution: Resolution | None
) -> int | None:
    """The named session, else the resolution's."""
    if code is not None:
        return await _ga_session_id(session, code, loc=["body", "session"])
    return resolution.ga_session_id if resolution else None


async def _apply_event(
    session: AsyncSession,
    ev: VoteEvent,
    fields: dict[str, Any],
    *,
    resolution: Resolution | None,
    ga_session_id: int | None,
    rows: list[_Row],
    topic_ids: list[int],
) -> None:
    for key in _EVENT_FIELDS:
        setattr(ev, key, fields[key])
    ev.resolution_id = resolution.id if resolution else None
    ev.ga_session_id = ga_session_id
    if ev.id is None:
        session.add(ev)
    await session.flush()
    await _write_topics(session, ev.id, topic_ids)
    await _write_roll(session, ev.id, rows)


async def _prepare_full(
    session: AsyncSession, body: VoteEventIn, *, allow_outside_membership: bool
) -> tuple[Resolution | None, list[_Row], list[int]]:
    errors: list[dict[str, Any]] = []
    resolution = await _resolution_for_event(session, body.resolution)
    topic_ids = await _topic_ids(session, body.topics)
    ids = await _country_ids(session, (v.country for v in body.votes))
    rows = _rows_from_body(body.votes, ids, errors)
    rows = await _check_roll(
        session,
        rows,
        voted_on=body.voted_on,
        approximate=body.date_approximate,
        allow_outside_membership=allow_outside_membership,
        errors=errors,
    )
    if errors:
        raise InvalidBody(errors)
    return resolution, rows, topic_ids


async def create_vote_event(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    body: VoteEventIn,
    *,
    allow_outside_membership: bool,
) -> Written:
    resolution, rows, topic_ids = await _prepare_full(
        session, body, allow_outside_membership=allow_outside_membership
    )
    await _check_single_main(session, resolution, body.is_main, None)
    ev = VoteEvent()
    await _apply_event(
        session,
        ev,
        body.model_dump(),
        resolution=resolution,
        ga_session_id=await _event_session_id(session, body.session, resolution),
        rows=rows,
        topic_ids=topic_ids,
    )
    after = await vote_event_record(session, ev.id)
    await record_write(
        session,
        caller,
        request,
        resource="vote_event",
        resource_id=str(ev.id),
        action="create",
        before=None,
        after=after,
    )
    return Written(after, etag_of(after) or "", created=True)


async def _locked_event(session: AsyncSession, event_id: int) -> VoteEvent:
    ev = await session.scalar(
        select(VoteEvent)
        .where(VoteEvent.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if ev is None:
        raise NotFound(f"No vote event {event_id}.")
    return ev


async def put_vote_event(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    event_id: int,
    body: VoteEventIn,
    *,
    if_match: str | None,
    allow_outside_membership: bool,
) -> Written:
    """Replace the event and its whole roll (its source identifiers are kept)."""
    ev = await _locked_event(session, event_id)
    before = await vote_event_record(session, event_id)
    await check_if_match(session, if_match, etag_of(before), what=f"Vote event {event_id}")
    resolution, rows, topic_ids = await _prepare_full(
        session, body, allow_outside_membership=allow_outside_membership
    )
    await _check_single_main(session, resolution, body.is_main, event_id)
    await _apply_event(
        session,
        ev,
        body.model_dump(),
        resolution=resolution,
        ga_session_id=await _event_session_id(session, body.session, resolution),
        rows=rows,
        topic_ids=topic_ids,
    )
    return await _finish_event_change(session, caller, request, event_id, before, "replace")


async def patch_vote_event(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    event_id: int,
    body: VoteEventPatch,
    *,
    if_match: str | None,
    allow_outside_membership: bool,
) -> Written:
    """Change some fields and/or correct some rows; the resulting roll is checked whole."""
    ev = await _locked_event(session, event_id)
    before = await vote_event_record(session, event_id)
    await check_if_match(session, if_match, etag_of(before), what=f"Vote event {event_id}")
    changes = body.model_dump(exclude_unset=True)
    fields = {key: getattr(ev, key) for key in _EVENT_FIELDS}
    fields.update({k: v for k, v in changes.items() if k in _EVENT_FIELDS})

    errors: list[dict[str, Any]] = []
    if "resolution" in changes:
        resolution = await _resolution_for_event(session, body.resolution)
    else:
        resolution = await session.get(Resolution, ev.resolution_id) if ev.resolution_id else None
    if "session" in changes:
        ga_session_id = await _event_session_id(session, body.session, None)
    elif "resolution" in changes and resolution is not None:
        ga_session_id = resolution.ga_session_id  # follow the new resolution
    else:
        ga_session_id = ev.ga_session_id
    topic_ids = await _topic_ids(
        session, body.topics if body.topics is not None else before["topics"]
    )

    current = (
        await session.execute(
            select(Vote, Country.code)
            .join(Country, Country.id == Vote.country_id)
            .where(Vote.vote_event_id == event_id)
        )
    ).all()
    by_country: dict[int, _Row] = {
        v.country_id: _Row(
            country_id=v.country_id,
            code=code,
            position=v.position,
            non_voting_reason=v.non_voting_reason,
            intended_position=v.intended_position,
            name_in_source=v.name_in_source,
            inferred=v.inferred,
        )
        for v, code in current
    }
    if body.votes is not None:
        ids = await _country_ids(session, (v.country for v in body.votes))
        for row in _rows_from_body(body.votes, ids, errors):
            by_country[row.country_id] = row
    rows = await _check_roll(
        session,
        list(by_country.values()),
        voted_on=fields["voted_on"],
        approximate=fields["date_approximate"],
        allow_outside_membership=allow_outside_membership,
        errors=errors,
    )
    if errors:
        raise InvalidBody(errors)
    await _check_single_main(session, resolution, fields["is_main"], event_id)
    await _apply_event(
        session,
        ev,
        fields,
        resolution=resolution,
        ga_session_id=ga_session_id,
        rows=rows,
        topic_ids=topic_ids,
    )
    return await _finish_event_change(session, caller, request, event_id, before, "update")


async def _finish_event_change(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    event_id: int,
    before: Record,
    action: Literal["replace", "update"],
) -> Written:
    after = await vote_event_record(session, event_id)
    if after != before:
        await record_write(
            session,
            caller,
            request,
            resource="vote_event",
            resource_id=str(event_id),
            action=action,
            before=before,
            after=after,
        )
    return Written(after, etag_of(after) or "")


async def delete_vote_event(
    session: AsyncSession,
    caller: Caller,
    request: Request,
    event_id: int,
    *,
    if_match: str | None,
) -> None:
    ev = await _locked_event(session, event_id)
    before = await vote_event_record(session, event_id)
    await check_if_match(session, if_match, etag_of(before), what=f"Vote event {event_id}")
    session.expunge(ev)
    await session.execute(delete(VoteEvent).where(VoteEvent.id == event_id))
    await record_write(
        session,
        caller,
        request,
        resource="vote_event",
        resource_id=str(event_id),
        action="delete",
        before=before,
        after=None,
    )
