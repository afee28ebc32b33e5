"""Loading and search at scale: load_content, the index rebuild and uncached searches.

    make bench-load ARGS="--case-studies 1000"                        # SQLite
    make bench-load ARGS="--case-studies 10000 --database postgres"   # local PostgreSQL

What it does, in a throwaway directory (and, on PostgreSQL, a throwaway database
`bg_bench_load` on 127.0.0.1, or the server in --postgres-url):

1. writes content/ plus N generated case studies in three languages (tests/scale/tree.py);
2. migrates a fresh database and times `content_load` twice: the first load and an
   unchanged reload;
3. times `search_index_rebuild` on its own;
4. times uncached searches (what the search page runs: the ranked query and "Did you
   mean") over a list of queries, several rounds, and prints the median and p95.

Figures go to stdout as a table (and with --json, as JSON). Run the 10,000 case sparingly:
the machine is shared.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DATABASE = "bg_bench_load"
QUERIES = {
    "en": ["procurement", "suppliers", "framework agreement", "open data", "procurment",
           "emergency buying", "women owned businesses", "digital marketplace"],
    "es": ["contratos", "proveedores", "compras públicas", "datos abiertos"],
    "id": ["pengadaan", "pemasok", "data terbuka"],
}  # fmt: skip


def postgres_create(base: str, name: str = PG_DATABASE) -> str:
    """(Re)create the empty database `name` on the server at `base`; return its URL.

    Also used by bench/run.py (`--database postgres`), with a unique name per run.
    """
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain database name: {name!r}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def postgres_drop(base: str, name: str) -> None:
    """Drop the database `name`, ending any session still connected to it."""
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain database name: {name!r}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case-studies", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--postgres-database", default=PG_DATABASE, help="recreated, then kept")
    parser.add_argument("--rounds", type=int, default=5, help="of the search queries")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    if args.database == "postgres":
        os.environ["DATABASE_URL"] = postgres_create(args.postgres_url, args.postgres_database)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buyingguide.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from buyingguide import search as site_search
    from buyingguide.loading import content_load
    from buyingguide.models import SearchEntry
    from buyingguide.search import search_index_rebuild
    from tests.scale.tree import scaled_content_tree

    figures = {"database": connection.vendor, "case_studies": args.case_studies}
    seconds, root = _timed(lambda: scaled_content_tree(workdir / "content", args.case_studies))
    figures["write_files_s"] = round(seconds, 2)
    call_command("migrate", verbosity=0)
    for name in ("first_load_s", "unchanged_reload_s"):
        seconds, report = _timed(lambda: content_load(root))
        if not report.ok:
            print("\n".join(str(e) for e in report.errors[:10]), file=sys.stderr)
            return 1
        figures[name] = round(seconds, 2)
    seconds, _entries = _timed(search_index_rebuild)
    figures["index_rebuild_s"] = round(seconds, 2)
    figures["index_entries"] = SearchEntry.objects.count()

    times = []
    for _round in range(args.rounds):
        for language, queries in QUERIES.items():
            for query in queries:
                seconds, _ = _timed(
                    lambda q=query, lang=language: (
                        list(site_search.search(q, lang)),
                        site_search.did_you_mean(q, lang),
                    )
                )
                times.append(seconds * 1000)
    times.sort()
    figures["search_median_ms"] = round(statistics.median(times), 1)
    figures["search_p95_ms"] = round(times[int(len(times) * 0.95) - 1], 1)
    figures["search_max_ms"] = round(times[-1], 1)

    if args.json:
        print(json.dumps(figures))
    else:
        width = max(len(k) for k in figures)
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    if args.database == "postgres":
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
