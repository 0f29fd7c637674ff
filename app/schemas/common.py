"""Shared response shapes."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items``, the ``total`` matching and the paging that was applied."""

    items: list[T]
    total: int = Field(description="Rows matching the filters, over all pages.")
    limit: int
    offset: int


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "Not found (problem+json)."},
    422: {"model": Problem, "description": "Invalid parameter (problem+json)."},
}
