"""Vote events (one recorded vote) and votes (one member state's position in it)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models._types import (
    MAJORITIES,
    NON_VOTING_REASONS,
    OUTCOMES,
    POSITIONS,
    VOTE_EVENT_KINDS,
    in_list,
    updated_at_column,
)
from app.models.country import Country
from app.models.resolution import GASession, Resolution, Source, Topic


class VoteEvent(Base):
    """One recorded vote: on a whole text, a paragraph, an amendment or a motion.

    The ``*_count`` columns are the tally computed from the country rows (kept in step by the
    code that writes votes); ``official_*`` are the totals as published (``None`` where the
    source gives none). ``computed_outcome`` follows GA rule 86 (see ``app.domain.adoption``).
    """

    __tablename__ = "vote_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int | None] = mapped_column(
        ForeignKey("resolutions.id", ondelete="CASCADE"), index=True
    )
    ga_session_id: Mapped[int | None] = mapped_column(ForeignKey("ga_sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="whole")
    is_main: Mapped[bool] = mapped_column(Boolean, default=True)
    main_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    voted_on: Mapped[date] = mapped_column(Date, index=True)
    date_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_record: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    important: Mapped[bool | None] = mapped_column(Boolean)
    majority_required: Mapped[str] = mapped_column(String(12), default="simple")
    majority_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    official_outcome: Mapped[str] = mapped_column(String(10), default="unknown")
    official_yes: Mapped[int | None] = mapped_column(Integer)
    official_no: Mapped[int | None] = mapped_column(Integer)
    official_abstain: Mapped[int | None] = mapped_column(Integer)
    official_non_voting: Mapped[int | None] = mapped_column(Integer)
    official_members: Mapped[int | None] = mapped_column(Integer)
    yes_count: Mapped[int] = mapped_column(Integer, default=0)
    no_count: Mapped[int] = mapped_column(Integer, default=0)
    abstain_count: Mapped[int] = mapped_column(Integer, default=0)
    non_voting_count: Mapped[int] = mapped_column(Integer, default=0)
    members_count: Mapped[int] = mapped_column(Integer, default=0)
    computed_outcome: Mapped[str] = mapped_column(String(10), default="unknown")
    totals_discrepancy: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = updated_at_column()

    resolution: Mapped[Resolution | None] = relationship(back_populates="vote_events", lazy="raise")
    ga_session: Mapped[GASession | None] = relationship(lazy="raise")
    votes: Mapped[list[Vote]] = relationship(back_populates="vote_event", lazy="raise")
    sources: Mapped[list[VoteEventSource]] = relationship(
        back_populates="vote_event", lazy="raise", order_by="VoteEventSource.id"
    )
    topics: Mapped[list[Topic]] = relationship(secondary="vote_event_topics", lazy="raise")

    __table_args__ = (
        CheckConstraint(in_list("kind", VOTE_EVENT_KINDS), name="kind"),
        CheckConstraint(in_list("majority_required", MAJORITIES), name="majority"),
        CheckConstraint(in_list("official_outcome", OUTCOMES), name="official_outcome"),
        CheckConstraint(in_list("computed_outcome", OUTCOMES), name="computed_outcome"),
        CheckConstraint(
            "yes_count >= 0 AND no_count >= 0 AND abstain_count >= 0 AND non_voting_count >= 0",
            name="counts",
        ),
    )

    @property
    def outcome_discrepancy(self) -> bool:
        """True when the official outcome is known and differs from the computed one."""
        return self.official_outcome != "unknown" and self.official_outcome != self.computed_outcome


class VoteEventSource(Base):
    """Where a vote event came from: the source and its own identifiers (Voeten ``rcid`` and
    ``unres``, a UN Digital Library record id …), so every record can be traced back."""

    __tablename__ = "vote_event_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_event_id: Mapped[int] = mapped_column(
        ForeignKey("vote_events.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    source_key: Mapped[str] = mapped_column(String(60))
    source_ref: Mapped[str | None] = mapped_column(String(120), index=True)
    url: Mapped[str | None] = mapped_column(String(500))

    vote_event: Mapped[VoteEvent] = relationship(back_populates="sources", lazy="raise")
    source: Mapped[Source] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("source_id", "source_key"),)


class VoteEventTopic(Base):
    __tablename__ = "vote_event_topics"

    vote_event_id: Mapped[int] = mapped_column(
        ForeignKey("vote_events.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Vote(Base):
    """One member state's position in one vote event. ``inferred`` marks a non-vote filled in
    from membership dates (the source had no row), distinct from a recorded non-vote.
    ``intended_position`` keeps a correction the UN notes without changing the record.

    Keyed by its natural key (vote event, country), with no surrogate id; on SQLite a
    ``WITHOUT ROWID`` table, so the rows are stored clustered by vote event (a roll is one
    range of the table) and there is no separate unique index to write."""

    __tablename__ = "votes"

    vote_event_id: Mapped[int] = mapped_column(
        ForeignKey("vote_events.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)
    position: Mapped[str] = mapped_column(String(12))
    non_voting_reason: Mapped[str | None] = mapped_column(String(24))
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    intended_position: Mapped[str | None] = mapped_column(String(12))
    name_in_source: Mapped[str | None] = mapped_column(String(200))
    outside_membership: Mapped[bool] = mapped_column(Boolean, default=False)

    vote_event: Mapped[VoteEvent] = relationship(back_populates="votes", lazy="raise")
    country: Mapped[Country] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_votes_country_event", "country_id", "vote_event_id"),
        CheckConstraint(in_list("position", POSITIONS), name="position"),
        CheckConstraint(
            "non_voting_reason IS NULL OR (position = 'non_voting' AND "
            + in_list("non_voting_reason", NON_VOTING_REASONS)
            + ")",
            name="reason",
        ),
        CheckConstraint(
            "intended_position IS NULL OR " + in_list("intended_position", POSITIONS),
            name="intended",
        ),
        CheckConstraint("NOT inferred OR position = 'non_voting'", name="inferred_non_voting"),
        {"sqlite_with_rowid": False},
    )
