"""The dataset's version: bumped by every write and import, so caches and ETags follow it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models._types import updated_at_column


class DatasetState(Base):
    """A single row (id 1): ``version`` grows on every committed change to the data."""

    __tablename__ = "dataset_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime] = updated_at_column()
    data_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
