"""Database errors that are not bugs map to honest, retryable statuses."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from app.errors import classify_database_error


class _Orig(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def test_deadlock_is_a_conflict() -> None:
    exc = OperationalError("UPDATE …", {}, _Orig("deadlock detected", "40P01"))
    assert classify_database_error(exc)[0] == 409


def test_serialization_failure_is_a_conflict() -> None:
    exc = OperationalError("UPDATE …", {}, _Orig("could not serialize", "40001"))
    assert classify_database_error(exc)[0] == 409


def test_sqlite_busy_is_unavailable() -> None:
    exc = OperationalError("INSERT …", {}, _Orig("database is locked"))
    assert classify_database_error(exc)[0] == 503


def test_other_errors_stay_500() -> None:
    exc = OperationalError("SELECT …", {}, _Orig("syntax error", "42601"))
    assert classify_database_error(exc)[0] == 500
