"""Latency of link suggestion for a 3,000-word article over the full 1946-2021 record.

    .venv/bin/python benchmarks/news_suggest.py              # imports into a scratch SQLite file
    .venv/bin/python benchmarks/news_suggest.py --db unga.db # or any database URL holding it

The article is the labelled corpus's texts (read where they lie, never copied) joined until it
holds 3,000 words, dated the day after A/RES/75/287. Reports the one-off cost of preparing the
index (done again only when resolutions, votes or country names change) and, with the index
ready, the time of one whole suggestion (analysis, scoring, the rolls query, the answer) as
the service runs it: median, 95th percentile and worst of --runs runs, and the CPU time used
(which other load on the machine does not inflate). Target: under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from news_common import dev_items, full_record_database

from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.services.news import article_of, clear_index_cache, suggest_links, suggestion_context

WORDS = 3000


def long_article(settings: Settings) -> str:
    texts = [item["text"] for item in dev_items(settings)]
    words: list[str] = []
    while len(words) < WORDS:
        for text in texts:
            words += text.split()
    return " ".join(words[:WORDS])


async def measure(url: str, settings: Settings, runs: int) -> dict[str, float]:
    engine = make_engine(url)
    text = long_article(settings)
    article = article_of("A long article", text, "2021-06-19")
    try:
        async with make_sessionmaker(engine)() as session:
            clear_index_cache()
            started = time.perf_counter()
            await suggestion_context(session, settings.seed_dir)
            build = time.perf_counter() - started
            await suggest_links(session, article, seed_dir=settings.seed_dir)  # warm up
            times, cpu = [], []
            for _ in range(runs):
                t0, c0 = time.perf_counter(), time.process_time()
                await suggest_links(session, article, seed_dir=settings.seed_dir)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
    finally:
        await engine.dispose()
    times.sort()
    return {
        "build_s": build,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
        "cpu_ms": statistics.median(cpu),
        "words": len(text.split()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a SQLite file or database URL already holding the record")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    settings = Settings()
    with full_record_database(args.db, settings) as url:
        r = asyncio.run(measure(url, settings, args.runs))
    print(f"article: {r['words']:.0f} words; index prepared once in {r['build_s']:.2f} s")
    print(
        f"suggestion: median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
        f"max {r['max_ms']:.1f} ms over {args.runs} runs (target < 200 ms)"
    )
    print(f"CPU time of this process per suggestion: median {r['cpu_ms']:.1f} ms")


if __name__ == "__main__":
    main()
