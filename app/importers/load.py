"""Write a parsed :class:`Batch` into the database: plan (read-only), then apply (flush only).

What happens to each source record (docs/importing.md has the full rules):

* **unchanged**: the source already supplied it with the same content hash (or, the first
  time, the same roll and fields), so nothing is read or written for it;
* **added**: a new vote event, with its complete roll (recorded rows, inferred non-votes for
  every other member on its date, rows outside membership flagged) and its tally;
* **merged**: the same vote as an event that already exists (same date, compatible symbol or
  draft, identical yes/no/abstain rows), from another source or repeated in this one: the
  event gets this source's identifiers too and fills what it lacked; never a second event;
* **updated**: the source changed the record: its fields are written again and, if the roll
  changed, the roll is replaced (then ``complete_rolls``). A record whose event another source
  shares and whose roll now differs is detached and handled as new.

The caller owns the transaction. Bulk rows go through the DBAPI (``executemany`` on SQLite,
``COPY`` on PostgreSQL), not ORM objects.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, repeat
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from app.domain.adoption import compute_outcome
from app.domain.symbols import parse_session_code
from app.importers.membership import MembershipCalendar, load_membership_calendar
from app.importers.progress import NullProgress, Progress
from app.importers.records import (
    NON_VOTING,
    POSITIONS,
    REASONS,
    Batch,
    SourceRecord,
)
from app.models import (
    GASession,
    ImportedRecord,
    ImportRun,
    Resolution,
    Source,
    Topic,
    Vote,
    VoteEvent,
    VoteEventSource,
    VoteEventTopic,
)
from app.models._types import utcnow
from app.services.dataset import bump_version
from app.services.rolls import complete_rolls

CHUNK = 500
REBUILD_MIN_ROWS = 100_000
NOT_MAIN_KINDS = frozenset({"amendment", "paragraph", "motion"})
TRUNCATED = "[...]"

VOTES: Table = Vote.__table__  # type: ignore[assignment]
EVENTS: Table = VoteEvent.__table__  # type: ignore[assignment]
LINKS: Table = VoteEventSource.__table__  # type: ignore[assignment]
HASHES: Table = ImportedRecord.__table__  # type: ignore[assignment]
EVENT_TOPICS: Table = VoteEventTopic.__table__  # type: ignore[assignment]
RESOLUTIONS: Table = Resolution.__table__  # type: ignore[assignment]
VOTE_COLUMNS = (
    "vote_event_id",
    "country_id",
    "position",
    "non_voting_reason",
    "inferred",
    "name_in_source",
    "outside_membership",
)


class ImportConflict(Exception):
    """The database is not in a state the import can work with (e.g. a missing source)."""


@dataclass
class ImportReport:
    kind: str
    source: str
    files: list[str]
    records: int = 0
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    detached: int = 0
    inferred_added: int = 0
    outside_membership: int = 0
    totals_disagreeing: int = 0
    skipped: bool = False
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.merged or self.detached)

    def summary(self) -> str:
        name = ", ".join(f.rsplit("/", 1)[-1] for f in self.files)
        if self.skipped:
            return f"{self.kind} {name}: unchanged since its last import, skipped"
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{self.kind} {name} ({self.source}): {verb} {self.records:,} vote records "
            f"({self.rows:,} rows): {self.added:,} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.merged:,} merged into existing vote events"
            + (f", {self.detached:,} detached" if self.detached else "")
            + f"; {self.inferred_added:,} non-votes inferred, "
            f"{self.outside_membership:,} rows outside membership flagged, "
            f"{self.totals_disagreeing:,} vote events whose published totals disagree with "
            f"their rows; {self.seconds:.1f} s"
        )


# --------------------------------------------------------------------------- rules (pure)


def symbols_compatible(
    a_symbol: str | None,
    a_draft: str | None,
    a_kind: str,
    b_symbol: str | None,
    b_draft: str | None,
    b_kind: str,
    *,
    same_source: bool = False,
) -> bool:
    """Can two records with these identifiers be the same vote (if their rolls agree)?

    Across sources: the same symbol, or a symbol and a draft (unless the drafts differ), or
    the same draft. Within one source, two records that both carry a symbol are separate roll
    calls (paragraph or section votes can have identical rolls); only a record that names a
    draft alone can repeat another (the UN Digital Library's ``A/76/L.14`` records)."""
    if a_kind != b_kind and "unknown" not in (a_kind, b_kind):
        return False
    if a_symbol and b_symbol:
        return a_symbol == b_symbol and not same_source
    if a_draft and b_draft and a_draft != b_draft:
        return False
    if a_symbol or b_symbol:  # one symbol, the other a draft (or both drafts, equal)
        return bool(a_draft or b_draft)
    return bool(a_draft and b_draft)


def pick_main(events: Sequence[tuple[int, str, date]]) -> tuple[int | None, bool]:
    """The main vote event of one resolution, from (id, kind, voted_on) in insertion order,
    and whether that is inferred: the only one flagged a vote on the whole text; else the last
    of the day (latest date, then latest recorded) among the whole-text votes, or among those
    not flagged at all; none when every one is an amendment, paragraph or motion vote."""
    wholes = [e for e in events if e[1] == "whole"]
    if len(wholes) == 1:
        return wholes[0][0], False
    pool = wholes or [e for e in events if e[1] not in NOT_MAIN_KINDS]
    if not pool:
        return None, False
    return max(pool, key=lambda e: (e[2], e[0]))[0], True


def discrepancy(official: Sequence[int | None], counts: Sequence[int]) -> str | None:
    """Same wording as ``app.services.rolls.recompute_tallies``."""
    diffs = [
        f"{label}: official {o}, rows {c}"
        for label, o, c in zip(POSITIONS, official, counts, strict=True)
        if o is not None and o != c
    ]
    return "; ".join(diffs) or None


# --------------------------------------------------------------------------- plan


@dataclass
class Link:
    link_id: int
    event_id: int
    digest: str | None


@dataclass
class RollParts:
    """One new event's vote rows in three shapes: ``simple`` recorded yes/no/abstain rows
    inside membership (event, country, position, name), ``inferred`` non-votes (event,
    country) and ``other`` full rows (recorded non-votes, rows outside membership)."""

    simple: list[tuple[Any, ...]]
    inferred: list[tuple[int, int]]
    other: list[tuple[Any, ...]]


@dataclass
class Primary:
    """A record that becomes a new vote event, with the records of this batch merged into it."""

    index: int
    secondaries: list[int] = field(default_factory=list)
    event_id: int = 0


@dataclass
class Plan:
    unchanged: list[int] = field(default_factory=list)
    refresh: list[tuple[int, Link]] = field(default_factory=list)  # same content, new hash
    primaries: list[Primary] = field(default_factory=list)
    merge_db: list[tuple[int, int]] = field(default_factory=list)  # (record, event id)
    update_sole: list[tuple[int, Link, bool]] = field(default_factory=list)  # roll changed?
    update_shared: list[tuple[int, Link]] = field(default_factory=list)
    detach: list[tuple[int, Link]] = field(default_factory=list)


class Loader:
    def __init__(
        self,
        session: Session,
        batch: Batch,
        source: Source,
        progress: Progress,
        calendar: MembershipCalendar | None = None,
    ) -> None:
        self.session = session
        self.batch = batch
        self.source = source
        self.progress = progress
        dialect = session.get_bind().dialect
        self.dialect = dialect.name
        # The bulk paths talk to the driver itself: sqlite3 (executemany) and psycopg (COPY).
        # Under other drivers (aiosqlite, asyncpg: the API's async engine) rows go through
        # SQLAlchemy Core instead: slower, fine for uploads.
        self.driver = dialect.driver if dialect.driver in ("pysqlite", "psycopg") else "core"
        self.calendar = calendar or load_membership_calendar(session)
        self.records = batch.records
        self._db_rolls: dict[int, dict[int, int]] = {}

    # -- reading ---------------------------------------------------------------------

    def _chunked(self, values: Sequence[Any]) -> Iterator[Sequence[Any]]:
        for i in range(0, len(values), CHUNK):
            yield values[i : i + CHUNK]

    def existing_links(self) -> dict[str, Link]:
        rows = self.session.execute(
            select(
                VoteEventSource.id,
                VoteEventSource.source_key,
                VoteEventSource.vote_event_id,
                ImportedRecord.content_hash,
            )
            .outerjoin(ImportedRecord, ImportedRecord.vote_event_source_id == VoteEventSource.id)
            .where(VoteEventSource.source_id == self.source.id)
        ).all()
        return {key: Link(lid, eid, digest) for lid, key, eid, digest in rows}

    def db_rolls(self, event_ids: Iterable[int]) -> dict[int, dict[int, int]]:
        """Yes/no/abstain rows (country id -> position index) of existing events."""
        wanted = [e for e in event_ids if e not in self._db_rolls]
        index = {p: i for i, p in enumerate(POSITIONS)}
        for chunk in self._chunked(wanted):
            for eid in chunk:
                self._db_rolls[eid] = {}
            rows = self.session.execute(
                select(Vote.vote_event_id, Vote.country_id, Vote.position).where(
                    Vote.vote_event_id.in_(chunk), Vote.position != "non_voting"
                )
            ).all()
            for eid, cid, pos in rows:
                self._db_rolls[eid][cid] = index[pos]
        return {e: self._db_rolls[e] for e in event_ids}

    def event_state(self, event_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for chunk in self._chunked(list(event_ids)):
            rows = self.session.execute(
                select(
                    VoteEvent.__table__,
                    Resolution.symbol.label("res_symbol"),
                    Resolution.draft_symbol.label("res_draft"),
                )
                .select_from(VoteEvent)
                .outerjoin(Resolution, Resolution.id == VoteEvent.resolution_id)
                .where(VoteEvent.id.in_(chunk))
            ).mappings()
            for row in rows:
                out[row["id"]] = dict(row)
        return out

    def link_counts(self, event_ids: Sequence[int]) -> Counter[int]:
        counts: Counter[int] = Counter()
        for chunk in self._chunked(list(event_ids)):
            rows = self.session.execute(
                select(VoteEventSource.vote_event_id, func.count())
                .where(VoteEventSource.vote_event_id.in_(chunk))
                .group_by(VoteEventSource.vote_event_id)
            ).all()
            counts.update(dict(rows))
        return counts

    def recorded_rows(self, event_ids: Sequence[int]) -> dict[int, set[tuple[Any, ...]]]:
        out: dict[int, set[tuple[Any, ...]]] = {e: set() for e in event_ids}
        for chunk in self._chunked(list(event_ids)):
            rows = self.session.execute(
                select(
                    Vote.vote_event_id,
                    Vote.country_id,
                    Vote.position,
                    Vote.non_voting_reason,
                    Vote.name_in_source,
                ).where(Vote.vote_event_id.in_(chunk), Vote.inferred.is_(False))
            ).all()
            for eid, *rest in rows:
                out[eid].add(tuple(rest))
        return out

    def record_rows(self, record: SourceRecord) -> set[tuple[Any, ...]]:
        b = self.batch
        s, e = record.start, record.end
        return {
            (c, POSITIONS[p], REASONS[r], b.names[n])
            for c, p, r, n in zip(
                b.country[s:e], b.position[s:e], b.reason[s:e], b.name[s:e], strict=True
            )
        }

    # -- field rules -------------------------------------------------------------------

    def overwrites(self, record: SourceRecord) -> dict[str, Any]:
        """Event fields a source's record sets when it owns the event (absent values never
        clear what is there); title, resolution and session are handled apart."""
        values: dict[str, Any] = {
            "voted_on": record.voted_on,
            "date_approximate": record.date_approximate,
        }
        if record.kind != "unknown":
            values["kind"] = record.kind
        if record.important is not None:
            values["important"] = record.important
        if record.description is not None:
            values["description"] = record.description
        if record.meeting_record is not None:
            values["meeting_record"] = record.meeting_record
        if record.official.any():
            values.update(self.official_values(record))
        if record.official_outcome != "unknown":
            values["official_outcome"] = record.official_outcome
        return values

    @staticmethod
    def official_values(record: SourceRecord) -> dict[str, Any]:
        o = record.official
        return {
            "official_yes": o.yes,
            "official_no": o.no,
            "official_abstain": o.abstain,
            "official_non_voting": o.non_voting,
            "official_members": o.members,
        }

    def fills(self, record: SourceRecord, state: dict[str, Any]) -> dict[str, Any]:
        """Event fields a record fills on an event another source supplied (only gaps)."""
        values: dict[str, Any] = {}
        if state["kind"] == "unknown" and record.kind != "unknown":
            values["kind"] = record.kind
        if _title_replaceable(state["title"], record.title):
            values["title"] = record.title
        for name in ("description", "meeting_record", "important"):
            if state[name] is None and getattr(record, name) is not None:
                values[name] = getattr(record, name)
        if record.official.any() and all(
            state[f"official_{p}"] is None for p in ("yes", "no", "abstain", "non_voting")
        ):
            values.update(self.official_values(record))
        if state["official_outcome"] == "unknown" and record.official_outcome != "unknown":
            values["official_outcome"] = record.official_outcome
        return values

    # -- planning ----------------------------------------------------------------------

    def plan(self) -> Plan:
        plan = Plan()
        links = self.existing_links()
        changed: list[tuple[int, Link]] = []
        new: list[int] = []
        for i, record in enumerate(self.records):
            link = links.get(record.key)
            if link is None:
                new.append(i)
            elif link.digest == record.digest:
                plan.unchanged.append(i)
            else:
                changed.append((i, link))
        if changed:
            self._plan_changed(plan, changed, new)
        self._plan_new(plan, sorted(new))
        return plan

    def _plan_changed(self, plan: Plan, changed: list[tuple[int, Link]], new: list[int]) -> None:
        event_ids = [link.event_id for _, link in changed]
        states = self.event_state(event_ids)
        counts = self.link_counts(event_ids)
        sole = [link.event_id for _, link in changed if counts[link.event_id] <= 1]
        recorded = self.recorded_rows(sole)
        for i, link in changed:
            record = self.records[i]
            state = states[link.event_id]
            if counts[link.event_id] <= 1:
                roll_changed = recorded[link.event_id] != self.record_rows(record)
                fields_changed = any(
                    state[k] != v for k, v in self.overwrites(record).items()
                ) or _title_replaceable(state["title"], record.title)
                res_changed = (record.symbol and record.symbol != state["res_symbol"]) or (
                    not record.symbol
                    and record.draft
                    and state["res_symbol"] is None
                    and record.draft != state["res_draft"]
                )
                session_changed = record.session_code is not None and state[
                    "ga_session_id"
                ] != self._session_id_or_none(record.session_code)
                if roll_changed or fields_changed or res_changed or session_changed:
                    plan.update_sole.append((i, link, roll_changed))
                else:
                    plan.refresh.append((i, link))
            else:
                roll = self.db_rolls([link.event_id])[link.event_id]
                if roll == self.batch.roll(record):
                    if self.fills(record, state):
                        plan.update_shared.append((i, link))
                    else:
                        plan.refresh.append((i, link))
                else:
                    plan.detach.append((i, link))
                    new.append(i)

    def _session_id_or_none(self, code: str) -> int | None:
        found = self.session.execute(select(GASession.id).where(GASession.code == code)).scalar()
        return int(found) if found is not None else None

    def _plan_new(self, plan: Plan, new: list[int]) -> None:
        """Match new records to existing events and to each other, else make them primaries."""
        if not new:
            return
        records = self.records
        dates = sorted({records[i].voted_on for i in new})
        db_by_date: dict[date, list[tuple[int, str | None, str | None, str, bool]]] = {}
        ours = (
            select(VoteEventSource.id)
            .where(
                VoteEventSource.vote_event_id == VoteEvent.id,
                VoteEventSource.source_id == self.source.id,
            )
            .exists()
        )
        for chunk in self._chunked(dates):
            rows = self.session.execute(
                select(
                    VoteEvent.id,
                    VoteEvent.voted_on,
                    VoteEvent.kind,
                    Resolution.symbol,
                    Resolution.draft_symbol,
                    ours,
                )
                .select_from(VoteEvent)
                .outerjoin(Resolution, Resolution.id == VoteEvent.resolution_id)
                .where(VoteEvent.voted_on.in_(chunk))
            ).all()
            for eid, day, kind, sym, draft, same in rows:
                db_by_date.setdefault(day, []).append((eid, sym, draft, kind, bool(same)))
        # Symbols before drafts within a day, so that a draft-only record joins the resolution.
        order = sorted(new, key=lambda i: (records[i].voted_on, records[i].symbol is None, i))
        batch_by_date: dict[tuple[date, bool], list[Primary]] = {}
        primaries: dict[int, Primary] = {}
        for i in order:
            record = records[i]
            target: int | Primary | None = None
            if record.identified:
                roll: dict[int, int] | None = None
                cands = [
                    eid
                    for eid, sym, draft, kind, same in db_by_date.get(record.voted_on, ())
                    if symbols_compatible(
                        record.symbol, record.draft, record.kind, sym, draft, kind, same_source=same
                    )
                ]
                if cands:
                    roll = self.batch.roll(record)
                    rolls = self.db_rolls(cands)
                    target = next((e for e in cands if rolls[e] == roll), None)
                if target is None:
                    # within one source two records with a symbol are never the same vote:
                    # a record with a symbol can only meet a draft-only one, and vice versa
                    pool = batch_by_date.get((record.voted_on, record.symbol is None), ())
                    for prim in pool:
                        other = records[prim.index]
                        if symbols_compatible(
                            record.symbol,
                            record.draft,
                            record.kind,
                            other.symbol,
                            other.draft,
                            other.kind,
                            same_source=True,
                        ):
                            roll = roll if roll is not None else self.batch.roll(record)
                            if roll == self.batch.roll(other):
                                target = prim
                                break
            if isinstance(target, Primary):
                target.secondaries.append(i)
            elif isinstance(target, int):
                plan.merge_db.append((i, target))
            else:
                prim = Primary(i)
                primaries[i] = prim
                # filed under the records it can meet: a draft-only one meets any identified
                # record, one with a symbol only draft-only records
                batch_by_date.setdefault((record.voted_on, True), []).append(prim)
                if record.symbol is None:
                    batch_by_date.setdefault((record.voted_on, False), []).append(prim)
        plan.primaries = [primaries[i] for i in sorted(primaries, key=self._insert_order)]

    def _insert_order(self, i: int) -> tuple[date, int]:
        return (self.records[i].voted_on, i)


def _title_replaceable(current: str | None, new: str | None) -> bool:
    """Titles are filled where empty; a cut-off title ("...[...]") gives way to a full one."""
    if not new or new == current:
        return False
    if current is None:
        return True
    return current.endswith(TRUNCATED) and not new.endswith(TRUNCATED)


# --------------------------------------------------------------------------- apply


class Writer:
    def __init__(self, loader: Loader, plan: Plan, report: ImportReport, run_id: int) -> None:
        self.loader = loader
        self.session = loader.session
        self.batch = loader.batch
        self.records = loader.records
        self.plan = plan
        self.report = report
        self.run_id = run_id
        self.source_id = loader.source.id
        self.now = utcnow()
        self.session_ids: dict[str, int] = {}
        self.topic_ids: dict[str, int] = {}
        self.symbol_ids: dict[str, int] = {}
        self.draft_ids: dict[str, int] = {}
        self.touched_resolutions: set[int] = set()
        self.rolls_to_complete: set[int] = set()

    # -- reference rows ------------------------------------------------------------------

    def ensure_sessions(self, indices: Iterable[int]) -> None:
        codes = {self.records[i].session_code for i in indices} - {None}
        if not codes:
            return
        existing = {
            r[0]: r[1]
            for r in self.session.execute(
                select(GASession.code, GASession.id).where(GASession.code.in_(codes))
            )
        }
        for code in sorted(c for c in codes if c is not None and c not in existing):
            parsed = parse_session_code(code)
            if parsed is None:
                continue
            ga = GASession(type=parsed[0], number=parsed[1], code=code)
            self.session.add(ga)
            self.session.flush()
            existing[code] = ga.id
        self.session_ids.update(existing)

    def ensure_topics(self, indices: Iterable[int]) -> None:
        wanted = {t[0]: t for i in indices for t in self.records[i].topics}
        if not wanted:
            return
        existing = {
            r[0]: r[1]
            for r in self.session.execute(
                select(Topic.code, Topic.id).where(Topic.code.in_(wanted))
            )
        }
        for code in sorted(set(wanted) - set(existing)):
            _, name, scheme = wanted[code]
            topic = Topic(code=code, name=name, scheme=scheme)
            self.session.add(topic)
            self.session.flush()
            existing[code] = topic.id
        self.topic_ids.update(existing)

    def ensure_resolutions(
        self, groups: dict[str, list[int]], drafts: dict[str, list[int]]
    ) -> None:
        """Get or create the resolutions (by symbol) and failed drafts (by draft symbol) the
        records name; fill what an existing one lacks, never overwrite it."""
        records = self.records
        symbols = sorted(groups)
        found: dict[str, dict[str, Any]] = {}
        for chunk in self.loader._chunked(symbols):
            for row in self.session.execute(
                select(RESOLUTIONS).where(RESOLUTIONS.c.symbol.in_(chunk))
            ).mappings():
                found[row["symbol"]] = dict(row)
        draft_keys = sorted(drafts)
        found_drafts: dict[str, dict[str, Any]] = {}
        for chunk in self.loader._chunked(draft_keys):
            for row in self.session.execute(
                select(RESOLUTIONS).where(
                    RESOLUTIONS.c.draft_symbol.in_(chunk), RESOLUTIONS.c.symbol.is_(None)
                )
            ).mappings():
                found_drafts.setdefault(row["draft_symbol"], dict(row))

        def values_for(members: list[int], symbol: str | None) -> dict[str, Any]:
            main = _main_record([records[i] for i in members])
            draft = next((records[i].draft for i in members if records[i].draft), None)
            url = next((records[i].url for i in members if records[i].url), None)
            meeting = next(
                (records[i].meeting_record for i in members if records[i].meeting_record), None
            )
            code = main.session_code
            return {
                "symbol": symbol,
                "draft_symbol": draft,
                "title": main.resolution_title or symbol or draft or "",
                "ga_session_id": self.session_ids.get(code) if code else None,
                "adopted_on": main.voted_on if symbol else None,
                "date_approximate": main.date_approximate,
                "meeting_record": meeting,
                "source_url": url,
                "updated_at": self.now,
            }

        to_create: list[dict[str, Any]] = []
        fills: list[dict[str, Any]] = []
        for symbol in symbols:
            want = values_for(groups[symbol], symbol)
            if symbol in found:
                have = found[symbol]
                self.symbol_ids[symbol] = have["id"]
                fill = _fill_resolution(have, want)
                if fill:
                    fills.append({"b_id": have["id"], **fill})
            else:
                to_create.append(want)
        for draft in draft_keys:
            want = values_for(drafts[draft], None)
            if draft in found_drafts:
                have = found_drafts[draft]
                self.draft_ids[draft] = have["id"]
                fill = _fill_resolution(have, want)
                if fill:
                    fills.append({"b_id": have["id"], **fill})
            else:
                want["draft_symbol"] = draft
                to_create.append(want)
        if to_create:
            ids = self.insert_many(RESOLUTIONS, to_create, ids=True)
            for values, rid in zip(to_create, ids, strict=True):
                if values["symbol"]:
                    self.symbol_ids[values["symbol"]] = rid
                else:
                    self.draft_ids[values["draft_symbol"]] = rid
        for fill in fills:  # few: one statement each
            rid = fill.pop("b_id")
            self.session.execute(update(RESOLUTIONS).where(RESOLUTIONS.c.id == rid).values(fill))

    def resolution_of(self, record: SourceRecord) -> int | None:
        if record.symbol:
            return self.symbol_ids.get(record.symbol)
        if record.draft:
            return self.draft_ids.get(record.draft)
        return None

    # -- rows ----------------------------------------------------------------------------

    def insert_many(self, table: Table, rows: list[dict[str, Any]], *, ids: bool) -> list[int]:
        """Insert rows (all with the same keys); return their new ids in order if ``ids``.
        PostgreSQL: ids drawn from the table's sequence, rows sent with ``COPY``. SQLite: ids
        follow the table's largest (what SQLite itself would give: this transaction already
        holds the write lock, taken by the ``import_runs`` row), one ``executemany``."""
        if not rows:
            return []
        columns = list(rows[0])
        if self.loader.driver == "psycopg":
            new_ids: list[int] = []
            if ids:
                new_ids = sorted(
                    self.session.execute(
                        text(
                            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                            "FROM generate_series(1, :n)"
                        ),
                        {"t": table.name, "n": len(rows)},
                    ).scalars()
                )
                columns = ["id", *columns]
            raw: Any = self.session.connection().connection.driver_connection
            names = ", ".join(f'"{c}"' for c in columns)
            with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for n, row in enumerate(rows):
                    values = row.values()
                    copy.write_row((new_ids[n], *values) if ids else tuple(values))
            return new_ids
        if not ids:
            self.session.execute(insert(table), rows)
            return []
        if self.loader.dialect == "sqlite":
            last = self.session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            new_ids = list(range(last + 1, last + 1 + len(rows)))
            if self.loader.driver == "pysqlite":
                self.sqlite_executemany(table, ["id", *columns], new_ids, rows)
            else:
                self.session.execute(
                    insert(table), [{"id": i, **row} for i, row in zip(new_ids, rows, strict=True)]
                )
            return new_ids
        return list(
            self.session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
            ).scalars()
        )

    def sqlite_executemany(
        self, table: Table, columns: list[str], ids: list[int], rows: list[dict[str, Any]]
    ) -> None:
        """``INSERT`` through sqlite3's own ``executemany``, values converted by the columns'
        SQLAlchemy types exactly as ``session.execute`` would (dates, date-times, booleans)."""
        dialect = self.session.get_bind().dialect
        processors = [
            (k, proc)
            for k, c in enumerate(columns)
            if (proc := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        params = []
        for i, row in zip(ids, rows, strict=True):
            values = [i, *row.values()]
            for k, proc in processors:
                if values[k] is not None:
                    values[k] = proc(values[k])
            params.append(values)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        raw: Any = self.session.connection().connection.driver_connection
        raw.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", params)

    def bulk_votes(self, rolls: Iterable[RollParts], n_rows: int = 0) -> None:
        """Insert the vote rows of new events through the driver, event by event, in three
        shapes (see :class:`RollParts`).

        SQLite: ``executemany`` per shape and event (few bound values per row). SQLite's CHECK
        constraints are not evaluated for these rows: every value comes from the fixed
        vocabularies (validated source codes mapped through ``POSITIONS``/``REASONS``) or is a
        constant, and the few ``other`` rows are checked here. PostgreSQL: one ``COPY``. For a
        bulk load (:meth:`bulk_load`) the plain indexes (and on PostgreSQL also the primary key
        and foreign keys) of ``votes`` are dropped first and built once afterwards. On SQLite
        the primary key is the table itself (``WITHOUT ROWID``) and stays: the rows come in
        vote-event order, so they go in at the table's end.
        """
        raw: Any = self.session.connection().connection.driver_connection
        columns = ", ".join(VOTE_COLUMNS)
        if self.loader.driver == "pysqlite":
            rebuild = self.sqlite_rebuild(n_rows)
            simple_sql = f"INSERT INTO votes ({columns}) VALUES (?, ?, ?, NULL, 0, ?, 0)"
            inferred_sql = (
                f"INSERT INTO votes ({columns}) VALUES (?, ?, 'non_voting', 'unknown', 1, NULL, 0)"
            )
            other_sql = f"INSERT INTO votes ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)"
            cur = raw.cursor()
            cur.execute("PRAGMA ignore_check_constraints=ON")
            try:
                for part in rolls:
                    cur.executemany(simple_sql, part.simple)
                    if part.inferred:
                        cur.executemany(inferred_sql, part.inferred)
                    if part.other:
                        _check_rows(part.other)
                        cur.executemany(other_sql, part.other)
            finally:
                cur.execute("PRAGMA ignore_check_constraints=OFF")
            for statement in rebuild:
                cur.execute(statement)
            cur.close()
            return
        if self.loader.driver == "psycopg":
            rebuild = self.pg_rebuild(n_rows)
            with raw.cursor() as cur, cur.copy(f"COPY votes ({columns}) FROM STDIN") as copy:
                # COPY's text format, built here: much faster than a write_row per row
                esc: dict[str, str] = {}
                buffer: list[str] = []
                for part in rolls:
                    for e, c, p, n in part.simple:
                        name = esc.get(n)
                        if name is None:
                            name = esc[n] = _copy_text(n)
                        buffer.append(f"{e}\t{c}\t{p}\t\\N\tf\t{name}\tf\n")
                    buffer.extend(
                        f"{e}\t{c}\tnon_voting\tunknown\tt\t\\N\tf\n" for e, c in part.inferred
                    )
                    for row in part.other:
                        buffer.append("\t".join(map(_copy_value, row)) + "\n")
                    if len(buffer) >= 20_000:
                        copy.write("".join(buffer))
                        buffer.clear()
                copy.write("".join(buffer))
            for statement in rebuild:
                self.session.execute(text(statement))
            return
        chunk: list[dict[str, Any]] = []
        for part in rolls:
            rows = chain(
                ((e, c, p, None, False, n, False) for e, c, p, n in part.simple),
                ((e, c, "non_voting", "unknown", True, None, False) for e, c in part.inferred),
                part.other,
            )
            chunk.extend(dict(zip(VOTE_COLUMNS, row, strict=True)) for row in rows)
            if len(chunk) >= 5_000:
                self.session.execute(insert(VOTES), chunk)
                chunk = []
        if chunk:
            self.session.execute(insert(VOTES), chunk)

    def bulk_load(self, n_rows: int) -> bool:
        """A load large enough (at least :data:`REBUILD_MIN_ROWS` rows, more than ``votes``
        holds) to build the secondary indexes once afterwards rather than row by row."""
        if n_rows < REBUILD_MIN_ROWS:
            return False
        existing = self.session.execute(select(func.count()).select_from(Vote)).scalar_one()
        return n_rows > existing

    def sqlite_rebuild(self, n_rows: int) -> list[str]:
        """SQLite: for a bulk load, drop the plain (non-unique) indexes of ``votes`` inside the
        transaction and return their ``CREATE INDEX`` statements, as stored by SQLite. Still a win
        with the clustered table: building ``ix_votes_country_event`` once afterwards is faster
        than keeping it in place during the load (docs/benchmarks.md, Import)."""
        if not self.bulk_load(n_rows):
            return []
        indexes = self.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'votes' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
            )
        ).all()
        for name, _ in indexes:
            self.session.execute(text(f'DROP INDEX "{name}"'))
        return [sql for _, sql in indexes]

    def pg_rebuild(self, n_rows: int) -> list[str]:
        """PostgreSQL: for a bulk load (see :meth:`bulk_load`), drop the primary key, foreign
        keys and plain indexes of ``votes`` (inside the transaction) and return the statements
        that build them again, from the catalog's own definitions: one index build and one
        validating join each instead of a check and an index update per row. Readers of
        ``votes`` wait until the import commits."""
        if not self.bulk_load(n_rows):
            return []
        constraints = self.session.execute(
            text(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'votes'::regclass AND contype IN ('u', 'p', 'f') "
                "ORDER BY contype DESC"
            )
        ).all()
        indexes = self.session.execute(
            text(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class c ON c.oid = x.indexrelid "
                "WHERE x.indrelid = 'votes'::regclass AND NOT x.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"
            )
        ).all()
        for name, _, _ in constraints:
            self.session.execute(text(f'ALTER TABLE votes DROP CONSTRAINT "{name}"'))
        for name, _ in indexes:
            self.session.execute(text(f'DROP INDEX "{name}"'))
        # unique constraints ('u') and the primary key ('p') before foreign keys ('f'), then the
        # plain indexes
        return [f'ALTER TABLE votes ADD CONSTRAINT "{n}" {d}' for n, _, d in constraints] + [
            d for _, d in indexes
        ]

    def roll_plan(
        self, record: SourceRecord, extra_non_votes: dict[int, str]
    ) -> tuple[list[int], dict[int, str], list[int]]:
        """What completes a new event's roll: the certain members without a row (inferred
        non-votes), the non-votes other records of the same vote recorded, and the counts per
        position of the complete roll."""
        b = self.batch
        s, e = record.start, record.end
        countries = b.country[s:e]
        positions = b.position[s:e]
        recorded = set(countries)
        certain = self.loader.calendar.certain_members(record.voted_on, record.date_approximate)
        extra = {c: n for c, n in extra_non_votes.items() if c not in recorded}
        missing = sorted(certain - recorded - extra.keys())
        counts = [positions.count(p) for p in range(3)]
        counts.append(positions.count(NON_VOTING) + len(extra) + len(missing))
        return missing, extra, counts

    def roll_rows(
        self, event_id: int, record: SourceRecord, missing: list[int], extra: dict[int, str]
    ) -> RollParts:
        """A new event's complete roll: recorded rows (flagged when outside membership), the
        non-votes other records of the vote recorded, and inferred non-votes."""
        b = self.batch
        s, e = record.start, record.end
        countries = b.country[s:e]
        positions = b.position[s:e]
        possible = self.loader.calendar.possible_members(record.voted_on, record.date_approximate)
        names = b.names
        n_outside = 0
        other: list[tuple[Any, ...]] = []
        if possible.issuperset(countries) and NON_VOTING not in positions:
            simple = list(
                zip(
                    repeat(event_id),
                    countries,
                    map(POSITIONS.__getitem__, positions),
                    map(names.__getitem__, b.name[s:e]),
                )
            )
        else:
            simple = []
            reasons, name_idx = b.reason[s:e], b.name[s:e]
            for c, p, r, n in zip(countries, positions, reasons, name_idx, strict=True):
                out = c not in possible
                n_outside += out
                if p == NON_VOTING or out:
                    other.append((event_id, c, POSITIONS[p], REASONS[r], False, names[n], out))
                else:
                    simple.append((event_id, c, POSITIONS[p], names[n]))
        for cid in sorted(extra):
            out = cid not in possible
            other.append((event_id, cid, "non_voting", "unknown", False, extra[cid], out))
            n_outside += out
        self.report.inferred_added += len(missing)
        self.report.outside_membership += n_outside
        return RollParts(simple, list(zip(repeat(event_id), missing)), other)

    def extra_non_votes(self, indices: Iterable[int]) -> dict[int, str]:
        """Countries that other records of one vote recorded as non-voting: country -> name."""
        b = self.batch
        out: dict[int, str] = {}
        for i in indices:
            record = self.records[i]
            for j in range(record.start, record.end):
                if b.position[j] == NON_VOTING:
                    out.setdefault(b.country[j], b.names[b.name[j]])
        return out

    # -- the steps -----------------------------------------------------------------------

    def run(self) -> None:
        plan = self.plan
        records = self.records
        involved = (
            [p.index for p in plan.primaries]
            + [i for p in plan.primaries for i in p.secondaries]
            + [i for i, _ in plan.merge_db]
            + [i for i, _, _ in plan.update_sole]
            + [i for i, _ in plan.update_shared]
        )
        self.ensure_sessions(involved)
        self.ensure_topics(involved)
        groups: dict[str, list[int]] = {}
        drafts: dict[str, list[int]] = {}
        for i in involved:
            record = records[i]
            if record.symbol:
                groups.setdefault(record.symbol, []).append(i)
            elif record.draft:
                drafts.setdefault(record.draft, []).append(i)
        # a draft-only record merged into a primary with a symbol fills that resolution
        for prim in plan.primaries:
            symbol = records[prim.index].symbol
            if symbol:
                for j in prim.secondaries:
                    draft = records[j].draft
                    if not records[j].symbol and draft:
                        groups[symbol].append(j)
                        drafts[draft] = [k for k in drafts[draft] if k != j]
        drafts = {d: members for d, members in drafts.items() if members}
        self.ensure_resolutions(groups, drafts)

        for _, link in plan.detach:
            self.session.execute(
                delete(HASHES).where(HASHES.c.vote_event_source_id == link.link_id)
            )
            self.session.execute(delete(LINKS).where(LINKS.c.id == link.link_id))
            self.rolls_to_complete.add(link.event_id)
            self.report.detached += 1
        self.insert_primaries()
        self.merge_into_existing()
        self.update_sole()
        self.update_shared()
        for i, link in plan.refresh:
            self.set_hash(link.link_id, records[i].digest)
        if self.rolls_to_complete:
            ids = sorted(self.rolls_to_complete)
            result = complete_rolls(self.session, ids)
            self.report.inferred_added += result["inferred_added"]
            self.report.outside_membership += result["outside_membership"]
            self.report.totals_disagreeing += self.session.execute(
                select(func.count())
                .select_from(VoteEvent)
                .where(VoteEvent.id.in_(ids), VoteEvent.totals_discrepancy.is_not(None))
            ).scalar_one()
        self.recompute_mains()

    def insert_primaries(self) -> None:
        plan, records = self.plan, self.records
        if not plan.primaries:
            return
        progress = self.loader.progress
        progress.phase("writing vote events", len(plan.primaries))
        event_rows: list[dict[str, Any]] = []
        completions: list[tuple[list[int], dict[int, str]]] = []
        for prim in plan.primaries:
            record = records[prim.index]
            values = self.event_values(record)
            for j in prim.secondaries:  # fill what the primary lacks
                values.update(self.fills(records[j], values))
            extra = self.extra_non_votes(prim.secondaries) if prim.secondaries else {}
            missing, extra, counts = self.roll_plan(record, extra)
            values.update(self.tally_values(values, counts))
            completions.append((missing, extra))
            event_rows.append(values)
        self.initial_mains(event_rows)
        ids = self.insert_many(EVENTS, event_rows, ids=True)
        for prim, eid in zip(plan.primaries, ids, strict=True):
            prim.event_id = eid
        progress.advance(len(plan.primaries))

        # sources, hashes, topics
        link_rows: list[dict[str, Any]] = []
        digests: list[str] = []
        topic_rows: set[tuple[int, int]] = set()
        for prim in plan.primaries:
            for i in (prim.index, *prim.secondaries):
                link_rows.append(self.link_values(prim.event_id, records[i]))
                digests.append(records[i].digest)
                topic_rows.update((prim.event_id, self.topic_ids[t[0]]) for t in records[i].topics)
        self.insert_links(link_rows, digests)
        self.insert_many(
            EVENT_TOPICS,
            [{"vote_event_id": e, "topic_id": t} for e, t in sorted(topic_rows)],
            ids=False,
        )
        self.report.added += len(plan.primaries)
        self.report.merged += sum(len(p.secondaries) for p in plan.primaries)

        # votes: the complete rolls, streamed
        total = sum(records[p.index].end - records[p.index].start for p in plan.primaries)
        progress.phase("writing votes", total)

        def rolls() -> Iterator[RollParts]:
            for prim, (missing, extra) in zip(plan.primaries, completions, strict=True):
                record = records[prim.index]
                yield self.roll_rows(prim.event_id, record, missing, extra)
                progress.advance(record.end - record.start)

        n_rows = total + sum(len(m) + len(x) for m, x in completions)
        self.bulk_votes(rolls(), n_rows)

    def initial_mains(self, event_rows: list[dict[str, Any]]) -> None:
        """Set ``is_main``/``main_inferred`` of new events from the resolution's existing
        events and the new ones (so ``recompute_mains`` rarely has anything left to change)."""
        by_resolution: dict[int, list[tuple[int, str, date]]] = {}
        wanted = sorted({v["resolution_id"] for v in event_rows if v["resolution_id"]})
        for chunk in self.loader._chunked(wanted):
            rows = self.session.execute(
                select(VoteEvent.resolution_id, VoteEvent.id, VoteEvent.kind, VoteEvent.voted_on)
                .where(VoteEvent.resolution_id.in_(chunk))
                .order_by(VoteEvent.id)
            ).all()
            for rid, eid, kind, day in rows:
                if rid is not None:
                    by_resolution.setdefault(rid, []).append((eid, kind, day))
        new_id = 1 << 62  # after every existing id, in insertion order
        placeholder: dict[int, dict[str, Any]] = {}
        for values in event_rows:
            rid = values["resolution_id"]
            if rid:
                new_id += 1
                placeholder[new_id] = values
                by_resolution.setdefault(rid, []).append(
                    (new_id, values["kind"], values["voted_on"])
                )
        for events in by_resolution.values():
            main, inferred = pick_main(events)
            for eid, _, _ in events:
                if eid in placeholder:
                    placeholder[eid]["is_main"] = eid == main
                    placeholder[eid]["main_inferred"] = inferred and eid == main

    def event_values(self, record: SourceRecord) -> dict[str, Any]:
        rid = self.resolution_of(record)
        o = record.official
        return {
            "resolution_id": rid,
            "ga_session_id": self.session_ids.get(record.session_code)
            if record.session_code
            else None,
            "kind": record.kind,
            "is_main": rid is None and record.kind not in NOT_MAIN_KINDS,
            "main_inferred": False,
            "voted_on": record.voted_on,
            "date_approximate": record.date_approximate,
            "meeting_record": record.meeting_record,
            "title": record.title,
            "description": record.description,
            "important": record.important,
            "majority_required": "simple",
            "majority_recorded": False,
            "official_outcome": record.official_outcome,
            "official_yes": o.yes,
            "official_no": o.no,
            "official_abstain": o.abstain,
            "official_non_voting": o.non_voting,
            "official_members": o.members,
            "yes_count": 0,
            "no_count": 0,
            "abstain_count": 0,
            "non_voting_count": 0,
            "members_count": 0,
            "computed_outcome": "unknown",
            "totals_discrepancy": None,
            "updated_at": self.now,
        }

    def fills(self, record: SourceRecord, state: dict[str, Any]) -> dict[str, Any]:
        values = self.loader.fills(record, state)
        if state.get("resolution_id") is None:
            rid = self.resolution_of(record)
            if rid is not None:
                values["resolution_id"] = rid
        if state.get("ga_session_id") is None and record.session_code:
            sid = self.session_ids.get(record.session_code)
            if sid is not None:
                values["ga_session_id"] = sid
        return values

    def tally_values(self, values: dict[str, Any], counts: list[int]) -> dict[str, Any]:
        members = sum(counts)
        official = [values[f"official_{p}"] for p in POSITIONS]
        note = discrepancy(official, counts)
        if note:
            self.report.totals_disagreeing += 1
        return {
            "yes_count": counts[0],
            "no_count": counts[1],
            "abstain_count": counts[2],
            "non_voting_count": counts[3],
            "members_count": members,
            "computed_outcome": compute_outcome(counts[0], counts[1], values["majority_required"])
            if members
            else "unknown",
            "totals_discrepancy": note,
        }

    def link_values(self, event_id: int, record: SourceRecord) -> dict[str, Any]:
        return {
            "vote_event_id": event_id,
            "source_id": self.source_id,
            "source_key": record.key,
            "source_ref": (record.ref or "")[:120] or None,
            "url": record.url,
        }

    def insert_links(self, link_rows: list[dict[str, Any]], digests: list[str]) -> None:
        if not link_rows:
            return
        ids = self.insert_many(LINKS, link_rows, ids=True)
        self.insert_many(
            HASHES,
            [
                {"vote_event_source_id": lid, "content_hash": d, "import_run_id": self.run_id}
                for lid, d in zip(ids, digests, strict=True)
            ],
            ids=False,
        )

    def set_hash(self, link_id: int, digest: str) -> None:
        found = self.session.execute(
            update(HASHES)
            .where(HASHES.c.vote_event_source_id == link_id)
            .values(content_hash=digest, import_run_id=self.run_id)
        )
        if not found.rowcount:  # type: ignore[attr-defined]
            self.session.execute(
                insert(HASHES).values(
                    vote_event_source_id=link_id, content_hash=digest, import_run_id=self.run_id
                )
            )

    def set_topics(self, event_id: int, record: SourceRecord, *, replace_scheme: bool) -> None:
        wanted = {self.topic_ids[t[0]] for t in record.topics}
        schemes = {t[2] for t in record.topics} or {
            "voeten" if self.batch.kind == "unvotes" else "undl"
        }
        have = set(
            self.session.execute(
                select(VoteEventTopic.topic_id).where(VoteEventTopic.vote_event_id == event_id)
            ).scalars()
        )
        if replace_scheme and have - wanted:
            stale = set(
                self.session.execute(
                    select(Topic.id).where(Topic.id.in_(have - wanted), Topic.scheme.in_(schemes))
                ).scalars()
            )
            if stale:
                self.session.execute(
                    delete(EVENT_TOPICS).where(
                        EVENT_TOPICS.c.vote_event_id == event_id, EVENT_TOPICS.c.topic_id.in_(stale)
                    )
                )
        add = sorted(wanted - have)
        if add:
            self.session.execute(
                insert(EVENT_TOPICS), [{"vote_event_id": event_id, "topic_id": t} for t in add]
            )

    def upgrade_inferred(self, event_id: int, record: SourceRecord) -> None:
        """Rows this record recorded as non-votes where the event only had inferred ones."""
        b = self.batch
        params = [
            {"b_event": event_id, "b_country": b.country[j], "b_name": b.names[b.name[j]]}
            for j in range(record.start, record.end)
            if b.position[j] == NON_VOTING
        ]
        if params:
            self.session.connection().execute(
                update(VOTES)
                .where(
                    VOTES.c.vote_event_id == bindparam("b_event"),
                    VOTES.c.country_id == bindparam("b_country"),
                    VOTES.c.inferred.is_(True),
                )
                .values(
                    inferred=False, name_in_source=bindparam("b_name"), non_voting_reason="unknown"
                ),
                params,
            )

    def merge_into_existing(self) -> None:
        merges = self.plan.merge_db
        if not merges:
            return
        states = self.loader.event_state(sorted({eid for _, eid in merges}))
        link_rows, digests = [], []
        for i, eid in merges:
            record = self.records[i]
            fill = self.fills(record, states[eid])
            if fill:
                self.session.execute(
                    update(EVENTS)
                    .where(EVENTS.c.id == eid)
                    .values({**fill, "updated_at": self.now})
                )
                states[eid].update(fill)
            self.upgrade_resolution(states[eid], record)
            self.upgrade_inferred(eid, record)
            self.set_topics(eid, record, replace_scheme=False)
            link_rows.append(self.link_values(eid, record))
            digests.append(record.digest)
            self.rolls_to_complete.add(eid)
            if states[eid]["resolution_id"]:
                self.touched_resolutions.add(states[eid]["resolution_id"])
        self.insert_links(link_rows, digests)
        self.report.merged += len(merges)

    def upgrade_resolution(self, state: dict[str, Any], record: SourceRecord) -> None:
        """A record naming the resolution of an event linked only to a draft (or the draft of
        a resolution that lacks one) completes it."""
        rid = state.get("resolution_id")
        if rid is None:
            return
        res = (
            self.session.execute(select(RESOLUTIONS).where(RESOLUTIONS.c.id == rid))
            .mappings()
            .one()
        )
        if res["symbol"] is None and record.symbol:
            target = self.symbol_ids.get(record.symbol)
            if target is not None and target != rid:
                self.session.execute(
                    update(EVENTS).where(EVENTS.c.resolution_id == rid).values(resolution_id=target)
                )
                self.session.execute(delete(RESOLUTIONS).where(RESOLUTIONS.c.id == rid))
                state["resolution_id"] = target
            else:
                self.session.execute(
                    update(RESOLUTIONS).where(RESOLUTIONS.c.id == rid).values(symbol=record.symbol)
                )
        elif res["draft_symbol"] is None and record.draft:
            self.session.execute(
                update(RESOLUTIONS).where(RESOLUTIONS.c.id == rid).values(draft_symbol=record.draft)
            )

    def update_sole(self) -> None:
        records, b = self.records, self.batch
        items = self.plan.update_sole
        if not items:
            return
        states = self.loader.event_state([link.event_id for _, link, _ in items])
        for i, link, roll_changed in items:
            record = records[i]
            eid = link.event_id
            state = states[eid]
            values = dict(self.loader.overwrites(record))
            if _title_replaceable(state["title"], record.title):
                values["title"] = record.title
            rid = self.resolution_of(record)
            if rid is not None:
                values["resolution_id"] = rid
                if state["resolution_id"]:
                    self.touched_resolutions.add(state["resolution_id"])
            if record.session_code and record.session_code in self.session_ids:
                values["ga_session_id"] = self.session_ids[record.session_code]
            self.session.execute(
                update(EVENTS).where(EVENTS.c.id == eid).values({**values, "updated_at": self.now})
            )
            if roll_changed:
                self.session.execute(delete(VOTES).where(VOTES.c.vote_event_id == eid))
                rows = [
                    {
                        "vote_event_id": eid,
                        "country_id": b.country[j],
                        "position": POSITIONS[b.position[j]],
                        "non_voting_reason": REASONS[b.reason[j]],
                        "inferred": False,
                        "name_in_source": b.names[b.name[j]],
                        "outside_membership": False,
                    }
                    for j in range(record.start, record.end)
                ]
                if rows:
                    self.session.execute(insert(VOTES), rows)
            self.set_topics(eid, record, replace_scheme=True)
            self.set_hash(link.link_id, record.digest)
            self.rolls_to_complete.add(eid)
            if rid is not None:
                self.touched_resolutions.add(rid)
        self.report.updated += len(items)

    def update_shared(self) -> None:
        items = self.plan.update_shared
        if not items:
            return
        states = self.loader.event_state([link.event_id for _, link in items])
        for i, link in items:
            record = self.records[i]
            eid = link.event_id
            fill = self.fills(record, states[eid])
            if fill:
                self.session.execute(
                    update(EVENTS)
                    .where(EVENTS.c.id == eid)
                    .values({**fill, "updated_at": self.now})
                )
            self.upgrade_inferred(eid, record)
            self.set_topics(eid, record, replace_scheme=False)
            self.set_hash(link.link_id, record.digest)
            self.rolls_to_complete.add(eid)
            if states[eid]["resolution_id"]:
                self.touched_resolutions.add(states[eid]["resolution_id"])
        self.report.updated += len(items)

    def recompute_mains(self) -> None:
        """Main vote of every resolution this import touched (see :func:`pick_main`), and
        ``is_main`` of the events it touched that belong to no resolution."""
        touched = set(self.touched_resolutions)
        touched.update(self.symbol_ids.values())
        touched.update(self.draft_ids.values())
        by_resolution: dict[int, list[tuple[int, str, date, bool, bool]]] = {}
        for chunk in self.loader._chunked(sorted(touched)):
            rows = self.session.execute(
                select(
                    VoteEvent.resolution_id,
                    VoteEvent.id,
                    VoteEvent.kind,
                    VoteEvent.voted_on,
                    VoteEvent.is_main,
                    VoteEvent.main_inferred,
                )
                .where(VoteEvent.resolution_id.in_(chunk))
                .order_by(VoteEvent.id)
            ).all()
            for rid, eid, kind, day, is_main, inferred in rows:
                if rid is None:
                    continue
                by_resolution.setdefault(rid, []).append((eid, kind, day, is_main, inferred))
        changes = []
        for events in by_resolution.values():
            main, inferred = pick_main([(e[0], e[1], e[2]) for e in events])
            for eid, _, _, is_main, was_inferred in events:
                want = (eid == main, inferred if eid == main else False)
                if (is_main, was_inferred) != want:
                    changes.append({"b_id": eid, "is_main": want[0], "main_inferred": want[1]})
        if changes:
            self.session.connection().execute(
                update(EVENTS)
                .where(EVENTS.c.id == bindparam("b_id"))
                .values(is_main=bindparam("is_main"), main_inferred=bindparam("main_inferred")),
                changes,
            )


def _check_rows(rows: list[tuple[Any, ...]]) -> None:
    """The CHECK constraints of ``votes``, in Python, for rows written without SQLite's."""
    for _, _, position, reason, inferred, _, _ in rows:
        if (
            position not in POSITIONS
            or (reason is not None and (position != "non_voting" or reason not in REASONS))
            or (inferred and position != "non_voting")
        ):
            raise ImportConflict(f"a vote row breaks a CHECK constraint: {position}, {reason}")


def _copy_value(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    return _copy_text(None if value is None else str(value))


def _copy_text(value: str | None) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _main_record(records: list[SourceRecord]) -> SourceRecord:
    main, _ = pick_main([(i, r.kind, r.voted_on) for i, r in enumerate(records)])
    return records[main if main is not None else len(records) - 1]


def _fill_resolution(have: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    fill: dict[str, Any] = {}
    for name in ("draft_symbol", "ga_session_id", "adopted_on", "meeting_record", "source_url"):
        if have[name] is None and want[name] is not None:
            fill[name] = want[name]
    if have["adopted_on"] is None and want["adopted_on"] is not None:
        fill["date_approximate"] = want["date_approximate"]
    if _title_replaceable(have["title"] or None, want["title"] or None):
        fill["title"] = want["title"]
    return fill


# --------------------------------------------------------------------------- entry point


def source_by_slug(session: Session, slug: str) -> Source:
    source = session.execute(select(Source).where(Source.slug == slug)).scalar_one_or_none()
    if source is None:
        raise ImportConflict(f"no source {slug!r} in the database: load the seed first (unga seed)")
    return source


def load_batch(
    session: Session,
    batch: Batch,
    source_slug: str,
    *,
    file_name: str,
    sha256: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    calendar: MembershipCalendar | None = None,
) -> ImportReport:
    """Plan and (unless ``dry_run``) apply one batch. Flushes only; the caller commits."""
    started = time.perf_counter()
    started_at = utcnow()
    progress = progress or NullProgress()
    source = source_by_slug(session, source_slug)
    report = ImportReport(
        kind=batch.kind,
        source=source_slug,
        files=batch.files,
        records=len(batch.records),
        rows=batch.rows_read,
        dry_run=dry_run,
    )
    loader = Loader(session, batch, source, progress, calendar)
    progress.phase("comparing with the database", len(batch.records))
    plan = loader.plan()
    progress.advance(len(batch.records))
    report.unchanged = len(plan.unchanged) + len(plan.refresh)
    if dry_run:
        report.added = len(plan.primaries)
        report.merged = sum(len(p.secondaries) for p in plan.primaries) + len(plan.merge_db)
        report.updated = len(plan.update_sole) + len(plan.update_shared)
        report.detached = len(plan.detach)
        report.seconds = time.perf_counter() - started
        return report
    run = ImportRun(
        kind=batch.kind,
        source_id=source.id,
        file_name=file_name,
        sha256=sha256,
        started_at=started_at,
    )
    session.add(run)
    session.flush()
    Writer(loader, plan, report, run.id).run()
    if report.changed:
        bump_version(session, refreshed=True)
        source.imported_at = utcnow().replace(tzinfo=None)  # a naive UTC column
    run.records_read = report.records
    run.rows_read = report.rows
    run.events_added = report.added
    run.events_updated = report.updated
    run.events_unchanged = report.unchanged
    run.events_merged = report.merged
    run.inferred_added = report.inferred_added
    run.totals_disagreeing = report.totals_disagreeing
    run.finished_at = utcnow()
    session.flush()
    session.expire_all()
    report.seconds = time.perf_counter() - started
    return report
