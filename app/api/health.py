"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from app.errors import NotReady
from app.migrations_state import current_revisions, head_revisions

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    database: str
    revision: list[str]


@router.get(
    "/healthz",
    response_model=Health,
    summary="Process is up",
    description="Answers 200 while the process runs; it does not touch the database.",
    responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}},
)
async def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Database reachable and migrated",
    description=(
        "Answers 200 when the database answers and its schema is at the migrations' head; "
        "503 with a problem+json body otherwise."
    ),
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"status": "ready", "database": "sqlite", "revision": ["0001"]}
                }
            }
        },
        503: {"description": "Not ready (problem+json)."},
    },
)
async def readyz(request: Request) -> dict[str, Any]:
    engine = request.app.state.engine
    try:
        async with engine.connect() as conn:
            current = await current_revisions(conn)
    except (SQLAlchemyError, OSError) as exc:
        raise NotReady(
            f"Database unavailable or not migrated ({type(exc).__name__}): "
            "check UNGA_DATABASE_URL and run `unga db upgrade`."
        ) from exc
    heads = head_revisions()
    if current != heads:
        raise NotReady(
            f"Database schema at {sorted(current)}, migrations at {sorted(heads)}: "
            "run `unga db upgrade`."
        )
    return {"status": "ready", "database": engine.dialect.name, "revision": sorted(current)}
