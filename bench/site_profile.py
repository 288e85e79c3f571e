"""One uncached public page, in-process: milliseconds per request, SQL queries, and a profile.

    .venv/bin/python bench/site_profile.py [--path /en/events/wsmc/] [--requests 50] [--profile]

Prepares Liaison in a temporary data directory (SQLite, file cache; or DATABASE_URL / REDIS_URL
if set) with the demo content, turns the page cache off and requests each path with Django's test
client: the page's own cost without HTTP, gunicorn or load. A bare Wagtail home page served the
same way is not measured here; `bench/site_bench.py` compares against one over HTTP.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", action="append", help="default: event page and news index")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--top", type=int, default=45, help="cProfile entries shown")
    parser.add_argument("--callers", help="also print the callers of functions matching this")
    parser.add_argument("--queries", action="store_true", help="print every SQL query")
    args = parser.parse_args()
    paths = args.path or ["/en/events/wsmc/", "/en/news/"]

    tmp = tempfile.TemporaryDirectory(prefix="liaison-profile-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "0",
            "LIAISON_DATA_DIR": tmp.name,
            "LOG_LEVEL": "WARNING",
            "PAGE_CACHE_SECONDS": "0",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_data", verbosity=0)
    client = Client(HTTP_HOST="localhost")
    for path in paths:
        for _ in range(3):  # warm up: templates, renditions, locale caches
            assert client.get(path).status_code == 200, path
        captured: list[str] = []

        def record(execute, sql, params, many, context, captured=captured):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(path)
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1e3)
        print(
            f"{path:<28} {statistics.median(timings):6.1f} ms median"
            f"   {min(timings):6.1f} ms min   {len(captured):3d} queries"
        )
        if args.queries:
            for query in captured:
                print("   ", query[:240])
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(args.top)
            if args.callers:
                stats.print_callers(args.callers)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
