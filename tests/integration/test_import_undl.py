"""The UN Digital Library importer on small hand-made files: bad rows, all or nothing (also
when the process is killed), idempotence, updates, merging repeated votes, dry runs and the
command line. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL points there."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, Settings
from app.db import Base, make_sync_engine, sync_url
from app.importers import load as load_module
from app.importers.errors import ImportFailed
from app.importers.runner import Job, run_import
from app.models import Country, Resolution, Vote, VoteEvent, VoteEventSource
from app.seed import load_seed
from tests.dbutil import scratch_database, upgrade

# ----------------------------------------------------------------------------- databases


@pytest.fixture(scope="module")
def template_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded database that each test copies."""
    with scratch_database(tmp_path_factory.mktemp("import_template")) as url:
        upgrade(url)
        engine = make_sync_engine(url)
        with Session(engine) as session, session.begin():
            load_seed(session, Settings().seed_dir)
        engine.dispose()
        yield url


@contextmanager
def clone_database(template: str, tmp_dir: Path) -> Iterator[str]:
    u = make_url(template)
    if u.get_backend_name() == "postgresql":
        name = f"unga_imp_{uuid.uuid4().hex[:10]}"
        admin = create_engine(sync_url(u.set(database="postgres")), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{u.database}"'))
        try:
            yield u.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        target = tmp_dir / f"import_{uuid.uuid4().hex[:8]}.db"
        shutil.copy(str(u.database), target)
        yield f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def db(template_url: str, tmp_path: Path) -> Iterator[str]:
    with clone_database(template_url, tmp_path) as url:
        yield url


def snapshot(url: str, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (ordered), to compare a database before and after."""
    engine = make_sync_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in Base.metadata.sorted_tables:
                if table.name in skip:
                    continue
                order = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execute(select(table).order_by(*order)).all()
                out[table.name] = [tuple(r) for r in rows]
            return out
    finally:
        engine.dispose()


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_sync_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- files

HEADER = (
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link"
)
DAY = "2021-06-10"


def record(
    rid: str,
    votes: dict[str, str],
    *,
    resolution: str = "A/RES/75/901",
    day: str = DAY,
    session: str = "75",
    title: str = "A test resolution",
    subjects: str = "TESTING",
    totals: tuple[int | str, ...] | None = None,
    draft: str = "",
) -> list[str]:
    """CSV lines of one vote record; ``votes`` maps ISO3 code to Y/N/A/X."""
    if totals is None:  # as published: every Member counted (193 in 2021)
        y, n, a = (list(votes.values()).count(v) for v in "YNA")
        totals = (y, n, a, 193 - y - n - a, 193)
    t = ",".join(str(x) for x in totals)
    link = f"https://digitallibrary.un.org/record/{rid}" if rid else ""
    return [
        f"{rid},{code},{code} NAME,{vote},{day},{session},{resolution},{draft},,A/75/PV.99,"
        f'"{title}",,{subjects},,{t},{link}'
        for code, vote in votes.items()
    ]


def write(path: Path, *records: list[str]) -> Path:
    lines = [HEADER] + [line for r in records for line in r]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROLL = {"USA": "Y", "GBR": "Y", "FRA": "A", "RUS": "N", "CHN": "N", "BRA": "X"}


def undl(url: str, path: Path, **kw: Any) -> Any:
    return run_import(url, Job("undl", path, kw.pop("source", "undl")), **kw)


def event_of(url: str, source_key: str, slug: str = "undl") -> int:
    rows = query(
        url,
        "SELECT s.vote_event_id FROM vote_event_sources s JOIN sources so ON so.id = s.source_id "
        "WHERE so.slug = :slug AND s.source_key = :key",
        slug=slug,
        key=source_key,
    )
    assert len(rows) == 1, rows
    return int(rows[0][0])


# ----------------------------------------------------------------------------- tests


def test_import_adds_complete_rolls_sources_and_topics(db: str, tmp_path: Path) -> None:
    path = write(
        tmp_path / "votes.csv",
        record("9000001", ROLL, totals=(3, 2, 1, 188, 193)),  # published yes: 3, rows: 2
        record("9000002", ROLL, resolution="A/RES/75/902", subjects="TESTING|OTHER"),
    )
    report = undl(db, path)
    assert (report.added, report.updated, report.unchanged, report.merged) == (2, 0, 0, 0)
    assert report.totals_disagreeing == 1
    members = 193  # every Member on 10 June 2021 gets a row
    assert report.inferred_added == 2 * (members - len(ROLL))
    ev = event_of(db, "9000001")
    engine = make_sync_engine(db)
    with Session(engine) as s:
        event = s.get(VoteEvent, ev)
        assert event is not None
        assert (event.yes_count, event.no_count, event.abstain_count) == (2, 2, 1)
        assert event.non_voting_count == members - 5 and event.members_count == members
        assert event.official_yes == 3 and event.totals_discrepancy == "yes: official 3, rows 2"
        assert event.kind == "whole" and event.is_main and not event.main_inferred
        assert event.official_outcome == "adopted" and event.computed_outcome == "rejected"
        assert event.voted_on == date(2021, 6, 10) and not event.date_approximate
        res = s.execute(select(Resolution).where(Resolution.id == event.resolution_id)).scalar_one()
        assert res.symbol == "A/RES/75/901" and res.title == "A test resolution"
        assert res.adopted_on == date(2021, 6, 10) and res.meeting_record == "A/75/PV.99"
        link = s.execute(
            select(VoteEventSource).where(VoteEventSource.vote_event_id == ev)
        ).scalar_one()
        assert link.source_ref == "A/RES/75/901"
        assert link.url == "https://digitallibrary.un.org/record/9000001"
        rows = s.execute(
            select(Country.code, Vote.position, Vote.inferred, Vote.name_in_source)
            .join(Vote.country)
            .where(Vote.vote_event_id == ev)
        ).all()
        by_code = {r[0]: r[1:] for r in rows}
        assert by_code["BRA"] == ("non_voting", False, "BRA NAME")  # recorded non-vote
        assert by_code["DEU"] == ("non_voting", True, None)  # inferred
        assert len(rows) == members
    engine.dispose()
    topics = query(
        db,
        "SELECT t.code, t.scheme FROM vote_event_topics vt JOIN topics t ON t.id = vt.topic_id "
        "WHERE vt.vote_event_id = :e",
        e=event_of(db, "9000002"),
    )
    assert sorted(topics) == [("undl:other", "undl"), ("undl:testing", "undl")]


BAD_ROWS = {
    "unknown country": (["ZZZ"], "ms_code", "ZZZ", "unknown country"),
    "bad vote code": (["vote:GBR:Q"], "ms_vote", "Q", "not a vote code"),
    "bad date": (["date:2021-06-31"], "date", "2021-06-31", "not a date"),
    "duplicate country": (["dup:USA"], "ms_code", "USA", "already voted"),
}


def bad_file(path: Path, kinds: list[str]) -> Path:
    roll = dict(ROLL)
    lines = record("9000001", roll)
    extra: list[str] = []
    for kind in kinds:
        what, _, arg = kind.partition(":")
        if kind == "ZZZ":  # a copy of the record's first row, for an unknown country
            extra.append(lines[0].replace("USA,USA NAME", "ZZZ,ZZZ NAME"))
        elif what == "vote":
            code, vote = arg.split(":")
            lines = [
                ln.replace(f"{code},{code} NAME,Y", f"{code},{code} NAME,{vote}") for ln in lines
            ]
        elif what == "date":
            extra += record("9000003", {"USA": "Y"}, day=arg)
        elif what == "dup":  # the record's row for that country again, voting no
            row = next(ln for ln in lines if f",{arg},{arg} NAME," in ln)
            extra.append(row.replace(f"{arg},{arg} NAME,Y", f"{arg},{arg} NAME,N"))
    return write(path, lines + extra, record("9000002", ROLL, resolution="A/RES/75/902"))


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_a_bad_row_stops_the_import_and_changes_nothing(db: str, tmp_path: Path, kind: str) -> None:
    specs, column, value, why = BAD_ROWS[kind]
    path = bad_file(tmp_path / "bad.csv", specs)
    before = snapshot(db)
    with pytest.raises(ImportFailed) as failed:
        undl(db, path)
    (bad,) = failed.value.bad_rows
    assert (bad.file, bad.column, bad.value) == ("bad.csv", column, value)
    assert why in bad.why and bad.line > 1
    assert snapshot(db) == before


def test_every_bad_row_is_reported(db: str, tmp_path: Path) -> None:
    path = bad_file(tmp_path / "bad.csv", [s for spec in BAD_ROWS.values() for s in spec[0]])
    before = snapshot(db)
    with pytest.raises(ImportFailed) as failed:
        undl(db, path)
    assert sorted(b.column for b in failed.value.bad_rows) == sorted(
        spec[1] for spec in BAD_ROWS.values()
    )
    assert snapshot(db) == before


def test_a_failure_while_writing_rolls_everything_back(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "v1.csv", record("9000001", ROLL))
    undl(db, tmp_path / "v1.csv")
    before = snapshot(db)

    def boom(self: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(load_module.Writer, "recompute_mains", boom)
    path = write(
        tmp_path / "v2.csv",
        record("9000001", ROLL),
        record("9000002", ROLL, resolution="A/RES/75/902"),
    )
    with pytest.raises(RuntimeError):
        undl(db, path)
    assert snapshot(db) == before


def test_dry_run_validates_and_writes_nothing(db: str, tmp_path: Path) -> None:
    path = write(tmp_path / "votes.csv", record("9000001", ROLL))
    before = snapshot(db)
    report = undl(db, path, dry_run=True)
    assert report.dry_run and report.added == 1
    assert snapshot(db) == before
    with pytest.raises(ImportFailed):
        undl(db, bad_file(tmp_path / "bad.csv", ["ZZZ"]), dry_run=True)


def test_same_file_twice_gives_the_same_database(db: str, tmp_path: Path) -> None:
    path = write(
        tmp_path / "votes.csv",
        record("9000001", ROLL),
        record("9000002", ROLL, resolution="A/RES/75/902"),
    )
    undl(db, path)
    first = snapshot(db)
    again = undl(db, path)
    assert again.skipped
    assert snapshot(db) == first
    forced = undl(db, path, force=True)  # read and compared record by record: nothing changes
    assert (forced.added, forced.updated, forced.unchanged, forced.merged) == (0, 0, 2, 0)
    assert snapshot(db, skip=("import_runs",)) == {
        k: v for k, v in first.items() if k != "import_runs"
    }


def test_a_newer_file_updates_what_changed(db: str, tmp_path: Path) -> None:
    v1 = write(
        tmp_path / "votes.csv",
        record("9000001", ROLL, title="Cut off title [...]"),
        record("9000002", ROLL, resolution="A/RES/75/902"),
        record("9000003", ROLL, resolution="A/RES/75/903"),
    )
    undl(db, v1)
    unchanged_before = snapshot(db)["votes"]
    changed_roll = dict(ROLL, USA="N")
    v2 = write(
        tmp_path / "votes.csv",
        record("9000001", ROLL, title="The full title"),  # title completed
        record("9000002", changed_roll, resolution="A/RES/75/902"),  # one vote changed
        record("9000003", ROLL, resolution="A/RES/75/903"),  # unchanged
        record("9000004", ROLL, resolution="A/RES/75/904"),  # new
    )
    report = undl(db, v2)
    assert (report.added, report.updated, report.unchanged, report.merged) == (1, 2, 1, 0)
    assert query(db, "SELECT title FROM vote_events WHERE id = :e", e=event_of(db, "9000001")) == [
        ("The full title",)
    ]
    e2 = event_of(db, "9000002")
    usa = query(
        db,
        "SELECT v.position FROM votes v JOIN countries c ON c.id = v.country_id "
        "WHERE v.vote_event_id = :e AND c.code = 'USA'",
        e=e2,
    )
    assert usa == [("no",)]
    assert query(db, "SELECT yes_count, no_count FROM vote_events WHERE id = :e", e=e2) == [(1, 3)]
    # the unchanged record's rows are as they were (votes rows start with their key: event,
    # country)
    e3 = event_of(db, "9000003")
    after = [r for r in snapshot(db)["votes"] if r[0] == e3]
    assert after and after == [r for r in unchanged_before if r[0] == e3]
    # and once more: nothing left to do
    again = undl(db, v2, force=True)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_repeated_records_are_one_vote_event(db: str, tmp_path: Path) -> None:
    """The 2020-2021 file repeats A/RES/76/10 as two records for the draft A/76/L.14; a
    second source repeats a vote too: one vote event, every identifier kept on it."""
    path = write(
        tmp_path / "undl.csv",
        record("9000011", ROLL, resolution="A/76/L.99", session="76"),
        record("9000012", ROLL, resolution="A/76/L.99", session="76"),
        record("9000010", ROLL, resolution="A/RES/76/99", session="76"),
        # same symbol and date, different roll: another roll call
        record("9000013", dict(ROLL, USA="A"), resolution="A/RES/76/99", session="76"),
    )
    report = undl(db, path)
    assert (report.added, report.merged) == (2, 2)
    ev = event_of(db, "9000010")
    assert event_of(db, "9000011") == ev == event_of(db, "9000012")
    assert event_of(db, "9000013") != ev
    assert query(
        db,
        "SELECT r.symbol, r.draft_symbol FROM vote_events e JOIN resolutions r "
        "ON r.id = e.resolution_id WHERE e.id = :e",
        e=ev,
    ) == [("A/RES/76/99", "A/76/L.99")]
    assert query(db, "SELECT count(*) FROM resolutions WHERE draft_symbol = 'A/76/L.99'") == [(1,)]
    # the same vote from another source (no record id): merged, not duplicated
    other = write(
        tmp_path / "other.csv",
        record(
            "", {k: v for k, v in ROLL.items() if v != "X"}, resolution="A/RES/76/99", session="76"
        ),
    )
    report = undl(db, other, source="undl-2022-secondary")
    assert (report.added, report.merged) == (0, 1)
    assert event_of(db, f"A/RES/76/99@{DAY}", slug="undl-2022-secondary") == ev
    # one main vote for the resolution: the record flagged as the whole text, last of the day
    mains = query(
        db,
        "SELECT e.id, e.main_inferred FROM vote_events e JOIN resolutions r "
        "ON r.id = e.resolution_id WHERE r.symbol = 'A/RES/76/99' AND e.is_main = :t",
        t=True,
    )
    assert len(mains) == 1


def test_merging_into_the_seeded_vote_keeps_its_curation(db: str, tmp_path: Path) -> None:
    """The seed holds A/RES/75/287 under UNDL record 3929594: importing that record again
    (with the same roll) updates it in place; the seed's title stays."""
    seeded = event_of(db, "3929594")
    title = query(db, "SELECT title FROM vote_events WHERE id = :e", e=seeded)
    rows = query(
        db,
        "SELECT c.code, v.position FROM votes v JOIN countries c ON c.id = v.country_id "
        "WHERE v.vote_event_id = :e",
        e=seeded,
    )
    code = {"yes": "Y", "no": "N", "abstain": "A", "non_voting": "X"}
    roll = {c: code[p] for c, p in rows}
    path = write(
        tmp_path / "myanmar.csv",
        record(
            "3929594",
            roll,
            resolution="A/RES/75/287",
            day="2021-06-18",
            title="The situation in Myanmar [...]",
        ),
    )
    report = undl(db, path)
    assert report.added == 0 and report.updated + report.unchanged == 1
    assert event_of(db, "3929594") == seeded
    assert query(db, "SELECT title FROM vote_events WHERE id = :e", e=seeded) == title
    assert query(db, "SELECT count(*) FROM votes WHERE vote_event_id = :e", e=seeded) == [(193,)]


# ----------------------------------------------------------------------------- processes


def cli(url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "import", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "UNGA_DATABASE_URL": url, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_command_line_reports_bad_rows(db: str, tmp_path: Path) -> None:
    path = bad_file(tmp_path / "bad.csv", ["ZZZ", "vote:USA:Q"])
    proc = cli(db, "undl", str(path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "bad.csv:" in err and "ms_vote='Q'" in err and "ms_code='ZZZ'" in err
    assert "2 bad row(s); nothing was imported" in err
    good = write(tmp_path / "good.csv", record("9000001", ROLL))
    proc = cli(db, "undl", str(good))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "1 added" in out and "vote events whose published totals disagree" in out
    assert "writing votes" in err  # plain progress lines when not on a terminal


def test_import_all_if_present_without_data(db: str, tmp_path: Path) -> None:
    proc = cli(db, "all", str(tmp_path / "nowhere"), "--if-present")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "nothing imported" in out
    proc = cli(db, "all", str(tmp_path / "nowhere"))
    proc.communicate(timeout=60)
    assert proc.returncode == 1


def test_a_killed_import_leaves_the_previous_state(db: str, tmp_path: Path) -> None:
    write(tmp_path / "votes.csv", record("9000001", ROLL))
    undl(db, tmp_path / "votes.csv")
    before = snapshot(db)
    newer = write(
        tmp_path / "votes.csv",
        record("9000001", dict(ROLL, USA="N")),
        *(record(f"90001{i:02d}", ROLL, resolution=f"A/RES/75/{950 + i}") for i in range(20)),
    )
    proc = cli(db, "undl", str(newer), env={"UNGA_IMPORT_PAUSE_AFTER_ROWS": "1"})
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen.append(line)
        if "paused after" in line or not line:
            break
    assert any("paused after" in line for line in seen), seen
    assert any("writing votes" in line for line in seen)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(db) == before
    # and the database is usable: the same import now goes through
    report = undl(db, newer)
    assert report.added == 20 and report.updated == 1


def test_a_changed_record_leaves_a_vote_event_another_source_shares(
    db: str, tmp_path: Path
) -> None:
    first = write(tmp_path / "undl.csv", record("9000001", ROLL))
    undl(db, first)
    other = write(tmp_path / "other.csv", record("", ROLL))
    assert undl(db, other, source="undl-2022-secondary").merged == 1
    shared = event_of(db, "9000001")
    assert event_of(db, f"A/RES/75/901@{DAY}", slug="undl-2022-secondary") == shared
    # the first source now says the United States voted no: the sources disagree
    changed = write(tmp_path / "undl.csv", record("9000001", dict(ROLL, USA="N")))
    report = undl(db, changed)
    assert (report.detached, report.added, report.updated) == (1, 1, 0)
    mine = event_of(db, "9000001")
    assert mine != shared
    assert event_of(db, f"A/RES/75/901@{DAY}", slug="undl-2022-secondary") == shared
    tallies = dict(
        query(db, "SELECT id, no_count FROM vote_events WHERE id IN (:a, :b)", a=mine, b=shared)
    )
    assert tallies == {mine: 3, shared: 2}
