"""Import bookkeeping: which files were imported, and a content hash per imported record.

``import_runs`` records every successful import of a file (or of the 1946-2019 folder) with
its sha256, so ``unga import all`` can skip a file that has not changed since it was last
imported. ``imported_records`` keeps, per ``vote_event_sources`` row, the hash of that source
record's content (metadata and roll) as last written, so a re-import skips unchanged records
without reading their votes. Both are written in the import's own transaction: a failed
import leaves no trace.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models._types import in_list

IMPORT_KINDS = ("unvotes", "undl")


class ImportRun(Base):
    """One successful import: the file, its hash and what it changed."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    records_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    events_added: Mapped[int] = mapped_column(Integer, default=0)
    events_updated: Mapped[int] = mapped_column(Integer, default=0)
    events_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    events_merged: Mapped[int] = mapped_column(Integer, default=0)
    inferred_added: Mapped[int] = mapped_column(Integer, default=0)
    totals_disagreeing: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(in_list("kind", IMPORT_KINDS), name="kind"),
        Index("ix_import_runs_file", "kind", "source_id", "file_name"),
    )


class ImportedRecord(Base):
    """The content hash of one source record (a ``vote_event_sources`` row) as last imported."""

    __tablename__ = "imported_records"

    vote_event_source_id: Mapped[int] = mapped_column(
        ForeignKey("vote_event_sources.id", ondelete="CASCADE"), primary_key=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    import_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )
