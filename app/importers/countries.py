"""Resolve a source's country code or name, on the vote's date, to one of our countries.

Built once per import from ``country_names``: every key (``name_key`` of a code or a name)
maps to the countries it can mean, each with an optional validity (``valid_from`` inclusive,
``valid_to`` exclusive). A dated name wins over an undated one, which is how the 1946-2019
data's ``RUS`` reaches the USSR (``SUN``) before 24 December 1991 and the Russian Federation
after, and its ``YUG`` reaches Serbia and Montenegro (``SCG``) from 1 November 2000 and Serbia
(``SRB``) from 3 June 2006.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.names import name_key
from app.models import Country, CountryName

CODE_KINDS = frozenset({"iso3", "iso2", "m49", "source_code"})
NAME_KINDS = frozenset({"un_name", "official", "common", "alias", "source_code"})


@dataclass(frozen=True)
class Candidate:
    country_id: int
    valid_from: date | None
    valid_to: date | None

    @property
    def dated(self) -> bool:
        return self.valid_from is not None or self.valid_to is not None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


def _pick(candidates: list[Candidate], day: date) -> int | None:
    valid = [c for c in candidates if c.valid_on(day)]
    dated = {c.country_id for c in valid if c.dated}
    if dated:
        return dated.pop() if len(dated) == 1 else None
    ids = {c.country_id for c in valid}
    return ids.pop() if len(ids) == 1 else None


class CountryResolver:
    """Codes first, then names; ``None`` when nothing (or more than one country) matches."""

    def __init__(
        self, names: Iterable[tuple[int, str, str, date | None, date | None]], codes: dict[int, str]
    ) -> None:
        self.by_code: dict[str, list[Candidate]] = {}
        self.by_name: dict[str, list[Candidate]] = {}
        for country_id, key, kind, valid_from, valid_to in names:
            cand = Candidate(country_id, valid_from, valid_to)
            if kind in CODE_KINDS:
                self.by_code.setdefault(key, []).append(cand)
            if kind in NAME_KINDS:
                self.by_name.setdefault(key, []).append(cand)
        self.codes = codes  # country id -> our code, for messages

    def _candidates(self, code: str, name: str) -> list[list[Candidate]]:
        out = []
        if code and (c := self.by_code.get(name_key(code))):
            out.append(c)
        if name and (n := self.by_name.get(name_key(name))):
            out.append(n)
        return out

    def static(self, code: str, name: str) -> int | None:
        """The country when it does not depend on the date (the common case), else ``None``."""
        groups = self._candidates(code, name)
        if not groups:
            return None
        first = groups[0]
        ids = {c.country_id for c in first}
        if len(ids) == 1 and not any(c.dated for c in first):
            return ids.pop()
        return None

    def resolve(self, code: str, name: str, day: date) -> int | None:
        for group in self._candidates(code, name):
            found = _pick(group, day)
            if found is not None:
                return found
        return None


def load_country_resolver(session: Session) -> CountryResolver:
    rows = session.execute(
        select(
            CountryName.country_id,
            CountryName.key,
            CountryName.kind,
            CountryName.valid_from,
            CountryName.valid_to,
        )
    ).all()
    codes = {r[0]: r[1] for r in session.execute(select(Country.id, Country.code))}
    return CountryResolver(((r[0], r[1], r[2], r[3], r[4]) for r in rows), codes)
