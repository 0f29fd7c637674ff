"""General Assembly sessions, topics, data sources and resolutions (adopted or failed drafts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models._types import SESSION_TYPES, in_list, updated_at_column

if TYPE_CHECKING:
    from app.models.vote import VoteEvent


class GASession(Base):
    """A session of the Assembly: regular (``75``), special (``S-13``) or emergency special
    (``ES-11``). Never derived from a year."""

    __tablename__ = "ga_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("type", "number"),
        CheckConstraint(in_list("type", SESSION_TYPES), name="type"),
        CheckConstraint("number > 0", name="number_positive"),
    )


class Topic(Base):
    """A subject: the Voeten issue codes (me, nu, di, hr, co, ec) and UN subjects."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    scheme: Mapped[str] = mapped_column(String(20), default="voeten")


class Source(Base):
    """A data source, with its credit and licence."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    credit: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime | None] = mapped_column()


class Resolution(Base):
    """A resolution (``symbol`` set, canonical form) or a failed draft (``symbol`` empty)."""

    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str | None] = mapped_column(String(60), unique=True)
    draft_symbol: Mapped[str | None] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    ga_session_id: Mapped[int | None] = mapped_column(ForeignKey("ga_sessions.id"), index=True)
    adopted_on: Mapped[date | None] = mapped_column(Date)
    date_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_record: Mapped[str | None] = mapped_column(String(60))
    source_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = updated_at_column()

    ga_session: Mapped[GASession | None] = relationship(lazy="raise")
    vote_events: Mapped[list[VoteEvent]] = relationship(
        back_populates="resolution", lazy="raise", order_by="VoteEvent.id"
    )

    __table_args__ = (
        CheckConstraint("symbol IS NOT NULL OR draft_symbol IS NOT NULL", name="has_symbol"),
    )
