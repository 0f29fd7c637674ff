"""Every failure of the read API is RFC 9457 problem+json naming what was wrong; no input gives
a 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.anyio

# (url, status, the parameter a 422/404 names, or a phrase its detail holds)
FAILURES: list[tuple[str, int, str]] = [
    ("/v1/resolutions/A/RES/99/999", 404, "No resolution A/RES/99/999"),
    ("/v1/resolutions/not-a-symbol", 404, "No resolution not-a-symbol"),
    ("/v1/resolutions/A/RES/99/999/votes", 404, "No resolution"),
    ("/v1/resolutions/A/RES/99/999/summary", 404, "No resolution"),
    ("/v1/resolutions/A/RES/75/287/votes?event=2147483647", 404, "is not a vote on"),
    ("/v1/resolutions/A/RES/75/287/votes?event=abc", 422, "event"),
    ("/v1/resolutions/A/RES/75/287/votes?event=0", 422, "event"),
    ("/v1/resolutions?limit=201", 422, "limit"),
    ("/v1/resolutions?limit=0", 422, "limit"),
    ("/v1/resolutions?offset=-1", 422, "offset"),
    ("/v1/resolutions?from=2021-13-01", 422, "from"),
    ("/v1/resolutions?to=yesterday", 422, "to"),
    ("/v1/resolutions?session=XX", 422, "session"),
    ("/v1/resolutions?session=0", 422, "session"),
    ("/v1/resolutions?session_type=annual", 422, "session_type"),
    ("/v1/resolutions?sort=votes", 422, "sort"),
    ("/v1/resolutions?position=maybe", 422, "position"),
    ("/v1/resolutions?adopted=perhaps", 422, "adopted"),
    ("/v1/resolutions?important=2", 422, "important"),
    ("/v1/resolutions?kind=resolution", 422, "kind"),
    ("/v1/resolutions?updated_since=soon", 422, "updated_since"),
    ("/v1/resolutions?format=xml", 422, "format"),
    ("/v1/resolutions?country=Narnia&position=no", 404, "country"),
    ("/v1/resolutions?topic=zz", 404, "topic"),
    ("/v1/vote-events?country=Belarusia", 404, "country"),
    ("/v1/vote-events?limit=1000", 422, "limit"),
    ("/v1/vote-events/0", 422, "event_id"),
    ("/v1/vote-events/abc", 422, "event_id"),
    ("/v1/vote-events/99999999999", 422, "event_id"),
    ("/v1/vote-events/2147483647", 404, "No vote event 2147483647"),
    ("/v1/vote-events/2147483647/votes", 404, "No vote event"),
    ("/v1/countries/Narnia", 404, "No country matches 'Narnia'"),
    ("/v1/countries/Narnia/votes", 404, "No country matches"),
    ("/v1/countries/BLR/votes?limit=1001", 422, "limit"),
    ("/v1/countries/BLR/votes?position=absent", 422, "position"),
    ("/v1/countries?group=nato", 404, "group"),
    ("/v1/countries?member_on=1945-02-30", 422, "member_on"),
    ("/v1/groups/nato", 404, "No group 'nato'"),
    ("/v1/groups/p5?on=yesterday", 422, "on"),
    ("/v1/countries/" + "x" * 201, 422, "ref"),
]


def check_problem(r: httpx.Response, status: int, names: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = r.json()
    assert body["type"] == "about:blank" and body["status"] == status and body["title"]
    assert body["instance"] == r.request.url.path
    assert names in body["detail"] or any(e["loc"][-1] == names for e in body.get("errors", []))
    if status == 422:
        assert body["errors"] and all({"loc", "msg"} <= set(e) for e in body["errors"])
    return body


@pytest.mark.parametrize(("url", "status", "names"), FAILURES)
async def test_failures_are_problem_json(
    client: httpx.AsyncClient, url: str, status: int, names: str
) -> None:
    check_problem(await client.get(url), status, names)
    # The same in CSV: errors stay problem+json.
    check_problem(await client.get(url, headers={"Accept": "text/csv"}), status, names)


async def test_unknown_filter_values_name_the_parameter_and_suggest(
    client: httpx.AsyncClient,
) -> None:
    body = check_problem(await client.get("/v1/resolutions?country=Belarusia"), 404, "country")
    assert body["errors"] == [{"loc": ["query", "country"], "msg": body["errors"][0]["msg"]}]
    assert body["suggestions"][0]["code"] == "BLR"
    body = check_problem(await client.get("/v1/resolutions?topic=zz"), 404, "topic")
    assert "hr" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/v1/resolutions?q=%00",
        "/v1/resolutions?q=%25_%5C",
        "/v1/resolutions?country=%00",
        "/v1/resolutions?topic=%00",
        "/v1/resolutions?from=0001-01-01&to=9999-12-31",
        "/v1/resolutions?updated_since=0001-01-01T00:00:00%2B05:00",
        "/v1/resolutions?updated_since=9999-12-31T23:59:59-05:00",
        "/v1/resolutions?offset=10000000",
        "/v1/resolutions/%00",
        "/v1/resolutions/",
        "/v1/resolutions/A/RES/75/287/votes/votes",
        "/v1/countries/%00",
        "/v1/countries/%F0%9F%87%A7%F0%9F%87%BE",
        "/v1/countries?q=%00",
        "/v1/countries?q=%25",
        "/v1/groups/%00",
        "/v1/groups/p5?on=0001-01-01",
        "/v1/countries/BLR/votes?to=9999-12-31&format=csv",
    ],
)
async def test_odd_inputs_never_fail_the_server(client: httpx.AsyncClient, url: str) -> None:
    r = await client.get(url)
    assert r.status_code in (200, 404, 422), r.text
    if r.status_code != 200:
        assert r.headers["content-type"] == "application/problem+json"
