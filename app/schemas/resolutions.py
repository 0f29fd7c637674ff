"""Resolutions, their detail and the journalist's summary."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.schemas.base import Out
from app.schemas.vote_events import (
    Kind,
    Majority,
    Outcome,
    Position,
    SessionOut,
    Tally,
    VoteEventDetail,
)


class ResolutionOut(Out):
    """A resolution in a list, with the tally of its main vote."""

    id: int
    symbol: str | None = Field(description="Canonical symbol; null for a draft that failed.")
    draft_symbol: str | None
    title: str
    session: str | None
    date: dt.date | None = Field(description="Date of the main vote (else of adoption).")
    date_approximate: bool
    vote_event_id: int | None = Field(description="The main vote (on the whole text).")
    kind: Kind | None
    important: bool | None
    majority_required: Majority | None
    tally: Tally | None
    margin: int | None
    outcome: Outcome
    official_outcome: Outcome | None
    outcome_discrepancy: bool
    updated_at: dt.datetime | None
    news_count: int = Field(description="News items linked to the resolution.")
    news_url: str = Field(description="The related news: /v1/resolutions/{symbol}/news.")
    url: str


class NewsOut(Out):
    title: str
    url: str
    outlet: str | None
    published_at: dt.datetime | None
    relation: str


class ResolutionLinks(Out):
    self: str
    votes: str
    summary: str
    news: str
    document: str | None = Field(description="The resolution on undocs.org.")
    draft: str | None
    meeting_record: str | None


class ResolutionDetail(Out):
    id: int
    symbol: str | None
    draft_symbol: str | None
    title: str
    description: str | None
    session: SessionOut | None
    adopted_on: dt.date | None
    date_approximate: bool
    meeting_record: str | None
    source_url: str | None
    updated_at: dt.datetime | None
    main_vote_event_id: int | None
    vote_events: list[VoteEventDetail]
    news_count: int = Field(description="News items linked to the resolution.")
    news: list[NewsOut]
    links: ResolutionLinks


class SummaryOutcome(Out):
    computed: Outcome
    official: Outcome
    discrepancy: bool
    totals_discrepancy: str | None
    majority_required: Majority
    majority_recorded: bool
    rule: str


class GroupRow(Out):
    group: str = Field(description="Regional group slug (`none`: in no group).")
    name: str
    yes: int
    no: int
    abstain: int
    non_voting: int
    members: int


class NotableVote(Out):
    code: str
    name: str
    short_name: str
    position: Position
    intended_position: Position | None


class Notable(Out):
    p5: list[NotableVote] = Field(description="The permanent members on the vote's date.")
    lone_dissenters: list[NotableVote] = Field(
        description="States alone in their position (yes, no or abstain)."
    )
    intended_positions: list[NotableVote]


class DocumentLink(Out):
    symbol: str
    url: str


class SummaryLinks(Out):
    resolution: str | None
    votes: str
    document: str | None
    draft: DocumentLink | None
    meeting_record: DocumentLink | None
    source: str | None


class Summary(Out):
    """A vote at a glance."""

    symbol: str | None
    draft_symbol: str | None
    title: str | None
    date: dt.date
    date_approximate: bool
    vote_event_id: int
    tally: Tally
    outcome: SummaryOutcome
    by_regional_group: list[GroupRow]
    notable: Notable
    notes: list[str]
    links: SummaryLinks
    sentence: str = Field(description="The vote in one sentence (tally yes–no–abstain).")
