"""News items, their links, link suggestions and search hits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from app.news.suggest import ACCEPT_POINTS, MAX_SUGGESTIONS, SCORE_SCALE
from app.schemas.base import Out

Relation = Literal["reports_on", "mentions", "background", "suggested"]
RELATION_HELP = (
    "`reports_on` (the article's subject), `mentions`, `background`, or `suggested` (proposed "
    "by link suggestion, awaiting an editor)."
)
MAX_TEXT = 200_000  # characters of article text accepted for suggestions (about 30,000 words)


def _strip(value: str) -> str:
    return value.strip()


# The schema says it all (schema-valid input is never refused): http(s) URLs, a date or a month.
HttpUrl = Annotated[
    str,
    Field(max_length=1000, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+"),
    AfterValidator(_strip),
]
YearMonth = Annotated[str, Field(pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$", examples=["2021-06"])]
PublishedOn = dt.date | YearMonth


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- news items -----------------------------------------------------------------------------


class LinkedResolution(Out):
    symbol: str | None
    draft_symbol: str | None
    title: str
    relation: Relation
    url: str


class LinkedCountry(Out):
    code: str
    name: str
    relation: Relation
    url: str


class NewsItemOut(Out):
    id: int
    url: str
    title: str
    outlet: str | None
    published_at: dt.datetime | None
    summary: str | None
    language: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    resolutions: list[LinkedResolution]
    countries: list[LinkedCountry]
    links: dict[str, str] = Field(description="`self`: this item in the API.")


class ResolutionLinkIn(_In):
    symbol: str = Field(
        min_length=1, max_length=60, description="Any common spelling, or a draft symbol."
    )
    relation: Relation = Field(default="reports_on", description=RELATION_HELP)


class CountryLinkIn(_In):
    ref: str = Field(
        min_length=1, max_length=200, description="ISO3, ISO2, M49, or a name or alias."
    )
    relation: Relation = Field(default="mentions", description=RELATION_HELP)


_NEWS_EXAMPLE: dict[str, Any] = {
    "url": "https://news.example.org/2021/06/19/assembly-myanmar-arms",
    "title": "Assembly urges states to stop arms reaching Myanmar",
    "outlet": "Example News",
    "published_at": "2021-06-19",
    "summary": "The General Assembly adopted a resolution on Myanmar by 119 votes to 1.",
    "language": "en",
    "resolutions": [{"symbol": "A/RES/75/287", "relation": "reports_on"}],
    "countries": [{"ref": "Myanmar", "relation": "mentions"}],
}


class NewsCreate(_In):
    """A news item. ``text`` (the article's text) is only read to suggest links with
    ``?suggest=true``; it is not stored (only ``summary`` is)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_NEWS_EXAMPLE]})

    url: HttpUrl
    title: Annotated[str, Field(min_length=1, max_length=1000)]
    outlet: Annotated[str, Field(max_length=200)] | None = None
    published_at: dt.datetime | dt.date | None = None
    summary: Annotated[str, Field(max_length=5000)] | None = None
    language: (
        Annotated[str, Field(max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$")] | None
    ) = None
    text: Annotated[str, Field(max_length=MAX_TEXT)] | None = None
    resolutions: Annotated[list[ResolutionLinkIn], Field(max_length=50)] = []
    countries: Annotated[list[CountryLinkIn], Field(max_length=250)] = []


class NewsPatch(_In):
    """The fields to change; those left out keep their values."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"summary": "A corrected summary."}]}
    )

    url: HttpUrl | None = None
    title: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    outlet: Annotated[str, Field(max_length=200)] | None = None
    published_at: dt.datetime | dt.date | None = None
    summary: Annotated[str, Field(max_length=5000)] | None = None
    language: (
        Annotated[str, Field(max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$")] | None
    ) = None

    @field_validator("url", "title")
    @classmethod
    def _not_null(cls, value: str | None) -> str | None:
        if value is None:
            raise ValueError("may not be null")
        return value


class NewsLinksIn(_In):
    """Every link of a news item (replaces the present ones)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "resolutions": [{"symbol": "A/RES/75/287", "relation": "reports_on"}],
                    "countries": [
                        {"ref": "MMR", "relation": "mentions"},
                        {"ref": "Belarus", "relation": "mentions"},
                    ],
                }
            ]
        },
    )

    resolutions: Annotated[list[ResolutionLinkIn], Field(max_length=50)] = []
    countries: Annotated[list[CountryLinkIn], Field(max_length=250)] = []


# --- link suggestions -----------------------------------------------------------------------

_SUGGEST_EXAMPLE: dict[str, Any] = {
    "title": "Assembly urges states to stop arms reaching Myanmar",
    "text": (
        "The UN General Assembly on Friday adopted a resolution calling on states to prevent "
        "the flow of arms into Myanmar, by 119 votes in favour to 1 against (Belarus), with 36 "
        "abstentions, China and Russia among them."
    ),
    "published_on": "2021-06-19",
}


class SuggestLinksIn(_In):
    """An article to match. ``url`` is only echoed back: the server never fetches it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_SUGGEST_EXAMPLE]})

    title: Annotated[str, Field(max_length=1000)] = ""
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    published_on: PublishedOn | None = Field(
        default=None, description="Publication date (YYYY-MM-DD), or month (YYYY-MM)."
    )
    url: HttpUrl | None = Field(default=None, description="Not fetched; echoed back.")
    language: (
        Annotated[str, Field(max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$")] | None
    ) = Field(default=None, description="ISO 639-1; guessed from the text when absent.")
    limit: Annotated[int, Field(ge=1, le=10)] = MAX_SUGGESTIONS


class Span(Out):
    start: int = Field(description='Offset in `title + "\\n" + text`.')
    end: int
    text: str


class EvidenceOut(Out):
    kind: Literal["symbol", "tally", "content", "date", "positions", "session", "discount"]
    points: float
    detail: str
    spans: list[Span]


class ResolutionSuggestionOut(Out):
    symbol: str | None
    draft_symbol: str | None
    title: str
    score: float = Field(description=f"points / (points + {SCORE_SCALE:g}); listed from 0.5.")
    points: float
    vote_event_id: int | None = Field(description="The vote the evidence points at.")
    evidence: list[EvidenceOut]
    url: str


class CountryMentionOut(Out):
    start: int
    end: int
    text: str
    via: Literal["name", "alias", "capital", "demonym"]


class CountrySuggestionOut(Out):
    code: str
    name: str
    named: bool = Field(
        description="Named in the text (true), or only referred to by a capital or demonym."
    )
    mentions: list[CountryMentionOut]
    url: str | None = Field(description="The country in the API (null for an observer state).")


class Threshold(Out):
    score: float
    points: float


class SuggestLinksOut(Out):
    resolutions: list[ResolutionSuggestionOut]
    countries: list[CountrySuggestionOut]
    language: str | None
    threshold: Threshold
    url: str | None


DEFAULT_THRESHOLD = Threshold(
    score=round(ACCEPT_POINTS / (ACCEPT_POINTS + SCORE_SCALE), 3), points=ACCEPT_POINTS
)


# --- search ---------------------------------------------------------------------------------


class SearchHitOut(Out):
    kind: Literal["resolution", "news"]
    id: int
    symbol: str | None = Field(description="Resolutions: the symbol (or draft symbol).")
    title: str
    snippet: str | None = Field(description="Matched words in [brackets].")
    date: dt.date | None = Field(description="Adoption or publication date.")
    score: float = Field(description="Relevance on the database's own scale (higher is better).")
    url: str
