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


def make_votes(session: Session, event: VoteEvent, positions: dict[str, str]) -> None:
    """Country rows for ``event`` ({"BLR": "no", ...}, codes of existing countries), then its
    tally and outcome recomputed as the importers do."""
    from sqlalchemy import select

    from app.models import Vote
    from app.services.rolls import recompute_tallies

    ids = dict(
        session.execute(select(Country.code, Country.id).where(Country.code.in_(positions))).all()
    )
    for code, position in positions.items():
        session.add(Vote(vote_event_id=event.id, country_id=ids[code], position=position))
    session.flush()
    recompute_tallies(session, [event.id])
    session.expire(event)
