"""The dataset's metadata."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.schemas.base import Out


class DatasetOut(Out):
    version: int = Field(description="Grows with every import or correction; ETags follow it.")
    changed_at: dt.datetime | None
    data_as_of: dt.datetime | None = Field(
        description="When the data was last refreshed from its sources (the last import that "
        "changed anything); null where only the seed is loaded."
    )
    latest_vote_on: dt.date | None = Field(description="The date of the newest vote held.")


class SourceOut(Out):
    slug: str
    name: str
    credit: str
    licence: str
    url: str | None
    imported_at: dt.datetime | None


class Counts(Out):
    countries: int
    resolutions: int
    vote_events: int
    votes: int


class Limits(Out):
    page_size: int
    vote_page_size: int


class Meta(Out):
    dataset: DatasetOut
    sources: list[SourceOut]
    counts: Counts
    limits: Limits
    formats: list[str]
