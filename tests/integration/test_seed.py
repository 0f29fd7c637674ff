"""The seed: A/RES/75/287 from its country rows, the seats that ever voted, idempotence and
all-or-nothing loading."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import Base, make_sync_engine
from app.domain.adoption import compute_outcome
from app.domain.names import name_key
from app.models import Country, CountryName, Membership, Resolution, Vote, VoteEvent
from app.seed import load_seed
from tests.dbutil import scratch_database, upgrade

SEED_DIR = Settings().seed_dir


def _main_event(session: Session, symbol: str) -> VoteEvent:
    return session.execute(
        select(VoteEvent)
        .join(Resolution)
        .where(Resolution.symbol == symbol, VoteEvent.is_main.is_(True))
    ).scalar_one()


def test_myanmar_tally_from_country_rows(sync_session: Session) -> None:
    event = _main_event(sync_session, "A/RES/75/287")
    rows = sync_session.execute(
        select(Country.code, Vote.position).join(Vote.country).where(Vote.vote_event_id == event.id)
    ).all()
    by_code = dict(rows)
    counts = Counter(by_code.values())
    assert (counts["yes"], counts["no"], counts["abstain"], counts["non_voting"]) == (
        event.official_yes,
        event.official_no,
        event.official_abstain,
        event.official_non_voting,
    )
    assert (counts["yes"], counts["no"], counts["abstain"], counts["non_voting"]) == (
        119,
        1,
        36,
        37,
    )
    assert len(rows) == 193
    assert [c for c, p in rows if p == "no"] == ["BLR"]
    assert by_code["CHN"] == "abstain" and by_code["RUS"] == "abstain"
    assert by_code["MMR"] == "yes"
    # The stored tally is the one computed from the rows, and adoption follows rule 86.
    assert (event.yes_count, event.no_count, event.abstain_count, event.non_voting_count) == (
        119,
        1,
        36,
        37,
    )
    assert event.members_count == 193
    assert event.majority_required == "simple" and not event.majority_recorded
    assert event.computed_outcome == compute_outcome(counts["yes"], counts["no"]) == "adopted"
    assert event.official_outcome == "adopted" and not event.outcome_discrepancy
    assert event.totals_discrepancy is None


def test_every_seat_that_ever_voted(sync_session: Session) -> None:
    codes = set(sync_session.execute(select(Country.code)).scalars())
    for code in ("SUN", "RUS", "TWN", "CHN", "YUG", "SCG", "SRB", "CSK", "DDR", "YMD", "ZZB"):
        assert code in codes, code
    current = sync_session.execute(
        select(func.count(func.distinct(Membership.country_id))).where(Membership.left_on.is_(None))
    ).scalar_one()
    assert current == 193
    for code in ("SYR", "IDN", "YEM"):
        spells = sync_session.execute(
            select(func.count()).select_from(Membership).join(Country).where(Country.code == code)
        ).scalar_one()
        assert spells == 2, code


def _lookup(session: Session, text: str, on: date | None = None) -> set[str]:
    q = select(Country.code).join(CountryName).where(CountryName.key == name_key(text))
    if on is not None:
        q = q.where(
            (CountryName.valid_from.is_(None)) | (CountryName.valid_from <= on),
            (CountryName.valid_to.is_(None)) | (CountryName.valid_to > on),
        )
    return set(session.execute(q).scalars())


def test_lookup_by_any_code_or_name(sync_session: Session) -> None:
    assert _lookup(sync_session, "SUN") == {"SUN"}
    assert _lookup(sync_session, "RUS", date(1971, 10, 25)) == {"SUN"}
    assert _lookup(sync_session, "RUS", date(2021, 6, 18)) == {"RUS"}
    assert "RUS" in _lookup(sync_session, "Russia")
    assert "RUS" in _lookup(sync_session, "Russian Federation")
    assert "MMR" in _lookup(sync_session, "Burma")
    assert "TUR" in _lookup(sync_session, "Turkey")
    assert "TUR" in _lookup(sync_session, "Türkiye")
    assert "BLR" in _lookup(sync_session, "BY")
    assert "BLR" in _lookup(sync_session, "112")
    blr = sync_session.execute(select(Country).where(Country.code == "BLR")).scalar_one()
    assert blr.iso2 == "BY" and blr.m49 == "112"


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = make_sync_engine(url)
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if not c.name.endswith("_at")]
            rows = conn.execute(select(*cols).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    engine.dispose()
    return out


def _seed(url: str, seed_dir: Path) -> dict[str, int]:
    engine = make_sync_engine(url)
    try:
        with Session(engine) as session, session.begin():
            return load_seed(session, seed_dir)
    finally:
        engine.dispose()


def test_seed_twice_gives_the_same_state(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        upgrade(url)
        _seed(url, SEED_DIR)
        first = _snapshot(url)
        _seed(url, SEED_DIR)
        assert _snapshot(url) == first
        assert len(first["votes"]) >= 193


def test_failed_seed_leaves_database_as_it_was(tmp_path: Path) -> None:
    broken = tmp_path / "seed"
    shutil.copytree(SEED_DIR, broken)
    votes = broken / "votes.csv"
    with votes.open("a", encoding="utf-8") as f:
        f.write("undl-3929594,XXQ,yes,,Nowhere\n")  # a country that does not exist
    with scratch_database(tmp_path) as url:
        upgrade(url)
        before = _snapshot(url)
        with pytest.raises(Exception):  # noqa: B017 - any error stops the seed
            _seed(url, broken)
        assert _snapshot(url) == before
