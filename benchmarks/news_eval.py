"""How well link suggestion does on the labelled articles (``news/dev.jsonl`` and the Moscow
Times article), over the full 1946-2021 record.

    .venv/bin/python benchmarks/news_eval.py              # imports into a scratch SQLite file
    .venv/bin/python benchmarks/news_eval.py --db unga.db # reuses a database holding the record

Prints, per article, the true resolution and the suggestions, then:
- top-1: the share of articles reporting on a resolution whose top suggestion is it (target 90%);
- empty: the share of articles reporting on none whose list is empty (target 80%);
- country recall and precision against the countries the text names (targets 95% and 90%).
  A country found only through a capital or demonym does not count against precision (the
  labels list such references apart, and need not list them all). The labels follow the vote
  data in filing the USSR under RUS; ``SUN`` found in a text is compared as RUS.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from news_common import dev_items, full_record_database, moscow_times

from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.services.news import article_of, suggest_links, suggestion_context

LABEL_CODES = {"SUN": "RUS"}  # the labels' convention (see the corpus README)


async def evaluate(url: str, settings: Settings) -> dict[str, Any]:
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    items = dev_items(settings)
    items.append(
        {
            "id": "moscow-times",
            "title": "",
            "text": moscow_times(settings),
            "published_on": "2021-06-22",
            "resolutions": ["A/RES/75/287"],
            "countries": ["BLR", "CHN", "MMR", "RUS"],
            "countries_indirect": [],
        }
    )
    top_ok = top_n = empty_ok = empty_n = 0
    tp = fn = fp = 0
    timings: list[float] = []
    try:
        async with sessionmaker() as session:
            started = time.perf_counter()
            await suggestion_context(session, settings.seed_dir)
            build = time.perf_counter() - started
            for item in items:
                article = article_of(item.get("title") or "", item["text"], item["published_on"])
                t0 = time.perf_counter()
                found, _ = await suggest_links(session, article, seed_dir=settings.seed_dir)
                timings.append(time.perf_counter() - t0)
                got = [s.symbol or s.draft_symbol for s in found.resolutions]
                truth = item["resolutions"][0] if item["resolutions"] else None
                if truth is None:
                    empty_n += 1
                    ok = not got
                    empty_ok += ok
                else:
                    top_n += 1
                    ok = bool(got) and got[0] == truth
                    top_ok += ok
                named = set(item["countries"])
                indirect = set(item.get("countries_indirect") or [])
                found_all = {LABEL_CODES.get(f.code, f.code) for f in found.countries}
                found_named = {LABEL_CODES.get(f.code, f.code) for f in found.countries if f.direct}
                tp += len(named & found_all)
                fn += len(named - found_all)
                wrong = found_named - named - indirect
                fp += len(wrong)
                scores = ", ".join(f"{s.symbol} {s.score:.2f}" for s in found.resolutions) or "-"
                print(
                    f"{item['id']:13} {'ok ' if ok else 'MISS'} truth {truth or '(none)':18} "
                    f"got {scores}"
                    + (f"  missed {sorted(named - found_all)}" if named - found_all else "")
                    + (f"  extra {sorted(wrong)}" if wrong else "")
                )
    finally:
        await engine.dispose()
    return {
        "top1": top_ok / top_n if top_n else 1.0,
        "top1_n": (top_ok, top_n),
        "empty": empty_ok / empty_n if empty_n else 1.0,
        "empty_n": (empty_ok, empty_n),
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "index_build_s": build,
        "median_ms": sorted(timings)[len(timings) // 2] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a SQLite file or database URL already holding the record")
    args = parser.parse_args()
    settings = Settings()
    with full_record_database(args.db, settings) as url:
        r = asyncio.run(evaluate(url, settings))
    print()
    print(f"top-1 correct        {r['top1']:.0%} ({r['top1_n'][0]}/{r['top1_n'][1]}; target 90%)")
    print(
        f"empty for negatives  {r['empty']:.0%} ({r['empty_n'][0]}/{r['empty_n'][1]}; target 80%)"
    )
    print(f"country recall       {r['recall']:.1%} (target 95%)")
    print(f"country precision    {r['precision']:.1%} (target 90%)")
    print(f"index build {r['index_build_s']:.2f} s; median suggestion {r['median_ms']:.1f} ms")


if __name__ == "__main__":
    main()
