"""The write API documents itself: summaries, descriptions naming the scope, examples that
match the models, problem+json errors, the security scheme, and the rate-limit notes."""

from __future__ import annotations

from typing import Any

import pytest

from app.config import Settings
from app.main import create_app
from app.schemas.write import (
    IMPORT_RESULT_EXAMPLE,
    RESOLUTION_RECORD_EXAMPLE,
    VOTE_EVENT_RECORD_EXAMPLE,
    ImportResult,
    ResolutionIn,
    ResolutionRecord,
    VoteEventIn,
    VoteEventPatch,
    VoteEventRecord,
)

WRITE_METHODS = {"post", "put", "patch", "delete"}
MINE = ("/v1/resolutions", "/v1/vote-events", "/v1/imports", "/v1/audit")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite+aiosqlite:///:memory:")).openapi()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            secured = bool(op.get("security"))
            if path.startswith(MINE) and (method in WRITE_METHODS or secured):
                out.append((method, path, op))
    return out


def test_every_write_operation_is_documented(spec: dict[str, Any]) -> None:
    ops = _operations(spec)
    assert len(ops) == 10
    missing = []
    for method, path, op in ops:
        name = f"{method.upper()} {path}"
        if len(op.get("summary", "")) < 10:
            missing.append(f"{name}: summary")
        if "Needs an API key with the scope" not in op.get("description", ""):
            missing.append(f"{name}: the description does not name the scope")
        responses = op["responses"]
        for status in ("401", "403", "422", "429"):
            if status not in responses:
                missing.append(f"{name}: {status} undocumented")
        for status, response in responses.items():
            if status.startswith("4") and "application/problem+json" not in response.get(
                "content", {}
            ):
                missing.append(f"{name}: {status} is not problem+json")
        ok = next(s for s in responses if s.startswith("2"))
        if ok != "204" and not responses[ok].get("content", {}).get("application/json", {}).get(
            "example"
        ):
            missing.append(f"{name}: no example answer")
        if method in {"post", "put", "patch"}:
            body = op.get("requestBody", {}).get("content", {})
            schema = next(iter(body.values()), {}).get("schema", {})
            ref = schema.get("$ref", "")
            component = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], schema)
            if not (component.get("examples") or "text/csv" in body):
                missing.append(f"{name}: no request example")
        if path.endswith("}") and method != "post" and "404" not in responses:
            missing.append(f"{name}: 404 undocumented")
    assert not missing, "\n".join(missing)


def test_examples_match_the_models() -> None:
    ResolutionRecord.model_validate(RESOLUTION_RECORD_EXAMPLE)
    VoteEventRecord.model_validate(VOTE_EVENT_RECORD_EXAMPLE)
    ImportResult.model_validate(IMPORT_RESULT_EXAMPLE)
    for model in (ResolutionIn, VoteEventIn, VoteEventPatch):
        extra = model.model_config.get("json_schema_extra")
        assert isinstance(extra, dict)
        examples = extra["examples"]
        assert isinstance(examples, list)
        for example in examples:
            model.model_validate(example)


def test_description_states_the_limits_and_the_scopes(spec: dict[str, Any]) -> None:
    text = spec["info"]["description"]
    for needle in ("per client address", "per API key", "per server process", "X-API-Key"):
        assert needle in text
    for scope in ("votes:write", "news:write", "import", "admin"):
        assert f"`{scope}`" in text
