"""Parse a UN Digital Library "General Assembly Voting Data" CSV into a :class:`Batch`.

One row per (vote record, member state); columns ``undl_id, ms_code, ms_name, ms_vote, date,
session, resolution, draft, committee_report, meeting, title, agenda_title, subjects,
vote_note, total_yes, total_no, total_abstentions, total_non_voting, total_ms, undl_link``.
``ms_vote``: Y yes, N no, A abstention, X non-voting; an empty cell gives no row (nothing
recorded for that state, e.g. not a member then). A record is keyed by ``undl_id``; where that
is empty (secondary lists such as A/RES/ES-11/1 in ``recent2022``) by
``<resolution or draft>@<date>``. Every problem is collected as a :class:`BadRow`; any bad
row raises :class:`ImportFailed` listing all of them, before anything is written.
"""

from __future__ import annotations

import csv
from array import array
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from app.domain.names import name_key
from app.domain.symbols import parse_session_code, parse_symbol, session_code
from app.importers.countries import CountryResolver
from app.importers.csvfiles import ROW_HASH_MASK, header_index, open_csv, record_digest, row_hash
from app.importers.errors import BadRow, ImportFailed
from app.importers.progress import NullProgress, Progress
from app.importers.records import (
    ABSTAIN,
    NO,
    NO_REASON,
    NON_VOTING,
    REASON_UNKNOWN,
    YES,
    Batch,
    Official,
    SourceRecord,
)

REQUIRED = ("ms_code", "ms_name", "ms_vote", "date", "resolution")
RECORD_COLUMNS = (
    "undl_id",
    "date",
    "session",
    "resolution",
    "draft",
    "committee_report",
    "meeting",
    "title",
    "agenda_title",
    "subjects",
    "vote_note",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "undl_link",
)
VOTE_CODES = {
    "Y": (YES, NO_REASON),
    "N": (NO, NO_REASON),
    "A": (ABSTAIN, NO_REASON),
    "X": (NON_VOTING, REASON_UNKNOWN),
}
TOTALS = ("total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms")
UNKNOWN, DATED = -2, -1
NO_VOTE, BAD_VOTE = -1, -9
MAX_KEY = 60


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def undl_topic(subject: str) -> tuple[str, str, str]:
    """(code, name, scheme) of a UN Digital Library subject heading."""
    return (f"undl:{name_key(subject)}"[:80], subject[:300], "undl")


class _Rec:
    __slots__ = ("first_line", "index", "meta", "ok", "record")

    def __init__(self, meta: tuple[str, ...], first_line: int, index: int) -> None:
        self.meta = meta
        self.index = index
        self.first_line = first_line
        self.record: SourceRecord | None = None
        self.ok = True


def _record(file: str, line: int, v: dict[str, str], bad: list[BadRow]) -> SourceRecord | None:
    """The record-level fields of a vote record (from its first row), or None if bad."""
    ok = True
    day = _parse_date(v["date"])
    if day is None:
        bad.append(BadRow(file, line, "date", v["date"], "not a date (YYYY-MM-DD)"))
        ok = False
    resolution = v["resolution"]
    parsed = parse_symbol(resolution) if resolution else None
    symbol = parsed.canonical if parsed is not None and parsed.kind == "resolution" else None
    draft_raw = v["draft"]
    draft_parsed = parse_symbol(draft_raw) if draft_raw else None
    draft = (
        draft_parsed.canonical
        if draft_parsed is not None and draft_parsed.kind == "draft"
        else (draft_raw[:60] or None)
    )
    if draft is None and parsed is not None and parsed.kind == "draft":
        draft = parsed.canonical  # the 2020-2021 file's "A/76/L.14" records
    ga: str | None = None
    if v["session"]:
        found = parse_session_code(v["session"])
        if found is None:
            bad.append(BadRow(file, line, "session", v["session"], "not a session (75, ES-11)"))
            ok = False
        else:
            ga = session_code(*found)
    elif parsed is not None:
        ga = parsed.session
    totals: list[int | None] = []
    for column in TOTALS:
        raw = v[column]
        if not raw:
            totals.append(None)
        elif raw.isdigit():
            totals.append(int(raw))
        else:
            bad.append(BadRow(file, line, column, raw, "not a whole number"))
            ok = False
    key = v["undl_id"] or f"{resolution or draft_raw}@{v['date']}"
    if not (v["undl_id"] or resolution or draft_raw):
        bad.append(BadRow(file, line, "undl_id", "", "no undl_id, resolution or draft"))
        ok = False
    elif len(key) > MAX_KEY:
        bad.append(BadRow(file, line, "undl_id", key, f"longer than {MAX_KEY} characters"))
        ok = False
    if not ok or day is None:
        return None
    subjects = [s.strip() for s in v["subjects"].split("|") if s.strip()]
    official = Official(*totals)
    return SourceRecord(
        key=key,
        ref=resolution or draft_raw or None,
        line=line,
        voted_on=day,
        date_approximate=False,
        symbol=symbol,
        draft=draft,
        session_code=ga,
        kind="whole",
        title=v["title"] or None,
        description=v["vote_note"] or None,
        resolution_title=v["title"] or None,
        meeting_record=v["meeting"][:60] or None,
        url=v["undl_link"] or None,
        official=official,
        official_outcome="adopted" if symbol else "unknown",
        topics=tuple(sorted({undl_topic(s) for s in subjects})),
    )


def parse_undl(
    path: Path,
    resolver: CountryResolver,
    progress: Progress | None = None,
    *,
    stream: TextIO | None = None,
) -> Batch:
    """Read and validate one file (``stream``, when given, is read instead of ``path``)."""
    progress = progress or NullProgress()
    file = path.name
    bad: list[BadRow] = []
    if stream is None and not path.is_file():
        raise ImportFailed([BadRow(str(path), 0, "", "", "file not found")])
    batch = Batch(kind="undl", files=[str(path)], row_file=file)
    recs: dict[str, _Rec] = {}
    order: list[_Rec] = []
    sig_of: dict[tuple[str, str, str], int] = {}
    sig_country: list[int] = []
    sig_position: list[int] = []
    sig_reason: list[int] = []
    sig_name: list[int] = []
    sig_hash: list[int] = []
    sig_fields: list[tuple[str, str, str]] = []
    name_index: dict[str, int] = {}

    def new_sig(tail: tuple[str, str, str]) -> int:
        code, name, vote = (t.strip() for t in tail)
        pos, reason = VOTE_CODES.get(vote.upper(), (BAD_VOTE, NO_REASON))
        if not vote:
            pos = NO_VOTE  # an empty cell: nothing recorded (not a member then)
        cid = resolver.static(code, name)
        sig_country.append(cid if cid is not None else DATED)
        sig_position.append(pos)
        sig_reason.append(reason)
        sig_name.append(name_index.setdefault(name, len(name_index)))
        sig_hash.append(row_hash(code, name, vote))
        sig_fields.append((code, name, vote))
        sig_of[tail] = len(sig_of)
        return len(sig_of) - 1

    runs: list[tuple[int, int]] = []
    sig_rows = array("i")
    line_rows = array("i")
    progress.phase(f"reading {file}")
    with open_csv(path, stream) as text:
        rows = csv.reader(text)
        col, missing = header_index(file, next(rows, None), REQUIRED, RECORD_COLUMNS)
        if missing:
            raise ImportFailed(missing)
        present = [c for c in RECORD_COLUMNS if c in col]
        meta_of = itemgetter(*(col[c] for c in present))
        tail_of = itemgetter(col["ms_code"], col["ms_name"], col["ms_vote"])
        i_id = col.get("undl_id")
        i_res, i_date = col["resolution"], col["date"]
        i_draft = col.get("draft")
        current: _Rec | None = None
        current_key = ""
        seen: set[int] = set()
        grouped = True
        for row in rows:
            line = rows.line_num
            try:
                meta = meta_of(row)
                tail = tail_of(row)
            except IndexError:
                if any(c.strip() for c in row):
                    bad.append(BadRow(file, line, "", ",".join(row)[:80], "too few columns"))
                continue
            rid = row[i_id].strip() if i_id is not None else ""
            key = rid or (
                f"{row[i_res].strip() or (row[i_draft].strip() if i_draft is not None else '')}"
                f"@{row[i_date].strip()}"
            )
            if current is None or key != current_key:
                current_key = key
                current = recs.get(key)
                if current is None:
                    current = _Rec(meta, line, len(order))
                    values = dict.fromkeys(RECORD_COLUMNS, "")
                    values.update(zip(present, (m.strip() for m in meta), strict=True))
                    current.record = _record(file, line, values, bad)
                    current.ok = current.record is not None
                    recs[key] = current
                    order.append(current)
                index = current.index
                if index in seen:
                    grouped = False
                seen.add(index)
                runs.append((index, len(sig_rows)))
                if len(runs) % 10 == 0:
                    progress.advance(10)
            elif meta != current.meta:
                for c, a, b in zip(present, meta, current.meta, strict=True):
                    if a != b:
                        why = f"differs from line {current.first_line} of the same record"
                        if c == "date" and _parse_date(a.strip()) is None:
                            why = "not a date (YYYY-MM-DD)"
                        bad.append(BadRow(file, line, c, a, why))
            s = sig_of.get(tail)
            if s is None:
                s = new_sig(tail)
            sig_rows.append(s)
            line_rows.append(line)
    batch.rows_read = len(sig_rows)

    ends = [start for _, start in runs[1:]] + [len(sig_rows)]
    spans = [(i, start, end) for (i, start), end in zip(runs, ends, strict=True)]
    if not grouped:
        spans.sort(key=lambda span: span[0])
        perm = [i for _, start, end in spans for i in range(start, end)]
        sig_rows = array("i", (sig_rows[i] for i in perm))
        line_rows = array("i", (line_rows[i] for i in perm))
    bounds: dict[int, tuple[int, int]] = {}
    offset = 0
    for i, start, end in spans:
        first, _ = bounds.get(i, (offset, offset))
        offset += end - start
        bounds[i] = (first, offset)

    batch.names = list(name_index)
    for index, rec in enumerate(order):
        record = rec.record
        s0, s1 = bounds.get(index, (0, 0))
        sigs = sig_rows[s0:s1]
        lines = line_rows[s0:s1]
        countries: list[int] = []
        positions: list[int] = []
        kept: list[int] = []
        seen_country: dict[int, int] = {}
        for s, line in zip(sigs, lines, strict=True):
            code, name, vote = sig_fields[s]
            if sig_position[s] == NO_VOTE:
                continue
            if sig_position[s] < 0:
                bad.append(BadRow(file, line, "ms_vote", vote, "not a vote code (Y, N, A, X)"))
                continue
            cid = sig_country[s]
            if cid == DATED and record is not None:
                found = resolver.resolve(code, name, record.voted_on)
                cid = UNKNOWN if found is None else found
            if cid < 0:
                if record is not None:
                    why = f"unknown country {code!r} / {name!r} on {record.voted_on}"
                    bad.append(BadRow(file, line, "ms_code", code, why))
                continue
            if cid in seen_country:
                who = resolver.codes.get(cid, str(cid))
                why = f"{who} already voted in this record (line {seen_country[cid]})"
                bad.append(BadRow(file, line, "ms_code", code, why))
                continue
            seen_country[cid] = line
            countries.append(cid)
            positions.append(sig_position[s])
            kept.append(s)
        if record is None or bad:
            continue
        record.start = len(batch.country)
        batch.country.extend(countries)
        batch.position.extend(positions)
        batch.reason.extend(map(sig_reason.__getitem__, kept))
        batch.name.extend(map(sig_name.__getitem__, kept))
        record.end = len(batch.country)
        roll_hash = sum(map(sig_hash.__getitem__, sigs)) & ROW_HASH_MASK
        record.digest = record_digest("undl/1", rec.meta, roll_hash, len(sigs))
        batch.records.append(record)
    if bad:
        raise ImportFailed(bad)
    return batch
