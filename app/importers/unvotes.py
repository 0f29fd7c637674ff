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
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from datetime import date
from itertools import count, groupby, islice
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any, TextIO

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

SKIP, BAD_VOTE, MALFORMED = -1, -9, -8
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


class _Signatures:
    """One signature per distinct (code, ISO2, name, vote) of the votes file: parsed,
    validated, resolved and hashed once, however many rows repeat it."""

    def __init__(self, resolver: CountryResolver) -> None:
        self.resolver = resolver
        self.country: dict[int, int] = {}
        self.position: dict[int, int] = {}
        self.reason: dict[int, int] = {}
        self.name: dict[int, int] = {}
        self.hash: dict[int, int] = {}
        self.fields: dict[int, tuple[str, str, str, str]] = {}
        self.names: dict[str, int] = {}

    def add(self, sid: int, fields: tuple[str, str, str, str] | None) -> None:
        """Record signature ``sid``; ``fields`` None for a row with the wrong column count."""
        if fields is None:
            self.position[sid] = MALFORMED
            self.country[sid] = UNKNOWN
            self.fields[sid] = ("", "", "", "")
            self.reason[sid] = self.name[sid] = self.hash[sid] = 0
            return
        code, iso2, name, vote = (f.strip() for f in fields)
        pos, reason = VOTE_CODES.get(vote.lower(), (BAD_VOTE, NO_REASON))
        cid = self.resolver.static(code or iso2, name)
        self.country[sid] = cid if cid is not None else DATED
        self.position[sid] = pos
        self.reason[sid] = reason
        self.name[sid] = self.names.setdefault(name, len(self.names))
        self.hash[sid] = row_hash(code, iso2, name, vote)
        self.fields[sid] = (code, iso2, name, vote)


class _Scan:
    """Rows of the votes file as signature ids, with the runs of each roll call."""

    def __init__(self) -> None:
        self.sig_rows = array("i")
        self.runs: list[tuple[int, int, int]] = []  # (roll call index, first row, first line)
        self.line_rows: array[int] | None = None  # per row, when lines are not consecutive

    def line_of(self, row: int) -> int:
        if self.line_rows is not None:
            return self.line_rows[row]
        k = bisect_right([r[1] for r in self.runs], row) - 1
        _, first_row, first_line = self.runs[k]
        return first_line + row - first_row


VOTE_COLUMNS = ("roll_call_id", "country_iso3", "country_name", "vote")


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
    sigs = _Signatures(resolver)
    with open_csv(path, stream) as text:
        header = next(csv.reader([text.readline()]), None)
        col, missing = header_index(file, header, VOTE_COLUMNS, ("country_iso2_source",))
        if missing:
            bad.extend(missing)
            return
        width = len(header or [])
        picks = (
            col["country_iso3"],
            col.get("country_iso2_source", -1),
            col["country_name"],
            col["vote"],
        )
        scan = None
        if col["roll_call_id"] == 0:
            fast_bad: list[BadRow] = []
            scan = _scan_lines(text, file, width, picks, index_of, sigs, fast_bad, progress)
            if scan is not None:
                bad.extend(fast_bad)
        if scan is None:  # quoted fields, CR LF or an unusual layout: the csv module
            sigs = _Signatures(resolver)
            if stream is not None:
                stream.seek(0)
            with open_csv(path, stream) as again:
                rows = csv.reader(again)
                next(rows, None)
                scan = _scan_csv(rows, file, col, picks, index_of, sigs, bad, progress)
    batch.rows_read = len(scan.sig_rows)
    _build_records(order, scan, sigs, topics, batch, resolver, bad, file)


def _scan_lines(
    text: TextIO,
    file: str,
    width: int,
    picks: tuple[int, int, int, int],
    index_of: dict[str, int],
    sigs: _Signatures,
    bad: list[BadRow],
    progress: Progress,
) -> _Scan | None:
    """The fast path, for the layout the unvotes export has (``roll_call_id`` first, no
    quotes, one row per line, rows grouped by roll call): lines are split and grouped by
    roll call, and each row mapped to its signature, in C (``str.split``, ``groupby``,
    ``map``). Returns None (nothing consumed that matters) when the file is not like that."""
    scan = _Scan()
    sig_rows = scan.sig_rows
    sig_of: dict[str, int] = {}
    ids = count()
    partition = methodcaller("partition", ",")
    first, rest_of = itemgetter(0), itemgetter(2)
    line = 2  # the first data line
    current = ""
    ev = -1
    seen: set[int] = set()
    reported = 0
    carry = ""
    while True:
        chunk = text.read(1 << 20)
        if '"' in chunk or "\r" in chunk:
            return None
        data = carry + chunk
        if chunk:
            cut = data.rfind("\n")
            if cut < 0:
                carry = data
                continue
            carry, data = data[cut + 1 :], data[:cut]
        elif not data:
            break
        for rc, group in groupby(map(partition, data.split("\n")), key=first):
            if rc != current or ev < 0:
                current = rc
                found = index_of.get(rc.strip()) if rc else None
                if found is None:
                    ev = -1
                    for _, sep, rest in group:
                        if rc or rest:
                            why = "no such roll call" if sep else "too few columns"
                            bad.append(BadRow(file, line, "roll_call_id", rc[:80], why))
                        line += 1
                    continue
                ev = found
                if ev in seen:
                    return None  # not grouped by roll call: the csv path sorts it out
                seen.add(ev)
                scan.runs.append((ev, len(sig_rows), line))
            before, known = len(sig_rows), len(sig_of)
            sig_rows.extend(map(sig_of.setdefault, map(rest_of, group), ids))
            line += len(sig_rows) - before
            if len(sig_of) > known:
                for rest, sid in islice(reversed(sig_of.items()), len(sig_of) - known):
                    fields = next(csv.reader([rest]), [])
                    sigs.add(sid, _pick(fields, width - 1, picks, offset=1))
            if len(sig_rows) - reported >= 50_000:
                progress.advance(len(sig_rows) - reported)
                reported = len(sig_rows)
        if not chunk:
            break
    progress.advance(len(sig_rows) - reported)
    return scan


def _pick(
    fields: list[str], width: int, picks: tuple[int, int, int, int], offset: int = 0
) -> tuple[str, str, str, str] | None:
    if len(fields) != width:
        return None
    code, iso2, name, vote = (fields[i - offset] if i >= 0 else "" for i in picks)
    return code, iso2, name, vote


def _scan_csv(
    rows: Iterator[list[str]],
    file: str,
    col: dict[str, int],
    picks: tuple[int, int, int, int],
    index_of: dict[str, int],
    sigs: _Signatures,
    bad: list[BadRow],
    progress: Progress,
) -> _Scan:
    """The general path: the csv module, any column order, rows in any order."""
    scan = _Scan()
    sig_rows = scan.sig_rows
    line_rows = array("i")
    sig_of: dict[tuple[str, ...], int] = {}
    i_rc = col["roll_call_id"]
    reader: Any = rows
    width = max(max(picks), i_rc) + 1
    current: str | None = None
    ev = -1
    seen: set[int] = set()
    grouped = True
    runs: list[tuple[int, int]] = []
    for row in rows:
        line = reader.line_num
        if len(row) < width:
            if any(c.strip() for c in row):
                bad.append(BadRow(file, line, "", ",".join(row)[:80], "too few columns"))
            continue
        rc = row[i_rc]
        if rc != current:
            current = rc
            found = index_of.get(rc.strip())
            ev = -1 if found is None else found
            if ev >= 0:
                grouped = grouped and ev not in seen
                seen.add(ev)
                runs.append((ev, len(sig_rows)))
        if ev < 0:
            bad.append(BadRow(file, line, "roll_call_id", rc, "no such roll call"))
            continue
        key = tuple(row[i] if i >= 0 else "" for i in picks)
        sid = sig_of.get(key)
        if sid is None:
            sid = sig_of[key] = len(sig_of)
            sigs.add(sid, _pick(list(key), 4, (0, 1, 2, 3)))
        sig_rows.append(sid)
        line_rows.append(line)
    progress.advance(len(sig_rows))
    ends = [start for _, start in runs[1:]] + [len(sig_rows)]
    spans = [(ev, start, end) for (ev, start), end in zip(runs, ends, strict=True) if end > start]
    if not grouped:  # regroup, keeping each roll call's rows in file order
        spans.sort(key=lambda span: span[0])
        perm = [i for _, start, end in spans for i in range(start, end)]
        scan.sig_rows = array("i", (sig_rows[i] for i in perm))
        line_rows = array("i", (line_rows[i] for i in perm))
    offset = 0
    merged: dict[int, int] = {}
    for ev, start, end in spans:
        if ev not in merged:
            merged[ev] = offset
            scan.runs.append((ev, offset, 0))
        offset += end - start
    scan.line_rows = line_rows
    return scan


def _build_records(
    order: list[_RawCall],
    scan: _Scan,
    sigs: _Signatures,
    topics: Mapping[str, str],
    batch: Batch,
    resolver: CountryResolver,
    bad: list[BadRow],
    file: str,
) -> None:
    """Each roll call's rows: countries resolved (by date where a code's meaning changed),
    checked (vote codes, unknown countries, one row per country), then appended to the batch."""
    sig_rows = scan.sig_rows
    ends = [r[1] for r in scan.runs[1:]] + [len(sig_rows)]
    bounds = {ev: (start, end) for (ev, start, _), end in zip(scan.runs, ends, strict=True)}
    batch.names = list(sigs.names)
    out_country, out_position = batch.country, batch.position
    out_reason, out_name = batch.reason, batch.name
    dated_cache: dict[tuple[int, date], int] = {}
    for ev_index, call in enumerate(order):
        record = call.record
        s0, s1 = bounds.get(ev_index, (0, 0))
        row_sigs = sig_rows[s0:s1]
        rows: range | list[int] = range(s0, s1)
        countries = list(map(sigs.country.__getitem__, row_sigs))
        positions = list(map(sigs.position.__getitem__, row_sigs))
        if countries and min(countries) < 0:
            for j in _positions_of(countries, DATED):
                key = (row_sigs[j], record.voted_on)
                cid = dated_cache.get(key)
                if cid is None:
                    code, iso2, name, _ = sigs.fields[row_sigs[j]]
                    found = resolver.resolve(code or iso2, name, record.voted_on)
                    cid = dated_cache[key] = UNKNOWN if found is None else found
                countries[j] = cid
        if (countries and min(countries) < 0) or (positions and min(positions) < 0):
            keep: list[int] = []
            for j, s in enumerate(row_sigs):
                code, iso2, name, vote = sigs.fields[s]
                line = scan.line_of(rows[j])
                if positions[j] == MALFORMED:
                    bad.append(BadRow(file, line, "", "", "wrong number of columns"))
                elif positions[j] == BAD_VOTE:
                    why = "not a vote code (yes, no, abstain or 1, 2, 3, 8, 9)"
                    bad.append(BadRow(file, line, "vote", vote, why))
                elif countries[j] < 0:
                    column = "country_iso3" if code else "country_name"
                    why = f"unknown country {name!r} on {record.voted_on}"
                    bad.append(BadRow(file, line, column, code or name, why))
                elif positions[j] != SKIP:
                    keep.append(j)
            countries = [countries[j] for j in keep]
            row_sigs = array("i", (row_sigs[j] for j in keep))
            rows = [rows[j] for j in keep]
            positions = [positions[j] for j in keep]
        if len(set(countries)) != len(countries):
            first_line: dict[int, int] = {}
            for j, cid in enumerate(countries):
                line = scan.line_of(rows[j])
                if cid in first_line:
                    code, iso2, name, _ = sigs.fields[row_sigs[j]]
                    why = (
                        f"{resolver.codes.get(cid, str(cid))} already voted in roll call "
                        f"{record.key} (line {first_line[cid]})"
                    )
                    bad.append(BadRow(file, line, "country_iso3", code or name, why))
                else:
                    first_line[cid] = line
        if bad:
            continue
        record.start = len(out_country)
        out_country.extend(countries)
        out_position.extend(positions)
        out_reason.extend(map(sigs.reason.__getitem__, row_sigs))
        out_name.extend(map(sigs.name.__getitem__, row_sigs))
        record.end = len(out_country)
        roll_hash = sum(map(sigs.hash.__getitem__, row_sigs)) & ROW_HASH_MASK
        record.topics = tuple((c, topics[c], "voeten") for c in sorted(call.issues))
        record.digest = record_digest(
            "unvotes/1", call.fields, sorted(call.issues), roll_hash, len(row_sigs)
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
