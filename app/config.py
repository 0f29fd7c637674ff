"""Settings read from ``UNGA_``-prefixed environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime configuration. Tests build their own instance and pass it to ``create_app``."""

    model_config = SettingsConfigDict(env_prefix="UNGA_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./unga.db",
        description="SQLAlchemy URL: sqlite+aiosqlite:///FILE or postgresql+asyncpg://…",
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT.parent / "shared" / "data",
        description="Folder holding the shared UN vote data (unga/, un_membership/, news/).",
    )
    seed_dir: Path = Field(default=PROJECT_ROOT / "seed")
    sql_echo: bool = False
    cache_max_age: int = Field(default=60, description="Cache-Control max-age for GETs, seconds.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
