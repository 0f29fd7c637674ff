"""Bad rows and the exception that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class BadRow:
    """One problem in an input file: where it is (file, line, column), the value and why.

    ``line`` counts physical lines from 1 (the header is line 1); 0 means the file as a whole.
    """

    file: str
    line: int
    column: str
    value: str
    why: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" {self.column}={self.value!r}" if self.column else ""
        return f"{where}:{column} {self.why}"


class ImportFailed(Exception):
    """The input holds bad rows; nothing was written. ``bad_rows`` lists every one of them."""

    def __init__(self, bad_rows: list[BadRow]) -> None:
        self.bad_rows = sorted(bad_rows)
        super().__init__(f"{len(self.bad_rows)} bad row(s); nothing was imported")
