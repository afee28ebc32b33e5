"""make bench, PDFs (printing app): build time and peak memory of the whole-guide PDF and of
the project-proposals guide's PDF per language, and the time to serve a built one (200 and
304), with a static file as the floor.

Each build runs in a fresh Python process with an empty PDF directory, so it is a real build
and its peak memory (ru_maxrss) is that process's own; the baseline is the same process's
peak after Django has started, before the build.
"""

import http.client
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

LANGUAGES = ("en", "es", "id")
KINDS = ("guide", "proposals")  # the two whole guides: the largest PDFs
GUIDE_PDF = "/{lang}/pdf/guide.pdf"

_BUILD = """
import json, resource, sys, time
import django
django.setup()
from django.utils import translation
from printing.documents import resolve
from printing.services import get_or_build_pdf
language, kind = sys.argv[1], sys.argv[2]
with translation.override(language):
    document = resolve(kind)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    built = get_or_build_pdf(document, language)
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"language": language, "kind": kind, "seconds": seconds,
                  "baseline_mb": baseline / 1024, "peak_mb": peak / 1024,
                  "pages": built.pages, "bytes": built.size}))
"""


def build_figures(app: Path, env: dict, workdir: Path) -> list[dict]:
    figures = []
    for kind in KINDS:
        for language in LANGUAGES:
            figures.append(_build_one(app, env, workdir, kind, language))
    return figures


def _build_one(app: Path, env: dict, workdir: Path, kind: str, language: str) -> dict:
    run_env = {**env, "PDF_ROOT": str(workdir / f"pdf-build-{kind}-{language}")}
    result = subprocess.run(
        [sys.executable, "-c", _BUILD, language, kind],
        cwd=app,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"PDF build ({kind}, {language}) failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _timed_gets(host: str, port: int, path: str, count: int, headers=None) -> tuple[float, int]:
    """Median milliseconds for `count` sequential GETs on one kept-alive connection."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    times, status = [], 0
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            status = response.status
    finally:
        connection.close()
    return statistics.median(times), status


def serve_figures(host: str, port: int, static_path: str, count: int = 50) -> dict:
    path = GUIDE_PDF.format(lang="en")
    connection = http.client.HTTPConnection(host, port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path)  # built on this first request if nobody has yet
    first = connection.getresponse()
    body = first.read()
    first_ms = (time.perf_counter() - started) * 1000
    etag = first.getheader("ETag")
    connection.close()
    if first.status != 200:
        raise RuntimeError(f"{path} answered {first.status}")
    full_ms, _ = _timed_gets(host, port, path, count)
    not_modified_ms, status = _timed_gets(host, port, path, count, {"If-None-Match": etag})
    static_ms, _ = _timed_gets(host, port, static_path, count)
    return {
        "path": path,
        "bytes": len(body),
        "first_request_ms": first_ms,
        "cached_200_ms": full_ms,
        "cached_304_ms": not_modified_ms,
        "conditional_status": status,
        "static_file_ms": static_ms,
    }


def print_report(builds: list[dict], serving: dict | None) -> None:
    print("\nPDFs (whole guide, project-proposals guide; WeasyPrint, PDF/UA-1):")
    print("  document   language  build s  peak MB  (Django alone)  pages  size KB")
    for b in builds:
        peak = f"{b['peak_mb']:7.0f}  ({b['baseline_mb']:.0f})"
        print(
            f"  {b.get('kind', 'guide'):<9}  {b['language']:<8}  {b['seconds']:7.2f}  {peak:<23}"
            f"{b['pages']:5d}  {b['bytes'] / 1024:7.1f}"
        )
    if serving:
        print(
            f"  serving {serving['path']} ({serving['bytes'] / 1024:.0f} KB), median of sequential "
            f"GETs: {serving['cached_200_ms']:.1f} ms full, {serving['cached_304_ms']:.1f} ms "
            f"for a 304 (If-None-Match); static file floor {serving['static_file_ms']:.1f} ms; "
            f"first request {serving['first_request_ms']:.0f} ms"
        )
