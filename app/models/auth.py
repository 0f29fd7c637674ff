"""API keys (hashed, never stored in the clear) and the audit log of every write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models._types import created_at_column, in_list

SCOPES = ("votes:write", "news:write", "import", "admin")
HASH_SCHEMES = ("hmac-sha256", "sha256")
AUDIT_ACTIONS = ("create", "replace", "update", "delete", "import", "revoke")


class ApiKey(Base):
    """An API key. The key itself (``unga_<key_id>_<secret>``) is shown once, when created;
    only ``key_hash`` (HMAC-SHA-256 with the server's pepper, or SHA-256) is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64))
    hash_scheme: Mapped[str] = mapped_column(String(20))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(in_list("hash_scheme", HASH_SCHEMES), name="hash_scheme"),
        CheckConstraint("length(key_id) = 8", name="key_id_len"),
    )


class AuditEntry(Base):
    """One write: who (the key), when, what (resource, action) and the values before and after.
    A deleted record lives on here, in ``before_state``."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = created_at_column()
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), index=True)
    actor: Mapped[str] = mapped_column(String(140))
    method: Mapped[str | None] = mapped_column(String(10))
    path: Mapped[str | None] = mapped_column(String(500))
    resource: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    before_state: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after_state: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (
        CheckConstraint(in_list("action", AUDIT_ACTIONS), name="action"),
        Index("ix_audit_entries_resource", "resource", "resource_id"),
    )
