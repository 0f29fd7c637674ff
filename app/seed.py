"""Load the curated seed CSVs (``seed/``) into the database.

``load_seed`` upserts every table by its natural key, so running it twice leaves the same
state and re-running it after editing a CSV updates the changed rows. The caller owns the
transaction: this module only flushes.

Natural keys: countries by code; names by (country, key, kind); memberships by (country,
admitted_on); successions by (predecessor, successor); groups by slug; group memberships by
(group, country, role, since); sessions by (type, number); topics by code; sources by slug;
resolutions by symbol; vote events by (source, source_key) through ``vote_event_sources``;
votes by (vote event, country); news items by URL; news links by (news item, target).

The seed owns the membership spells of the countries it lists, the successions and the members
of the groups it lists: rows there that the CSVs no longer hold are deleted. Recorded votes of
a seeded vote event that the CSV no longer holds are deleted too; non-votes inferred by
``complete_rolls`` are kept.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Base
from app.domain.names import name_key
from app.domain.symbols import parse_session_code, parse_symbol, session_code
from app.models import (
    Country,
    CountryName,
    CountrySuccession,
    GASession,
    Group,
    GroupMembership,
    Membership,
    NewsCountryLink,
    NewsItem,
    NewsResolutionLink,
    Resolution,
    Source,
    Topic,
    Vote,
    VoteEvent,
    VoteEventSource,
    VoteEventTopic,
)
from app.models._types import NON_VOTING_REASONS, POSITIONS
from app.services.dataset import bump_version, current_version
from app.services.rolls import complete_rolls

__all__ = ["SeedError", "load_seed"]

M = TypeVar("M", bound=Base)
Row = dict[str, str]

_TABLES = (
    "sources",
    "topics",
    "ga_sessions",
    "countries",
    "country_names",
    "memberships",
    "country_successions",
    "groups",
    "group_memberships",
    "resolutions",
    "vote_events",
    "vote_event_sources",
    "vote_event_topics",
    "votes",
    "news_items",
    "news_resolution_links",
    "news_country_links",
)
_NAME_KINDS = ("iso3", "iso2", "m49", "un_name", "official", "common", "alias", "source_code")


class SeedError(ValueError):
    """A seed file is malformed or refers to something that does not exist."""


# ---------------------------------------------------------------------------- parsing helpers


@dataclass(frozen=True)
class _Line:
    """One CSV row with its file and line number, for error messages."""

    file: str
    line: int
    values: Row

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def req(self, column: str) -> str:
        value = self.values.get(column, "")
        if not value:
            raise SeedError(f"{self.where()}: column {column!r} is empty")
        return value

    def opt(self, column: str) -> str | None:
        return self.values.get(column, "") or None

    def day(self, column: str) -> date | None:
        value = self.opt(column)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise SeedError(f"{self.where()}: {column}={value!r} is not a date") from exc

    def req_day(self, column: str) -> date:
        value = self.day(column)
        if value is None:
            raise SeedError(f"{self.where()}: column {column!r} is empty")
        return value

    def instant(self, column: str) -> datetime | None:
        value = self.opt(column)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise SeedError(f"{self.where()}: {column}={value!r} is not a date-time") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def flag(self, column: str, default: bool = False) -> bool:
        value = (self.opt(column) or "").lower()
        if not value:
            return default
        if value in ("true", "1", "yes"):
            return True
        if value in ("false", "0", "no"):
            return False
        raise SeedError(f"{self.where()}: {column}={value!r} is not a boolean")

    def opt_flag(self, column: str) -> bool | None:
        return self.flag(column) if self.opt(column) is not None else None

    def number(self, column: str) -> int | None:
        value = self.opt(column)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError as exc:
            raise SeedError(f"{self.where()}: {column}={value!r} is not an integer") from exc

    def choice(self, column: str, allowed: Sequence[str], default: str | None = None) -> str:
        value = self.opt(column) or default
        if value is None or value not in allowed:
            raise SeedError(f"{self.where()}: {column}={value!r} is not one of {list(allowed)}")
        return value


def _read(seed_dir: Path, name: str, required: Sequence[str]) -> list[_Line]:
    """Rows of ``seed_dir/name`` (an absent file is empty); cells are stripped."""
    path = seed_dir / name
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise SeedError(f"{name}: missing columns {missing}")
        return [
            _Line(name, reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
            for row in reader
        ]


def _symbol(line: _Line, column: str, kind: str) -> str | None:
    raw = line.opt(column)
    if raw is None:
        return None
    parsed = parse_symbol(raw)
    if parsed is None or parsed.kind != kind:
        raise SeedError(f"{line.where()}: {column}={raw!r} is not a {kind} symbol")
    return parsed.canonical


# ---------------------------------------------------------------------------- upsert helpers


def _same(a: object, b: object) -> bool:
    """Equality that treats a naive date-time read back from SQLite as UTC."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        a = a if a.tzinfo else a.replace(tzinfo=UTC)
        b = b if b.tzinfo else b.replace(tzinfo=UTC)
    return a == b


class _Loader:
    def __init__(self, session: Session, seed_dir: Path) -> None:
        self.session = session
        self.seed_dir = seed_dir
        self.stats: Counter[str] = Counter()
        for table in _TABLES:
            self.stats[f"{table}_added"] = 0
            self.stats[f"{table}_updated"] = 0
        self.sources: dict[str, Source] = {}
        self.topics: dict[str, Topic] = {}
        self.sessions: dict[str, GASession] = {}
        self.countries: dict[str, Country] = {}
        self.resolutions: dict[str, Resolution] = {}

    # -- generic -----------------------------------------------------------------------

    def upsert(
        self,
        model: type[M],
        existing: M | None,
        key: Mapping[str, Any],
        values: Mapping[str, Any],
    ) -> M:
        """Add a row, or update ``existing`` where ``values`` differ; count either."""
        table = model.__tablename__
        if existing is None:
            obj = model(**key, **values)
            self.session.add(obj)
            self.stats[f"{table}_added"] += 1
            return obj
        changed = False
        for attr, value in values.items():
            if not _same(getattr(existing, attr), value):
                setattr(existing, attr, value)
                changed = True
        if changed:
            self.stats[f"{table}_updated"] += 1
        return existing

    def delete_rows(self, model: type[M], rows: Iterable[M]) -> None:
        table = model.__tablename__
        for row in rows:
            self.session.delete(row)
            self.stats[f"{table}_deleted"] += 1

    def country(self, line: _Line, column: str) -> Country:
        code = line.req(column).upper()
        found = self.countries.get(code)
        if found is None:
            found = self.session.scalars(select(Country).where(Country.code == code)).first()
            if found is None:
                raise SeedError(f"{line.where()}: unknown country code {code!r}")
            self.countries[code] = found
        return found

    def ga_session(self, line: _Line, column: str) -> GASession | None:
        raw = line.opt(column)
        if raw is None:
            return None
        parsed = parse_session_code(raw)
        if parsed is None:
            raise SeedError(f"{line.where()}: {column}={raw!r} is not a session code")
        code = session_code(*parsed)
        found = self.sessions.get(code)
        if found is None:
            found = self.session.scalars(select(GASession).where(GASession.code == code)).first()
        if found is None:  # like the importers: a session with unknown dates
            found = self.upsert(
                GASession, None, {"code": code}, {"type": parsed[0], "number": parsed[1]}
            )
            self.session.flush()
        self.sessions[code] = found
        return found

    # -- reference tables --------------------------------------------------------------

    def load_sources(self) -> None:
        lines = _read(self.seed_dir, "sources.csv", ("slug", "name", "credit", "licence"))
        existing = {s.slug: s for s in self.session.scalars(select(Source))}
        for line in lines:
            slug = line.req("slug")
            self.sources[slug] = self.upsert(
                Source,
                existing.get(slug),
                {"slug": slug},
                {
                    "name": line.req("name"),
                    "credit": line.req("credit"),
                    "licence": line.req("licence"),
                    "url": line.opt("url"),
                },
            )
        for slug, source in existing.items():
            self.sources.setdefault(slug, source)

    def load_topics(self) -> None:
        lines = _read(self.seed_dir, "topics.csv", ("code", "name"))
        existing = {t.code: t for t in self.session.scalars(select(Topic))}
        for line in lines:
            code = line.req("code")
            self.topics[code] = self.upsert(
                Topic,
                existing.get(code),
                {"code": code},
                {"name": line.req("name"), "scheme": line.opt("scheme") or "voeten"},
            )
        for code, topic in existing.items():
            self.topics.setdefault(code, topic)

    def load_sessions(self) -> None:
        lines = _read(self.seed_dir, "sessions.csv", ("type", "number"))
        existing = {s.code: s for s in self.session.scalars(select(GASession))}
        for line in lines:
            kind = line.choice("type", ("regular", "special", "emergency_special"))
            number = line.number("number")
            if number is None or number <= 0:
                raise SeedError(f"{line.where()}: number must be a positive integer")
            code = session_code(kind, number)
            self.sessions[code] = self.upsert(
                GASession,
                existing.get(code),
                {"code": code},
                {
                    "type": kind,
                    "number": number,
                    "start_on": line.day("start_on"),
                    "end_on": line.day("end_on"),
                },
            )
        for code, ga in existing.items():
            self.sessions.setdefault(code, ga)

    # -- countries, names, memberships ------------------------------------------------

    def load_countries(self) -> None:
        country_lines = _read(
            self.seed_dir, "countries.csv", ("code", "un_name", "is_historical", "iso2", "m49")
        )
        membership_lines = _read(
            self.seed_dir, "memberships.csv", ("code", "admitted_on", "left_on", "left_how")
        )
        alias_lines = _read(self.seed_dir, "aliases.csv", ("code", "name", "kind"))

        spans: dict[str, list[tuple[date, date | None, str | None]]] = {}
        for line in membership_lines:
            spans.setdefault(line.req("code").upper(), []).append(
                (line.req_day("admitted_on"), line.day("left_on"), line.opt("name_during"))
            )

        existing = {c.code: c for c in self.session.scalars(select(Country))}
        wanted_names: dict[tuple[str, str, str], tuple[str, date | None, date | None]] = {}

        def want(
            line: _Line,
            code: str,
            name: str | None,
            kind: str,
            valid_from: date | None = None,
            valid_to: date | None = None,
            override: bool = False,
        ) -> None:
            if not name:
                return
            key = (code, name_key(name), kind)
            if not key[1]:
                raise SeedError(f"{line.where()}: name {name!r} has an empty lookup key")
            value = (name, valid_from, valid_to)
            if key in wanted_names and wanted_names[key] != value and not override:
                raise SeedError(f"{line.where()}: conflicting {kind} name {name!r} for {code}")
            wanted_names[key] = value

        for line in country_lines:
            code = line.req("code").upper()
            if len(code) != 3:
                raise SeedError(f"{line.where()}: code {code!r} is not three letters")
            historical = line.flag("is_historical")
            un_name = line.req("un_name")
            official: str | None = None
            common: str | None = None
            other: str | None = None
            if historical:
                pc = pycountry.historic_countries.get(alpha_3=code)
                iso2, m49 = line.opt("iso2"), line.opt("m49")
                if pc is not None:
                    other = str(pc.name)
            else:
                pc = pycountry.countries.get(alpha_3=code)
                if pc is None:
                    raise SeedError(f"{line.where()}: {code} is not in pycountry")
                iso2 = line.opt("iso2") or str(pc.alpha_2)
                m49 = line.opt("m49") or str(pc.numeric)
                official = getattr(pc, "official_name", None)
                common = getattr(pc, "common_name", None)
                if common is None:
                    common = str(pc.name)
                else:
                    other = str(pc.name)
            own_spans = spans.get(code, [])
            # Codes of former states are dated to their membership so that reused codes
            # (CS for Czechoslovakia and for Serbia and Montenegro) resolve by date. The start
            # is the first of the admission month: the 1946-1997 vote dates are month-precise.
            start: date | None = None
            end: date | None = None
            if historical and own_spans:
                start = min(s[0] for s in own_spans).replace(day=1)
                ends = [s[1] for s in own_spans]
                end = None if None in ends else max(e for e in ends if e is not None)
            self.countries[code] = self.upsert(
                Country,
                existing.get(code),
                {"code": code},
                {
                    "name": un_name,
                    "official_name": official,
                    "iso2": iso2,
                    "m49": m49,
                    "is_historical": historical,
                },
            )
            want(line, code, code, "iso3", start, end)
            want(line, code, iso2, "iso2", start, end)
            want(line, code, m49, "m49", start, end)
            want(line, code, un_name, "un_name")
            want(line, code, official, "official")
            want(line, code, common, "common")
            want(line, code, other, "alias")
            for admitted_on, left_on, name_during in own_spans:
                if name_during and name_key(name_during) != name_key(un_name):
                    want(line, code, name_during, "un_name", admitted_on, left_on)

        # aliases.csv may also date a generated name: RUS as the code of the Russian
        # Federation only from 1991-12-24, because the vote data's RUS means the USSR before.
        for line in alias_lines:
            code = line.req("code").upper()
            if code not in self.countries:
                raise SeedError(f"{line.where()}: unknown country code {code!r}")
            want(
                line,
                code,
                line.req("name"),
                line.choice("kind", _NAME_KINDS),
                line.day("valid_from"),
                line.day("valid_to"),
                override=True,
            )
        self.session.flush()

        # names
        ids = [c.id for c in self.countries.values()]
        code_of = {c.id: code for code, c in self.countries.items()}
        names = {
            (code_of[n.country_id], n.key, n.kind): n
            for n in self.session.scalars(
                select(CountryName).where(CountryName.country_id.in_(ids))
            )
        }
        for (code, key, kind), (name, valid_from, valid_to) in wanted_names.items():
            self.upsert(
                CountryName,
                names.get((code, key, kind)),
                {"country_id": self.countries[code].id, "key": key, "kind": kind},
                {"name": name, "valid_from": valid_from, "valid_to": valid_to},
            )

        # memberships: the seed owns the spells of the countries it lists
        seeded_ids = {self.countries[line.req("code").upper()].id for line in country_lines}
        spells = {
            (m.country_id, m.admitted_on): m
            for m in self.session.scalars(
                select(Membership).where(Membership.country_id.in_(seeded_ids))
            )
        }
        seen: set[tuple[int, date]] = set()
        for line in membership_lines:
            country = self.country(line, "code")
            admitted_on = line.req_day("admitted_on")
            left_on = line.day("left_on")
            if left_on is not None and left_on <= admitted_on:
                raise SeedError(f"{line.where()}: left_on must be after admitted_on")
            key2 = (country.id, admitted_on)
            if key2 in seen:
                raise SeedError(f"{line.where()}: duplicate membership spell")
            seen.add(key2)
            self.upsert(
                Membership,
                spells.get(key2),
                {"country_id": country.id, "admitted_on": admitted_on},
                {
                    "left_on": left_on,
                    "left_how": line.opt("left_how"),
                    "name_during": line.opt("name_during"),
                },
            )
        if membership_lines:
            self.delete_rows(Membership, (m for k, m in spells.items() if k not in seen))
        self.session.flush()

    def load_successions(self) -> None:
        lines = _read(self.seed_dir, "successions.csv", ("predecessor", "successor", "how"))
        if not lines:
            return
        existing = {
            (s.predecessor_id, s.successor_id): s
            for s in self.session.scalars(select(CountrySuccession))
        }
        seen: set[tuple[int, int]] = set()
        for line in lines:
            pre = self.country(line, "predecessor")
            suc = self.country(line, "successor")
            key = (pre.id, suc.id)
            seen.add(key)
            self.upsert(
                CountrySuccession,
                existing.get(key),
                {"predecessor_id": pre.id, "successor_id": suc.id},
                {"how": line.req("how"), "on": line.day("on")},
            )
        self.delete_rows(CountrySuccession, (s for k, s in existing.items() if k not in seen))
        self.session.flush()

    def load_groups(self) -> None:
        lines = _read(self.seed_dir, "groups.csv", ("slug", "name", "kind"))
        existing = {g.slug: g for g in self.session.scalars(select(Group))}
        groups: dict[str, Group] = {}
        for line in lines:
            slug = line.req("slug")
            groups[slug] = self.upsert(
                Group,
                existing.get(slug),
                {"slug": slug},
                {
                    "name": line.req("name"),
                    "kind": line.choice("kind", ("regional", "permanent", "bloc")),
                    "description": line.opt("description"),
                    "source": line.opt("source"),
                },
            )
        self.session.flush()

        member_lines = _read(self.seed_dir, "group_memberships.csv", ("group", "code", "role"))
        if not groups:
            return
        group_ids = [g.id for g in groups.values()]
        current = {
            (m.group_id, m.country_id, m.role, m.since): m
            for m in self.session.scalars(
                select(GroupMembership).where(GroupMembership.group_id.in_(group_ids))
            )
        }
        seen: set[tuple[int, int, str, date | None]] = set()
        for line in member_lines:
            slug = line.req("group")
            group = groups.get(slug)
            if group is None:
                raise SeedError(f"{line.where()}: group {slug!r} is not in groups.csv")
            country = self.country(line, "code")
            role = line.choice("role", ("member", "observer", "electoral_only"))
            since = line.day("since")
            key = (group.id, country.id, role, since)
            if key in seen:
                raise SeedError(f"{line.where()}: duplicate group membership")
            seen.add(key)
            self.upsert(
                GroupMembership,
                current.get(key),
                {"group_id": group.id, "country_id": country.id, "role": role, "since": since},
                {
                    "since_precision": line.choice(
                        "since_precision", ("day", "month", "year"), default="day"
                    ),
                    "until": line.day("until"),
                    "notes": line.opt("notes"),
                },
            )
        self.delete_rows(GroupMembership, (m for k, m in current.items() if k not in seen))
        self.session.flush()

    # -- resolutions and votes ---------------------------------------------------------

    def load_resolutions(self) -> None:
        lines = _read(self.seed_dir, "resolutions.csv", ("symbol", "title"))
        symbols = [s for line in lines if (s := _symbol(line, "symbol", "resolution"))]
        existing = {
            r.symbol: r
            for r in self.session.scalars(select(Resolution).where(Resolution.symbol.in_(symbols)))
            if r.symbol is not None
        }
        for line in lines:
            symbol = _symbol(line, "symbol", "resolution")
            if symbol is None:
                raise SeedError(f"{line.where()}: a seeded resolution needs a symbol")
            ga = self.ga_session(line, "session")
            self.resolutions[symbol] = self.upsert(
                Resolution,
                existing.get(symbol),
                {"symbol": symbol},
                {
                    "draft_symbol": _symbol(line, "draft_symbol", "draft"),
                    "title": line.req("title"),
                    "description": line.opt("description"),
                    "ga_session_id": ga.id if ga else None,
                    "adopted_on": line.day("adopted_on"),
                    "date_approximate": line.flag("date_approximate"),
                    "meeting_record": line.opt("meeting_record"),
                    "source_url": line.opt("source_url"),
                },
            )
        self.session.flush()

    def resolution(self, line: _Line, column: str) -> Resolution | None:
        symbol = _symbol(line, column, "resolution")
        if symbol is None:
            return None
        found = self.resolutions.get(symbol)
        if found is None:
            found = self.session.scalars(
                select(Resolution).where(Resolution.symbol == symbol)
            ).first()
            if found is None:
                raise SeedError(f"{line.where()}: unknown resolution {symbol!r}")
            self.resolutions[symbol] = found
        return found

    def load_votes(self) -> None:
        event_lines = _read(
            self.seed_dir,
            "vote_events.csv",
            ("event_key", "voted_on", "source", "source_key"),
        )
        vote_lines = _read(self.seed_dir, "votes.csv", ("event_key", "code", "position"))
        events: dict[str, VoteEvent] = {}
        for line in event_lines:
            event_key = line.req("event_key")
            if event_key in events:
                raise SeedError(f"{line.where()}: duplicate event_key {event_key!r}")
            slug = line.req("source")
            source = self.sources.get(slug)
            if source is None:
                raise SeedError(f"{line.where()}: unknown source {slug!r}")
            source_key = line.req("source_key")
            link = self.session.scalars(
                select(VoteEventSource).where(
                    VoteEventSource.source_id == source.id,
                    VoteEventSource.source_key == source_key,
                )
            ).first()
            event = self.session.get(VoteEvent, link.vote_event_id) if link is not None else None
            resolution = self.resolution(line, "symbol")
            official = {
                f"official_{p}": line.number(f"official_{p}")
                for p in ("yes", "no", "abstain", "non_voting")
            }
            members = (
                sum(v for v in official.values() if v is not None)
                if all(v is not None for v in official.values())
                else None
            )
            event = self.upsert(
                VoteEvent,
                event,
                {},
                {
                    "resolution_id": resolution.id if resolution else None,
                    "ga_session_id": resolution.ga_session_id if resolution else None,
                    "kind": line.choice(
                        "kind",
                        ("whole", "paragraph", "amendment", "motion", "unknown"),
                        default="whole",
                    ),
                    "voted_on": line.req_day("voted_on"),
                    "date_approximate": line.flag("date_approximate"),
                    "meeting_record": line.opt("meeting_record"),
                    "title": line.opt("title"),
                    "important": line.opt_flag("important"),
                    "majority_required": line.choice(
                        "majority_required", ("simple", "two_thirds"), default="simple"
                    ),
                    "majority_recorded": line.flag("majority_recorded"),
                    "official_outcome": line.choice(
                        "official_outcome", ("adopted", "rejected", "unknown"), default="unknown"
                    ),
                    **official,
                    "official_members": members,
                },
            )
            self.session.flush()
            self.upsert(
                VoteEventSource,
                link,
                {"vote_event_id": event.id, "source_id": source.id, "source_key": source_key},
                {"source_ref": line.opt("source_ref"), "url": line.opt("source_url")},
            )
            self.link_topics(line, event)
            events[event_key] = event
        self.session.flush()

        if not events:
            return
        event_ids = [e.id for e in events.values()]
        rows = {
            (v.vote_event_id, v.country_id): v
            for v in self.session.scalars(select(Vote).where(Vote.vote_event_id.in_(event_ids)))
        }
        seen: set[tuple[int, int]] = set()
        for line in vote_lines:
            event_key = line.req("event_key")
            vote_event = events.get(event_key)
            if vote_event is None:
                raise SeedError(f"{line.where()}: event_key {event_key!r} not in vote_events.csv")
            country = self.country(line, "code")
            position = line.choice("position", POSITIONS)
            reason = line.opt("non_voting_reason")
            if reason is not None and (
                position != "non_voting" or reason not in NON_VOTING_REASONS
            ):
                raise SeedError(f"{line.where()}: bad non_voting_reason {reason!r}")
            key = (vote_event.id, country.id)
            if key in seen:
                raise SeedError(f"{line.where()}: two rows for {country.code} in {event_key}")
            seen.add(key)
            self.upsert(
                Vote,
                rows.get(key),
                {"vote_event_id": vote_event.id, "country_id": country.id},
                {
                    "position": position,
                    "non_voting_reason": reason,
                    "inferred": False,
                    "name_in_source": line.opt("name_in_source"),
                },
            )
        self.delete_rows(Vote, (v for k, v in rows.items() if k not in seen and not v.inferred))
        self.session.flush()
        result = complete_rolls(self.session, event_ids)
        self.stats["votes_inferred_added"] += result["inferred_added"]
        for event in events.values():  # tallies were recomputed in SQL
            self.session.expire(event)

    def link_topics(self, line: _Line, event: VoteEvent) -> None:
        codes = [c.strip() for c in (line.opt("topics") or "").split(";") if c.strip()]
        if not codes:
            return
        linked = set(
            self.session.scalars(
                select(VoteEventTopic.topic_id).where(VoteEventTopic.vote_event_id == event.id)
            )
        )
        for code in codes:
            topic = self.topics.get(code)
            if topic is None:
                raise SeedError(f"{line.where()}: unknown topic {code!r}")
            if topic.id not in linked:
                self.upsert(
                    VoteEventTopic, None, {"vote_event_id": event.id, "topic_id": topic.id}, {}
                )
                linked.add(topic.id)

    # -- news --------------------------------------------------------------------------

    def load_news(self) -> None:
        lines = _read(self.seed_dir, "news.csv", ("url", "title"))
        link_lines = _read(self.seed_dir, "news_links.csv", ("url", "kind", "ref"))
        urls = [line.req("url") for line in lines]
        existing = {
            n.url: n for n in self.session.scalars(select(NewsItem).where(NewsItem.url.in_(urls)))
        }
        items: dict[str, NewsItem] = {}
        for line in lines:
            url = line.req("url")
            items[url] = self.upsert(
                NewsItem,
                existing.get(url),
                {"url": url},
                {
                    "title": line.req("title"),
                    "outlet": line.opt("outlet"),
                    "published_at": line.instant("published_at"),
                    "summary": line.opt("summary"),
                    "language": line.opt("language"),
                },
            )
        self.session.flush()
        if not items:
            return
        item_ids = [i.id for i in items.values()]
        res_links = {
            (lk.news_item_id, lk.resolution_id): lk
            for lk in self.session.scalars(
                select(NewsResolutionLink).where(NewsResolutionLink.news_item_id.in_(item_ids))
            )
        }
        country_links = {
            (lk.news_item_id, lk.country_id): lk
            for lk in self.session.scalars(
                select(NewsCountryLink).where(NewsCountryLink.news_item_id.in_(item_ids))
            )
        }
        relations = ("reports_on", "mentions", "background", "suggested")
        for line in link_lines:
            url = line.req("url")
            item = items.get(url)
            if item is None:
                raise SeedError(f"{line.where()}: {url!r} is not in news.csv")
            kind = line.choice("kind", ("resolution", "country"))
            if kind == "resolution":
                resolution = self.resolution(line, "ref")
                assert resolution is not None  # ref is required by resolution()
                res_key = (item.id, resolution.id)
                res_links[res_key] = self.upsert(
                    NewsResolutionLink,
                    res_links.get(res_key),
                    {"news_item_id": item.id, "resolution_id": resolution.id},
                    {"relation": line.choice("relation", relations, default="reports_on")},
                )
            else:
                country = self.country(line, "ref")
                c_key = (item.id, country.id)
                country_links[c_key] = self.upsert(
                    NewsCountryLink,
                    country_links.get(c_key),
                    {"news_item_id": item.id, "country_id": country.id},
                    {"relation": line.choice("relation", relations, default="mentions")},
                )
        self.session.flush()


def load_seed(session: Session, seed_dir: Path) -> dict[str, int]:
    """Upsert every seed CSV in ``seed_dir``; return rows added/updated/deleted per table.

    Flushes only: the caller commits (or rolls back, so a failed seed leaves nothing)."""
    if not (seed_dir / "countries.csv").exists():
        raise SeedError(f"{seed_dir} holds no countries.csv")
    loader = _Loader(session, seed_dir)
    loader.load_sources()
    loader.load_topics()
    loader.load_sessions()
    loader.load_countries()
    loader.load_successions()
    loader.load_groups()
    loader.load_resolutions()
    loader.load_votes()
    loader.load_news()
    session.flush()
    stats = dict(loader.stats)
    if any(stats.values()) or current_version(session) == 0:
        stats["dataset_version"] = bump_version(session)
    return stats
