"""Response formats: JSON (orjson, the default) and CSV (``?format=csv`` or ``Accept: text/csv``).

Handlers hand over plain dicts and lists (no per-row pydantic work on the hot paths); the
response models in ``app.schemas`` document the same shapes, and tests hold the two together.
CSV is one flat table per endpoint: nested values are reached by dotted paths
(``tally.yes``), lists are joined with ``;``, booleans are ``true``/``false``, missing values
are empty. Long CSVs are streamed chunk by chunk from the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, Query, Request
from starlette.responses import Response, StreamingResponse

Format = Literal["json", "csv"]
JSON_MEDIA = "application/json"
CSV_MEDIA = "text/csv; charset=utf-8"
_JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS


def accept_format(accept: str | None) -> Format:
    """``csv`` when the Accept header prefers text/csv over application/json, else ``json``."""
    if not accept or ("csv" not in accept and "text/*" not in accept):
        return "json"
    best: dict[str, tuple[int, float]] = {}  # format -> (specificity, q) of the best match
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        for fmt, full, family in (
            ("json", "application/json", "application/*"),
            ("csv", "text/csv", "text/*"),
        ):
            specificity = (
                3 if media == full else 2 if media == family else 1 if media == "*/*" else 0
            )
            if specificity and specificity > best.get(fmt, (0, 0.0))[0]:
                best[fmt] = (specificity, q)
    q_json = best.get("json", (0, 0.0))[1]
    q_csv = best.get("csv", (0, 0.0))[1]
    return "csv" if q_csv > q_json else "json"


def response_format(
    request: Request,
    format: Annotated[
        Format | None,
        Query(
            description=(
                "`json` (default) or `csv`. Without it, `Accept: text/csv` also selects CSV."
            ),
            examples=["csv"],
        ),
    ] = None,
) -> Format:
    return format or accept_format(request.headers.get("accept"))


FormatDep = Annotated[Format, Depends(response_format)]


# ---------------------------------------------------------------------------------- JSON


def json_bytes(data: Any) -> bytes:
    return orjson.dumps(data, option=_JSON_OPTIONS)


def json_response(data: Any) -> Response:
    return Response(json_bytes(data), media_type=JSON_MEDIA)


# ---------------------------------------------------------------------------------- CSV

Columns = Sequence[tuple[str, str]]  # (header, dotted path into the item)


def columns(*paths: str) -> Columns:
    """CSV columns named after the last part of their dotted path (``tally.yes`` -> ``yes``)."""
    return [(p.rsplit(".", 1)[-1], p) for p in paths]


def _cell(value: Any) -> Any:
    """What the csv writer should write: it writes str, int and float itself, None as empty."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(_cell(v)) for v in value)
    return value


def _getter(path: str) -> Callable[[Mapping[str, Any]], Any]:
    keys = path.split(".")
    if len(keys) == 1:
        key = keys[0]
        return lambda item: _cell(item.get(key))

    def get(item: Mapping[str, Any]) -> Any:
        value: Any = item
        for key in keys:
            if value is None:
                return None
            value = value.get(key)
        return _cell(value)

    return get


def csv_chunk(rows: Iterable[Mapping[str, Any]], cols: Columns, *, header: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow([name for name, _ in cols])
    getters = [_getter(path) for _, path in cols]
    writer.writerows([get(row) for get in getters] for row in rows)
    return buf.getvalue().encode("utf-8")


def _csv_headers(filename: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{filename}"'}


def csv_response(rows: Iterable[Mapping[str, Any]], cols: Columns, filename: str) -> Response:
    return Response(
        csv_chunk(rows, cols, header=True), media_type=CSV_MEDIA, headers=_csv_headers(filename)
    )


def csv_stream(
    chunks: AsyncIterator[Sequence[Mapping[str, Any]]], cols: Columns, filename: str
) -> StreamingResponse:
    """Stream a CSV: the header, then one encoded block per chunk of rows."""

    async def body() -> AsyncIterator[bytes]:
        yield csv_chunk((), cols, header=True)
        async for chunk in chunks:
            yield csv_chunk(chunk, cols, header=False)

    return StreamingResponse(body(), media_type=CSV_MEDIA, headers=_csv_headers(filename))


def filename_for(text: str) -> str:
    """A safe file name from a symbol or code: ``A/RES/75/287`` -> ``A-RES-75-287``."""
    out = "".join(c if c.isalnum() or c in "-._" else "-" for c in text)
    return out.strip("-") or "data"
