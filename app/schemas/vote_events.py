"""Vote events, tallies and rolls."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.schemas.base import Out

Position = Literal["yes", "no", "abstain", "non_voting"]
Outcome = Literal["adopted", "rejected", "unknown"]
Kind = Literal["whole", "paragraph", "amendment", "motion", "unknown"]
Majority = Literal["simple", "two_thirds"]


class Tally(Out):
    """Counts computed from the roll; ``members`` is the roll's size."""

    yes: int
    no: int
    abstain: int
    non_voting: int
    members: int


class OfficialTally(Out):
    """Totals as the source published them (``null`` where it gives none)."""

    yes: int | None
    no: int | None
    abstain: int | None
    non_voting: int | None
    members: int | None


class SessionOut(Out):
    code: str = Field(description="`75`, `S-13` or `ES-11`.")
    type: Literal["regular", "special", "emergency_special"]
    number: int


class ResolutionRef(Out):
    symbol: str | None
    draft_symbol: str | None
    title: str
    url: str


class TopicOut(Out):
    code: str
    name: str


class EventSource(Out):
    """Where the vote event comes from, with the source's own identifiers."""

    source: str = Field(description="Source slug; see `/v1/meta` for credit and licence.")
    name: str
    licence: str
    key: str = Field(description="The source's identifier of the vote (Voeten rcid, UNDL id).")
    ref: str | None = Field(description="The symbol or reference as the source gives it.")
    url: str | None


class EventLinks(Out):
    votes: str
    resolution: str | None


class VoteEventDetail(Out):
    """One recorded vote: on a whole text, a paragraph, an amendment or a motion."""

    id: int
    resolution: ResolutionRef | None
    title: str | None
    description: str | None
    session: SessionOut | None
    date: dt.date
    date_approximate: bool = Field(description="True when the source dates it to the month only.")
    kind: Kind
    is_main: bool = Field(description="The vote on the resolution as a whole.")
    main_inferred: bool
    meeting_record: str | None
    important: bool | None
    majority_required: Majority
    majority_recorded: bool = Field(
        description="True when the record states the majority; false when simple is assumed."
    )
    rule: str = Field(description="The adoption rule applied, in words.")
    tally: Tally
    official: OfficialTally
    computed_outcome: Outcome = Field(description="Outcome computed from the tally (rule 86).")
    official_outcome: Outcome
    outcome_discrepancy: bool
    totals_discrepancy: str | None
    margin: int | None = Field(
        description="Votes beyond the rule's threshold: yes - no, or yes - 2 x no (two-thirds)."
    )
    topics: list[TopicOut]
    sources: list[EventSource]
    updated_at: dt.datetime | None
    url: str
    links: EventLinks


class VoteEventOut(Out):
    """A vote event in a list."""

    id: int
    symbol: str | None
    draft_symbol: str | None
    title: str | None
    session: str | None
    date: dt.date
    date_approximate: bool
    kind: Kind
    is_main: bool
    important: bool | None
    majority_required: Majority
    tally: Tally
    margin: int | None
    outcome: Outcome
    official_outcome: Outcome
    outcome_discrepancy: bool
    totals_discrepancy: str | None
    updated_at: dt.datetime | None
    url: str
    resolution_url: str | None


class RollVote(Out):
    """One member state's vote."""

    code: str = Field(description="ISO 3166-1 alpha-3 (ISO 3166-3 for former states).")
    iso2: str | None
    name: str
    regional_groups: list[str] = Field(
        description="Regional groups on the vote's date (two for Türkiye; none before 1963 or "
        "for states in no group)."
    )
    position: Position
    non_voting_reason: Literal["absent", "did_not_participate", "art19_suspended", "unknown"] | None
    inferred: bool = Field(
        description="A non-vote filled in from membership dates (the source had no row), as "
        "opposed to a non-vote the source records."
    )
    intended_position: Position | None = Field(
        description="The position the state later told the Secretariat it had intended."
    )
    name_in_source: str | None = Field(description="The name the source used at the time.")
    outside_membership: bool


class PositionGroup(Out):
    position: Position
    count: int
    by_regional_group: dict[str, int] = Field(
        description="Subtotals by regional group (`none`: in no group)."
    )
    votes: list[RollVote]


class Roll(Out):
    """The full roll of a vote event, grouped by position."""

    vote_event: VoteEventDetail
    total: int
    by_position: list[PositionGroup]
