"""The base of every response model: unknown fields are refused, so that tests comparing
live responses with the models catch any drift between the two."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")
