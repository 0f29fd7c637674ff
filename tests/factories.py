"""Small factories: build the data a test needs in the test itself."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from app.models import Country, Resolution, VoteEvent

_seq = itertools.count(1)


def make_country(session: Session, *, code: str, name: str | None = None) -> Country:
    country = Country(code=code, name=name or f"Testland {code}")
    session.add(country)
    session.flush()
    return country


def make_resolution(session: Session, *, symbol: str | None = None, **fields: object) -> Resolution:
    n = next(_seq)
    res = Resolution(symbol=symbol or f"A/RES/99/{n}", title=f"Test resolution {n}", **fields)
    session.add(res)
    session.flush()
    return res


def make_vote_event(
    session: Session, *, voted_on: date, resolution: Resolution | None = None, **fields: object
) -> VoteEvent:
    ev = VoteEvent(voted_on=voted_on, resolution_id=resolution.id if resolution else None, **fields)
    session.add(ev)
    session.flush()
    return ev
