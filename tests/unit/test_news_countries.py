"""Finding countries in text: names, aliases, capitals, demonyms, case, languages, blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.news.countries import CountryMatcher, CountryTerm, group_mentions
from app.news.language import detect_language
from app.news.terms import CountryInfo, build_vocabulary, name_variants, read_terms_file

SEED = Path(__file__).resolve().parents[2] / "seed"


@pytest.fixture(scope="module")
def matcher() -> CountryMatcher:
    countries = [
        CountryInfo(code, code, i)
        for i, code in enumerate(
            [
                "BLR",
                "CHN",
                "COD",
                "COG",
                "DEU",
                "DMA",
                "DOM",
                "FRA",
                "GBR",
                "GEO",
                "GIN",
                "GNB",
                "ISL",
                "IND",
                "MMR",
                "NER",
                "NGA",
                "PNG",
                "PRK",
                "KOR",
                "RUS",
                "TCD",
                "TUR",
                "UKR",
                "USA",
                "SYR",
                "LAO",
            ]
        )
    ] + [CountryInfo("TWN", "China (Republic of China)", 99, historical=True)]
    db_names = [
        ("RUS", "Russia", "alias", True),
        ("MMR", "Burma", "alias", True),
        ("TWN", "China", "un_name", False),
        ("TWN", "Taiwan", "alias", False),
    ]
    vocabulary = build_vocabulary(countries, db_names, read_terms_file(SEED / "country_terms.csv"))
    return vocabulary.matcher()


def codes(matcher: CountryMatcher, text: str, lang: str | None = None) -> list[tuple[str, str]]:
    return [(m.code, m.kind) for m in matcher.find(text, lang)]


def test_names_aliases_and_spans(matcher: CountryMatcher) -> None:
    text = "Burma and the Russian Federation; Russia's envoy met Belarus."
    found = matcher.find(text)
    assert [(m.code, m.text) for m in found] == [
        ("MMR", "Burma"),
        ("RUS", "Russian Federation"),
        ("RUS", "Russia's"),
        ("BLR", "Belarus"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_capitals_and_demonyms_are_indirect(matcher: CountryMatcher) -> None:
    found = group_mentions(matcher.find("Moscow said Belarusian and Chinese diplomats agreed."))
    assert {f.code: f.direct for f in found} == {"RUS": False, "BLR": False, "CHN": False}
    assert [m.kind for f in found for m in f.mentions] == ["capital", "demonym", "demonym"]


def test_longest_match_wins(matcher: CountryMatcher) -> None:
    text = "Papua New Guinea, Guinea-Bissau, Guinea; Niger and Nigeria; the Dominican Republic."
    assert [c for c, _ in codes(matcher, text)] == ["PNG", "GNB", "GIN", "NER", "NGA", "DOM"]
    assert [c for c, _ in codes(matcher, "The Democratic Republic of the Congo and the Congo")] == [
        "COD",
        "COG",
    ]


def test_case_matters_for_common_words_and_abbreviations(matcher: CountryMatcher) -> None:
    assert codes(matcher, "Let us roast a turkey in china bowls; chad is a word.") == []
    assert [c for c, _ in codes(matcher, "The US and the UK; Turkey and Chad.")] == [
        "USA",
        "GBR",
        "TUR",
        "TCD",
    ]
    assert [c for c, _ in codes(matcher, "U.S.-led talks")] == ["USA"]


def test_blocks_hide_names_inside_other_names(matcher: CountryMatcher) -> None:
    text = "Latin American states, the South China Sea and the Indian Ocean."
    assert codes(matcher, text) == []


def test_ambiguous_short_forms_are_left_out(matcher: CountryMatcher) -> None:
    # "Korea" alone could be either Korea; "North Korea" and "Republic of Korea" are not.
    assert [c for c, _ in codes(matcher, "Korea; North Korea; the Republic of Korea")] == [
        "PRK",
        "KOR",
    ]


def test_a_former_seat_does_not_take_a_current_name(matcher: CountryMatcher) -> None:
    assert [c for c, _ in codes(matcher, "China and Taiwan")] == ["CHN", "TWN"]


def test_translated_names_only_in_their_language(matcher: CountryMatcher) -> None:
    german = "Russland und China enthielten sich, Island und Deutschland stimmten zu."
    assert detect_language(german) == "de"
    assert [c for c, _ in codes(matcher, german, "de")] == ["RUS", "CHN", "ISL", "DEU"]
    assert "ISL" not in [c for c, _ in codes(matcher, "Island nations met in Fiji.", "en")]
    french = "La Russie et la Chine se sont abstenues; le Bélarus a voté contre."
    assert detect_language(french) == "fr"
    assert [c for c, _ in codes(matcher, french, "fr")] == ["RUS", "CHN", "BLR"]
    assert [c for c, _ in codes(matcher, "Россия и Китай воздержались.", "ru")] == ["RUS", "CHN"]
    assert [c for c, _ in codes(matcher, "俄罗斯和中国投了弃权票。", "zh")] == ["RUS", "CHN"]


def test_name_variants() -> None:
    assert name_variants("Korea, Republic of") == [
        ("Korea, Republic of", False),
        ("Republic of Korea", True),
        ("Korea", True),
    ]
    assert ("Plurinational State of Bolivia", True) in name_variants(
        "Bolivia (Plurinational State of)"
    )
    assert name_variants("Myanmar (Burma)") == []
    assert ("Gambia", True) in name_variants("The Gambia")


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        CountryMatcher([CountryTerm("XXX", "Xland", "nickname")])


def test_terms_file_is_well_formed() -> None:
    terms = read_terms_file(SEED / "country_terms.csv")
    assert {t.kind for t in terms} <= {"name", "alias", "capital", "demonym", "block"}
    assert any(t.term == "Moscow" and t.code == "RUS" for t in terms)
    assert any(t.term == "Belarusian" and t.code == "BLR" for t in terms)
