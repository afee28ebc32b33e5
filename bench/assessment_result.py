"""make bench: the self-assessment result page, rendered without the page cache.

The result page is the heaviest assessment page (every question scored, a chart, links for
the weakest indicators). This renders the largest instrument's result in the benchmark's
copy of the site, 30 times with the page cache bypassed, and reports the median render time
and the number of database queries. The cached page is then measured by wrk with the others.
"""

import json
import subprocess
import sys
from pathlib import Path

SLUG = "emergency"  # 44 questions: the largest instrument

SCRIPT = """
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from assessments import codec
from assessments.selectors import instrument_in

instrument = instrument_in(%(slug)r, "en")
# Mixed answers, so every indicator has a score and "what to do next" lists them all.
answers = {q.id: 1 + (n %% (q.radix - 1)) for n, q in enumerate(instrument.questions)}
path = f"/en/assessments/%(slug)s/result/{codec.encode(instrument, answers)}/"
client = Client(HTTP_HOST="127.0.0.1")
# A session cookie bypasses the page cache (editors are never served cached pages); the
# page itself never reads the session, so it adds no query.
client.cookies["sessionid"] = "bench"
timings = []
for _ in range(30):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200, response.status_code
print(json.dumps({"path": path, "median_ms": statistics.median(timings),
                  "max_ms": max(timings), "queries": len(queries), "bytes": len(response.content)}))
"""


def result_page_figures(app: Path, env: dict) -> dict:
    """Render time and query count of a result page; its path for wrk."""
    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SCRIPT % {"slug": SLUG}],
        cwd=app,
        env={**env, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode:
        raise RuntimeError(f"could not render the result page: {run.stderr[-2000:]}")
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    print(
        f"  self-assessment result ({SLUG}, uncached): median {figures['median_ms']:.1f} ms, "
        f"max {figures['max_ms']:.1f} ms, {figures['queries']} queries, "
        f"{figures['bytes'] // 1024} KiB"
    )
    return figures
