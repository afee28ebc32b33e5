"""Load test: the production stack (gunicorn + whitenoise, DEBUG off) on loopback, driven by wrk.

    make bench                                # 16 case studies from content/
    make bench ARGS="--case-studies 1000"     # plus 1000 generated ones
    make bench ARGS="--compare-workers"       # sync vs gthread on the topic page first

What it does, all in a throwaway directory and only on 127.0.0.1:

1. copies the project (code, templates, content, compiled translations) to a temp folder,
   so the run is not disturbed by edits in the working tree and writes nothing into it;
2. builds a fresh SQLite database there: migrate, load_content, optionally N generated case
   studies (bench/generate.py), and runs collectstatic; a copy of the rendered topic page is
   added as a static file so whitenoise serves a file of the same size and compressibility;
3. starts gunicorn with production settings (DJANGO_DEBUG=0, random secret, 2 workers),
   waits for /healthz, warms every URL up, and runs wrk against each URL;
4. runs a 200-connection stress test against the topic page, prints a table and the
   targets with PASS/MISS, and stops gunicorn (also on Ctrl-C or an error).

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
from server import HOST, Gunicorn, ServerError, free_port, gunicorn_args

ROOT = Path(__file__).resolve().parent.parent
REPORT_LUA = Path(__file__).resolve().parent / "report.lua"
TOPIC = "/en/guide/plan/work-as-a-team/"
PAGES = [
    ("home", "/en/"),
    ("topic", TOPIC),
    ("case studies", "/en/case-studies/"),
    ("resource library", "/en/resources/"),
    ("search", "/en/search/?q=suppliers"),
]
# The open-data API (issue 21): a list page and one item, against the same static floor.
API_PAGES = [
    ("api list", "/api/v1/case-studies/?lang=es"),
    ("api detail", "/api/v1/topics/plan/work-as-a-team/?lang=es"),
]
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
        help="CACHE_URL for the server (e.g. redis://127.0.0.1:6379/9); "
        "default: per-worker local memory",
    )
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    p.add_argument("--keep", action="store_true", help="keep the temp folder (prints its path)")
    return p.parse_args(argv)


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


def server_env(workdir: Path, cache_url: str) -> dict:
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
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
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


def prepare(workdir: Path, args, env: dict) -> Path:
    """Copy the project, build the database and the static files; return the app folder."""
    app = workdir / "app"
    print(f"Preparing a throwaway site in {workdir}")
    shutil.copytree(ROOT, app, ignore=COPY_IGNORE, symlinks=True)
    py, manage = sys.executable, "manage.py"
    step("migrate", [py, manage, "migrate", "--noinput", "-v0"], app, env)
    step("load_content", [py, manage, "load_content"], app, env)
    if args.case_studies:
        step(
            f"generate {args.case_studies} case studies",
            [py, "bench/generate.py", str(args.case_studies)],
            app,
            env,
        )
    step("collectstatic", [py, manage, "collectstatic", "--noinput", "-v0"], app, env)
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
    return app


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

    def __init__(self, app: Path, env: dict, workers: int, worker_class: str, threads: int):
        port = free_port()
        super().__init__(
            command=gunicorn_args(
                port=port,
                workers=workers,
                worker_class=worker_class,
                threads=threads,
                # As in the container: an access log line per request (to a file here).
                extra=["--access-logfile", str(app.parent / "access.log"), "--error-logfile", "-"],
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


# --- wrk -------------------------------------------------------------------------------


def wrk(
    wrk_bin: str, url: str, connections: int, threads: int, seconds: int, encoding: str | None
) -> dict:
    loopback_only(url)
    # wrk's default 2 s timeout: a request slower than that counts as a (timeout) error.
    command = [
        wrk_bin,
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        str(REPORT_LUA),
    ]
    if encoding:
        command += ["-H", f"Accept-Encoding: {encoding}"]
    run = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if run.returncode or line is None:
        raise BenchError(
            f"wrk failed on {url} (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
        )
    data = json.loads(line[len("BENCH ") :])
    if data["requests"] == 0:
        raise BenchError(f"wrk made no successful request to {url}:\n{run.stdout}")
    return data


def probe(server: Server, path: str, encoding: str | None) -> str:
    """GET a URL (already warm): fail unless 200; return its X-Page-Cache header."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    status, head, body = fetch(server.base + path, headers=headers)
    if status != 200:
        raise BenchError(f"{path} answered {status}, not 200:\n{body[:500]!r}")
    return head.get("X-Page-Cache", "-")


def drive(
    server: Server,
    wrk_bin: str,
    path: str,
    connections: int,
    threads: int,
    seconds: int,
    encoding: str | None,
) -> dict:
    """One wrk run, plus the server CPU it cost per request (robust on a busy machine)."""
    before = server.cpu_seconds()
    data = wrk(wrk_bin, server.base + path, connections, threads, seconds, encoding)
    after = server.cpu_seconds()
    data["server_cpu_us"] = (
        round((after - before) / data["requests"] * 1e6)
        if before is not None and after is not None
        else None
    )
    return data


def measure(server: Server, wrk_bin: str, targets, args, encoding) -> list[Result]:
    results = []
    for name, path in targets:
        probe(server, path, encoding)
        wrk(wrk_bin, server.base + path, args.connections, args.threads, args.warmup, encoding)
        result = Result(name, path, args.connections, page_cache=probe(server, path, encoding))
        print(f"  {name:<13} {path} …", end="", flush=True)
        result.data = drive(
            server, wrk_bin, path, args.connections, args.threads, args.duration, encoding
        )
        print(f" {result.data['rps']:.0f} req/s")
        results.append(result)
    return results


def measure_api(server: Server, wrk_bin: str, args, encoding) -> list[Result]:
    """API list and detail throughput (reported against the static floor like the pages)."""
    return measure(server, wrk_bin, API_PAGES, args, encoding)


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
        f"{'page':<13} {'URL':<34} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'KB':>5} {'cache':>5} {'CPU µs':>6} {'vs static':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        d = r.data
        ratio = f"{d['rps'] / static_rps:.0%}" if static_rps else "-"
        url = r.path if len(r.path) <= 34 else r.path[:31] + "…"
        cpu = "-" if d.get("server_cpu_us") is None else str(d["server_cpu_us"])
        lines.append(
            f"{r.name:<13} {url:<34} {d['rps']:>7.0f} {d['p50_ms']:>7.1f} "
            f"{d['p99_ms']:>7.1f} {r.errors:>6} {r.kb_per_response:>5.1f} "
            f"{r.page_cache:>5} {cpu:>6} {ratio:>9}"
        )
    lines.append(
        "KB: bytes per response as sent; cache: X-Page-Cache; CPU µs: gunicorn CPU "
        "time per request (master + workers)"
    )
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
    rows = [
        (
            f"topic ≥ {TARGET_STATIC_RATIO:.0%} of static-file throughput",
            ratio >= TARGET_STATIC_RATIO,
            f"{ratio:.0%} ({topic.data['rps']:.0f} vs {static.data['rps']:.0f} req/s{cpu_note})",
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
                f"zero errors at {stress.connections} connections (topic page)",
                stress.errors == 0,
                f"{stress.errors} errors in {d['requests']} requests "
                f"(status {d['status_errors']}, connect {d['connect']}, read {d['read']}, "
                f"write {d['write']}, timeout {d['timeout']}); {d['rps']:.0f} req/s, "
                f"p99 {d['p99_ms']:.0f} ms",
            )
        )
    return rows


# --- main ------------------------------------------------------------------------------


def compare_workers(app, env, wrk_bin, args, encoding, static):
    print(
        f"\nWorker classes: topic page and static file at {args.connections} connections, "
        f"topic page at {args.stress_connections}, {args.duration} s each"
    )
    rows = []
    for worker_class in ("sync", "gthread"):
        with Server(app, env, args.workers, worker_class, args.worker_threads) as server:
            for result in measure(server, wrk_bin, [PAGES[1], static], args, encoding):
                rows.append((server.label, result))
            stress = Result("topic", TOPIC, args.stress_connections)
            stress.data = drive(
                server, wrk_bin, TOPIC, stress.connections, args.threads, args.duration, encoding
            )
            rows.append((server.label, stress))
    print(
        f"\n{'server':<26} {'page':<12} {'conns':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'CPU µs':>6}"
    )
    for label, r in rows:
        cpu = r.data.get("server_cpu_us")
        print(
            f"{label:<26} {r.name:<12} {r.connections:>5} {r.data['rps']:>7.0f} "
            f"{r.data['p50_ms']:>7.1f} {r.data['p99_ms']:>7.1f} {r.errors:>6} "
            f"{'-' if cpu is None else cpu:>6}"
        )
    return rows


def run(args) -> int:
    wrk_bin = ensure_wrk()
    encoding = None if args.plain else BROWSER_ENCODING
    workdir = Path(tempfile.mkdtemp(prefix="dbg-bench-"))
    try:
        env = server_env(workdir, args.cache_url)
        app = prepare(workdir, args, env)
        case_count = count_case_studies(app, env)
        static = ("static file", static_url(app))
        report = {"args": {k: str(v) for k, v in vars(args).items()}, "cpus": os.cpu_count()}
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
        stress = None
        load_before = os.getloadavg()[0]
        if load_before > 0.5 * (os.cpu_count() or 1):
            print(
                f"\nnote: load average {load_before:.1f} before the run: something else is "
                "busy, figures will be noisy (the CPU µs column is the steadier one)"
            )
        with Server(app, env, args.workers, args.worker_class, args.worker_threads) as server:
            print(
                f"\nwrk: {args.connections} connections, {args.threads} threads, "
                f"{args.duration} s per URL after {args.warmup} s warm-up; "
                f"Accept-Encoding: {encoding or '(none)'}"
            )
            pages = [*PAGES, ("assessment", assessment["path"])]
            results = measure(server, wrk_bin, [*pages, static], args, encoding)
            try:
                pdf_serving = pdf_bench.serve_figures(HOST, server.port, static[1])
            except (RuntimeError, OSError) as error:
                raise BenchError(f"PDF: {error}") from error
            api_results = measure_api(server, wrk_bin, args, encoding)
            if args.stress_duration:
                print(
                    f"  stress: topic page, {args.stress_connections} connections, "
                    f"{args.stress_duration} s …",
                    end="",
                    flush=True,
                )
                stress = Result("topic", TOPIC, args.stress_connections)
                stress.data = drive(
                    server,
                    wrk_bin,
                    TOPIC,
                    args.stress_connections,
                    args.threads,
                    args.stress_duration,
                    encoding,
                )
                print(f" {stress.data['rps']:.0f} req/s, {stress.errors} errors")
            label = server.label
        static_rps = results[-1].data["rps"]
        load_after = os.getloadavg()[0]
        print(
            f"\nResults: {label}, SQLite, {case_count} case studies, {os.cpu_count()} CPUs "
            f"shared by gunicorn and wrk; load average {load_before:.1f} before, "
            f"{load_after:.1f} after\n"
        )
        print(table([*results, *api_results], static_rps))
        try:
            pdf_builds = pdf_bench.build_figures(app, env, workdir)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            raise BenchError(f"PDF: {error}") from error
        pdf_bench.print_report(pdf_builds, pdf_serving)
        print("\nTargets (informative):")
        rows = targets(results, stress) + api_targets(api_results, static_rps)
        for text, ok, detail in rows:
            print(f"  {'PASS' if ok else 'MISS'}  {text}: {detail}")
        report.update(
            server=label,
            case_studies=case_count,
            load=[load_before, load_after],
            results=[
                {"page": r.name, "path": r.path, "page_cache": r.page_cache, **r.data}
                for r in [*results, *api_results]
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
