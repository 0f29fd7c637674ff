"""News items and their links to resolutions and countries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models._types import LINK_RELATIONS, created_at_column, in_list, updated_at_column
from app.models.country import Country
from app.models.resolution import Resolution


class NewsItem(Base):
    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    resolution_links: Mapped[list[NewsResolutionLink]] = relationship(
        back_populates="news_item", lazy="raise", cascade="all, delete-orphan"
    )
    country_links: Mapped[list[NewsCountryLink]] = relationship(
        back_populates="news_item", lazy="raise", cascade="all, delete-orphan"
    )


class NewsResolutionLink(Base):
    __tablename__ = "news_resolution_links"

    news_item_id: Mapped[int] = mapped_column(
        ForeignKey("news_items.id", ondelete="CASCADE"), primary_key=True
    )
    resolution_id: Mapped[int] = mapped_column(
        ForeignKey("resolutions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[str] = mapped_column(String(20), default="reports_on")

    news_item: Mapped[NewsItem] = relationship(back_populates="resolution_links", lazy="raise")
    resolution: Mapped[Resolution] = relationship(lazy="raise")

    __table_args__ = (CheckConstraint(in_list("relation", LINK_RELATIONS), name="relation"),)


class NewsCountryLink(Base):
    __tablename__ = "news_country_links"

    news_item_id: Mapped[int] = mapped_column(
        ForeignKey("news_items.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(
        ForeignKey("countries.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[str] = mapped_column(String(20), default="mentions")

    news_item: Mapped[NewsItem] = relationship(back_populates="country_links", lazy="raise")
    country: Mapped[Country] = relationship(lazy="raise")

    __table_args__ = (CheckConstraint(in_list("relation", LINK_RELATIONS), name="relation"),)
