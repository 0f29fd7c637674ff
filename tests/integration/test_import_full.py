"""The whole shared record (1946-2019, 2020-2021 and 2022) imported into a scratch database:
every vote and position present, nothing twice, full rolls, and well-known tallies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_sync_engine
from app.importers.runner import Job, all_jobs, run_import
from app.migrations_state import alembic_config
from app.models import VoteEvent
from app.services.rolls import complete_rolls
from tests.integration.test_import_undl import clone_database, query, snapshot, template_url

pytestmark = pytest.mark.slow

__all__ = ["template_url"]  # the module-scoped fixture, shared


@pytest.fixture(scope="module")
def data_dir() -> Path:
    path = Settings().data_dir
    if not (path / "unga").exists():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture(scope="module")
def imported(
    template_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[Any]]]:
    with clone_database(template_url, tmp_path_factory.mktemp("full")) as url:
        reports = [run_import(url, job) for job in all_jobs(data_dir)]
        yield url, reports


def counts(url: str, sql: str, **params: Any) -> Any:
    return query(url, sql, **params)[0][0]


def tally(url: str, symbol: str) -> tuple[int, ...]:
    rows = query(
        url,
        "SELECT e.yes_count, e.no_count, e.abstain_count, e.non_voting_count FROM vote_events e "
        "JOIN resolutions r ON r.id = e.resolution_id WHERE r.symbol = :s AND e.is_main = :t",
        s=symbol,
        t=True,
    )
    assert len(rows) == 1, rows
    return tuple(rows[0])


def test_reports(imported: tuple[str, list[Any]]) -> None:
    _, (unvotes, recent, *later) = imported
    assert (unvotes.records, unvotes.rows) == (6203, 870109)
    assert unvotes.added + unvotes.updated + unvotes.unchanged == 6203 and unvotes.merged == 0
    # 188 records of 2020-2021: A/RES/74/267 is also in unvotes, and the two A/76/L.14 records
    # repeat A/RES/76/10; A/RES/75/287 is the seed's vote event (same UNDL record id)
    assert recent.records == 188 and recent.merged == 3
    assert recent.added + recent.updated + recent.unchanged == 185
    assert sum(r.records for r in later) == 17 and sum(r.added for r in later) == 17


def test_every_recorded_vote_and_position_once(imported: tuple[str, list[Any]]) -> None:
    url, _ = imported
    unvotes_events = (
        "SELECT s.vote_event_id FROM vote_event_sources s JOIN sources so ON so.id = s.source_id "
        "WHERE so.slug = 'unvotes'"
    )
    assert counts(url, f"SELECT count(DISTINCT vote_event_id) FROM ({unvotes_events}) x") == 6203
    assert (
        counts(
            url,
            "SELECT count(*) FROM votes WHERE position <> 'non_voting' "
            f"AND vote_event_id IN ({unvotes_events})",
        )
        == 870109
    )
    assert counts(url, "SELECT count(*) FROM vote_events") == 6203 + 185 + 17
    # every UN Digital Library record is on exactly one vote event, none twice
    undl = query(
        url,
        "SELECT s.source_key, s.vote_event_id FROM vote_event_sources s "
        "JOIN sources so ON so.id = s.source_id WHERE so.slug = 'undl'",
    )
    assert len(undl) == 188 and len({k for k, _ in undl}) == 188
    assert len({e for _, e in undl}) == 186  # 188 - the two A/76/L.14 repeats
    # the overlap with unvotes and the repeated draft: one event each, every identifier on it
    both = query(
        url,
        "SELECT so.slug, s.source_key, s.source_ref FROM vote_event_sources s "
        "JOIN sources so ON so.id = s.source_id WHERE s.vote_event_id IN "
        "(SELECT e.id FROM vote_events e JOIN resolutions r ON r.id = e.resolution_id "
        "WHERE r.symbol = :s)",
        s="A/RES/74/267",
    )
    assert sorted(both) == [
        ("undl", "3846846", "A/RES/74/267"),
        ("unvotes", "9079", "A/RES/74/267"),
    ]
    repeated = query(
        url,
        "SELECT s.source_key, s.source_ref FROM vote_event_sources s WHERE s.vote_event_id IN "
        "(SELECT e.id FROM vote_events e JOIN resolutions r ON r.id = e.resolution_id "
        "WHERE r.symbol = :s)",
        s="A/RES/76/10",
    )
    assert sorted(repeated) == [
        ("3949879", "A/76/L.14"),
        ("3949880", "A/76/L.14"),
        ("3949881", "A/RES/76/10"),
    ]
    assert counts(url, "SELECT count(*) FROM resolutions WHERE symbol IS NULL") == 0


def test_well_known_tallies(imported: tuple[str, list[Any]]) -> None:
    url, _ = imported
    assert tally(url, "A/RES/75/287") == (119, 1, 36, 37)
    assert tally(url, "A/RES/68/262")[:3] == (100, 11, 58)
    assert tally(url, "A/RES/74/7")[:3] == (187, 3, 2)
    against = query(
        url,
        "SELECT c.code FROM votes v JOIN countries c ON c.id = v.country_id "
        "JOIN vote_events e ON e.id = v.vote_event_id JOIN resolutions r ON r.id = e.resolution_id "
        "WHERE r.symbol = 'A/RES/74/7' AND v.position = 'no'",
    )
    assert sorted(c for (c,) in against) == ["BRA", "ISR", "USA"]
    assert tally(url, "A/RES/ES-11/1") == (141, 5, 35, 12)
    assert tally(url, "A/RES/2758(XXVI)")[:3] == (76, 35, 17)  # the seed's curated link
    # published totals recorded and compared: the known one-vote difference of ES-10/19
    assert query(
        url,
        "SELECT e.totals_discrepancy FROM vote_events e JOIN resolutions r "
        "ON r.id = e.resolution_id WHERE r.symbol = 'A/RES/ES-10/19'",
    ) == [("yes: official 128, rows 127",)]


def test_states_that_changed_and_source_names(imported: tuple[str, list[Any]]) -> None:
    url, _ = imported

    def who(symbol_or_ref: str, code: str) -> list[tuple[Any, ...]]:
        return query(
            url,
            "SELECT c.code, v.name_in_source FROM votes v JOIN countries c ON c.id = v.country_id "
            "JOIN vote_event_sources s ON s.vote_event_id = v.vote_event_id "
            "WHERE s.source_ref = :r AND c.code = :c",
            r=symbol_or_ref,
            c=code,
        )

    assert who("R/26/2758G", "SUN") == [("SUN", "Russia")]  # the USSR in 1971
    assert who("R/26/2758F", "TWN") == [("TWN", "Taiwan")]  # the Republic of China seat
    # on 2758 itself the ROC did not vote, and as it left within that (month-precise) October
    # it was not certainly a member: no row is inferred for it, nor for the PRC
    assert who("R/26/2758G", "TWN") == [] and who("R/26/2758G", "CHN") == []
    assert who("R/68/262", "RUS") == [("RUS", "Russia")]
    assert who("A/RES/74/7", "SRB") == [("SRB", "Yugoslavia")]  # filed under YUG in the source
    assert who("R/68/262", "SRB") == [("SRB", None)]  # absent: an inferred non-vote
    assert (
        counts(
            url,
            "SELECT count(*) FROM votes v JOIN countries c ON c.id = v.country_id "
            "WHERE c.code = 'ZZB'",
        )
        == 2
    )
    scg = (
        "SELECT count(*) FROM votes v JOIN countries c ON c.id = v.country_id "
        "WHERE c.code = 'SCG' AND v.inferred = :f"
    )
    assert counts(url, scg, f=False) > 0


def test_dates_symbols_and_flags(imported: tuple[str, list[Any]]) -> None:
    url, _ = imported
    assert (
        counts(
            url,
            "SELECT count(*) FROM vote_events "
            "WHERE date_approximate = :t AND voted_on >= '1997-11-12'",
            t=True,
        )
        == 0
    )
    assert (
        counts(url, "SELECT count(*) FROM vote_events WHERE date_approximate = :t", t=True) == 4084
    )
    # votes outside membership are flagged, not rejected: the two Fiji votes of September
    # 1970, and Switzerland's vote dated 3 September 2002 (admitted on the 10th)
    flagged = query(
        url,
        "SELECT c.code, e.voted_on FROM votes v JOIN countries c ON c.id = v.country_id "
        "JOIN vote_events e ON e.id = v.vote_event_id WHERE v.outside_membership = :t",
        t=True,
    )
    assert sorted((c, str(d)) for c, d in flagged) == [
        ("CHE", "2002-09-03"),
        ("FJI", "1970-09-01"),
        ("FJI", "1970-09-01"),
    ]
    # sessions 1-30 get no derived symbol; their identifier stays searchable
    assert query(
        url,
        "SELECT e.resolution_id IS NULL FROM vote_events e JOIN vote_event_sources s "
        "ON s.vote_event_id = e.id WHERE s.source_ref = 'R/26/2758A'",
    ) == [(True,)]
    assert counts(url, "SELECT count(*) FROM resolutions WHERE symbol = 'A/RES/31/6 A'") == 1
    # one main vote per resolution with a vote on the whole or an uncoded one
    per_resolution = query(
        url,
        "SELECT resolution_id, count(*) FROM vote_events WHERE is_main = :t "
        "AND resolution_id IS NOT NULL GROUP BY resolution_id HAVING count(*) > 1",
        t=True,
    )
    assert per_resolution == []


def test_every_roll_is_complete(imported: tuple[str, list[Any]]) -> None:
    """Tallies add up, and complete_rolls (the shared SQL implementation) finds nothing to add
    or change after the import's in-memory completion."""
    url, _ = imported
    assert (
        counts(
            url,
            "SELECT count(*) FROM vote_events e WHERE e.members_count <> "
            "(SELECT count(*) FROM votes v WHERE v.vote_event_id = e.id) OR e.members_count <> "
            "e.yes_count + e.no_count + e.abstain_count + e.non_voting_count",
        )
        == 0
    )
    engine = make_sync_engine(url)
    try:
        with Session(engine) as session:
            ids = list(session.execute(select(VoteEvent.id)).scalars())
            cols = (
                "id, yes_count, no_count, abstain_count, non_voting_count, members_count, "
                "computed_outcome, totals_discrepancy"
            )
            before = session.execute(text(f"SELECT {cols} FROM vote_events ORDER BY id")).all()
            flagged = session.execute(
                text("SELECT count(*) FROM votes WHERE outside_membership = :t"), {"t": True}
            ).scalar()
            result = complete_rolls(session, ids)
            assert result["inferred_added"] == 0
            assert (
                session.execute(text(f"SELECT {cols} FROM vote_events ORDER BY id")).all() == before
            )
            assert (
                session.execute(
                    text("SELECT count(*) FROM votes WHERE outside_membership = :t"), {"t": True}
                ).scalar()
                == flagged
            )
            session.rollback()
    finally:
        engine.dispose()


def test_schema_is_whole_after_the_bulk_load(imported: tuple[str, list[Any]]) -> None:
    """The bulk load drops indexes of ``votes`` (on PostgreSQL also its primary key and foreign
    keys) and builds them again before commit: afterwards the schema is the models' again."""
    url, _ = imported
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.check(cfg)  # indexes, unique constraints, foreign keys (not primary keys)
    engine = make_sync_engine(url)
    try:
        pk = inspect(engine).get_pk_constraint("votes")
        assert (pk["name"], pk["constrained_columns"]) == (
            "pk_votes",
            ["vote_event_id", "country_id"],
        )
    finally:
        engine.dispose()


def test_importing_again_changes_nothing(imported: tuple[str, list[Any]], data_dir: Path) -> None:
    url, _ = imported
    before = snapshot(url, skip=("import_runs", "votes"))
    n_votes = counts(url, "SELECT count(*) FROM votes")
    assert all(run_import(url, job).skipped for job in all_jobs(data_dir))
    forced = run_import(
        url, Job("undl", data_dir / "unga/recent/undl_2020_2021.csv.gz", "undl"), force=True
    )
    assert (forced.added, forced.updated, forced.merged, forced.unchanged) == (0, 0, 0, 188)
    assert snapshot(url, skip=("import_runs", "votes")) == before
    assert counts(url, "SELECT count(*) FROM votes") == n_votes
