# unga-tracker API image. Migrations run as a separate step:
#   docker run --rm -e UNGA_DATABASE_URL=... IMAGE unga db upgrade
#   docker run --rm -e UNGA_DATABASE_URL=... IMAGE unga seed
#   docker run -p 8000:8000 -e UNGA_DATABASE_URL=... IMAGE
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/unga

# Dependencies first, in their own layer: only pyproject.toml invalidates it.
COPY pyproject.toml README.md ./
RUN mkdir app && touch app/__init__.py \
    && pip install . \
    && pip uninstall -y unga-tracker \
    && rm -rf app

# Then the source.
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
COPY alembic.ini ./
RUN pip install --no-deps .

RUN useradd --system --uid 10001 --home /srv/unga unga && chown -R unga /srv/unga
USER unga

ENV UNGA_DATABASE_URL=sqlite+aiosqlite:////srv/unga/data/unga.db
RUN mkdir -p /srv/unga/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"

CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
