"""``unga news``: ingest RSS/Atom feeds, and suggest links for an article from the command line."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from app.config import get_settings

news_cli = typer.Typer(help="News: feeds and link suggestions.", no_args_is_help=True)
console = Console(stderr=True)


async def _ingest(source: str, outlet: str | None, max_bytes: int) -> None:
    from app.db import make_engine, make_sessionmaker
    from app.news.feeds import parse_feed, read_source
    from app.services.news import ingest_items

    settings = get_settings()
    data = read_source(source, max_bytes=max_bytes)  # before the database: fail fast
    feed = parse_feed(data)
    engine = make_engine(settings.database_url).execution_options(sqlite_begin="IMMEDIATE")
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as session, session.begin():
            report = await ingest_items(
                session, feed.items, outlet=outlet, seed_dir=settings.seed_dir
            )
    finally:
        await engine.dispose()
    console.print(
        f"{source}: {len(feed.items)} item(s), {len(report.added)} added, "
        f"{report.skipped} already stored, {report.suggested_links} suggested link(s)"
    )


@news_cli.command("ingest")
def ingest(
    source: Annotated[str, typer.Argument(help="An http(s) URL or a file of RSS or Atom.")],
    outlet: Annotated[
        str | None, typer.Option(help="Outlet name (default: the feed's own title).")
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest feed accepted, bytes.")] = 5 * 2**20,
) -> None:
    """Store a feed's new items (once per URL), each with suggested links."""
    from app.news.feeds import FeedError

    try:
        asyncio.run(_ingest(source, outlet, max_bytes))
    except FeedError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


async def _suggest(title: str, text: str, published: str | None) -> bytes:
    from app.api.news import suggestions_body
    from app.db import make_engine, make_sessionmaker
    from app.services.news import article_of, suggest_links

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            article = article_of(title, text, published)
            found, context = await suggest_links(session, article, seed_dir=settings.seed_dir)
    finally:
        await engine.dispose()
    body = suggestions_body(found, context, f"{title.strip()}\n{text}", None)
    return orjson.dumps(body, option=orjson.OPT_INDENT_2)


@news_cli.command("suggest")
def suggest(
    file: Annotated[Path, typer.Argument(help="The article's text (- for standard input).")],
    title: Annotated[str, typer.Option(help="The headline.")] = "",
    published: Annotated[
        str | None, typer.Option(help="Publication date, YYYY-MM-DD or YYYY-MM.")
    ] = None,
) -> None:
    """Print the link suggestions for an article, as JSON."""
    text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    sys.stdout.write(asyncio.run(_suggest(title, text, published)).decode() + "\n")
