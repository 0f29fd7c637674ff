"""Request bodies of the write API and the records it answers with (also the audit log's
before/after values). Unknown fields are rejected everywhere (``extra="forbid"``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from app.domain.symbols import parse_session_code, parse_symbol, session_code

Position = Literal["yes", "no", "abstain", "non_voting"]
NonVotingReason = Literal["absent", "did_not_participate", "art19_suspended", "unknown"]
VoteEventKind = Literal["whole", "paragraph", "amendment", "motion", "unknown"]
MajorityRule = Literal["simple", "two_thirds"]
OfficialOutcome = Literal["adopted", "rejected", "unknown"]


def _resolution_symbol(value: str) -> str:
    parsed = parse_symbol(value)
    if parsed is None or parsed.kind != "resolution":
        raise ValueError("not a resolution symbol (e.g. A/RES/75/287 or A/RES/2758(XXVI))")
    return parsed.canonical


def _draft_symbol(value: str) -> str:
    parsed = parse_symbol(value)
    if parsed is None or parsed.kind != "draft":
        raise ValueError("not a draft symbol (e.g. A/75/L.85/Rev.1)")
    return parsed.canonical


def _any_symbol(value: str) -> str:
    parsed = parse_symbol(value)
    if parsed is None:
        raise ValueError("not a resolution or draft symbol (e.g. A/RES/75/287, A/75/L.85/Rev.1)")
    return parsed.canonical


def _session(value: str) -> str:
    parsed = parse_session_code(value)
    if parsed is None:
        raise ValueError("not a session code (e.g. 75, S-13, ES-11)")
    return session_code(*parsed)


def _country_code(value: str) -> str:
    return value.strip().upper()


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL")
    return value


ResolutionSymbol = Annotated[str, Field(max_length=60), AfterValidator(_resolution_symbol)]
DraftSymbol = Annotated[str, Field(max_length=60), AfterValidator(_draft_symbol)]
AnySymbol = Annotated[str, Field(max_length=60), AfterValidator(_any_symbol)]
SessionCode = Annotated[str, Field(max_length=10), AfterValidator(_session)]
CountryCode = Annotated[
    str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$"), AfterValidator(_country_code)
]
HttpUrl = Annotated[str, Field(max_length=500), AfterValidator(_http_url)]
Text = Annotated[str, Field(max_length=20_000)]
Count = Annotated[int, Field(ge=0, le=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _reject_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


# --- resolutions ------------------------------------------------------------------------------

_RESOLUTION_EXAMPLE: dict[str, Any] = {
    "symbol": "A/RES/75/287",
    "draft_symbol": "A/75/L.85/Rev.1",
    "title": "The situation in Myanmar",
    "session": "75",
    "adopted_on": "2021-06-18",
    "meeting_record": "A/75/PV.83",
    "source_url": "https://digitallibrary.un.org/record/3929594",
}


class ResolutionFields(_Strict):
    """A resolution's fields as sent by a PUT, where the path gives the symbol."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_RESOLUTION_EXAMPLE]})

    symbol: ResolutionSymbol | None = None
    draft_symbol: DraftSymbol | None = None
    title: Annotated[str, Field(min_length=1, max_length=5000)]
    description: Text | None = None
    session: SessionCode | None = None
    adopted_on: date | None = None
    date_approximate: bool = False
    meeting_record: Annotated[str, Field(max_length=60)] | None = None
    source_url: HttpUrl | None = None


class ResolutionIn(ResolutionFields):
    """A resolution (``symbol`` set) or a failed draft (only ``draft_symbol``). Symbols are
    stored in canonical form; ``session`` defaults to the symbol's session."""

    @model_validator(mode="after")
    def _has_symbol(self) -> ResolutionIn:
        if self.symbol is None and self.draft_symbol is None:
            raise ValueError("give a symbol, a draft_symbol or both")
        return self


class ResolutionPatch(_Strict):
    """Fields to change; absent fields stay as they are, ``null`` clears a nullable field."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"meeting_record": "A/75/PV.83", "date_approximate": False}]
        },
    )

    symbol: ResolutionSymbol | None = None
    draft_symbol: DraftSymbol | None = None
    title: Annotated[str, Field(min_length=1, max_length=5000)] | None = None
    description: Text | None = None
    session: SessionCode | None = None
    adopted_on: date | None = None
    date_approximate: bool | None = None
    meeting_record: Annotated[str, Field(max_length=60)] | None = None
    source_url: HttpUrl | None = None

    @field_validator("title", "date_approximate")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return _reject_null(value)


class ResolutionRecord(BaseModel):
    """A resolution as stored: what writes answer with and what the audit log keeps."""

    id: int
    symbol: str | None
    draft_symbol: str | None
    title: str
    description: str | None
    session: str | None
    adopted_on: date | None
    date_approximate: bool
    meeting_record: str | None
    source_url: str | None
    vote_event_ids: list[int] = Field(
        description="Its vote events (see /v1/vote-events/{event_id})."
    )


# --- vote events ------------------------------------------------------------------------------


class RollRowIn(_Strict):
    """One member state's position."""

    country: CountryCode = Field(description="ISO 3166-1 alpha-3 code as in /v1/countries.")
    position: Position
    non_voting_reason: NonVotingReason | None = None
    intended_position: Position | None = Field(
        default=None, description="A later correction the UN noted, kept apart from the record."
    )
    name_in_source: Annotated[str, Field(max_length=200)] | None = None

    @model_validator(mode="after")
    def _reason_needs_non_voting(self) -> RollRowIn:
        if self.non_voting_reason is not None and self.position != "non_voting":
            raise ValueError("non_voting_reason is only allowed with position non_voting")
        return self


_VOTE_EVENT_EXAMPLE: dict[str, Any] = {
    "resolution": "A/RES/75/287",
    "kind": "whole",
    "voted_on": "2021-06-18",
    "meeting_record": "A/75/PV.83",
    "title": "The situation in Myanmar: vote on the resolution as a whole",
    "majority_required": "simple",
    "official_outcome": "adopted",
    "official_yes": 119,
    "official_no": 1,
    "official_abstain": 36,
    "official_non_voting": 37,
    "votes": [
        {"country": "AFG", "position": "yes"},
        {"country": "BLR", "position": "no"},
        {"country": "CHN", "position": "abstain"},
        {"country": "DMA", "position": "non_voting", "non_voting_reason": "absent"},
    ],
}


class _VoteEventFields(_Strict):
    resolution: AnySymbol | None = Field(
        default=None, description="The resolution or draft voted on (none for some motions)."
    )
    session: SessionCode | None = Field(
        default=None, description="GA session; defaults to the resolution's."
    )
    kind: VoteEventKind = "whole"
    is_main: bool = True
    voted_on: date
    date_approximate: bool = False
    meeting_record: Annotated[str, Field(max_length=60)] | None = None
    title: Text | None = None
    description: Text | None = None
    important: bool | None = None
    majority_required: MajorityRule = "simple"
    majority_recorded: bool = False
    official_outcome: OfficialOutcome = "unknown"
    official_yes: Count | None = None
    official_no: Count | None = None
    official_abstain: Count | None = None
    official_non_voting: Count | None = None
    official_members: Count | None = None
    topics: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=50, description="Topic codes (e.g. hr, me)."
    )


class VoteEventIn(_VoteEventFields):
    """A recorded vote with its whole roll: every member state on ``voted_on`` exactly once
    (absent or not voting members as ``non_voting``). Tallies and the computed outcome are
    derived from the roll, never sent."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_VOTE_EVENT_EXAMPLE]})

    votes: list[RollRowIn] = Field(min_length=1, max_length=400)


class VoteEventPatch(_Strict):
    """Fields to change. ``votes`` lists only the rows to correct (by country); the roll must
    still be complete for the (possibly new) date."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"votes": [{"country": "BLR", "position": "no"}], "important": True}]
        },
    )

    resolution: AnySymbol | None = None
    session: SessionCode | None = None
    kind: VoteEventKind | None = None
    is_main: bool | None = None
    voted_on: date | None = None
    date_approximate: bool | None = None
    meeting_record: Annotated[str, Field(max_length=60)] | None = None
    title: Text | None = None
    description: Text | None = None
    important: bool | None = None
    majority_required: MajorityRule | None = None
    majority_recorded: bool | None = None
    official_outcome: OfficialOutcome | None = None
    official_yes: Count | None = None
    official_no: Count | None = None
    official_abstain: Count | None = None
    official_non_voting: Count | None = None
    official_members: Count | None = None
    topics: list[Annotated[str, Field(max_length=80)]] | None = Field(default=None, max_length=50)
    votes: list[RollRowIn] | None = Field(default=None, min_length=1, max_length=400)

    @field_validator(
        "kind",
        "is_main",
        "voted_on",
        "date_approximate",
        "majority_required",
        "majority_recorded",
        "official_outcome",
        "topics",
        "votes",
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return _reject_null(value)


class RollRowRecord(BaseModel):
    country: str
    position: Position
    non_voting_reason: str | None
    inferred: bool
    intended_position: str | None
    name_in_source: str | None
    outside_membership: bool


class TallyRecord(BaseModel):
    yes: int
    no: int
    abstain: int
    non_voting: int
    members: int


class SourceRecord(BaseModel):
    source: str
    source_key: str
    source_ref: str | None
    url: str | None


class VoteEventRecord(BaseModel):
    """A vote event as stored, with its whole roll."""

    id: int
    resolution: str | None
    session: str | None
    kind: str
    is_main: bool
    voted_on: date
    date_approximate: bool
    meeting_record: str | None
    title: str | None
    description: str | None
    important: bool | None
    majority_required: str
    majority_recorded: bool
    official_outcome: str
    official_yes: int | None
    official_no: int | None
    official_abstain: int | None
    official_non_voting: int | None
    official_members: int | None
    topics: list[str]
    tally: TallyRecord
    computed_outcome: str
    totals_discrepancy: str | None
    sources: list[SourceRecord]
    votes: list[RollRowRecord]


RESOLUTION_RECORD_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "symbol": "A/RES/75/287",
    "draft_symbol": "A/75/L.85/Rev.1",
    "title": "The situation in Myanmar",
    "description": None,
    "session": "75",
    "adopted_on": "2021-06-18",
    "date_approximate": False,
    "meeting_record": "A/75/PV.83",
    "source_url": "https://digitallibrary.un.org/record/3929594",
    "vote_event_ids": [1],
}

VOTE_EVENT_RECORD_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "resolution": "A/RES/75/287",
    "session": "75",
    "kind": "whole",
    "is_main": True,
    "voted_on": "2021-06-18",
    "date_approximate": False,
    "meeting_record": "A/75/PV.83",
    "title": "The situation in Myanmar: vote on the resolution as a whole",
    "description": None,
    "important": None,
    "majority_required": "simple",
    "majority_recorded": False,
    "official_outcome": "adopted",
    "official_yes": 119,
    "official_no": 1,
    "official_abstain": 36,
    "official_non_voting": 37,
    "official_members": 193,
    "topics": [],
    "tally": {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37, "members": 193},
    "computed_outcome": "adopted",
    "totals_discrepancy": None,
    "sources": [
        {
            "source": "undl",
            "source_key": "3929594",
            "source_ref": "A/RES/75/287",
            "url": "https://digitallibrary.un.org/record/3929594",
        }
    ],
    "votes": [
        {
            "country": "BLR",
            "position": "no",
            "non_voting_reason": None,
            "inferred": False,
            "intended_position": None,
            "name_in_source": "BELARUS",
            "outside_membership": False,
        },
        {
            "country": "CHN",
            "position": "abstain",
            "non_voting_reason": None,
            "inferred": False,
            "intended_position": None,
            "name_in_source": "CHINA",
            "outside_membership": False,
        },
        {
            "country": "MMR",
            "position": "yes",
            "non_voting_reason": None,
            "inferred": False,
            "intended_position": None,
            "name_in_source": "MYANMAR",
            "outside_membership": False,
        },
    ],
}

IMPORT_RESULT_EXAMPLE: dict[str, Any] = {
    "dry_run": False,
    "report": {
        "kind": "undl",
        "source": "undl",
        "files": ["undl-2021.csv"],
        "records": 1,
        "rows": 193,
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "merged": 0,
        "detached": 0,
        "inferred_added": 0,
        "outside_membership": 0,
        "totals_disagreeing": 0,
        "skipped": False,
        "dry_run": False,
        "seconds": 0.2,
        "summary": "undl undl-2021.csv (undl): imported 1 vote records (193 rows): 1 added, …",
    },
}


# --- audit, imports ---------------------------------------------------------------------------


class AuditEntryOut(BaseModel):
    id: int
    recorded_at: datetime
    key_id: str | None = Field(description="The API key's public id; null for the command line.")
    actor: str
    method: str | None
    path: str | None
    resource: str = Field(description="resolution, vote_event, news_item, import, api_key …")
    resource_id: str
    action: str = Field(description="create, replace, update, delete, import or revoke.")
    before: dict[str, Any] | None = Field(description="The record before (null for a create).")
    after: dict[str, Any] | None = Field(description="The record after (null for a delete).")


class ImportResult(BaseModel):
    """What an import did (the same report as ``unga import undl``)."""

    dry_run: bool
    report: dict[str, Any]
