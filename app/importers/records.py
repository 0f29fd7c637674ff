"""What a parser hands to the loader: source records (one per recorded vote) and their rows.

The rows of every record sit in shared compact arrays (one entry per country row), so the
full 1946-2019 record (870,109 rows) takes a few megabytes instead of a few hundred.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import date

POSITIONS = ("yes", "no", "abstain", "non_voting")
YES, NO, ABSTAIN, NON_VOTING = 0, 1, 2, 3
REASONS = (None, "unknown", "absent")  # reason code 0 = no reason (a yes/no/abstain row)
NO_REASON, REASON_UNKNOWN, REASON_ABSENT = 0, 1, 2


@dataclass(frozen=True)
class Official:
    """Totals as the source publishes them (any may be missing)."""

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    non_voting: int | None = None
    members: int | None = None

    def any(self) -> bool:
        return any(v is not None for v in (self.yes, self.no, self.abstain, self.non_voting))


@dataclass
class SourceRecord:
    """One recorded vote as one source gives it.

    ``key`` is the source's own identifier (Voeten ``rcid``, UN Digital Library record id),
    ``ref`` its reference as given (``unres`` or the UNDL ``resolution`` column), ``symbol``
    the canonical resolution symbol when one is justified, ``draft`` the draft symbol.
    ``start``/``end`` delimit its rows in the batch arrays. ``digest`` hashes everything the
    importer reads from the source for this record, so an unchanged record can be skipped.
    """

    key: str
    ref: str | None
    line: int
    voted_on: date
    date_approximate: bool
    symbol: str | None = None
    draft: str | None = None
    session_code: str | None = None
    kind: str = "unknown"
    title: str | None = None
    description: str | None = None
    resolution_title: str | None = None
    important: bool | None = None
    meeting_record: str | None = None
    url: str | None = None
    official: Official = field(default_factory=Official)
    official_outcome: str = "unknown"
    topics: tuple[tuple[str, str, str], ...] = ()  # (code, name, scheme)
    start: int = 0
    end: int = 0
    digest: str = ""

    @property
    def identified(self) -> bool:
        return self.symbol is not None or self.draft is not None


@dataclass
class Batch:
    """Every record of one import, with its rows in column arrays.

    Row i belongs to the record whose ``start <= i < end``: ``country[i]`` is a country id,
    ``position[i]`` an index into :data:`POSITIONS`, ``reason[i]`` into :data:`REASONS`,
    ``name[i]`` an index into ``names`` (the country's name as the source spells it).
    """

    kind: str  # "unvotes" | "undl"
    files: list[str]
    row_file: str
    records: list[SourceRecord] = field(default_factory=list)
    country: array[int] = field(default_factory=lambda: array("i"))
    position: array[int] = field(default_factory=lambda: array("b"))
    reason: array[int] = field(default_factory=lambda: array("b"))
    name: array[int] = field(default_factory=lambda: array("i"))
    names: list[str] = field(default_factory=list)
    rows_read: int = 0

    def rows(self, record: SourceRecord) -> range:
        return range(record.start, record.end)

    def roll(self, record: SourceRecord) -> dict[int, int]:
        """country id -> position of the record's yes/no/abstain rows (non-votes left out):
        the part of a roll that two sources of one vote must agree on."""
        s, e = record.start, record.end
        return {
            c: p
            for c, p in zip(self.country[s:e], self.position[s:e], strict=True)
            if p != NON_VOTING
        }
