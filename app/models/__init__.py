"""ORM models; importing this package registers every table on ``Base.metadata``."""

from app.models.auth import ApiKey, AuditEntry
from app.models.country import (
    Country,
    CountryName,
    CountrySuccession,
    Group,
    GroupMembership,
    Membership,
)
from app.models.dataset import DatasetState
from app.models.imports import ImportedRecord, ImportRun
from app.models.news import NewsCountryLink, NewsItem, NewsResolutionLink
from app.models.resolution import GASession, Resolution, Source, Topic
from app.models.vote import Vote, VoteEvent, VoteEventSource, VoteEventTopic

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Country",
    "CountryName",
    "CountrySuccession",
    "DatasetState",
    "GASession",
    "Group",
    "GroupMembership",
    "ImportRun",
    "ImportedRecord",
    "Membership",
    "NewsCountryLink",
    "NewsItem",
    "NewsResolutionLink",
    "Resolution",
    "Source",
    "Topic",
    "Vote",
    "VoteEvent",
    "VoteEventSource",
    "VoteEventTopic",
]
