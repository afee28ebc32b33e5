"""Load test: the production stack (gunicorn + whitenoise, DEBUG off) on loopback, driven by wrk.

    make bench                                # 16 case studies from content/
    make bench ARGS="--case-studies 1000"     # plus 1000 generated ones
    make bench ARGS="--compare-workers"       # sync vs gthread on the topic page first
    make bench ARGS="--case-studies 10000 --database postgres --instances 2"

What it does, all in a throwaway directory and only on 127.0.0.1:

1. copies the project (code, templates, content, compiled translations) to a temp folder,
   so the run is not disturbed by edits in the working tree and writes nothing into it;
2. builds a fresh database there (SQLite, or with --database postgres a throwaway
   PostgreSQL database bench_<random>, dropped at the end): migrate, load_content, optionally
   N generated case studies (bench/generate.py), and runs collectstatic; a copy of the
   rendered topic page is added as a static file so whitenoise serves a file of the same
   size and compressibility; counts the queries of each page (page cache off) before and
   after the generated case studies;
3. starts --instances gunicorn servers with production settings (DJANGO_DEBUG=0, random
   secret, 2 workers each) on their own ports, sharing the database and, with more than one
   instance, a Redis cache (redis://127.0.0.1:6379/11, flushed first); waits for /healthz,
   warms every URL up, and runs wrk against each URL: one wrk per instance, all at once,
   the connections split between them (req/s summed, p99 the worst instance's);
4. runs a 200-connection stress test against the topic page (split the same way) and reads
   each worker's memory (VmRSS);
5. starts a second set of instances with the page cache's stores turned into no-ops
   (bench/settings_uncached.py) and measures the miss path: topic page, filtered index,
   search, API list; prints the tables (cached and uncached side by side) and the targets
   with PASS/MISS, and stops gunicorn and drops the database (also on Ctrl-C or an error).

The targets are informative: the exit status is 0 unless the server cannot start or a
request loop fails (wrk error, a URL that does not answer 200).
"""

import argparse
import gzip
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pdf as pdf_bench  # bench/pdf.py: the printing app's PDFs
from assessment_result import result_page_figures
from load import QUERIES, postgres_create, postgres_drop  # bench/load.py
from server import HOST, Gunicorn, ServerError, free_port, gunicorn_args

ROOT = Path(__file__).resolve().parent.parent
REPORT_LUA = Path(__file__).resolve().parent / "report.lua"
ROTATE_LUA = Path(__file__).resolve().parent / "rotate.lua"  # a list of paths, in turn
TOPIC = "/en/guide/plan/work-as-a-team/"
FILTERED_INDEX = "/en/case-studies/?stage=plan"  # a real filter (casestudies FILTER_NAMES)
SEARCH = "/en/search/?q=suppliers"
PAGES = [
    ("home", "/en/"),
    ("topic", TOPIC),
    ("case studies", "/en/case-studies/"),
    ("filtered index", FILTERED_INDEX),
    ("resource library", "/en/resources/"),
    ("search", SEARCH),
]
# The open-data API (issue 21): a list page and one item, against the same static floor.
API_PAGES = [
    ("api list", "/api/v1/case-studies/?lang=es"),
    ("api detail", "/api/v1/topics/plan/work-as-a-team/?lang=es"),
]
# The miss path, on instances whose page cache stores nothing (bench/settings_uncached.py).
UNCACHED_SETTINGS = "bench.settings_uncached"
UNCACHED_PAGES = [
    ("topic", TOPIC),
    ("filtered index", FILTERED_INDEX),
    ("search", SEARCH),
    ("api list", API_PAGES[0][1]),
]
# Uncached search over bench/load.py's English queries in turn (one misspelt: "Did you mean").
SEARCH_ROTATION = ["/en/search/?" + urllib.parse.urlencode({"q": query}) for query in QUERIES["en"]]
# Pages whose database queries are counted with 16 and with 16 + N case studies.
QUERY_COUNT_PAGES = [*PAGES, *API_PAGES]
BENCH_REDIS = "redis://127.0.0.1:6379/11"  # with --instances > 1 and no --cache-url
STATIC_SOURCE = "bench/topic-page-copy.html"  # written into the copy's static/ folder
# What every browser sends; pages then go through GZipMiddleware exactly as for visitors and
# whitenoise answers with its precompressed .gz file.
BROWSER_ENCODING = "gzip, deflate, br"
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "media",
    ".test-media",
    ".bench",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
    "db.sqlite3*",
    "var",  # built PDFs (printing): the bench builds its own
    "build",
)

TARGET_STATIC_RATIO = 0.75
TARGET_P99_MS = 100.0
TARGET_UNCACHED_P99_MS = 50.0  # issue 22: uncached search and filtered index, 10,000 cases


class BenchError(Exception):
    """The server did not start or a request loop failed: exit status 1."""


@dataclass
class Result:
    name: str
    path: str
    connections: int
    data: dict = field(default_factory=dict)
    page_cache: str = "-"

    @property
    def errors(self) -> int:
        d = self.data
        return sum(d.get(k, 0) for k in ("status_errors", "connect", "read", "write", "timeout"))

    @property
    def kb_per_response(self) -> float:
        return self.data["bytes"] / max(1, self.data["requests"]) / 1024


# --- setup -----------------------------------------------------------------------------


def bounded(low, high):
    def parse(text):
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def parse_args(argv):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--connections",
        type=bounded(1, 1000),
        default=50,
        help="wrk connections for the per-URL runs (default 50)",
    )
    p.add_argument("--threads", type=bounded(1, 16), default=2, help="wrk threads (default 2)")
    p.add_argument(
        "--duration", type=bounded(1, 300), default=10, help="seconds per URL (default 10)"
    )
    p.add_argument(
        "--warmup",
        type=bounded(1, 60),
        default=2,
        help="seconds of warm-up per URL before measuring (default 2)",
    )
    p.add_argument(
        "--stress-connections",
        type=bounded(1, 2000),
        default=200,
        help="connections for the stress run on the topic page (default 200)",
    )
    p.add_argument(
        "--stress-duration",
        type=bounded(0, 600),
        default=30,
        help="seconds of the stress run (default 30; 0 skips it)",
    )
    p.add_argument(
        "--case-studies",
        type=bounded(0, 100_000),
        default=0,
        help="generate this many extra published case studies",
    )
    p.add_argument(
        "--workers", type=bounded(1, 64), default=2, help="gunicorn worker processes (default 2)"
    )
    p.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default="gthread",
        help="gunicorn worker class (default gthread: keep-alive; see docs/operations.md)",
    )
    p.add_argument(
        "--worker-threads",
        type=bounded(1, 64),
        default=4,
        help="threads per gthread worker (default 4)",
    )
    p.add_argument(
        "--compare-workers",
        action="store_true",
        help="first measure sync vs gthread on the topic page and home",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="do not send Accept-Encoding (uncompressed pages and static file)",
    )
    p.add_argument(
        "--cache-url",
        default="",
        help="CACHE_URL for the servers (a Redis URL is flushed at the start); default: "
        f"per-worker local memory with one instance, {BENCH_REDIS} with more",
    )
    p.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="sqlite (a file in the temp folder, default) or postgres (a throwaway database "
        "bench_<random> on --postgres-url, dropped at the end)",
    )
    p.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432",
        help="the PostgreSQL server for --database postgres (no database name)",
    )
    p.add_argument(
        "--instances",
        type=bounded(1, 8),
        default=1,
        help="gunicorn instances on their own ports, sharing database and cache (default 1)",
    )
    p.add_argument(
        "--uncached-connections",
        type=bounded(0, 1000),
        default=0,
        help="wrk connections for the uncached pages (default: one per worker process, "
        "so p99 is a request's time, not a queue's)",
    )
    p.add_argument(
        "--no-uncached", action="store_true", help="skip the uncached (page cache off) part"
    )
    p.add_argument(
        "--load-times",
        action="store_true",
        help="also time a first load and an unchanged reload of N case studies "
        "(bench/load.py, its own database; minutes at 10,000)",
    )
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    p.add_argument("--keep", action="store_true", help="keep the temp folder (prints its path)")
    args = p.parse_args(argv)
    if not args.cache_url and args.instances > 1:
        args.cache_url = BENCH_REDIS
    if args.uncached_connections == 0:
        args.uncached_connections = args.workers * args.instances
    return args


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing the Debian package wrk with apt-get", flush=True)
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else [])
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        run = subprocess.run(
            prefix + command, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        if run.returncode:
            raise BenchError(
                f"{' '.join(command)} failed:\n{run.stderr.strip()}\n"
                "Install wrk (https://github.com/wg/wrk) and run again."
            )
    found = shutil.which("wrk")
    if not found:
        raise BenchError("apt-get installed wrk but it is not on PATH")
    return found


def server_env(workdir: Path, cache_url: str, database_url: str = "") -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_URL", "PAGE_CACHE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "buyingguide.settings.base",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": f"http://{HOST}",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS is the proxy's job
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
            "PYTHONDONTWRITEBYTECODE": "1",
            # wrk is one client address: the API's per-client limit would answer 429.
            "API_RATE_LIMIT": "1000000/s",
        }
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def step(title: str, command: list[str], app: Path, env: dict, timeout: int = 600) -> str:
    started = time.monotonic()
    print(f"  {title} …", end="", flush=True)
    run = subprocess.run(
        command, cwd=app, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if run.returncode:
        print(" failed")
        raise BenchError(
            f"{' '.join(command)} exited {run.returncode}:\n"
            f"{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
        )
    print(f" {time.monotonic() - started:.1f} s")
    return run.stdout


def prepare(workdir: Path, args, env: dict) -> tuple[Path, list[dict]]:
    """Copy the project, build the database and the static files: the app folder and the
    query counts (content only, then with the generated case studies)."""
    app = workdir / "app"
    print(f"Preparing a throwaway site in {workdir}")
    shutil.copytree(ROOT, app, ignore=COPY_IGNORE, symlinks=True)
    py, manage = sys.executable, "manage.py"
    step("migrate", [py, manage, "migrate", "--noinput", "-v0"], app, env)
    step("load_content", [py, manage, "load_content"], app, env)
    step("collectstatic", [py, manage, "collectstatic", "--noinput", "-v0"], app, env)
    counts = [query_counts(app, env)]
    if args.case_studies:
        step(
            f"generate {args.case_studies} case studies",
            [py, "bench/generate.py", str(args.case_studies)],
            app,
            env,
            timeout=3600,
        )
        counts.append(query_counts(app, env))
    # The static comparison file: the topic page's own HTML, so same size, same compression.
    render = (
        "from django.test import Client; import sys; "
        f"r = Client().get({TOPIC!r}, HTTP_HOST={HOST!r}); "
        "assert r.status_code == 200, r.status_code; sys.stdout.buffer.write(r.content)"
    )
    run = subprocess.run(
        [py, manage, "shell", "-v0", "-c", render],
        cwd=app,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    if run.returncode or b"<html" not in run.stdout:
        raise BenchError(f"could not render {TOPIC}: {run.stderr.decode()[-3000:]}")
    target = app / "static" / STATIC_SOURCE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(run.stdout)
    step(
        "collectstatic (with the static copy of the topic page)",
        [py, manage, "collectstatic", "--noinput", "-v0"],
        app,
        env,
    )
    return app, counts


# Each page twice, in one process, through the whole middleware stack with the page cache
# off (bench/settings_uncached.py): the first request fills per-process caches (content
# key, filter options), the second is a miss in a warm worker.
QUERY_SCRIPT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from casestudies.models import CaseStudy
client = Client(HTTP_HOST=%(host)r, HTTP_ACCEPT_ENCODING="gzip")
counts = {}
for name, path in %(pages)r:
    row = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response.get("X-Page-Cache") != "hit", path
        row.append(len(queries))
    counts[name] = row
print(json.dumps({"case_studies": CaseStudy.objects.published().count(), "pages": counts}))
"""


def query_counts(app: Path, env: dict) -> dict:
    """Queries per page (first request, warm request), page cache off; and the case count."""
    code = QUERY_SCRIPT % {"host": HOST, "pages": QUERY_COUNT_PAGES}
    out = step(
        "count the queries of each page",
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        app,
        {**env, "DJANGO_SETTINGS_MODULE": UNCACHED_SETTINGS},
    )
    return json.loads(out.strip().splitlines()[-1])


def count_case_studies(app: Path, env: dict) -> int:
    code = "from casestudies.models import CaseStudy; print(CaseStudy.objects.published().count())"
    out = step(
        "count published case studies",
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        app,
        env,
    )
    return int(out.strip().splitlines()[-1])


def static_url(app: Path) -> str:
    manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][STATIC_SOURCE]


# --- the server ------------------------------------------------------------------------


class Server(Gunicorn):
    """The shared gunicorn helper (bench/server.py), with the bench's options and label."""

    def __init__(
        self, app: Path, env: dict, workers: int, worker_class: str, threads: int, port=None
    ):
        port = port or free_port()
        super().__init__(
            command=gunicorn_args(
                port=port,
                workers=workers,
                worker_class=worker_class,
                threads=threads,
                # As in the container: an access log line per request (to a file here).
                extra=[
                    "--access-logfile",
                    str(app.parent / f"access-{port}.log"),
                    "--error-logfile",
                    "-",
                ],
            ),
            port=port,
            cwd=app,
            env=env,
            log=app.parent / f"gunicorn-{worker_class}-{port}.log",
        )
        self.label = f"{workers} × {worker_class}" + (
            f" ({threads} threads)" if worker_class == "gthread" else ""
        )

    @property
    def base(self) -> str:
        return self.base_url

    def start(self, timeout: float = 30):
        try:
            super().start(timeout)
        except ServerError as error:
            raise BenchError(str(error)) from error
        print(f"gunicorn up on {self.base} ({self.label})")
        return self

    def memory(self) -> dict:
        """VmRSS in MiB of the master and of each worker (its children), from /proc."""
        pid = self.process.pid
        children = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text().split()]
        return {"port": self.port, "master_mib": rss_mib(pid), "workers_mib": [
            rss_mib(child) for child in sorted(children)
        ]}  # fmt: skip


def rss_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


class Cluster:
    """`instances` servers, each the same production command on its own port, sharing the
    database and the cache (a single instance is the plain `make bench`)."""

    def __init__(self, app, env, args, instances, worker_class=None, note=""):
        ports = set()
        while len(ports) < instances:
            ports.add(free_port())
        self.servers = [
            Server(app, env, args.workers, worker_class or args.worker_class,
                   args.worker_threads, port)
            for port in sorted(ports)
        ]  # fmt: skip
        self.note = note

    @property
    def label(self) -> str:
        count = len(self.servers)
        one = self.servers[0].label
        text = one if count == 1 else f"{count} instances × {one}"
        return text + (f", {self.note}" if self.note else "")

    @property
    def port(self) -> int:
        return self.servers[0].port

    def __enter__(self):
        try:
            for server in self.servers:
                server.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        for server in self.servers:
            server.stop()

    def cpu_seconds(self) -> float | None:
        seconds = [server.cpu_seconds() for server in self.servers]
        return None if None in seconds else sum(seconds)

    def memory(self) -> list[dict]:
        return [server.memory() for server in self.servers]


def loopback_only(url: str) -> None:
    if not url.startswith(f"http://{HOST}:"):
        raise BenchError(f"refusing to send traffic anywhere but {HOST}: {url}")


def fetch(url: str, timeout: float = 10, headers: dict | None = None):
    """One GET on loopback (no proxy, no redirect): (status, headers, body), gzip undone."""
    loopback_only(url)
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(HOST, parts.port, timeout=timeout)
    try:
        connection.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        response = connection.getresponse()
        status, head, body = response.status, response.headers, response.read()
    finally:
        connection.close()
    if head.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, head, body


class DatabaseCpu:
    """CPU of the PostgreSQL backends serving the bench database (same machine, /proc).

    Per backend: a backend that ends during a run (DATABASE_CONN_MAX_AGE) takes its last
    ticks with it, so the figure is a slight undercount, never negative.
    """

    def __init__(self, base_url: str, name: str):
        self.base_url, self.name = base_url, name

    def ticks(self) -> dict[int, int] | None:
        import psycopg

        try:
            with psycopg.connect(f"{self.base_url}/postgres", autocommit=True) as conn:
                pids = [
                    row[0]
                    for row in conn.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
                    )
                ]
        except psycopg.Error:
            return None
        ticks = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended since
            ticks[pid] = int(fields[11]) + int(fields[12])
        return ticks

    @staticmethod
    def seconds_between(before: dict | None, after: dict | None) -> float | None:
        if before is None or after is None:
            return None
        spent = sum(max(0, n - before.get(pid, 0)) for pid, n in after.items())
        return spent / os.sysconf("SC_CLK_TCK")


# --- wrk -------------------------------------------------------------------------------


def split(total: int, parts: int) -> list[int]:
    """`total` connections over `parts` wrk processes, as evenly as possible (each ≥ 1)."""
    return [max(1, total // parts + (1 if i < total % parts else 0)) for i in range(parts)]


def wrk_command(wrk_bin, url, connections, threads, seconds, encoding, paths=None) -> list:
    loopback_only(url)
    # wrk's default 2 s timeout: a request slower than that counts as a (timeout) error.
    command = [
        wrk_bin,
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        str(ROTATE_LUA if paths else REPORT_LUA),
    ]
    if encoding:
        command += ["-H", f"Accept-Encoding: {encoding}"]
    return [*command, url, *(["--", *paths] if paths else [])]


def wrk_parse(url: str, returncode: int, stdout: str, stderr: str) -> dict:
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH ")), None)
    if returncode or line is None:
        raise BenchError(f"wrk failed on {url} (exit {returncode}):\n{stdout}\n{stderr}")
    data = json.loads(line[len("BENCH ") :])
    if data["requests"] == 0:
        raise BenchError(f"wrk made no successful request to {url}:\n{stdout}")
    return data


ERROR_KINDS = ("status_errors", "connect", "read", "write", "timeout")


def wrk(
    wrk_bin: str,
    urls,
    connections: int,
    threads: int,
    seconds: int,
    encoding: str | None,
    paths=None,
) -> dict:
    """wrk against every URL at once (one process per instance, the connections and
    threads split between them): requests and req/s summed, latencies the worst's."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    shares = split(connections, len(urls))
    thread_shares = split(threads, len(urls))
    runs = [
        (url, subprocess.Popen(
            wrk_command(wrk_bin, url, share, thread_share, seconds, encoding, paths),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
        for url, share, thread_share in zip(urls, shares, thread_shares, strict=True)
    ]  # fmt: skip
    parts = []
    try:
        for url, process in runs:
            stdout, stderr = process.communicate(timeout=seconds + 60)
            parts.append(wrk_parse(url, process.returncode, stdout, stderr))
    finally:
        for _url, process in runs:
            if process.poll() is None:
                process.kill()
                process.wait()
    if len(parts) == 1:
        return parts[0]
    data = {key: sum(part[key] for part in parts) for key in ("requests", "bytes", *ERROR_KINDS)}
    data["rps"] = round(sum(part["rps"] for part in parts), 1)
    data["duration_s"] = max(part["duration_s"] for part in parts)
    for key in ("p50_ms", "p90_ms", "p99_ms", "max_ms"):
        data[key] = max(part[key] for part in parts)
    data["per_instance"] = [
        {"connections": share, "rps": part["rps"], "p99_ms": part["p99_ms"]}
        for share, part in zip(shares, parts, strict=True)
    ]
    return data


def urls_of(cluster: Cluster, path: str) -> list[str]:
    return [server.base + path for server in cluster.servers]


def probe(cluster: Cluster, path: str, encoding: str | None) -> str:
    """GET a URL on every instance (already warm): fail unless 200; the X-Page-Cache
    header(s) answered."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    seen = []
    for url in urls_of(cluster, path):
        status, head, body = fetch(url, headers=headers)
        if status != 200:
            raise BenchError(f"{url} answered {status}, not 200:\n{body[:500]!r}")
        seen.append(head.get("X-Page-Cache", "-"))
    return "/".join(dict.fromkeys(seen))


def drive(
    cluster: Cluster,
    wrk_bin: str,
    path: str,
    connections: int,
    threads: int,
    seconds: int,
    encoding: str | None,
    paths=None,
    database_cpu: DatabaseCpu | None = None,
) -> dict:
    """One wrk run, plus the server CPU it cost per request (robust on a busy machine)."""
    before = cluster.cpu_seconds()
    db_before = database_cpu.ticks() if database_cpu else None
    data = wrk(wrk_bin, urls_of(cluster, path), connections, threads, seconds, encoding, paths)
    after = cluster.cpu_seconds()
    db_after = database_cpu.ticks() if database_cpu else None
    data["server_cpu_us"] = (
        round((after - before) / data["requests"] * 1e6)
        if before is not None and after is not None
        else None
    )
    db_seconds = DatabaseCpu.seconds_between(db_before, db_after)
    data["database_cpu_us"] = (
        None if db_seconds is None else round(db_seconds / data["requests"] * 1e6)
    )
    return data


def measure(
    cluster: Cluster,
    wrk_bin: str,
    targets,
    args,
    encoding,
    connections=None,
    database_cpu=None,
) -> list[Result]:
    """Each (name, path) in turn; a path may be a list (wrk asks for each in turn)."""
    connections = connections or args.connections
    results = []
    for name, path in targets:
        paths = path if isinstance(path, list) else None
        first = paths[0] if paths else path
        for each in paths or [path]:
            probe(cluster, each, encoding)
        # A list goes through rotate.lua; a single path is wrk's own static request (no Lua
        # per request, so the load generator stays as cheap as for the static file).
        url_path = "/" if paths else path
        wrk(wrk_bin, urls_of(cluster, url_path), connections, args.threads, args.warmup,
            encoding, paths)  # fmt: skip
        label = f"{first} (+{len(paths) - 1} more)" if paths else path
        result = Result(name, label, connections, page_cache=probe(cluster, first, encoding))
        print(f"  {name:<16} {label} …", end="", flush=True)
        result.data = drive(
            cluster, wrk_bin, url_path, connections, args.threads, args.duration, encoding,
            paths, database_cpu,
        )  # fmt: skip
        print(f" {result.data['rps']:.0f} req/s, p99 {result.data['p99_ms']:.0f} ms")
        results.append(result)
    return results


def measure_api(cluster: Cluster, wrk_bin: str, args, encoding, database_cpu=None):
    """API list and detail throughput (reported against the static floor like the pages)."""
    return measure(cluster, wrk_bin, API_PAGES, args, encoding, database_cpu=database_cpu)


def api_targets(results: list[Result], static_rps: float) -> list[tuple[str, bool, str]]:
    return [
        (
            f"{r.name} ≥ {TARGET_STATIC_RATIO:.0%} of static-file throughput",
            r.data["rps"] / static_rps >= TARGET_STATIC_RATIO,
            f"{r.data['rps'] / static_rps:.0%} ({r.data['rps']:.0f} vs {static_rps:.0f} req/s)",
        )
        for r in results
    ]


# --- reporting -------------------------------------------------------------------------


def table(results: list[Result], static_rps: float | None) -> str:
    header = (
        f"{'page':<16} {'URL':<34} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'KB':>5} {'cache':>5} {'CPU µs':>6} {'vs static':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        d = r.data
        ratio = f"{d['rps'] / static_rps:.0%}" if static_rps else "-"
        url = r.path if len(r.path) <= 34 else r.path[:31] + "…"
        cpu = "-" if d.get("server_cpu_us") is None else str(d["server_cpu_us"])
        lines.append(
            f"{r.name:<16} {url:<34} {d['rps']:>7.0f} {d['p50_ms']:>7.1f} "
            f"{d['p99_ms']:>7.1f} {r.errors:>6} {r.kb_per_response:>5.1f} "
            f"{r.page_cache:>5} {cpu:>6} {ratio:>9}"
        )
    lines.append(
        "KB: bytes per response as sent; cache: X-Page-Cache; CPU µs: gunicorn CPU "
        "time per request (masters + workers)"
    )
    return "\n".join(lines)


def _cells(r: Result | None, static_rps: float) -> str:
    if r is None:
        return f"{'':>5} {'':>7} {'':>7} {'':>6} {'':>5} {'':>6}"
    d = r.data
    cpu, db = d.get("server_cpu_us"), d.get("database_cpu_us")
    return (
        f"{r.connections:>5} {d['rps']:>7.0f} {d['p99_ms']:>7.1f} "
        f"{'-' if cpu is None else cpu:>6} {'-' if db is None else db:>5} "
        f"{d['rps'] / static_rps:>6.0%}"
    )


def side_by_side(cached: list[Result], uncached: list[Result], static: Result) -> str:
    """Per page: cached and uncached figures on one line, the static file as the floor."""
    static_rps = static.data["rps"]
    head = f"{'conns':>5} {'req/s':>7} {'p99 ms':>7} {'CPU µs':>6} {'DB µs':>5} {'static':>6}"
    lines = [
        f"{'':<18} {'cached':<{len(head)}} | {'uncached (page cache off)':<{len(head)}} |",
        f"{'page':<18} {head} | {head} | {'CPU ×':>5}",
    ]
    lines.append("-" * len(lines[1]))
    by_name = {r.name: r for r in cached}
    names = list(dict.fromkeys([r.name for r in uncached]))
    for name in names:
        hit, miss = by_name.get(name), next(r for r in uncached if r.name == name)
        times = "-"
        if hit and hit.data.get("server_cpu_us") and miss.data.get("server_cpu_us"):
            times = f"{miss.data['server_cpu_us'] / hit.data['server_cpu_us']:.0f}"
        lines.append(
            f"{name:<18} {_cells(hit, static_rps)} | {_cells(miss, static_rps)} | {times:>5}"
        )
    lines.append(f"{'static file':<18} {_cells(static, static_rps)} | {_cells(None, 1)} |")
    lines.append(
        "CPU µs: gunicorn CPU per request; DB µs: PostgreSQL backends' CPU per request "
        "(same machine; - on SQLite); static: req/s as a share of the static file's; "
        "CPU ×: uncached CPU over cached"
    )
    return "\n".join(lines)


def memory_table(memory: dict) -> str:
    lines = []
    for phase, instances in memory.items():
        for m in instances:
            workers = ", ".join(f"{w:.0f}" for w in m["workers_mib"] if w is not None)
            lines.append(
                f"  {phase:<9} port {m['port']}: master {m['master_mib']:.0f} MiB, "
                f"workers {workers} MiB"
            )
    return "\n".join(lines)


def query_table(counts: list[dict]) -> str:
    header = f"{'page':<18}" + "".join(f" {c['case_studies']:>7} cases" for c in counts)
    lines = [header]
    for name in counts[0]["pages"]:
        cells = "".join(f" {'/'.join(str(n) for n in c['pages'][name]):>13}" for c in counts)
        same = ""
        if len(counts) > 1:
            same = (
                "  same" if counts[0]["pages"][name] == counts[-1]["pages"][name] else "  DIFFERS"
            )
        lines.append(f"{name:<18}{cells}{same}")
    lines.append("queries of a first request / of the next one (a miss in a warm worker)")
    return "\n".join(lines)


def targets(results: list[Result], stress: Result | None) -> list[tuple[str, bool, str]]:
    by_name = {r.name: r for r in results}
    topic, static = by_name["topic"], by_name["static file"]
    ratio = topic.data["rps"] / static.data["rps"]
    cpu_note = ""
    if topic.data.get("server_cpu_us") and static.data.get("server_cpu_us"):
        cpu_ratio = static.data["server_cpu_us"] / topic.data["server_cpu_us"]
        cpu_note = f"; by server CPU per request {cpu_ratio:.0%}"
    pages = [r for r in results if r.name != "static file"]
    worst = max(pages, key=lambda r: r.data["p99_ms"])
    slowest = min(pages, key=lambda r: r.data["rps"])
    slowest_ratio = slowest.data["rps"] / static.data["rps"]
    rows = [
        (
            f"topic ≥ {TARGET_STATIC_RATIO:.0%} of static-file throughput",
            ratio >= TARGET_STATIC_RATIO,
            f"{ratio:.0%} ({topic.data['rps']:.0f} vs {static.data['rps']:.0f} req/s{cpu_note})",
        ),
        (
            f"every cached page ≥ {TARGET_STATIC_RATIO:.0%} of static-file throughput",
            slowest_ratio >= TARGET_STATIC_RATIO,
            f"lowest: {slowest.name} {slowest_ratio:.0%} ({slowest.data['rps']:.0f} req/s)",
        ),
        (
            f"p99 < {TARGET_P99_MS:.0f} ms at {topic.connections} connections (every page)",
            worst.data["p99_ms"] < TARGET_P99_MS,
            f"worst: {worst.name} {worst.data['p99_ms']:.1f} ms",
        ),
    ]
    if stress is not None:
        d = stress.data
        rows.append(
            (
                f"zero errors at {stress.connections} connections (topic page, {stress.path})",
                stress.errors == 0,
                f"{stress.errors} errors in {d['requests']} requests "
                f"(status {d['status_errors']}, connect {d['connect']}, read {d['read']}, "
                f"write {d['write']}, timeout {d['timeout']}); {d['rps']:.0f} req/s, "
                f"p99 {d['p99_ms']:.0f} ms",
            )
        )
    return rows


def uncached_targets(uncached: list[Result]) -> list[tuple[str, bool, str]]:
    rows = []
    for r in uncached:
        if r.name.startswith(("search", "filtered index")):
            rows.append(
                (
                    f"uncached {r.name} p99 ≤ {TARGET_UNCACHED_P99_MS:.0f} ms "
                    f"at {r.connections} connections",
                    r.data["p99_ms"] <= TARGET_UNCACHED_P99_MS,
                    f"p99 {r.data['p99_ms']:.1f} ms, p50 {r.data['p50_ms']:.1f} ms, "
                    f"{r.data['rps']:.0f} req/s",
                )
            )
    return rows


def query_targets(counts: list[dict]) -> list[tuple[str, bool, str]]:
    if len(counts) < 2:
        return []
    few, many = counts[0], counts[-1]
    changed = [n for n in few["pages"] if few["pages"][n] != many["pages"][n]]
    return [
        (
            f"queries per page unchanged from {few['case_studies']} to "
            f"{many['case_studies']} case studies",
            not changed,
            "all equal" if not changed else "differ: " + ", ".join(changed),
        )
    ]


# --- main ------------------------------------------------------------------------------


def compare_workers(app, env, wrk_bin, args, encoding, static):
    print(
        f"\nWorker classes: topic page and static file at {args.connections} connections, "
        f"topic page at {args.stress_connections}, {args.duration} s each"
    )
    rows = []
    for worker_class in ("sync", "gthread"):
        with Cluster(app, env, args, args.instances, worker_class) as server:
            for result in measure(server, wrk_bin, [PAGES[1], static], args, encoding):
                rows.append((server.label, result))
            stress = Result("topic", TOPIC, args.stress_connections)
            stress.data = drive(
                server, wrk_bin, TOPIC, stress.connections, args.threads, args.duration, encoding
            )
            rows.append((server.label, stress))
    print(
        f"\n{'server':<40} {'page':<12} {'conns':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'CPU µs':>6}"
    )
    for label, r in rows:
        cpu = r.data.get("server_cpu_us")
        print(
            f"{label:<40} {r.name:<12} {r.connections:>5} {r.data['rps']:>7.0f} "
            f"{r.data['p50_ms']:>7.1f} {r.data['p99_ms']:>7.1f} {r.errors:>6} "
            f"{'-' if cpu is None else cpu:>6}"
        )
    return rows


def flush_cache(cache_url: str) -> None:
    """Empty the bench's Redis database, so no page from an earlier run is served."""
    if not cache_url.startswith(("redis://", "rediss://")):
        return
    import redis

    try:
        redis.Redis.from_url(cache_url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis at {cache_url}: {error}") from error


def load_times(args, database_name: str | None) -> dict:
    """bench/load.py in a subprocess: first load and unchanged reload of N case studies."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--case-studies",
        str(args.case_studies),
        "--database",
        args.database,
        "--rounds",
        "1",
        "--json",
    ]
    if database_name:
        command += ["--postgres-url", args.postgres_url, "--postgres-database", database_name]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_URL"))
    }
    out = step(f"bench/load.py: {args.case_studies} case studies", command, ROOT, env, timeout=7200)
    return json.loads(out.strip().splitlines()[-1])


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def cached_phase(app, env, wrk_bin, args, encoding, static, assessment, database_cpu, report):
    cluster = Cluster(app, env, args, args.instances)
    stress = None
    with cluster:
        spread = (
            f"one wrk per instance, run at the same time, {args.connections} connections "
            "split between them; req/s summed, p99 the worst instance's"
            if args.instances > 1
            else f"{args.connections} connections"
        )
        print(
            f"\nwrk ({load_note()}): {spread}; {args.threads} threads, {args.duration} s per "
            f"URL after {args.warmup} s warm-up; Accept-Encoding: {encoding or '(none)'}"
        )
        pages = [*PAGES, ("assessment", assessment["path"])]
        results = measure(cluster, wrk_bin, [*pages, static], args, encoding,
                          database_cpu=database_cpu)  # fmt: skip
        try:
            report["pdf_serving"] = pdf_bench.serve_figures(HOST, cluster.port, static[1])
        except (RuntimeError, OSError) as error:
            raise BenchError(f"PDF: {error}") from error
        api_results = measure_api(cluster, wrk_bin, args, encoding, database_cpu)
        if args.stress_duration:
            where = f"{args.instances} instances" if args.instances > 1 else "one instance"
            print(
                f"  stress: topic page, {args.stress_connections} connections over {where}, "
                f"{args.stress_duration} s …",
                end="",
                flush=True,
            )
            stress = Result("topic", where, args.stress_connections)
            stress.data = drive(
                cluster,
                wrk_bin,
                TOPIC,
                args.stress_connections,
                args.threads,
                args.stress_duration,
                encoding,
            )
            print(f" {stress.data['rps']:.0f} req/s, {stress.errors} errors")
        report["memory"]["cached"] = cluster.memory()
        report["server"] = cluster.label
    return results, api_results, stress


def uncached_phase(app, env, wrk_bin, args, encoding, database_cpu, report) -> list[Result]:
    flush_cache(env.get("CACHE_URL", ""))
    uncached_env = {**env, "DJANGO_SETTINGS_MODULE": UNCACHED_SETTINGS}
    cluster = Cluster(app, uncached_env, args, args.instances, note="page cache off")
    with cluster:
        print(
            f"\nUncached ({load_note()}): the same command with {UNCACHED_SETTINGS} (every "
            f"page-cache store a no-op, so each request is a miss); "
            f"{args.uncached_connections} connections, {args.duration} s per URL"
        )
        targets_ = [*UNCACHED_PAGES, ("search rotating", SEARCH_ROTATION)]
        results = measure(cluster, wrk_bin, targets_, args, encoding,
                          args.uncached_connections, database_cpu)  # fmt: skip
        for r in results:
            if r.page_cache not in ("-", "miss", "miss-capped"):
                raise BenchError(f"{r.path} was served from a cache ({r.page_cache})")
        report["memory"]["uncached"] = cluster.memory()
    return results


def run(args) -> int:
    wrk_bin = ensure_wrk()
    encoding = None if args.plain else BROWSER_ENCODING
    workdir = Path(tempfile.mkdtemp(prefix="dbg-bench-"))
    database_name = None
    try:
        database_url, database_cpu = "", None
        if args.database == "postgres":
            database_name = f"bench_{secrets.token_hex(4)}"
            try:
                database_url = postgres_create(args.postgres_url, database_name)
            except Exception as error:
                database_name = None
                raise BenchError(f"PostgreSQL at {args.postgres_url}: {error}") from error
            print(f"PostgreSQL database {database_name} (dropped at the end)")
            database_cpu = DatabaseCpu(args.postgres_url, database_name)
        flush_cache(args.cache_url)
        env = server_env(workdir, args.cache_url, database_url)
        app, counts = prepare(workdir, args, env)
        case_count = count_case_studies(app, env)
        static = ("static file", static_url(app))
        report = {
            "args": {k: str(v) for k, v in vars(args).items()},
            "cpus": os.cpu_count(),
            "query_counts": counts,
            "memory": {},
        }
        if args.compare_workers:
            report["compare"] = [
                {"server": label, "page": r.name, "connections": r.connections, **r.data}
                for label, r in compare_workers(app, env, wrk_bin, args, encoding, static)
            ]
        try:
            assessment = result_page_figures(app, env)
        except RuntimeError as error:
            raise BenchError(str(error)) from error
        report["assessment_result"] = assessment
        load_before = os.getloadavg()[0]
        if load_before > 0.5 * (os.cpu_count() or 1):
            print(
                f"\nnote: load average {load_before:.1f} before the run: something else is "
                "busy, figures will be noisy (the CPU µs column is the steadier one)"
            )
        results, api_results, stress = cached_phase(
            app, env, wrk_bin, args, encoding, static, assessment, database_cpu, report
        )
        uncached = (
            []
            if args.no_uncached
            else uncached_phase(app, env, wrk_bin, args, encoding, database_cpu, report)
        )
        static_result = next(r for r in results if r.name == "static file")
        static_rps = static_result.data["rps"]
        load_after = os.getloadavg()[0]
        database = "PostgreSQL" if database_name else "SQLite"
        cache = args.cache_url or "local memory"
        print(
            f"\nResults: {report['server']}, {database}, cache {cache}, {case_count} case "
            f"studies, {os.cpu_count()} CPUs shared by gunicorn, wrk and the database; "
            f"load average {load_before:.1f} before, {load_after:.1f} after\n"
        )
        print(table([*results, *api_results], static_rps))
        if uncached:
            print("\nCached and uncached, side by side:\n")
            print(side_by_side([*results, *api_results], uncached, static_result))
        print(f"\nMemory (VmRSS after the run):\n{memory_table(report['memory'])}")
        print(f"\nQueries per page (page cache off):\n{query_table(counts)}")
        try:
            pdf_builds = pdf_bench.build_figures(app, env, workdir)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            raise BenchError(f"PDF: {error}") from error
        pdf_serving = report.pop("pdf_serving")
        pdf_bench.print_report(pdf_builds, pdf_serving)
        if args.load_times:
            print("\nLoad times (bench/load.py: content files with N generated case studies):")
            name = f"{database_name}_load" if database_name else None
            try:
                report["load_times"] = load_times(args, name)
            finally:
                if name:
                    postgres_drop(args.postgres_url, name)
            for key, value in report["load_times"].items():
                print(f"  {key:<20} {value}")
        print(f"\nTargets (informative; {load_note()}):")
        rows = (
            targets(results, stress)
            + api_targets(api_results, static_rps)
            + uncached_targets(uncached)
            + query_targets(counts)
        )
        for text, ok, detail in rows:
            print(f"  {'PASS' if ok else 'MISS'}  {text}: {detail}")
        report.update(
            database=database,
            case_studies=case_count,
            load=[load_before, load_after],
            results=[
                {"page": r.name, "path": r.path, "page_cache": r.page_cache, **r.data}
                for r in [*results, *api_results]
            ],
            uncached=[
                {"page": r.name, "path": r.path, "connections": r.connections, **r.data}
                for r in uncached
            ],
            stress=stress.data if stress else None,
            targets=[{"target": t, "pass": ok, "detail": d} for t, ok, d in rows],
            pdf={"builds": pdf_builds, "serving": pdf_serving},
        )
        if args.json:
            args.json.write_text(json.dumps(report, indent=2))
            print(f"\nResults written to {args.json}")
        return 0
    finally:
        if database_name:
            try:
                postgres_drop(args.postgres_url, database_name)
                print(f"Dropped the PostgreSQL database {database_name}")
            except Exception as error:
                print(f"could not drop {database_name}: {error}", file=sys.stderr)
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    try:
        return run(args)
    except BenchError as error:
        print(f"\nbench failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: gunicorn stopped, temp folder removed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
