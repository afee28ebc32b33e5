"""What an uncached page costs: server CPU and queries per page-cache miss, in process.

    make bench-miss                                  # median of 200 misses per page
    make bench-miss ARGS="-n 50 --profile topic"     # plus cProfile's top functions
    make bench-miss ARGS="--cold"                    # each one the first after a change
    make bench-miss ARGS="--save /tmp/before"        # every sitemap page's HTML, to diff

Production settings (DJANGO_DEBUG=0, so the cached template loader) and a page cache whose
lookup always finds nothing: every request is a miss that goes through the whole stack as a
visitor's does, storing the page included. Django's WSGI handler, every middleware (gzip
too: the request accepts it, as browsers do), the view, the templates. The database is an
SQLite file (BENCH_DATABASE, default miss.sqlite3 in the system's temporary folder) built
with migrate and load_content when missing; static files are collected next to it. CPU is
`time.process_time()` per request, the median of N after a warm-up, so a busy machine slows
the run down but hardly moves the figure.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("topic", "/en/guide/plan/work-as-a-team/"),
    ("home", "/en/"),
    ("case study", "/en/case-studies/brighton-and-hove-city-vision/"),
    ("case studies", "/en/case-studies/"),
    ("proposal note", "/en/project-proposals/measure-smart/benefit-mapping/"),
    ("search", "/en/search/?q=suppliers"),
    ("assessment", None),  # a result page of the largest instrument: result_path()
]

# Besides the sitemap's pages, for --save: misses that are not in it.
EXTRA = ["search/?q=suppliers", "case-studies/?stage=plan", "case-studies/?page=2"]


def configure(database: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "buyingguide.settings.base",
            "DJANGO_DEBUG": "0",
            # Fixed, so signed addresses (assessment results) are the same in every run.
            "DJANGO_SECRET_KEY": "bench-miss-only-" + "0123456789" * 5,
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "SITE_URL": "http://localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_STATIC_ROOT": str(database.with_name(database.stem + "-static")),
        }
    )
    os.environ.pop("CACHE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if not database.exists():
        print(f"Building {database} (migrate, load_content)…", file=sys.stderr)
        call_command("migrate", verbosity=0)
        call_command("load_content", verbosity=0)
    # The manifest the production static storage reads (hashed names), next to the database.
    call_command("collectstatic", interactive=False, verbosity=0)


def result_path(language="en") -> str:
    """A result of the largest self-assessment, with mixed answers (as bench/run.py)."""
    from assessments import codec
    from assessments.selectors import instrument_in

    instrument = instrument_in("emergency", language)
    answers = {q.id: 1 + (n % (q.radix - 1)) for n, q in enumerate(instrument.questions)}
    return f"/{language}/assessments/emergency/result/{codec.encode(instrument, answers)}/"


def always_miss() -> None:
    """The page cache computes its key, looks up, misses and stores, as on a real miss."""
    from buyingguide.middleware import PageCacheMiddleware

    lookup = PageCacheMiddleware._get

    def _get(self, key):
        return None if key.startswith("page:") else lookup(self, key)

    PageCacheMiddleware._get = _get
    setup = PageCacheMiddleware.__init__

    def __init__(self, get_response):
        setup(self, get_response)
        self.capped.get = lambda key, default=None, version=None: default  # search results

    PageCacheMiddleware.__init__ = __init__


def make_request(handler, path: str, queries: list, check_miss=True):
    """One GET through the WSGI handler; the body, and its query count into `queries`."""
    from django.db import connection

    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    status = []
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        body = b"".join(handler(environ, lambda s, h, *a: status.append((s, dict(h)))))
    queries.append(count[0])
    if not status or not status[0][0].startswith("200"):
        raise SystemExit(f"{path}: {status[0][0] if status else 'no answer'}")
    if check_miss and not status[0][1].get("X-Page-Cache", "").startswith("miss"):
        raise SystemExit(f"{path}: not a page-cache miss ({status[0][1].get('X-Page-Cache')})")
    return body


def new_content_key(number: int) -> None:
    """As after a content change: a content key never seen, so every memo is rebuilt."""
    from django.core.cache import cache

    from guidance.version import CACHE_KEY

    cache.set(CACHE_KEY, f"{number}.bench-cold", 3600)


def measure(handler, path: str, n: int, cold=False) -> tuple[float, int]:
    queries: list[int] = []
    for _ in range(5):  # warm-up: templates compiled, translations loaded, connection open
        make_request(handler, path, queries)
    queries.clear()
    times = []
    for number in range(n):
        if cold:
            new_content_key(number)
        start = time.process_time()
        make_request(handler, path, queries)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000, statistics.median(queries)


def save_pages(handler, folder: Path) -> None:
    """Every sitemap URL (all three languages), uncompressed, for diffing before and after.

    The feedback form's signed token holds a timestamp and the run's random secret: it is
    replaced by a placeholder so that two runs of the same code give the same files.
    """
    import gzip
    import re
    from urllib.parse import urlsplit

    folder.mkdir(parents=True, exist_ok=True)
    sitemap = gzip.decompress(make_request(handler, "/sitemap.xml", [], check_miss=False))
    paths = sorted({urlsplit(url).path for url in re.findall(rb"<loc>([^<]+)</loc>", sitemap)})
    paths += [f"/{lang}/{extra}".encode() for lang in ("en", "es", "id") for extra in EXTRA]
    paths += [result_path(lang).encode() for lang in ("en", "es", "id")]
    token = re.compile(rb'(name="token" value=")[^"]*"')
    for path in paths:
        body = gzip.decompress(make_request(handler, path.decode(), [], check_miss=False))
        name = re.sub(r"[/?=&]", "_", path.decode().strip("/"))[:120] or "root"
        (folder / f"{name}.html").write_bytes(token.sub(rb'\1-"', body))
    print(f"{len(paths)} pages written to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="a new content key before each request: the first miss after a content change",
    )
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page (e.g. topic)")
    parser.add_argument("--save", metavar="DIR", type=Path, help="write the pages' HTML")
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(
            os.environ.get("BENCH_DATABASE", Path(tempfile.gettempdir()) / "miss.sqlite3")
        ),
    )
    args = parser.parse_args()
    configure(args.database)
    from django.core.handlers.wsgi import WSGIHandler

    always_miss()
    handler = WSGIHandler()
    if args.save:
        save_pages(handler, args.save)
        return
    print(f"{'page':<14} {'CPU ms':>7} {'queries':>7}  path")
    for name, path in PAGES:
        path = path or result_path()
        cpu, queries = measure(handler, path, args.n, cold=args.cold)
        print(f"{name:<14} {cpu:>7.2f} {queries:>7g}  {path[:60]}")
    what = "first misses after a content change" if args.cold else "page-cache misses"
    print(f"Median of {args.n} {what} each (server CPU in process, gzip included).")
    if args.profile:
        path = dict(PAGES)[args.profile] or result_path()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            make_request(handler, path, [])
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
