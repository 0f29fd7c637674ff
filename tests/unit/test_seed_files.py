"""Integrity of the curated seed CSVs (no database)."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from app.domain.names import name_key
from app.domain.symbols import canonical_symbol

SEED = Path(__file__).resolve().parents[2] / "seed"


def rows(name: str) -> list[dict[str, str]]:
    with (SEED / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def codes() -> set[str]:
    return {r["code"] for r in rows("countries.csv")}


@pytest.fixture(scope="module")
def current() -> set[str]:
    return {r["code"] for r in rows("memberships.csv") if not r["left_on"]}


def test_country_codes_are_unique_and_three_letters() -> None:
    all_codes = [r["code"] for r in rows("countries.csv")]
    assert len(all_codes) == len(set(all_codes))
    assert all(len(c) == 3 and c.isupper() for c in all_codes)


def test_193_current_members(current: set[str], codes: set[str]) -> None:
    assert len(current) == 193
    assert current <= codes
    historical = {r["code"] for r in rows("countries.csv") if r["is_historical"] == "true"}
    assert historical == {"SUN", "TWN", "YUG", "SCG", "CSK", "DDR", "YMD", "ZZB"}
    assert not historical & current
    assert len(codes) == 193 + len(historical)


def test_membership_spells_are_ordered_and_do_not_overlap(codes: set[str]) -> None:
    spells: dict[str, list[tuple[date, date | None]]] = {}
    for r in rows("memberships.csv"):
        assert r["code"] in codes
        admitted = date.fromisoformat(r["admitted_on"])
        left = date.fromisoformat(r["left_on"]) if r["left_on"] else None
        assert left is None or left > admitted
        assert bool(left) == bool(r["left_how"])
        spells.setdefault(r["code"], []).append((admitted, left))
    assert set(spells) == codes
    for code, spans in spells.items():
        spans.sort(key=lambda s: s[0])
        for (_, left), (admitted, _) in itertools.pairwise(spans):
            assert left is not None and left <= admitted, code
    assert spells["SUN"] == [(date(1945, 10, 24), date(1991, 12, 24))]
    assert spells["RUS"] == [(date(1991, 12, 24), None)]
    assert spells["TWN"][0][1] == spells["CHN"][0][0] == date(1971, 10, 25)
    assert len(spells["SYR"]) == len(spells["IDN"]) == len(spells["YEM"]) == 2


def test_codes_referenced_elsewhere_exist(codes: set[str]) -> None:
    for name in ("memberships.csv", "group_memberships.csv", "votes.csv", "aliases.csv"):
        unknown = {r["code"] for r in rows(name)} - codes
        assert not unknown, (name, unknown)
    for r in rows("successions.csv"):
        assert {r["predecessor"], r["successor"]} <= codes
    for r in rows("news_links.csv"):
        if r["kind"] == "country":
            assert r["ref"] in codes


def test_aliases_have_known_kinds_and_keys() -> None:
    kinds = {"iso3", "iso2", "m49", "un_name", "official", "common", "alias", "source_code"}
    seen = set()
    for r in rows("aliases.csv"):
        assert r["kind"] in kinds
        assert name_key(r["name"])
        key = (r["code"], name_key(r["name"]), r["kind"])
        assert key not in seen, key
        seen.add(key)
    dated = {(r["code"], r["name"]): (r["valid_from"], r["valid_to"]) for r in rows("aliases.csv")}
    assert dated[("SUN", "RUS")] == ("1945-10-24", "1991-12-24")
    assert dated[("SCG", "YUG")] == ("2000-11-01", "2006-06-03")
    assert dated[("SRB", "YUG")] == ("2006-06-03", "")


def test_regional_group_counts(current: set[str]) -> None:
    members: dict[str, set[str]] = {}
    for r in rows("group_memberships.csv"):
        if r["code"] in current and not r["until"]:
            members.setdefault(r["group"], set()).add(r["code"])
    assert len(members["african"]) == 54
    assert len(members["asia-pacific"]) == 55
    assert len(members["eastern-european"]) == 23
    assert len(members["latin-american-caribbean"]) == 33
    assert len(members["weog"]) == 29
    assert {"TUR", "KIR"} <= members["asia-pacific"]
    assert {"TUR", "USA", "ISR"} <= members["weog"]
    usa = {r["role"] for r in rows("group_memberships.csv") if r["code"] == "USA"}
    assert usa >= {"observer", "electoral_only"}
    israel = [r for r in rows("group_memberships.csv") if r["code"] == "ISR"]
    assert [(r["since"], r["since_precision"]) for r in israel] == [("2000-05-01", "month")]


def test_every_current_member_is_in_a_regional_group(current: set[str]) -> None:
    regional = {r["slug"] for r in rows("groups.csv") if r["kind"] == "regional"}
    assert regional == {
        "african",
        "asia-pacific",
        "eastern-european",
        "latin-american-caribbean",
        "weog",
    }
    grouped = {r["code"] for r in rows("group_memberships.csv") if r["group"] in regional}
    assert current <= grouped


def test_p5_and_eu() -> None:
    gm = [r for r in rows("group_memberships.csv") if r["group"] == "p5"]
    open_p5 = {r["code"] for r in gm if not r["until"]}
    assert open_p5 == {"CHN", "FRA", "GBR", "RUS", "USA"}
    eu_now = {
        r["code"] for r in rows("group_memberships.csv") if r["group"] == "eu" and not r["until"]
    }
    assert len(eu_now) == 27
    assert "GBR" not in eu_now


def test_group_membership_keys_are_unique() -> None:
    keys = Counter(
        (r["group"], r["code"], r["role"], r["since"]) for r in rows("group_memberships.csv")
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_resolution_symbols_are_canonical() -> None:
    for r in rows("resolutions.csv"):
        assert canonical_symbol(r["symbol"]) == r["symbol"]
        if r["draft_symbol"]:
            assert canonical_symbol(r["draft_symbol"]) == r["draft_symbol"]
    symbols = {r["symbol"] for r in rows("resolutions.csv")}
    assert {r["symbol"] for r in rows("vote_events.csv")} <= symbols
    assert {"A/RES/75/287", "A/RES/2758(XXVI)"} <= symbols


def test_vote_events_match_votes() -> None:
    events = {r["event_key"]: r for r in rows("vote_events.csv")}
    sources = {r["slug"] for r in rows("sources.csv")}
    assert sources >= {"unvotes", "undl", "undl-2022-secondary", "seed"}
    assert {r["source"] for r in events.values()} <= sources
    assert len({(r["source"], r["source_key"]) for r in events.values()}) == len(events)
    per_event: dict[str, Counter[str]] = {}
    pairs = Counter((r["event_key"], r["code"]) for r in rows("votes.csv"))
    assert [p for p, n in pairs.items() if n > 1] == []
    for r in rows("votes.csv"):
        assert r["event_key"] in events
        assert r["position"] in {"yes", "no", "abstain", "non_voting"}
        per_event.setdefault(r["event_key"], Counter())[r["position"]] += 1
    for key, event in events.items():
        tally = per_event[key]
        # Only A/RES/ES-10/19 differs from the official record (127 yes in the data).
        if event["symbol"] != "A/RES/ES-10/19":
            assert tally["yes"] == int(event["official_yes"]), key
        assert tally["no"] == int(event["official_no"]), key
        assert tally["abstain"] == int(event["official_abstain"]), key


def test_myanmar_roll() -> None:
    (event,) = [r for r in rows("vote_events.csv") if r["symbol"] == "A/RES/75/287"]
    assert (event["source"], event["source_key"]) == ("undl", "3929594")
    roll = {r["code"]: r for r in rows("votes.csv") if r["event_key"] == event["event_key"]}
    assert len(roll) == 193
    tally = Counter(r["position"] for r in roll.values())
    assert tally == {"yes": 119, "no": 1, "abstain": 36, "non_voting": 37}
    assert roll["BLR"]["position"] == "no"
    assert roll["CHN"]["position"] == roll["RUS"]["position"] == "abstain"
    assert roll["MMR"]["position"] == "yes"
    # The UN record's "X" does not say why a state did not vote: reason unknown, as the
    # importer records it; the other positions carry no reason.
    assert all(
        r["non_voting_reason"] == ("unknown" if r["position"] == "non_voting" else "")
        for r in roll.values()
    )


def test_old_vote_data_codes_are_mapped_by_date() -> None:
    events = {r["event_key"]: r for r in rows("vote_events.csv")}
    for r in rows("votes.csv"):
        voted_on = events[r["event_key"]]["voted_on"]
        if voted_on < "1991-12-24":
            assert r["code"] != "RUS"
        if voted_on >= "2006-06-03":
            assert r["code"] not in {"YUG", "SCG"}
    codes_1971 = {
        r["code"] for r in rows("votes.csv") if events[r["event_key"]]["voted_on"][:4] == "1971"
    }
    assert "SUN" in codes_1971
