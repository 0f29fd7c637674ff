"""The adoption rule of the General Assembly, computed, never typed.

Rule 86 of the Assembly's rules of procedure: "members present and voting" are those casting an
affirmative or negative vote; abstentions and non-votes do not count. A simple majority needs more
yes than no; a two-thirds majority needs yes >= 2 x no (and at least one yes). A tie fails, and so
does a vote in which nobody voted yes or no.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Majority = Literal["simple", "two_thirds"]
Outcome = Literal["adopted", "rejected"]


def compute_outcome(yes: int, no: int, majority: str = "simple") -> Outcome:
    if yes < 0 or no < 0:
        raise ValueError("counts cannot be negative")
    if yes + no == 0:
        return "rejected"
    if majority == "simple":
        return "adopted" if yes > no else "rejected"
    if majority == "two_thirds":
        return "adopted" if yes > 0 and yes >= 2 * no else "rejected"
    raise ValueError(f"unknown majority rule: {majority!r}")


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    non_voting: int = 0

    @property
    def members(self) -> int:
        return self.yes + self.no + self.abstain + self.non_voting

    def outcome(self, majority: str = "simple") -> Outcome:
        return compute_outcome(self.yes, self.no, majority)

    @classmethod
    def from_positions(cls, positions: list[str]) -> Tally:
        counts = {"yes": 0, "no": 0, "abstain": 0, "non_voting": 0}
        for p in positions:
            counts[p] += 1
        return cls(**counts)
