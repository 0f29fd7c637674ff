import pytest

from app.domain.adoption import Tally, compute_outcome


@pytest.mark.parametrize(
    ("yes", "no", "majority", "expected"),
    [
        (119, 1, "simple", "adopted"),
        (50, 50, "simple", "rejected"),  # a tie fails
        (0, 0, "simple", "rejected"),  # everyone abstained or did not vote
        (0, 0, "two_thirds", "rejected"),
        (1, 0, "simple", "adopted"),
        (0, 1, "simple", "rejected"),
        (100, 50, "two_thirds", "adopted"),  # exactly two thirds of those present and voting
        (99, 50, "two_thirds", "rejected"),
        (76, 35, "two_thirds", "adopted"),  # A/RES/2758(XXVI)
        (60, 59, "simple", "adopted"),
        (60, 59, "two_thirds", "rejected"),
    ],
)
def test_adoption_rule(yes: int, no: int, majority: str, expected: str) -> None:
    assert compute_outcome(yes, no, majority) == expected


def test_abstentions_do_not_count_as_present_and_voting() -> None:
    # 10 yes, 9 no and 170 abstentions is still adopted: abstainers are not "present and voting".
    t = Tally(yes=10, no=9, abstain=170, non_voting=4)
    assert t.outcome() == "adopted"
    assert t.members == 193


def test_all_abstain_fails() -> None:
    assert Tally(abstain=193).outcome() == "rejected"
    assert Tally(abstain=150, non_voting=43).outcome("two_thirds") == "rejected"


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        compute_outcome(1, 0, "unanimity")
    with pytest.raises(ValueError):
        compute_outcome(-1, 0)


def test_tally_from_positions() -> None:
    t = Tally.from_positions(["yes", "yes", "no", "abstain", "non_voting"])
    assert (t.yes, t.no, t.abstain, t.non_voting, t.members) == (2, 1, 1, 1, 5)
