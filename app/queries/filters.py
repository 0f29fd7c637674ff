"""The vote filters shared by resolutions, vote events and country histories.

Dates of the 1946-1997 record are approximate to the month (``date_approximate``), so ``from``
and ``to`` compare those at month precision: a vote dated "June 1950" matches ``from=1950-06-20``
and ``to=1950-06-01``. Every other date is compared to the day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.symbols import parse_session_code
from app.errors import BadFilter, NotFound
from app.models import GASession, Resolution, Topic, VoteEvent, VoteEventTopic

MAX_WORDS = 10
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class VoteFilters:
    ga_session: str | None = None
    session_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    topics: tuple[str, ...] = ()
    q: str | None = None
    country: str | None = None
    position: str | None = None
    adopted: bool | None = None
    important: bool | None = None
    kind: str | None = None
    updated_since: datetime | None = None
    sort: str = "-date"


@dataclass(frozen=True)
class Target:
    """The columns a selection exposes to the filters."""

    event_id: Any
    date: Any
    approximate: Any
    ga_session_id: Any
    texts: Sequence[Any]
    outcome: Any
    important: Any
    updated: Sequence[Any]
    yes: Any
    no: Any
    abstain: Any
    non_voting: Any
    members: Any
    majority: Any
    row_id: Any


def bad_param(name: str, message: str, **extra: Any) -> BadFilter:
    """A 422 naming the parameter, shaped like FastAPI's validation errors."""
    return BadFilter(
        f"Invalid request: {name}. {message}",
        errors=[{"loc": ["query", name], "msg": message}],
        **extra,
    )


def unknown_param(name: str, message: str, **extra: Any) -> NotFound:
    """A 404 for a parameter that names something the data does not hold (a country, topic
    or group): the request is well-formed, the thing it refers to does not exist."""
    return NotFound(
        f"Query parameter `{name}`: {message}",
        errors=[{"loc": ["query", name], "msg": message}],
        **extra,
    )


def position_count(t: Target, position: str) -> Any:
    return {"yes": t.yes, "no": t.no, "abstain": t.abstain, "non_voting": t.non_voting}[position]


def month_bounds(d: date) -> tuple[date, date]:
    first = d.replace(day=1)
    return first, d.replace(day=calendar.monthrange(d.year, d.month)[1])


def as_utc(value: datetime) -> datetime:
    """An instant in UTC (naive means UTC), clamped at the ends of the calendar."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if value.year == 1 else datetime.max
        return edge.replace(tzinfo=UTC)


def without_controls(text: str) -> str:
    return _CONTROLS.sub(" ", text)


def like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def words(q: str) -> list[str]:
    return without_controls(q).split()[:MAX_WORDS]


def margin_expr(t: Target) -> Any:
    return case((t.majority == "two_thirds", t.yes - 2 * t.no), else_=t.yes - t.no)


async def check_topics(session: AsyncSession, topics: Sequence[str]) -> None:
    known = set((await session.execute(select(Topic.code))).scalars())
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise unknown_param(
            "topic",
            f"Unknown topic {', '.join(repr(u) for u in unknown)}; known: "
            + ", ".join(sorted(known))
            + ".",
        )


async def common_conditions(
    session: AsyncSession, f: VoteFilters, t: Target
) -> list[ColumnElement[bool]]:
    """Conditions for every filter but ``kind`` and ``country``/``position``, whose meaning
    depends on the selection (see the callers)."""
    conds: list[ColumnElement[bool]] = []
    if f.ga_session is not None:
        parsed = parse_session_code(f.ga_session)
        if parsed is None:
            raise bad_param(
                "session",
                f"{f.ga_session!r} is not a session: use a number (75), S-13 or ES-11.",
            )
        conds.append(
            t.ga_session_id.in_(
                select(GASession.id).where(
                    GASession.type == parsed[0], GASession.number == parsed[1]
                )
            )
        )
    if f.session_type is not None:
        conds.append(
            t.ga_session_id.in_(select(GASession.id).where(GASession.type == f.session_type))
        )
    if f.date_from is not None:
        first, _ = month_bounds(f.date_from)
        conds.append(or_(t.date >= f.date_from, and_(t.approximate, t.date >= first)))
    if f.date_to is not None:
        _, last = month_bounds(f.date_to)
        conds.append(or_(t.date <= f.date_to, and_(t.approximate, t.date <= last)))
    if f.topics:
        await check_topics(session, f.topics)
        conds.append(
            exists()
            .where(VoteEventTopic.vote_event_id == t.event_id)
            .where(VoteEventTopic.topic_id.in_(select(Topic.id).where(Topic.code.in_(f.topics))))
        )
    if f.q:
        for word in words(f.q):
            pattern = like_pattern(word)
            conds.append(or_(*(col.ilike(pattern, escape="\\") for col in t.texts)))
    if f.adopted is not None:
        conds.append(t.outcome == ("adopted" if f.adopted else "rejected"))
    if f.important is not None:
        conds.append(t.important.is_(f.important))
    if f.updated_since is not None:
        since = as_utc(f.updated_since)
        conds.append(or_(*(col >= since for col in t.updated)))
    return conds


def ordering(sort: str, t: Target) -> list[Any]:
    """``date``/``-date`` (default newest first) or ``margin``/``-margin`` (closest first /
    widest first; votes without a tally last); always ending with the row id."""
    if sort in ("margin", "-margin"):
        m = func.abs(margin_expr(t))
        no_tally = case((func.coalesce(t.members, 0) == 0, 1), else_=0)
        return [no_tally, m.desc() if sort == "-margin" else m, t.date.desc(), t.row_id]
    if sort == "date":
        return [t.date, t.row_id]
    return [t.date.desc(), t.row_id.desc()]


def vote_event_target() -> Target:
    """The filter target of a list of vote events (their own tally, date and texts, and their
    resolution's): shared by /v1/vote-events and a country's history."""
    return Target(
        event_id=VoteEvent.id,
        date=VoteEvent.voted_on,
        approximate=VoteEvent.date_approximate,
        ga_session_id=VoteEvent.ga_session_id,
        texts=(VoteEvent.title, VoteEvent.description, Resolution.title, Resolution.description),
        outcome=VoteEvent.computed_outcome,
        important=VoteEvent.important,
        updated=(VoteEvent.updated_at,),
        yes=VoteEvent.yes_count,
        no=VoteEvent.no_count,
        abstain=VoteEvent.abstain_count,
        non_voting=VoteEvent.non_voting_count,
        members=VoteEvent.members_count,
        majority=VoteEvent.majority_required,
        row_id=VoteEvent.id,
    )
