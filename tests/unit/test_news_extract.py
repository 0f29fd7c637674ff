"""What a text states about a vote: symbols, tallies, dates, sessions, the Assembly, positions."""

from __future__ import annotations

from datetime import date

import pytest

from app.news.countries import CountryMention
from app.news.extract import (
    find_dates,
    find_numbers,
    find_positions,
    find_sessions,
    find_symbols,
    mentions_assembly,
    mentions_committee,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under A/RES/75/287 the Assembly", ("full", "A/RES/75/287")),
        ("in resolution 75/287, adopted", ("cited", "A/RES/75/287")),
        ("la résolution ES-10/19 adoptée", ("cited", "A/RES/ES-10/19")),
        ("Resolution 2758 (XXVI) of 1971", ("cited", "A/RES/2758(XXVI)")),
        ("A/RES/2758 (XXVI)", ("full", "A/RES/2758(XXVI)")),
        ("the draft A/75/L.85/Rev.1 was", ("draft", "A/75/L.85/Rev.1")),
        ("A/RES/40/123 A and more", ("full", "A/RES/40/123 A")),
        ("the bare 75/287 form", ("bare", "A/RES/75/287")),
    ],
)
def test_symbols(text: str, expected: tuple[str, str]) -> None:
    found = find_symbols(text)
    assert len(found) == 1
    assert found[0].symbol is not None
    assert (found[0].form, found[0].symbol.canonical) == expected
    assert text[found[0].start : found[0].end] == found[0].text


def test_old_numbering_and_lists() -> None:
    found = find_symbols("General Assembly Resolution 2758, and resolutions 67/19 and 67/20.")
    assert [(s.form, s.number or (s.symbol and s.symbol.canonical)) for s in found] == [
        ("old_number", 2758),
        ("cited", "A/RES/67/19"),
        ("cited", "A/RES/67/20"),
    ]


def test_dates_and_scores_are_not_symbols() -> None:
    assert find_symbols("On 31/12/2020 the score was 3/4 and 24/7 service.") == []


def roles(text: str) -> list[tuple[int, str | None]]:
    return [(n.value, n.role) for n in find_numbers(text) if n.role]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It passed with 119 votes in favour, 1 against and 36 abstentions.",
            [(119, "yes"), (1, "no"), (36, "abstain")],
        ),
        ("The tally was 187-3, with two abstentions.", [(2, "abstain"), (187, "yes"), (3, "no")]),
        ("adopted by 138 to 9, with 41 abstaining", [(41, "abstain"), (138, "yes"), (9, "no")]),
        (
            "Some 184 votes for, three abstentions and two votes against.",
            [(184, "yes"), (3, "abstain"), (2, "no")],
        ),
        ("thirty-five abstained and 21 stayed away", [(35, "abstain"), (21, "non_voting")]),
        ("just four countries voted no", [(4, "no")]),
        ("The other 37 members cast no vote.", [(37, "non_voting")]),
        (
            "par 119 voix pour, 1 contre et 36 abstentions",
            [(119, "yes"), (1, "no"), (36, "abstain")],
        ),
        (
            "con 119 votos a favor, 1 en contra y 36 abstenciones",
            [(119, "yes"), (1, "no"), (36, "abstain")],
        ),
        ("119 票赞成、1 票反对、36 票弃权", [(119, "yes"), (1, "no"), (36, "abstain")]),
    ],
)
def test_tallies(text: str, expected: list[tuple[int, str]]) -> None:
    assert roles(text) == expected


def test_numbers_that_are_not_counts() -> None:
    found = [
        n.value
        for n in find_numbers("the 193-member body, a 15% rise, $2 and 1.5 m; the 28th year")
    ]
    assert found == []


def test_dates() -> None:
    dates, years = find_dates(
        "On Nov. 29, 2012 and 18 June 2021, in June 2021, on 2021-06-18, on Feb. 16; in 1950."
    )
    assert sorted((d.start, d.year, d.month, d.day) for d in dates) == [
        (3, 2012, 11, 29),
        (21, 2021, 6, 18),
        (38, 2021, 6, None),
        (52, 2021, 6, 18),
        (67, None, 2, 16),
    ]
    assert years == [1950]
    feb = next(d for d in dates if d.year is None)
    assert feb.resolve(date(2012, 2, 20)) == (2012, 2, 16)
    assert feb.resolve(date(2012, 1, 20)) == (2011, 2, 16)


def test_sessions_and_the_assembly() -> None:
    assert find_sessions("at its 73rd regular session, and during ES-10") == {"73", "ES-10"}
    assert mentions_assembly("the UN General Assembly voted")
    assert mentions_assembly("l'Assemblée générale a adopté")
    assert not mentions_assembly("the Security Council and the Human Rights Council")
    assert mentions_committee("the Third Committee approved the draft")


def test_positions() -> None:
    text = "Only Belarus voted against, while China and Russia abstained."

    def mention(name: str, code: str) -> CountryMention:
        start = text.index(name)
        return CountryMention(code, start, start + len(name), name, "name")

    found = find_positions(
        text, [mention("Belarus", "BLR"), mention("China", "CHN"), mention("Russia", "RUS")]
    )
    assert [(p.code, p.role) for p in found] == [
        ("BLR", "no"),
        ("CHN", "abstain"),
        ("RUS", "abstain"),
    ]
