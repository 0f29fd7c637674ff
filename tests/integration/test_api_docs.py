"""The read API documents itself: every operation has a summary, a description, described
parameters and examples from A/RES/75/287 that match its response model."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from app.api import countries, groups, meta, resolutions, vote_events
from app.config import Settings
from app.main import create_app

# The read API's operations, and what each one's example is about.
MARKERS = {
    "/v1/resolutions": "A/RES/75/287",
    "/v1/resolutions/{symbol}": "A/RES/75/287",
    "/v1/resolutions/{symbol}/votes": "A/RES/75/287",
    "/v1/resolutions/{symbol}/summary": "Belarus against",
    "/v1/vote-events": "A/RES/75/287",
    "/v1/vote-events/{event_id}": "A/RES/75/287",
    "/v1/vote-events/{event_id}/votes": "A/RES/75/287",
    "/v1/countries": "BLR",
    "/v1/countries/{ref}": "BLR",
    "/v1/countries/{ref}/votes": "A/RES/75/287",
    "/v1/groups": "eastern-european",
    "/v1/groups/{group}": "BLR",
    "/v1/meta": "CC0",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite+aiosqlite:///:memory:")).openapi()


def read_operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    assert set(MARKERS) <= set(spec["paths"])
    return [(path, spec["paths"][path]["get"]) for path in MARKERS]


def test_every_read_operation_is_documented(spec: dict[str, Any]) -> None:
    operations = read_operations(spec)
    missing = []
    for path, op in operations:
        for field in ("summary", "description"):
            if len(op.get(field, "")) < 10:
                missing.append(f"{path}: {field}")
        for param in op.get("parameters", []):
            if not param.get("description"):
                missing.append(f"{path}: parameter {param['name']} has no description")
        responses = op["responses"]
        ok = responses["200"]["content"]
        example = ok.get("application/json", {}).get("example")
        if not example:
            missing.append(f"{path}: no JSON example")
        elif MARKERS[path] not in json.dumps(example, ensure_ascii=False):
            missing.append(f"{path}: the example is not about {MARKERS[path]}")
        if not ok.get("text/csv", {}).get("example"):
            missing.append(f"{path}: no CSV example")
        for status in ("304", "422"):
            if status not in responses:
                missing.append(f"{path}: {status} undocumented")
        for status, response in responses.items():
            if status.startswith(("4", "5")) and "application/problem+json" not in response.get(
                "content", {}
            ):
                missing.append(f"{path}: {status} is not problem+json")
        if "{" in path and "404" not in responses:
            missing.append(f"{path}: 404 undocumented")
    assert not missing, "\n".join(missing)


def test_examples_match_the_response_models() -> None:
    checked = 0
    for module in (resolutions, vote_events, countries, groups, meta):
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            assert route.path.replace(":path", "") in MARKERS, route.path
            example = route.responses[200]["content"]["application/json"]["example"]
            assert route.response_model is not None, route.path
            route.response_model.model_validate(example)  # refuses unknown fields too
            checked += 1
    assert checked == len(MARKERS)


@pytest.mark.anyio
async def test_openapi_served(client: httpx.AsyncClient) -> None:
    r = await client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/v1/resolutions/{symbol}/votes" in paths
    symbol = next(
        p for p in paths["/v1/resolutions/{symbol}"]["get"]["parameters"] if p["name"] == "symbol"
    )
    assert "A/75/L.85/Rev.1" in symbol["description"]
