"""Property-based fuzzing of every endpoint in the OpenAPI document (in-process, fixed seed):
no server errors, and every response conforms to the documented schema, status and media type.
Endpoints added later are picked up without anyone asking.

(schemathesis' lazy pytest loader does not work with pytest 9, so the operations are driven
from one test with hypothesis directly.)"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from app.config import Settings
from app.main import create_app

MAX_EXAMPLES = 30


def test_every_operation_conforms(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operations"
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate()

        try:
            check()
        except Exception as exc:  # collect every failing operation, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
