"""The database itself rejects what the model forbids, not only the Python code."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Country, Resolution, Vote, VoteEvent
from tests.factories import make_country, make_resolution, make_vote_event


def _country(session: Session, code: str) -> Country:
    return session.execute(select(Country).where(Country.code == code)).scalar_one()


def test_second_vote_for_same_country_rejected(sync_session: Session) -> None:
    ev = make_vote_event(sync_session, voted_on=date(2021, 6, 18))
    blr = _country(sync_session, "BLR")
    sync_session.add(Vote(vote_event_id=ev.id, country_id=blr.id, position="no"))
    sync_session.flush()
    sync_session.add(Vote(vote_event_id=ev.id, country_id=blr.id, position="yes"))
    with pytest.raises(IntegrityError):
        sync_session.flush()


def test_unknown_country_rejected(sync_session: Session) -> None:
    ev = make_vote_event(sync_session, voted_on=date(2021, 6, 18))
    sync_session.add(Vote(vote_event_id=ev.id, country_id=999_999, position="yes"))
    with pytest.raises(IntegrityError):
        sync_session.flush()


@pytest.mark.parametrize(
    "fields",
    [
        {"position": "maybe"},
        {"position": "YES"},
        {"position": "yes", "non_voting_reason": "absent"},
        {"position": "non_voting", "non_voting_reason": "asleep"},
        {"position": "yes", "inferred": True},
        {"position": "yes", "intended_position": "perhaps"},
    ],
)
def test_vocabulary_enforced_by_database(sync_session: Session, fields: dict[str, object]) -> None:
    ev = make_vote_event(sync_session, voted_on=date(2021, 6, 18))
    country = make_country(sync_session, code="ZZX")
    sync_session.add(Vote(vote_event_id=ev.id, country_id=country.id, **fields))
    with pytest.raises(IntegrityError):
        sync_session.flush()


def test_unique_resolution_symbol(sync_session: Session) -> None:
    make_resolution(sync_session, symbol="A/RES/99/1")
    sync_session.add(Resolution(symbol="A/RES/99/1", title="Again"))
    with pytest.raises(IntegrityError):
        sync_session.flush()


def test_unique_country_code(sync_session: Session) -> None:
    sync_session.add(Country(code="BLR", name="Belarus again"))
    with pytest.raises(IntegrityError):
        sync_session.flush()


def test_bad_majority_and_outcome_rejected(sync_session: Session) -> None:
    sync_session.add(VoteEvent(voted_on=date(2021, 1, 1), majority_required="unanimity"))
    with pytest.raises(IntegrityError):
        sync_session.flush()
