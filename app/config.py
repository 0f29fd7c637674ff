"""Settings read from ``UNGA_``-prefixed environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
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
    telemetry: bool = Field(
        default=False,
        description="FastAPI's OpenTelemetry tracing, metrics and logs (off: ~7% per request).",
    )

    # Writing (API keys, rate limits, CORS, uploads): see README "Writing and API keys".
    key_pepper: SecretStr | None = Field(
        default=None,
        description="Server-side secret for API key hashes (HMAC-SHA-256); unset: plain SHA-256.",
    )
    rate_limit_window: int = Field(default=60, ge=1, description="Rate-limit window, seconds.")
    rate_limit_reads: int = Field(
        default=1200, ge=0, description="Anonymous requests per client per window (0: no limit)."
    )
    rate_limit_writes: int = Field(
        default=120, ge=0, description="Writes per API key per window (0: no limit)."
    )
    cors_read_origins: list[str] = Field(
        default=["*"], description="Origins allowed to GET from a browser (JSON list; * for any)."
    )
    cors_write_origins: list[str] = Field(
        default=[], description="Origins allowed to send writes from a browser (JSON list)."
    )
    max_import_bytes: int = Field(
        default=50_000_000, ge=1, description="Largest accepted POST /v1/imports body, bytes."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
