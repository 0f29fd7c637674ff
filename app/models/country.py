"""Countries (every seat that ever voted), their names and codes, membership spells and groups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models._types import GROUP_ROLES, in_list, updated_at_column


class Country(Base):
    """A state or seat as it sat in the General Assembly.

    ``code`` is ISO 3166-1 alpha-3, ISO 3166-3 for dissolved states (``SUN`` for the USSR,
    ``CSK``, ``DDR``, ``YMD``, ``SCG``, ``YUG`` for the SFRY), ``TWN`` for the China seat held by
    the Republic of China until 1971 and ``ZZB`` (user-assigned range) for Zanzibar.
    """

    __tablename__ = "countries"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    m49: Mapped[str | None] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(200))
    official_name: Mapped[str | None] = mapped_column(String(300))
    is_historical: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = updated_at_column()

    names: Mapped[list[CountryName]] = relationship(back_populates="country", lazy="raise")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="country", lazy="raise", order_by="Membership.admitted_on"
    )

    __table_args__ = (CheckConstraint("length(code) = 3", name="code_len"),)


class CountryName(Base):
    """Every code and name a country can be looked up by.

    ``key`` is the normalised form (casefolded, accents and punctuation dropped). A name may be
    dated (``valid_from``/``valid_to``): the vote data's ``RUS`` reaches the USSR before
    24 December 1991 and the Russian Federation after.
    """

    __tablename__ = "country_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    country: Mapped[Country] = relationship(back_populates="names", lazy="raise")

    __table_args__ = (
        UniqueConstraint("country_id", "key", "kind"),
        CheckConstraint(
            in_list(
                "kind",
                ("iso3", "iso2", "m49", "un_name", "official", "common", "alias", "source_code"),
            ),
            name="kind",
        ),
    )


class Membership(Base):
    """A UN membership spell: a member on day d when admitted_on <= d < left_on."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="CASCADE"))
    admitted_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_how: Mapped[str | None] = mapped_column(String(40))
    name_during: Mapped[str | None] = mapped_column(String(200))

    country: Mapped[Country] = relationship(back_populates="memberships", lazy="raise")

    __table_args__ = (
        UniqueConstraint("country_id", "admitted_on"),
        CheckConstraint("left_on IS NULL OR left_on > admitted_on", name="dates"),
        Index("ix_memberships_dates", "admitted_on", "left_on"),
    )


class CountrySuccession(Base):
    """A membership link: the successor continued, absorbed or replaced the predecessor's seat."""

    __tablename__ = "country_successions"

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="CASCADE"))
    successor_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="CASCADE"))
    how: Mapped[str] = mapped_column(String(40))
    on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)


class Group(Base):
    """A regional group, the P5 or a political bloc."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)

    members: Mapped[list[GroupMembership]] = relationship(back_populates="group", lazy="raise")

    __table_args__ = (
        CheckConstraint(in_list("kind", ("regional", "permanent", "bloc")), name="kind"),
    )


class GroupMembership(Base):
    """A dated group membership. Empty ``since``/``until`` mean the bounds of the country's
    UN membership; ``since_precision`` is ``month`` where only the month is documented."""

    __tablename__ = "group_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="member")
    since: Mapped[date | None] = mapped_column(Date)
    since_precision: Mapped[str] = mapped_column(String(5), default="day")
    until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    group: Mapped[Group] = relationship(back_populates="members", lazy="raise")
    country: Mapped[Country] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("group_id", "country_id", "role", "since"),
        CheckConstraint(in_list("role", GROUP_ROLES), name="role"),
        CheckConstraint(in_list("since_precision", ("day", "month", "year")), name="precision"),
        Index("ix_group_memberships_country", "country_id"),
    )
