"""Countries and their voting histories."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.schemas.base import Out
from app.schemas.vote_events import Kind, Outcome, Position, Tally


class CountryGroup(Out):
    group: str
    kind: Literal["regional", "permanent", "bloc"]
    role: Literal["member", "observer", "electoral_only"]
    since: dt.date | None
    until: dt.date | None


class CountryOut(Out):
    code: str = Field(description="ISO 3166-1 alpha-3 (ISO 3166-3 for former states).")
    iso2: str | None
    m49: str | None
    name: str = Field(description="The UN's short name.")
    official_name: str | None
    is_historical: bool
    member: bool = Field(description="A UN member today.")
    admitted_on: dt.date | None
    left_on: dt.date | None
    groups: list[CountryGroup]
    url: str
    news_count: int = Field(description="News items linked to the country.")


class CountryName(Out):
    name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class MembershipOut(Out):
    admitted_on: dt.date
    left_on: dt.date | None
    left_how: str | None
    name_during: str | None


class SuccessionOut(Out):
    code: str
    how: str
    on: dt.date | None


class CountryLinks(Out):
    votes: str
    news: str


class CountryDetail(CountryOut):
    names: list[CountryName]
    memberships: list[MembershipOut]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]
    links: CountryLinks


class CountryRef(Out):
    code: str
    name: str
    url: str


class PositionShare(Out):
    count: int
    share: float | None = Field(description="Share of the selection's votes, 0 to 1.")


class HistorySummary(Out):
    """Counts over the whole selection (every page)."""

    votes: int
    yes: PositionShare
    no: PositionShare
    abstain: PositionShare
    non_voting: PositionShare


class CountryVote(Out):
    """One vote of the country."""

    vote_event_id: int
    symbol: str | None
    draft_symbol: str | None
    title: str | None
    session: str | None
    date: dt.date
    date_approximate: bool
    kind: Kind
    is_main: bool
    position: Position
    non_voting_reason: str | None
    inferred: bool
    intended_position: Position | None
    name_in_source: str | None
    outside_membership: bool
    tally: Tally
    margin: int | None
    outcome: Outcome
    updated_at: dt.datetime | None
    url: str
    resolution_url: str | None


class CountryVotesPage(Out):
    """One page of a country's votes, with the summary of the whole selection."""

    country: CountryRef
    summary: HistorySummary
    items: list[CountryVote]
    total: int
    limit: int
    offset: int
