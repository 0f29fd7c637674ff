"""The dataset's version, freshness, sources and licences."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from app.api.params import responses
from app.deps import ReadSessionDep
from app.formats import FormatDep, columns, csv_response, json_response
from app.http_cache import SnapshotDep, dataset_snapshot
from app.queries import meta as queries
from app.schemas import examples
from app.schemas.meta import Meta

router = APIRouter(tags=["meta"], dependencies=[Depends(dataset_snapshot)])

SOURCE_COLUMNS = columns("slug", "name", "credit", "licence", "url", "imported_at")


@router.get(
    "/v1/meta",
    response_model=Meta,
    summary="Dataset version, freshness and sources",
    description=(
        "The dataset's version (it grows with every import or correction, and every ETag "
        "follows it), when it last changed and how recent its data is, its size, the page "
        "limits, and each source with its credit and licence: the 1946-2019 record is CC0 "
        "(Voeten, Strezhnev and Bailey), UN Digital Library data is non-commercial with "
        "attribution. CSV: one row per source."
    ),
    responses=responses(examples.META, csv=examples.META_CSV, instance="/v1/meta"),
)
async def get_meta(session: ReadSessionDep, snapshot: SnapshotDep, fmt: FormatDep) -> Response:
    data = await queries.meta(
        session,
        version=snapshot.version,
        changed_at=snapshot.changed_at,
        data_as_of=snapshot.data_as_of,
    )
    if fmt == "csv":
        return csv_response(data["sources"], SOURCE_COLUMNS, "sources.csv")
    return json_response(data)
