"""Scoring articles against a small hand-made record (pure: no database)."""

from __future__ import annotations

from datetime import date

import pytest

from app.news.countries import CountryMatcher, CountryTerm
from app.news.suggest import (
    ACCEPT_POINTS,
    Article,
    PublishedDate,
    ResolutionFacts,
    ResolutionIndex,
    ResolutionSuggestion,
    VoteFacts,
    analyze,
    suggest,
)


def vote(event_id: int, day: date, yes: int, no: int, abstain: int, **kw: object) -> VoteFacts:
    return VoteFacts(event_id, day, False, yes, no, abstain, **kw)  # type: ignore[arg-type]


RECORD = [
    ResolutionFacts(
        1,
        "A/RES/80/11",
        "A/80/L.20",
        "The situation in Freedonia",
        ga_session="80",
        votes=(vote(11, date(2025, 6, 18), 119, 1, 36),),
    ),
    ResolutionFacts(
        2,
        "A/RES/79/150",
        None,
        "Situation of human rights in Freedonia",
        ga_session="79",
        votes=(vote(12, date(2024, 12, 19), 80, 30, 70),),
    ),
    ResolutionFacts(
        3,
        "A/RES/80/12",
        None,
        "Necessity of ending the embargo against Sylvania",
        ga_session="80",
        votes=(vote(13, date(2025, 6, 23), 184, 2, 3),),
    ),
    ResolutionFacts(
        4,
        "A/RES/70/5",
        None,
        "Necessity of ending the embargo against Sylvania",
        ga_session="70",
        votes=(vote(14, date(2015, 10, 27), 191, 2, 0),),
    ),
    ResolutionFacts(
        5,
        "A/RES/3/200",
        None,
        "Admission of new members",
        votes=(VoteFacts(15, date(1948, 12, 1), True, 27, 7, 13),),
    ),
    ResolutionFacts(
        6,
        "A/RES/80/30",
        None,
        "Oceans and the law of the sea",
        votes=(vote(16, date(2025, 12, 9), 140, 1, 4),),
    ),
]
for n in range(40):  # background: titles that make words common, so rare ones stand out
    RECORD.append(
        ResolutionFacts(
            100 + n,
            f"A/RES/60/{n + 1}",
            None,
            f"Human rights and development, report number {n}",
            votes=(vote(200 + n, date(2005, 11, 1), 150 + n % 7, n % 5, 10 + n % 9),),
        )
    )

TERMS = [
    CountryTerm("FRE", "Freedonia", "name"),
    CountryTerm("SYL", "Sylvania", "name"),
    CountryTerm("BLR", "Belarus", "name"),
    CountryTerm("CHN", "China", "name"),
    CountryTerm("FRE", "Freedonian", "demonym"),
]


@pytest.fixture(scope="module")
def index() -> ResolutionIndex:
    return ResolutionIndex(RECORD, CountryMatcher(TERMS))


def top(
    index: ResolutionIndex, text: str, published: str | None = None, **kw: object
) -> list[ResolutionSuggestion]:
    article = Article(str(kw.get("title", "")), text, PublishedDate.parse(published))
    return suggest(index, article, kw.get("rolls")).resolutions  # type: ignore[arg-type]


def symbols(found: list[ResolutionSuggestion]) -> list[str | None]:
    return [s.symbol for s in found]


def test_an_explicit_symbol_is_enough(index: ResolutionIndex) -> None:
    found = top(index, "A note citing A/RES/70/5 and nothing else.")
    assert symbols(found) == ["A/RES/70/5"]
    assert found[0].evidence[0].kind == "symbol"
    assert symbols(top(index, "The draft A/80/L.20 goes to a vote.")) == ["A/RES/80/11"]


def test_tally_and_date_together(index: ResolutionIndex) -> None:
    text = "The General Assembly voted 119 in favour, 1 against, with 36 abstentions, on Freedonia."
    found = top(index, text, "2025-06-19")
    assert symbols(found)[:1] == ["A/RES/80/11"]
    kinds = {e.kind for e in found[0].evidence}
    assert {"tally", "date", "content"} <= kinds
    assert found[0].score >= 0.5 and found[0].points >= ACCEPT_POINTS


def test_one_kind_of_evidence_alone_is_not_enough(index: ResolutionIndex) -> None:
    # a matching tally, nothing else
    assert (
        top(index, "The General Assembly vote was 119 in favour, 1 against, 36 abstentions.") == []
    )
    # matching words, nothing else
    assert top(index, "The General Assembly spoke about Freedonia and Freedonia again.") == []
    # a matching date, nothing else
    assert top(index, "The General Assembly met on other business.", "2025-06-19") == []


def test_topic_and_date_together(index: ResolutionIndex) -> None:
    text = "The General Assembly adopted a resolution on Freedonia; only Belarus voted against."
    found = top(index, text, "2025-06-21", title="Assembly acts on Freedonia")
    assert symbols(found) == ["A/RES/80/11"]
    # the same words once, outside the headline, weigh less: not enough then
    assert top(index, text, "2025-06-21") == []


def test_tally_picks_the_right_year(index: ResolutionIndex) -> None:
    text = (
        "For another year the General Assembly called for an end to the embargo against "
        "Sylvania, with 184 votes for, three abstentions and two votes against."
    )
    title = "Assembly again urges an end to the Sylvania embargo"
    assert symbols(top(index, text, title=title))[:1] == ["A/RES/80/12"]


def test_votes_after_publication_are_not_the_story(index: ResolutionIndex) -> None:
    text = "The General Assembly discussed Freedonia: 119 in favour, 1 against, 36 abstentions."
    assert top(index, text, "2025-01-02") == []


def test_old_coincidental_tally_is_discounted(index: ResolutionIndex) -> None:
    council = (
        "The General Assembly hall was quiet. The council renewed a mandate with 27 votes in "
        "favour, 7 against and 13 abstentions."
    )
    assert top(index, council, "2017-03-24") == []
    retro = council + " That was in December 1948, when new members were admitted."
    found = top(index, retro, "2017-03-24")
    assert symbols(found) == ["A/RES/3/200"]


def test_no_assembly_no_suggestion_without_a_symbol(index: ResolutionIndex) -> None:
    text = "The Security Council voted on Freedonia: 119 in favour, 1 against, 36 abstentions."
    assert top(index, text, "2025-06-19") == []
    assert symbols(top(index, "The Security Council cited A/RES/80/11.")) == ["A/RES/80/11"]


def test_positions_confirmed_or_contradicted_by_the_roll(index: ResolutionIndex) -> None:
    text = (
        "The General Assembly adopted a text on Freedonia; Belarus voted against, China abstained."
    )
    title = "Freedonia resolution adopted"
    confirmed = top(
        index, text, "2025-06-19", title=title, rolls={11: {"BLR": "no", "CHN": "abstain"}}
    )
    contradicted = top(
        index, text, "2025-06-19", title=title, rolls={11: {"BLR": "yes", "CHN": "yes"}}
    )
    assert symbols(confirmed) == ["A/RES/80/11"]
    assert any(e.kind == "positions" for e in confirmed[0].evidence)
    assert not contradicted or contradicted[0].points < confirmed[0].points


def test_countries_come_back_with_spans(index: ResolutionIndex) -> None:
    article = Article("Freedonian vote", "Belarus voted against; China abstained.")
    found = suggest(index, article).countries
    assert [(f.code, f.direct) for f in found] == [("FRE", False), ("BLR", True), ("CHN", True)]
    text = "Freedonian vote\nBelarus voted against; China abstained."
    assert all(text[m.start : m.end] == m.text for f in found for m in f.mentions)


def test_published_dates() -> None:
    assert PublishedDate.parse("2018-12") == PublishedDate(date(2018, 12, 1), date(2018, 12, 31))
    assert PublishedDate.parse("2021-06-22") == PublishedDate(date(2021, 6, 22), date(2021, 6, 22))
    assert PublishedDate.parse(None) is None
    assert not PublishedDate.parse("2018-12").precise  # type: ignore[union-attr]


def test_a_long_article_is_analysed_quickly(index: ResolutionIndex) -> None:
    import time

    text = " ".join(["The General Assembly met on Freedonia, 119 in favour."] * 400)
    started = time.perf_counter()
    analysis = analyze(Article("", text), index.matcher)
    index.finalize(analysis, index.score(analysis))
    assert time.perf_counter() - started < 2.0
