"""The importers' rules, as pure functions: symbols from Voeten identifiers (on real rows of
the 1946-2019 data), kinds, sessions, matching, the main vote, dated country codes,
membership windows and the UN Digital Library parser on small in-memory files."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from app.importers.countries import CountryResolver
from app.importers.errors import BadRow, ImportFailed
from app.importers.identifiers import derive_symbol, kind_of, session_of
from app.importers.load import discrepancy, pick_main, symbols_compatible
from app.importers.membership import MembershipCalendar
from app.importers.records import NON_VOTING, YES
from app.importers.undl import parse_undl, undl_topic
from app.importers.unvotes import parse_unvotes

# (unres, resolution_symbol, session) as they appear in roll_calls.csv.gz -> symbol
REAL_ROWS = [
    # rcid 1190, 25 Oct 1971: session 26 < 31, letters tell roll calls apart: no symbol
    ("R/26/2758G", "", 26, None),
    ("R/1/66", "", 1, None),  # rcid 3
    ("R/30/3379", "", 30, None),  # rcid 1622, Zionism resolution: still no symbol
    ("R/46/86", "", 46, "A/RES/46/86"),  # rcid 3647
    ("R/68/262", "", 68, "A/RES/68/262"),  # rcid 5309, territorial integrity of Ukraine
    ("R/31/6A", "", 31, "A/RES/31/6 A"),  # rcid 1653: a letter is a part
    ("R/42/70/A", "", 42, "A/RES/42/70 A"),  # rcid 3178: a part after a slash
    ("R/42/209/C", "", 42, "A/RES/42/209 C"),  # rcid 3238
    ("R/31/208/I", "", 31, "A/RES/31/208"),  # rcid 1738: a section (Roman numeral)
    ("R/50/38B/IV", "", 50, "A/RES/50/38 B"),  # rcid 3901: part B, section IV
    ("R/61/128AB", "", 61, None),  # rcid 4713: two letters, not justified
    ("R/677/46", "", 67, None),  # rcid 5924: garbled session
    ("A/RES/71/5", "A/RES/71/5", 71, "A/RES/71/5"),  # rcid 5467
    ("A/RES/ES-10/19", "A/RES/ES-10/19", 72, "A/RES/ES-10/19"),  # rcid 5588
    ("ESS/5/96", "", 22, None),  # rcid 9050
    ("SS/1/59", "", 2, None),  # rcid 9001
    ("", "", 20, None),  # one of the ~160 roll calls without an identifier
]


@pytest.mark.parametrize(("unres", "given", "session", "expected"), REAL_ROWS)
def test_symbols_from_real_identifiers(
    unres: str, given: str, session: int, expected: str | None
) -> None:
    assert derive_symbol(unres, given, session) == expected


def test_sessions_of_roll_calls() -> None:
    assert session_of("A/RES/ES-10/19", "A/RES/ES-10/19", 72) == "ES-10"
    assert session_of("A/RES/68/262", "R/68/262", 68) == "68"
    assert session_of(None, "ESS/5/96", 22) == "ES-5"  # 1967: the 5th emergency session
    assert session_of(None, "SS/1/59", 2) == "S-1"
    assert session_of(None, "R/26/2758G", 26) == "26"
    assert session_of(None, "", 20) == "20"


def test_kinds_from_flags() -> None:
    assert kind_of("1", "0") == "amendment"
    assert kind_of("1", "1") == "amendment"
    assert kind_of("0", "1") == "paragraph"
    assert kind_of("", "1") == "paragraph"
    assert kind_of("0", "0") == "whole"
    assert kind_of("", "") == "unknown"
    assert kind_of("0", "") == "unknown"


def test_matching_identifiers() -> None:
    # across sources: same symbol; a symbol and a bare draft; same draft
    assert symbols_compatible("A/RES/74/267", None, "unknown", "A/RES/74/267", None, "whole")
    assert symbols_compatible("A/RES/76/10", None, "whole", None, "A/76/L.14", "whole")
    assert symbols_compatible(None, "A/76/L.14", "whole", None, "A/76/L.14", "whole")
    assert not symbols_compatible("A/RES/76/10", None, "whole", "A/RES/76/11", None, "whole")
    assert not symbols_compatible("A/RES/76/10", "A/76/L.1", "whole", None, "A/76/L.2", "whole")
    assert not symbols_compatible(None, None, "unknown", None, None, "unknown")
    # a paragraph vote is never the vote on the whole text
    assert not symbols_compatible("A/RES/61/77", None, "paragraph", "A/RES/61/77", None, "whole")
    # within one source two roll calls with one symbol stay apart (rcids 3898-3909: twelve
    # section votes on A/RES/50/38 B with identical rolls); a repeated draft record joins
    assert not symbols_compatible(
        "A/RES/50/38 B", None, "unknown", "A/RES/50/38 B", None, "unknown", same_source=True
    )
    assert symbols_compatible(
        "A/RES/76/10", None, "whole", None, "A/76/L.14", "whole", same_source=True
    )


def test_main_vote() -> None:
    d = date(1985, 12, 1)
    later = date(1985, 12, 5)
    # the one flagged as a vote on the whole text, even if not the last
    assert pick_main([(1, "paragraph", d), (2, "whole", d), (3, "amendment", later)]) == (2, False)
    # several on the whole text, or none coded: the last of the day, inferred
    assert pick_main([(1, "whole", d), (2, "whole", d)]) == (2, True)
    assert pick_main([(5, "unknown", later), (6, "unknown", d)]) == (5, True)
    assert pick_main([(1, "paragraph", d), (2, "unknown", d)]) == (2, True)
    assert pick_main([(7, "unknown", d)]) == (7, True)
    # only amendment and paragraph votes: none is the main vote
    assert pick_main([(1, "paragraph", d), (2, "amendment", d)]) == (None, False)


def test_discrepancy_wording() -> None:
    assert discrepancy([128, 9, 35, None], [127, 9, 35, 22]) == "yes: official 128, rows 127"
    assert discrepancy([None, None, None, None], [1, 2, 3, 4]) is None
    assert discrepancy([1, 2, 3, 4], [1, 2, 3, 4]) is None


SUN, RUS, YUG, SCG, SRB, TWN, ZZB, USA = 1, 2, 3, 4, 5, 6, 7, 8
NAMES = [
    # (country, key, kind, valid_from, valid_to) as the seed writes them
    (RUS, "rus", "iso3", None, None),
    (SUN, "sun", "iso3", date(1945, 10, 1), date(1991, 12, 24)),
    (SUN, "rus", "source_code", date(1945, 10, 24), date(1991, 12, 24)),
    (RUS, "russia", "alias", None, None),
    (SUN, "russia", "source_code", date(1945, 10, 24), date(1991, 12, 24)),
    (YUG, "yug", "iso3", date(1945, 10, 1), date(1992, 9, 22)),
    (SCG, "yug", "source_code", date(2000, 11, 1), date(2006, 6, 3)),
    (SRB, "yug", "source_code", date(2006, 6, 3), None),
    (SRB, "srb", "iso3", None, None),
    (TWN, "twn", "iso3", date(1945, 10, 1), date(1971, 10, 25)),
    (ZZB, "zanzibar", "un_name", None, None),
    (USA, "usa", "iso3", None, None),
    (USA, "united states", "un_name", None, None),
]


def resolver() -> CountryResolver:
    codes = {SUN: "SUN", RUS: "RUS", YUG: "YUG", SCG: "SCG", SRB: "SRB", TWN: "TWN"}
    return CountryResolver(NAMES, {**codes, ZZB: "ZZB", USA: "USA"})


def test_states_that_changed_resolve_by_date() -> None:
    r = resolver()
    assert r.resolve("RUS", "Russia", date(1971, 10, 7)) == SUN
    assert r.resolve("RUS", "Russia", date(1991, 12, 2)) == SUN  # month-precise, before the 24th
    assert r.resolve("RUS", "Russia", date(1992, 1, 1)) == RUS
    assert r.resolve("YUG", "Yugoslavia", date(1980, 12, 1)) == YUG
    assert r.resolve("YUG", "Yugoslavia", date(2003, 12, 9)) == SCG
    assert r.resolve("YUG", "Yugoslavia", date(2019, 12, 18)) == SRB
    assert r.resolve("TWN", "Taiwan", date(1971, 10, 7)) == TWN
    assert r.resolve("", "Zanzibar", date(1963, 12, 3)) == ZZB  # no code in the source
    assert r.resolve("XXX", "United States", date(2000, 1, 1)) == USA  # code unknown: name
    assert r.resolve("XXX", "Atlantis", date(2000, 1, 1)) is None
    # the common case is date-independent (resolved once per file)
    assert r.static("USA", "United States") == USA
    assert r.static("RUS", "Russia") is None


def test_membership_windows() -> None:
    fiji = 9
    spells = [(fiji, date(1970, 10, 13), None), (TWN, date(1945, 10, 24), date(1971, 10, 25))]
    cal = MembershipCalendar(spells)
    # September 1970 (month-precise): Fiji not even possibly a member
    assert fiji not in cal.possible_members(date(1970, 9, 1), True)
    # October 1970: possibly (a recorded vote is not flagged), not certainly (none inferred)
    assert fiji in cal.possible_members(date(1970, 10, 6), True)
    assert fiji not in cal.certain_members(date(1970, 10, 6), True)
    # exact dates are tested to the day
    assert fiji in cal.certain_members(date(1970, 10, 13), False)
    assert TWN in cal.certain_members(date(1971, 10, 24), False)
    assert TWN not in cal.certain_members(date(1971, 10, 7), True)  # left within the month
    assert TWN in cal.possible_members(date(1971, 10, 7), True)


HEADER = (
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link\n"
)


def undl_row(rid: str, code: str, name: str, vote: str, **kw: str) -> str:
    f = {
        "date": "2021-06-18",
        "session": "75",
        "resolution": "A/RES/75/287",
        "draft": "",
        "title": "The situation in Myanmar",
        "subjects": "MYANMAR|HUMAN RIGHTS",
        "totals": "1,0,0,1,2",
    } | kw
    return (
        f"{rid},{code},{name},{vote},{f['date']},{f['session']},{f['resolution']},{f['draft']},"
        f",A/75/PV.83,{f['title']},,{f['subjects']},,{f['totals']},"
        f"https://digitallibrary.un.org/record/{rid}\n"
    )


def test_parse_undl_record() -> None:
    text = HEADER + undl_row("1", "USA", "UNITED STATES", "Y") + undl_row("1", "RUS", "X", "X")
    batch = parse_undl(Path("t.csv"), resolver(), stream=io.StringIO(text))
    (record,) = batch.records
    assert record.key == "1" and record.symbol == "A/RES/75/287" and record.session_code == "75"
    assert record.official.yes == 1 and record.official.members == 2
    assert record.official_outcome == "adopted" and record.kind == "whole"
    assert record.meeting_record == "A/75/PV.83"
    assert ("undl:myanmar", "MYANMAR", "undl") in record.topics
    assert list(batch.country) == [USA, RUS] and list(batch.position) == [YES, NON_VOTING]
    assert [batch.names[i] for i in batch.name] == ["UNITED STATES", "X"]


def test_parse_undl_without_record_id_and_a_draft_only_record() -> None:
    text = (
        HEADER
        + undl_row("", "USA", "UNITED STATES", "Y", session="ES-11", resolution="A/RES/ES-11/1")
        + undl_row("7", "USA", "UNITED STATES", "N", session="76", resolution="A/76/L.14")
    )
    batch = parse_undl(Path("t.csv"), resolver(), stream=io.StringIO(text))
    es11, draft = batch.records
    assert es11.key == "A/RES/ES-11/1@2021-06-18" and es11.session_code == "ES-11"
    assert draft.symbol is None and draft.draft == "A/76/L.14"
    assert draft.official_outcome == "unknown"


def test_undl_bad_rows_are_all_reported() -> None:
    text = (
        HEADER
        + undl_row("1", "USA", "UNITED STATES", "Y")
        + undl_row("1", "ATL", "ATLANTIS", "Y")  # unknown country
        + undl_row("1", "RUS", "X", "Q")  # bad vote code
        + undl_row("1", "USA", "UNITED STATES", "N")  # duplicate country
        + undl_row("2", "USA", "UNITED STATES", "Y", date="2021-02-30")  # bad date
        + undl_row("3", "USA", "UNITED STATES", "Y", session="seventy")  # bad session
        + undl_row("4", "USA", "UNITED STATES", "Y", totals="1,x,0,1,2")  # bad total
    )
    with pytest.raises(ImportFailed) as failed:
        parse_undl(Path("t.csv"), resolver(), stream=io.StringIO(text))
    got = {(b.line, b.column, b.value) for b in failed.value.bad_rows}
    assert got == {
        (3, "ms_code", "ATL"),
        (4, "ms_vote", "Q"),
        (5, "ms_code", "USA"),
        (6, "date", "2021-02-30"),
        (7, "session", "seventy"),
        (8, "total_no", "x"),
    }
    duplicate = next(b for b in failed.value.bad_rows if b.line == 5)
    assert "already voted" in duplicate.why and "line 2" in duplicate.why
    assert str(duplicate).startswith("t.csv:5: ms_code='USA'")


def test_undl_missing_column() -> None:
    with pytest.raises(ImportFailed) as failed:
        parse_undl(Path("t.csv"), resolver(), stream=io.StringIO("undl_id,ms_code\n1,USA\n"))
    assert {b.column for b in failed.value.bad_rows} == {"ms_name", "ms_vote", "date", "resolution"}
    assert all(b.line == 1 for b in failed.value.bad_rows)


def test_parse_unvotes_maps_codes_by_date_and_keeps_source_names() -> None:
    calls = (
        "roll_call_id,session,date,unres,resolution_symbol,short_title,description,"
        "is_amendment,is_paragraph_vote,important_vote\n"
        "1190,26,1971-10-07,R/26/2758G,,CHINA REPRESENTATION,,0,0,0\n"
        "5309,68,2014-03-27,R/68/262,,UKRAINE,,,,1\n"
    )
    votes = (
        "roll_call_id,country_iso3,country_iso2_source,country_name,vote\n"
        "1190,RUS,RU,Russia,no\n1190,TWN,TW,Taiwan,no\n1190,USA,US,United States,no\n"
        "5309,RUS,RU,Russia,no\n5309,USA,US,United States,yes\n5309,YUG,YU,Yugoslavia,9\n"
    )
    issues = "roll_call_id,issue_code,issue_name\n5309,hr,Human rights\n"
    batch = parse_unvotes(
        Path("unga"),
        resolver(),
        {"hr": "Human rights"},
        streams={
            "roll_calls": io.StringIO(calls),
            "votes": io.StringIO(votes),
            "issues": io.StringIO(issues),
        },
    )
    china, ukraine = batch.records
    assert china.symbol is None and china.ref == "R/26/2758G" and china.date_approximate
    assert china.kind == "whole" and china.important is False
    assert ukraine.symbol == "A/RES/68/262" and not ukraine.date_approximate
    assert ukraine.kind == "unknown" and ukraine.important is True
    assert ukraine.topics == (("hr", "Human rights", "voeten"),)
    assert list(batch.country[china.start : china.end]) == [SUN, TWN, USA]
    # code 9 (not a member) gives no row; Russia after 1991 is the Russian Federation
    assert list(batch.country[ukraine.start : ukraine.end]) == [RUS, USA]
    assert batch.names[batch.name[china.start]] == "Russia"


def test_unvotes_bad_rows() -> None:
    calls = (
        "roll_call_id,session,date,unres\n"
        "1,1,1946-01-01,R/1/1\n1,1,1946-01-01,R/1/1\n2,1,1946-13-01,R/1/2\n3,x,1946-01-01,\n"
    )
    votes = (
        "roll_call_id,country_iso3,country_name,vote\n"
        "1,USA,United States,yes\n1,USA,United States,no\n1,USA,United States,maybe\n"
        "9,USA,United States,yes\n1,ATL,Atlantis,yes\n"
    )
    with pytest.raises(ImportFailed) as failed:
        parse_unvotes(
            Path("unga"),
            resolver(),
            {},
            streams={"roll_calls": io.StringIO(calls), "votes": io.StringIO(votes)},
        )
    got = {(b.file, b.line, b.column) for b in failed.value.bad_rows}
    assert got == {
        ("roll_calls.csv", 3, "roll_call_id"),  # duplicate
        ("roll_calls.csv", 4, "date"),
        ("roll_calls.csv", 5, "session"),
        ("votes.csv", 3, "country_iso3"),  # duplicate country in roll call 1
        ("votes.csv", 4, "vote"),
        ("votes.csv", 5, "roll_call_id"),  # no such roll call
        ("votes.csv", 6, "country_iso3"),  # unknown country
    }


def test_bad_row_text() -> None:
    row = BadRow("votes.csv", 12, "vote", "maybe", "not a vote code")
    assert str(row) == "votes.csv:12: vote='maybe' not a vote code"
    assert str(BadRow("x.csv", 0, "", "", "file not found")) == "x.csv: file not found"


def test_undl_topic_codes() -> None:
    assert undl_topic("UN. HUMAN RIGHTS COUNCIL--REPORTS") == (
        "undl:un human rights council reports",
        "UN. HUMAN RIGHTS COUNCIL--REPORTS",
        "undl",
    )


def _unvotes_batch(votes: str) -> list[tuple[str, str, frozenset[tuple[int, int, str]]]]:
    calls = (
        "roll_call_id,session,date,unres\n"
        "1,26,1971-10-07,R/26/2758F\n2,68,2014-03-27,R/68/262\n3,68,2014-03-28,\n"
    )
    batch = parse_unvotes(
        Path("unga"),
        resolver(),
        {},
        streams={"roll_calls": io.StringIO(calls), "votes": io.StringIO(votes, newline="")},
    )
    out = []
    for r in batch.records:
        rows = zip(
            batch.country[r.start : r.end],
            batch.position[r.start : r.end],
            (batch.names[i] for i in batch.name[r.start : r.end]),
            strict=True,
        )
        out.append((r.key, r.digest, frozenset(rows)))
    return out


def test_votes_file_layouts_give_the_same_records() -> None:
    """The fast line-based path (the export's layout) and the csv module's path (quotes,
    CR LF, rows not grouped by roll call, another column order) read the same records."""
    head = "roll_call_id,country_iso3,country_iso2_source,country_name,vote\n"
    rows = [
        "1,RUS,RU,Russia,yes",
        "1,TWN,TW,Taiwan,no",
        "1,USA,US,United States,no",
        "2,RUS,RU,Russia,no",
        "2,USA,US,United States,yes",
        "3,,,Zanzibar,abstain",
    ]
    plain = _unvotes_batch(head + "\n".join(rows) + "\n")
    assert [len(r[2]) for r in plain] == [3, 2, 1]
    quoted = head + "\n".join(rows).replace("United States", '"United States"') + "\n"
    crlf = head.replace("\n", "\r\n") + "\r\n".join(rows) + "\r\n"
    shuffled = head + "\n".join([rows[3], *rows[:3], rows[5], rows[4]])  # no final newline
    reordered = "vote,country_name,country_iso2_source,country_iso3,roll_call_id\n" + "\n".join(
        ",".join(reversed(r.split(","))) for r in rows
    )
    for variant in (quoted, crlf, shuffled, reordered):
        assert _unvotes_batch(variant) == plain


def test_a_bad_row_is_reported_once_whichever_path_reads_it() -> None:
    votes = (
        "roll_call_id,country_iso3,country_iso2_source,country_name,vote\n"
        "1,USA,US,United States,yes\n9,USA,US,United States,yes\n"
        '2,USA,US,"United States",no\n'
    )
    with pytest.raises(ImportFailed) as failed:
        _unvotes_batch(votes)
    assert [(b.line, b.column, b.why) for b in failed.value.bad_rows] == [
        (3, "roll_call_id", "no such roll call")
    ]


def test_undl_empty_vote_cell_gives_no_row() -> None:
    text = HEADER + undl_row("1", "USA", "UNITED STATES", "Y") + undl_row("1", "ATL", "ATL", "")
    batch = parse_undl(Path("t.csv"), resolver(), stream=io.StringIO(text))
    (record,) = batch.records
    assert list(batch.country[record.start : record.end]) == [USA]
    assert [batch.names[i] for i in batch.name[record.start : record.end]] == ["UNITED STATES"]
