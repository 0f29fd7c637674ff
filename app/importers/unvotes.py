"""Parse the 1946-2019 roll calls (Voeten / R package ``unvotes``) into a :class:`Batch`.

A folder holds ``roll_calls``, ``votes`` and ``issues`` (``.csv.gz`` or ``.csv``; issues is
optional). Vote codes: ``yes``/``no``/``abstain`` as in the package, or Voeten's numeric codes
1 yes, 2 abstain, 3 no, 8 absent (a recorded non-vote), 9 not a member (no row).
Every problem is collected as a :class:`BadRow`; any bad row raises :class:`ImportFailed`
listing all of them, before anything is written.
"""

from __future__ import annotations

import csv
from array import array
from collections.abc import Mapping
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from app.importers.countries import CountryResolver
from app.importers.csvfiles import (
    ROW_HASH_MASK,
    find_table,
    header_index,
    open_csv,
    record_digest,
    row_hash,
)
from app.importers.errors import BadRow, ImportFailed
from app.importers.identifiers import derive_symbol, kind_of, session_of
from app.importers.progress import NullProgress, Progress
from app.importers.records import (
    ABSTAIN,
    NO,
    NO_REASON,
    NON_VOTING,
    REASON_ABSENT,
    YES,
    Batch,
    SourceRecord,
)

APPROXIMATE_BEFORE = date(1997, 11, 12)
"""In the 1946-2019 data the day of the month is not real before this date (month only)."""

SKIP = -1
VOTE_CODES: dict[str, tuple[int, int]] = {
    "yes": (YES, NO_REASON),
    "no": (NO, NO_REASON),
    "abstain": (ABSTAIN, NO_REASON),
    "1": (YES, NO_REASON),
    "2": (ABSTAIN, NO_REASON),
    "3": (NO, NO_REASON),
    "8": (NON_VOTING, REASON_ABSENT),
    "9": (SKIP, NO_REASON),
}
FLAGS = ("", "0", "1")
UNKNOWN, DATED = -2, -1


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_unvotes(
    folder: Path,
    resolver: CountryResolver,
    topics: Mapping[str, str],
    progress: Progress | None = None,
    *,
    streams: Mapping[str, TextIO] | None = None,
) -> Batch:
    """Read and validate the folder; ``topics`` maps known Voeten issue codes to names.
    ``streams`` (``roll_calls``, ``votes``, ``issues`` -> text), when given, is read instead
    of the folder's files (tests)."""
    progress = progress or NullProgress()
    bad: list[BadRow] = []
    given = streams or {}

    def table(stem: str) -> Path | None:
        return folder / f"{stem}.csv" if stem in given else find_table(folder, stem)

    roll_calls = table("roll_calls")
    votes = table("votes")
    issues = table("issues")
    for stem, found in (("roll_calls", roll_calls), ("votes", votes)):
        if found is None:
            bad.append(BadRow(f"{folder}/{stem}.csv.gz", 0, "", "", "file not found"))
    if roll_calls is None or votes is None:
        raise ImportFailed(bad)
    files = [str(p) for p in (roll_calls, votes, issues) if p is not None]
    batch = Batch(kind="unvotes", files=files, row_file=votes.name)

    progress.phase(f"reading {roll_calls.name}")
    raw_calls = _read_roll_calls(roll_calls, bad, given.get("roll_calls"))
    if issues:
        _read_issues(issues, raw_calls, topics, bad, given.get("issues"))
    progress.phase(f"reading {votes.name}")
    _read_votes(votes, raw_calls, topics, batch, resolver, bad, progress, given.get("votes"))
    if bad:
        raise ImportFailed(bad)
    return batch


class _RawCall:
    __slots__ = ("fields", "issues", "line", "record", "roll_hash")

    def __init__(self, line: int, fields: tuple[str, ...], record: SourceRecord) -> None:
        self.line = line
        self.fields = fields
        self.record = record
        self.issues: list[str] = []
        self.roll_hash = 0


_CALL_COLUMNS = ("roll_call_id", "session", "date", "unres")
_CALL_OPTIONAL = (
    "resolution_symbol",
    "short_title",
    "description",
    "is_amendment",
    "is_paragraph_vote",
    "important_vote",
)


def _read_roll_calls(path: Path, bad: list[BadRow], stream: TextIO | None) -> dict[str, _RawCall]:
    file = path.name
    calls: dict[str, _RawCall] = {}
    with open_csv(path, stream) as text:
        rows = csv.reader(text)
        col, missing = header_index(file, next(rows, None), _CALL_COLUMNS, _CALL_OPTIONAL)
        if missing:
            bad.extend(missing)
            return calls
        names = (*_CALL_COLUMNS, *_CALL_OPTIONAL)
        width = max(col.values()) + 1
        for row in rows:
            line = rows.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < width:
                bad.append(BadRow(file, line, "", ",".join(row)[:80], "too few columns"))
                continue
            v = {n: (row[col[n]].strip() if n in col else "") for n in names}
            rcid = v["roll_call_id"]
            if not rcid:
                bad.append(BadRow(file, line, "roll_call_id", rcid, "empty"))
                continue
            if rcid in calls:
                first = calls[rcid].line
                bad.append(BadRow(file, line, "roll_call_id", rcid, f"duplicate of line {first}"))
                continue
            ok = True
            day = _parse_date(v["date"])
            if day is None:
                bad.append(BadRow(file, line, "date", v["date"], "not a date (YYYY-MM-DD)"))
                ok = False
            session = int(v["session"]) if v["session"].isdigit() else 0
            if session <= 0:
                bad.append(BadRow(file, line, "session", v["session"], "not a session number"))
                ok = False
            for flag in ("is_amendment", "is_paragraph_vote", "important_vote"):
                if v[flag] not in FLAGS:
                    bad.append(BadRow(file, line, flag, v[flag], "not 0, 1 or empty"))
                    ok = False
            if not ok or day is None:
                continue
            unres = v["unres"]
            symbol = derive_symbol(unres, v["resolution_symbol"], session)
            short, descr = v["short_title"] or None, v["description"] or None
            record = SourceRecord(
                key=rcid,
                ref=unres or None,
                line=line,
                voted_on=day,
                date_approximate=day < APPROXIMATE_BEFORE,
                symbol=symbol,
                session_code=session_of(symbol, unres, session),
                kind=kind_of(v["is_amendment"], v["is_paragraph_vote"]),
                title=short or descr,
                description=descr,
                resolution_title=short or descr,
                important={"1": True, "0": False}.get(v["important_vote"]),
            )
            calls[rcid] = _RawCall(line, tuple(v[n] for n in names), record)
    return calls


def _read_issues(
    path: Path,
    calls: dict[str, _RawCall],
    topics: Mapping[str, str],
    bad: list[BadRow],
    stream: TextIO | None,
) -> None:
    file = path.name
    with open_csv(path, stream) as text:
        rows = csv.reader(text)
        col, missing = header_index(file, next(rows, None), ("roll_call_id", "issue_code"))
        if missing:
            bad.extend(missing)
            return
        width = max(col.values()) + 1
        for row in rows:
            line = rows.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < width:
                bad.append(BadRow(file, line, "", ",".join(row)[:80], "too few columns"))
                continue
            rcid, code = row[col["roll_call_id"]].strip(), row[col["issue_code"]].strip()
            if rcid not in calls:
                bad.append(BadRow(file, line, "roll_call_id", rcid, "no such roll call"))
            elif code not in topics:
                bad.append(BadRow(file, line, "issue_code", code, "unknown issue code"))
            elif code not in calls[rcid].issues:
                calls[rcid].issues.append(code)


def _read_votes(
    path: Path,
    calls: dict[str, _RawCall],
    topics: Mapping[str, str],
    batch: Batch,
    resolver: CountryResolver,
    bad: list[BadRow],
    progress: Progress,
    stream: TextIO | None,
) -> None:
    file = path.name
    order = list(calls.values())
    index_of = {rcid: i for i, rcid in enumerate(calls)}
    # One "signature" per distinct (code, iso2, name, vote): resolved and hashed once.
    sig_of: dict[tuple[str, str, str, str], int] = {}
    sig_country: list[int] = []
    sig_position: list[int] = []
    sig_reason: list[int] = []
    sig_name: list[int] = []
    sig_hash: list[int] = []
    sig_fields: list[tuple[str, str, str, str]] = []
    name_index: dict[str, int] = {}

    def new_sig(tail: tuple[str, str, str, str]) -> int:
        code, iso2, name, vote = (t.strip() for t in tail)
        pos, reason = VOTE_CODES.get(vote.lower(), (-9, NO_REASON))
        cid = resolver.static(code or iso2, name)
        sig_country.append(cid if cid is not None else DATED)
        sig_position.append(pos)
        sig_reason.append(reason)
        sig_name.append(name_index.setdefault(name, len(name_index)))
        sig_hash.append(row_hash(code, iso2, name, vote))
        sig_fields.append((code, iso2, name, vote))
        sig_of[tail] = len(sig_of)
        return len(sig_of) - 1

    reported = 0
    runs: list[tuple[int, int]] = []  # (roll call index, first row) of each run of rows
    sig_rows = array("i")
    line_rows = array("i")
    with open_csv(path, stream) as text:
        rows = csv.reader(text)
        col, missing = header_index(
            file,
            next(rows, None),
            ("roll_call_id", "country_iso3", "country_name", "vote"),
            ("country_iso2_source",),
        )
        if missing:
            bad.extend(missing)
            return
        i_rc, i_code, i_name, i_vote = (
            col["roll_call_id"],
            col["country_iso3"],
            col["country_name"],
            col["vote"],
        )
        i_iso2 = col.get("country_iso2_source")
        current: str | None = None
        ev = -1
        seen: set[int] = set()
        grouped = True
        get_sig = sig_of.get
        pick = itemgetter(i_code, i_iso2, i_name, i_vote) if i_iso2 is not None else None
        for row in rows:
            try:
                rc = row[i_rc]
                tail = (
                    pick(row) if pick is not None else (row[i_code], "", row[i_name], row[i_vote])
                )
            except IndexError:
                if any(c.strip() for c in row):
                    bad.append(
                        BadRow(file, rows.line_num, "", ",".join(row)[:80], "too few columns")
                    )
                continue
            if rc != current:
                current = rc
                found = index_of.get(rc.strip())
                ev = -1 if found is None else found
                if ev >= 0:
                    if ev in seen:
                        grouped = False
                    seen.add(ev)
                    runs.append((ev, len(sig_rows)))
                if len(sig_rows) - reported >= 50_000:
                    progress.advance(len(sig_rows) - reported)
                    reported = len(sig_rows)
            if ev < 0:
                bad.append(BadRow(file, rows.line_num, "roll_call_id", rc, "no such roll call"))
                continue
            s = get_sig(tail)
            if s is None:
                s = new_sig(tail)
            sig_rows.append(s)
            line_rows.append(rows.line_num)
        progress.advance(len(sig_rows) - reported)
    batch.rows_read = len(sig_rows)

    # Rows of each roll call (the source's file is grouped by roll call; if not, regroup).
    ends = [start for _, start in runs[1:]] + [len(sig_rows)]
    spans = [(ev, start, end) for (ev, start), end in zip(runs, ends, strict=True) if end > start]
    if not grouped:
        spans.sort(key=lambda span: span[0])  # stable: rows keep their file order
        perm = [i for _, start, end in spans for i in range(start, end)]
        sig_rows = array("i", (sig_rows[i] for i in perm))
        line_rows = array("i", (line_rows[i] for i in perm))
        merged: dict[int, tuple[int, int]] = {}
        offset = 0
        for ev, start, end in spans:
            first, _ = merged.get(ev, (offset, offset))
            offset += end - start
            merged[ev] = (first, offset)
        bounds = merged
    else:
        bounds = {ev: (start, end) for ev, start, end in spans}

    batch.names = list(name_index)
    out_country, out_position = batch.country, batch.position
    out_reason, out_name, out_line = batch.reason, batch.name, batch.line
    dated_cache: dict[tuple[int, date], int] = {}
    for ev_index, call in enumerate(order):
        record = call.record
        s0, s1 = bounds.get(ev_index, (0, 0))
        sigs = sig_rows[s0:s1]
        lines = line_rows[s0:s1]
        countries = list(map(sig_country.__getitem__, sigs))
        positions = list(map(sig_position.__getitem__, sigs))
        if countries and min(countries) < 0:
            for j in _positions_of(countries, DATED):
                key = (sigs[j], record.voted_on)
                cid = dated_cache.get(key)
                if cid is None:
                    code, iso2, name, _ = sig_fields[sigs[j]]
                    cid = resolver.resolve(code or iso2, name, record.voted_on)
                    dated_cache[key] = UNKNOWN if cid is None else cid
                countries[j] = UNKNOWN if cid is None else cid
        if (countries and min(countries) < 0) or (positions and min(positions) < 0):
            keep: list[int] = []
            for j, s in enumerate(sigs):
                code, iso2, name, vote = sig_fields[s]
                if positions[j] == -9:
                    why = "not a vote code (yes, no, abstain or 1, 2, 3, 8, 9)"
                    bad.append(BadRow(file, lines[j], "vote", vote, why))
                elif countries[j] < 0:
                    bad.append(
                        BadRow(
                            file,
                            lines[j],
                            "country_iso3" if code else "country_name",
                            code or name,
                            f"unknown country {name!r} on {record.voted_on}",
                        )
                    )
                elif positions[j] != SKIP:
                    keep.append(j)
            countries = [countries[j] for j in keep]
            sigs = array("i", (sigs[j] for j in keep))
            lines = array("i", (lines[j] for j in keep))
            positions = [positions[j] for j in keep]
        if len(set(countries)) != len(countries):
            first_line: dict[int, int] = {}
            for j, cid in enumerate(countries):
                if cid in first_line:
                    code, iso2, name, _ = sig_fields[sigs[j]]
                    why = (
                        f"{resolver.codes.get(cid, str(cid))} already voted in roll call "
                        f"{record.key} (line {first_line[cid]})"
                    )
                    bad.append(BadRow(file, lines[j], "country_iso3", code or name, why))
                else:
                    first_line[cid] = lines[j]
        if bad:
            continue
        record.start = len(out_country)
        out_country.extend(countries)
        out_position.extend(positions)
        out_reason.extend(map(sig_reason.__getitem__, sigs))
        out_name.extend(map(sig_name.__getitem__, sigs))
        out_line.extend(lines)
        record.end = len(out_country)
        roll_hash = sum(map(sig_hash.__getitem__, sigs)) & ROW_HASH_MASK
        record.topics = tuple((c, topics[c], "voeten") for c in sorted(call.issues))
        record.digest = record_digest(
            "unvotes/1", call.fields, sorted(call.issues), roll_hash, len(sigs)
        )
        batch.records.append(record)


def _positions_of(values: list[int], wanted: int) -> list[int]:
    """Indexes of ``wanted`` in ``values`` (found by ``list.index``: a few among many)."""
    found: list[int] = []
    j = -1
    while True:
        try:
            j = values.index(wanted, j + 1)
        except ValueError:
            return found
        found.append(j)
