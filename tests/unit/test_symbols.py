import pytest

from app.domain.symbols import (
    canonical_symbol,
    int_to_roman,
    parse_session_code,
    parse_symbol,
    roman_to_int,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("A/RES/75/287", "A/RES/75/287"),
        ("a/res/75/287", "A/RES/75/287"),
        ("A-RES-75-287", "A/RES/75/287"),
        ("75/287", "A/RES/75/287"),
        ("resolution 75/287", "A/RES/75/287"),
        (" A/RES/75/287 ", "A/RES/75/287"),
        ("A/RES/2758 (XXVI)", "A/RES/2758(XXVI)"),
        ("A/RES/2758(XXVI)", "A/RES/2758(XXVI)"),
        ("2758 (XXVI)", "A/RES/2758(XXVI)"),
        ("A/RES/ES-11/1", "A/RES/ES-11/1"),
        ("A-RES-ES-11-1", "A/RES/ES-11/1"),
        ("A/RES/ES-10/19", "A/RES/ES-10/19"),
        ("A/RES/S-13/2", "A/RES/S-13/2"),
        ("A/RES/40/123 A", "A/RES/40/123 A"),
        ("A/RES/40/123A", "A/RES/40/123 A"),
        ("A/RES/1514(XV) A", "A/RES/1514(XV) A"),
        ("A/75/L.85/Rev.1", "A/75/L.85/Rev.1"),
        ("a/75/l.85/rev.1", "A/75/L.85/Rev.1"),
        ("A-75-L.85-Rev.1", "A/75/L.85/Rev.1"),
        ("A/ES-11/L.1", "A/ES-11/L.1"),
    ],
)
def test_symbol_forms(text: str, canonical: str) -> None:
    assert canonical_symbol(text) == canonical


@pytest.mark.parametrize(
    "text", ["", "foo", "A/RES/12/3", "A/RES/75", "A/RES/2758(XXVIIII)", "A/RES/0/1", "75/"]
)
def test_not_symbols(text: str) -> None:
    assert parse_symbol(text) is None


def test_parts_and_sessions() -> None:
    s = parse_symbol("A/RES/40/123 A")
    assert s is not None and s.part == "A" and s.base == "A/RES/40/123" and s.session == "40"
    old = parse_symbol("A/RES/2758(XXVI)")
    assert old is not None and old.session == "26" and old.number == 2758
    draft = parse_symbol("A/75/L.85/Rev.1")
    assert draft is not None and draft.kind == "draft"


def test_roman_round_trip() -> None:
    for n in range(1, 100):
        assert roman_to_int(int_to_roman(n)) == n


def test_session_codes() -> None:
    assert parse_session_code("75") == ("regular", 75)
    assert parse_session_code("ES-11") == ("emergency_special", 11)
    assert parse_session_code("s-13") == ("special", 13)
    assert parse_session_code("X") is None
