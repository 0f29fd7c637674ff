"""The application factory. Nothing connects at import time: the lifespan builds the engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api import countries, groups, health, meta, news, resolutions, search, vote_events
from app.api.write_api import install_write_api
from app.config import Settings, get_settings
from app.db import make_engine, make_sessionmaker
from app.errors import install_error_handlers
from app.http_cache import install_http_cache

DESCRIPTION = """
An open HTTP API for United Nations General Assembly recorded votes: resolutions, every
recorded vote on them, each member state's position, tallies computed under the Assembly's
rules, country histories, groups and related news.

Reads are open to everyone. Errors are RFC 9457 `application/problem+json`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, echo=settings.sql_echo)
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="unga-tracker",
        version="0.1.0",
        summary="United Nations General Assembly votes, correct to the last vote.",
        description=DESCRIPTION,
        lifespan=lifespan,
        telemetry={
            "tracing": settings.telemetry,
            "metrics": settings.telemetry,
            "logs": settings.telemetry,
        },
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health.router)
    # News first: /v1/resolutions/{symbol}/news must come before /v1/resolutions/{symbol:path}.
    app.include_router(news.router)
    app.include_router(search.router)
    for read in (resolutions, vote_events, countries, groups, meta):
        app.include_router(read.router)
    # Before middleware that varies per client (rate limits, CORS), which must wrap it.
    install_http_cache(app, max_age=settings.cache_max_age)
    install_write_api(app, settings)
    return app


app = create_app()
