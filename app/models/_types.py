"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, func
from sqlalchemy.orm import Mapped, mapped_column

POSITIONS = ("yes", "no", "abstain", "non_voting")
NON_VOTING_REASONS = ("absent", "did_not_participate", "art19_suspended", "unknown")
VOTE_EVENT_KINDS = ("whole", "paragraph", "amendment", "motion", "unknown")
MAJORITIES = ("simple", "two_thirds")
OUTCOMES = ("adopted", "rejected", "unknown")
SESSION_TYPES = ("regular", "special", "emergency_special")
LINK_RELATIONS = ("reports_on", "mentions", "background", "suggested")
GROUP_ROLES = ("member", "observer", "electoral_only")


def utcnow() -> datetime:
    return datetime.now(UTC)


def in_list(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a CHECK constraint limiting a column to a vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


def updated_at_column() -> Mapped[datetime]:
    return mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )
