"""Membership on a vote's date, in memory: the importer's fast path for complete rolls.

The same rule as :mod:`app.services.rolls` (and built on its ``membership_window``): a state
is a member on day d when ``admitted_on <= d < left_on``; on an approximate (month-precise)
date it is *certainly* a member when it was one for the whole month and *possibly* one when it
was one on any day of it. Inferred non-votes go to certain members without a row; a recorded
row of a state that was not even possibly a member is flagged ``outside_membership``.
A test checks that running ``complete_rolls`` after an import changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Membership
from app.services.rolls import membership_window


class MembershipCalendar:
    def __init__(self, spells: Iterable[tuple[int, date, date | None]]) -> None:
        self.spells = list(spells)
        self._certain: dict[tuple[date, date], frozenset[int]] = {}
        self._possible: dict[tuple[date, date], frozenset[int]] = {}

    def certain_members(self, voted_on: date, approximate: bool) -> frozenset[int]:
        c_from, c_to, _, _ = membership_window(voted_on, approximate)
        key = (c_from, c_to)
        found = self._certain.get(key)
        if found is None:
            found = frozenset(
                cid
                for cid, admitted, left in self.spells
                if admitted <= c_from and (left is None or left > c_to)
            )
            self._certain[key] = found
        return found

    def possible_members(self, voted_on: date, approximate: bool) -> frozenset[int]:
        _, _, p_from, p_to = membership_window(voted_on, approximate)
        key = (p_from, p_to)
        found = self._possible.get(key)
        if found is None:
            found = frozenset(
                cid
                for cid, admitted, left in self.spells
                if admitted <= p_to and (left is None or left > p_from)
            )
            self._possible[key] = found
        return found


def load_membership_calendar(session: Session) -> MembershipCalendar:
    rows = session.execute(
        select(Membership.country_id, Membership.admitted_on, Membership.left_on)
    ).all()
    return MembershipCalendar((r[0], r[1], r[2]) for r in rows)
