"""Complete rolls and tallies, in SQL, shared by the seed, the importers and the write API.

Sync functions taking a ``Session``; async code calls them through ``AsyncSession.run_sync``.

Membership on a vote's date: a state is a member on day d when ``admitted_on <= d < left_on``.
Where the vote's date is approximate (the 1946-1997 record keeps only the month), a state is
*certainly* a member when it was one for the whole month, and *possibly* one when it was one on
any day of that month. Inferred non-votes are only filled in for certain members; a recorded row
for a state that was not even possibly a member is flagged ``outside_membership``, not rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.domain.adoption import compute_outcome
from app.models import Membership, Vote, VoteEvent

_CHUNK = 500


def month_bounds(d: date) -> tuple[date, date]:
    """First and last day of d's month."""
    first = d.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def membership_window(voted_on: date, approximate: bool) -> tuple[date, date, date, date]:
    """(certain_from, certain_to, possible_from, possible_to) day bounds to test a spell on."""
    if not approximate:
        return voted_on, voted_on, voted_on, voted_on
    first, last = month_bounds(voted_on)
    return first, last, first, last


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def fill_inferred_non_votes(session: Session, event_ids: Sequence[int]) -> int:
    """Add a ``non_voting`` row (reason ``unknown``, ``inferred``) for every state that was
    certainly a member on the vote's date and has no row. Returns the number of rows added."""
    added = 0
    events = session.execute(
        select(VoteEvent.id, VoteEvent.voted_on, VoteEvent.date_approximate).where(
            VoteEvent.id.in_(event_ids)
        )
    ).all()
    # Group events by their membership window so one INSERT … SELECT serves many events.
    by_window: dict[tuple[date, date], list[int]] = {}
    for ev_id, voted_on, approx in events:
        c_from, c_to, _, _ = membership_window(voted_on, approx)
        by_window.setdefault((c_from, c_to), []).append(ev_id)
    for (c_from, c_to), ids in by_window.items():
        for chunk in _chunks(ids):
            member = and_(
                Membership.admitted_on <= c_from,
                or_(Membership.left_on.is_(None), Membership.left_on > c_to),
            )
            no_row = ~exists().where(
                Vote.vote_event_id == VoteEvent.id, Vote.country_id == Membership.country_id
            )
            sel = (
                select(
                    VoteEvent.id,
                    Membership.country_id,
                    literal("non_voting"),
                    literal("unknown"),
                    literal(True),
                    literal(False),
                )
                .select_from(VoteEvent)
                .join(Membership, member)
                .where(VoteEvent.id.in_(chunk), no_row)
                .distinct()
            )
            result = session.execute(
                insert(Vote).from_select(
                    [
                        "vote_event_id",
                        "country_id",
                        "position",
                        "non_voting_reason",
                        "inferred",
                        "outside_membership",
                    ],
                    sel,
                )
            )
            added += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    session.flush()
    return added


def flag_outside_membership(session: Session, event_ids: Sequence[int]) -> int:
    """Mark recorded rows of states that were not (even possibly) members on the vote's date."""
    flagged = 0
    events = session.execute(
        select(VoteEvent.id, VoteEvent.voted_on, VoteEvent.date_approximate).where(
            VoteEvent.id.in_(event_ids)
        )
    ).all()
    by_window: dict[tuple[date, date], list[int]] = {}
    for ev_id, voted_on, approx in events:
        _, _, p_from, p_to = membership_window(voted_on, approx)
        by_window.setdefault((p_from, p_to), []).append(ev_id)
    for (p_from, p_to), ids in by_window.items():
        for chunk in _chunks(ids):
            possibly_member = exists().where(
                Membership.country_id == Vote.country_id,
                Membership.admitted_on <= p_to,
                or_(Membership.left_on.is_(None), Membership.left_on > p_from),
            )
            result = session.execute(
                update(Vote)
                .where(Vote.vote_event_id.in_(chunk), ~possibly_member)
                .values(outside_membership=True)
                .execution_options(synchronize_session=False)
            )
            flagged += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    session.flush()
    return flagged


def recompute_tallies(session: Session, event_ids: Sequence[int]) -> None:
    """Recount each event's tally from its rows and recompute its outcome and discrepancy."""
    counts: dict[int, dict[str, int]] = {
        i: {"yes": 0, "no": 0, "abstain": 0, "non_voting": 0} for i in event_ids
    }
    for chunk in _chunks(list(event_ids)):
        rows = session.execute(
            select(Vote.vote_event_id, Vote.position, func.count())
            .where(Vote.vote_event_id.in_(chunk))
            .group_by(Vote.vote_event_id, Vote.position)
        ).all()
        for ev_id, position, n in rows:
            counts[ev_id][position] = n
    events = session.execute(
        select(
            VoteEvent.id,
            VoteEvent.majority_required,
            VoteEvent.official_yes,
            VoteEvent.official_no,
            VoteEvent.official_abstain,
            VoteEvent.official_non_voting,
        ).where(VoteEvent.id.in_(event_ids))
    ).all()
    params = []
    for ev_id, majority, o_yes, o_no, o_abs, o_nv in events:
        c = counts[ev_id]
        diffs = []
        for label, official, computed in (
            ("yes", o_yes, c["yes"]),
            ("no", o_no, c["no"]),
            ("abstain", o_abs, c["abstain"]),
            ("non_voting", o_nv, c["non_voting"]),
        ):
            if official is not None and official != computed:
                diffs.append(f"{label}: official {official}, rows {computed}")
        params.append(
            {
                "b_id": ev_id,
                "yes_count": c["yes"],
                "no_count": c["no"],
                "abstain_count": c["abstain"],
                "non_voting_count": c["non_voting"],
                "members_count": sum(c.values()),
                "computed_outcome": compute_outcome(c["yes"], c["no"], majority)
                if sum(c.values())
                else "unknown",
                "totals_discrepancy": "; ".join(diffs) or None,
            }
        )
    if params:
        table = VoteEvent.__table__
        assert isinstance(table, Table)
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                {
                    k: bindparam(k)
                    for k in (
                        "yes_count",
                        "no_count",
                        "abstain_count",
                        "non_voting_count",
                        "members_count",
                        "computed_outcome",
                        "totals_discrepancy",
                    )
                }
            )
        )
        session.connection().execute(stmt, params)
    session.flush()


def complete_rolls(session: Session, event_ids: Sequence[int]) -> dict[str, int]:
    """Flag rows outside membership, fill inferred non-votes, recompute tallies."""
    ids = list(event_ids)
    flagged = flag_outside_membership(session, ids)
    added = fill_inferred_non_votes(session, ids)
    recompute_tallies(session, ids)
    return {"inferred_added": added, "outside_membership": flagged}
