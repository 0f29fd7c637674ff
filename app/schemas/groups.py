"""Groups of states."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.schemas.base import Out


class GroupOut(Out):
    slug: str
    name: str
    kind: Literal["regional", "permanent", "bloc"]
    description: str | None
    source: str | None
    member_count: int = Field(description="Members (roles member and electoral_only) today.")
    url: str


class GroupMember(Out):
    code: str
    name: str
    role: Literal["member", "observer", "electoral_only"]
    since: dt.date | None = Field(description="Empty: since the state's UN membership began.")
    since_precision: Literal["day", "month", "year"]
    until: dt.date | None
    notes: str | None
    url: str


class GroupDetail(GroupOut):
    on: dt.date = Field(description="The date the membership is given for.")
    members: list[GroupMember]
