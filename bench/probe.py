"""Probe the page cache as an attacker would: forged Host headers and query floods.

    .venv/bin/python bench/probe.py [--flood 800]

Bounded and loopback only: a throwaway copy of the site (as `make bench` builds it, with
production settings and SITE_URL set) on 127.0.0.1, a fresh cache, then

1. **poisoning**: every sitemap URL, the sitemap, robots.txt, the feed and the checklist CSVs
   asked first (cache misses) with forged Host forms — other ports, upper case, a trailing
   dot, X-Forwarded-Host — and then by an ordinary visitor; every absolute URL in every
   answer must start with SITE_URL;
2. **flooding**: random values of page, q, theme, stage, country and unknown parameters on
   the busiest pages; none may be stored (`X-Page-Cache: miss` means stored), and the
   pages people read stay cached (`hit`).

Prints requests tried, rejected (400) and poisoned, and exits 1 if anything was poisoned or
stored.
"""

import argparse
import http.client
import random
import re
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # bench/run.py: the same throwaway site and server

HOSTILE_HOSTS = [
    "localhost:6666",
    "LOCALHOST",
    "localhost.",
    "Localhost.:6666",
    "127.0.0.1:6666",
    "127.0.0.1.",
    "127.0.0.1:80",
    "evil.example",  # not allowed at all: Django answers 400
]
EXTRA_PATHS = [
    "/sitemap.xml",
    "/robots.txt",
    "/en/case-studies/feed/",
    "/es/case-studies/feed/",
    "/en/guide/checklist.csv",
    "/en/guide/plan/checklist.csv",
]
FLOOD_PAGES = ["/en/", "/en/guide/plan/work-as-a-team/", "/en/case-studies/", "/en/guide/"]
# The query parameters each flooded page reads (casestudies/views.py); the others read none.
READS = {"/en/case-studies/": ("page", "stage", "topic", "theme", "country")}
URL_RE = re.compile(r"https?://[^\s\"'<>,]+")


def request(port, path, host="127.0.0.1", extra=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    headers = {"Host": host, "Accept-Encoding": "identity", **(extra or {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def foreign_urls(body: bytes, origin: str) -> list[str]:
    """Absolute URLs on one of our own hosts that do not start with the configured origin."""
    ours = {"localhost", "127.0.0.1", "evil.example"}
    found = []
    for url in URL_RE.findall(body.decode("utf-8", "replace")):
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
        if host in ours and not url.startswith(origin + "/"):
            found.append(url)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood", type=int, default=800, help="flood requests (default 800)")
    args = parser.parse_args(argv)
    args.project, args.case_studies = bench.ROOT, 0
    random.seed(13)
    with tempfile.TemporaryDirectory(prefix="bg-probe-") as tmp:
        workdir = Path(tmp)
        env = bench.server_env(workdir, "")
        origin = env.get("SITE_URL") or f"http://{bench.HOST}"
        app = workdir / "app"
        shutil.copytree(args.project, app, ignore=bench.COPY_IGNORE, symlinks=True)
        for title, command in (
            ("migrate", ["manage.py", "migrate", "--noinput", "-v0"]),
            ("load_content", ["manage.py", "load_content"]),
            ("collectstatic", ["manage.py", "collectstatic", "--noinput", "-v0"]),
        ):
            bench.step(title, [sys.executable, *command], app, env)
        server = bench.Server(app, env, workers=2, worker_class="gthread", threads=4)
        server.start()
        try:
            return _probe(server.port, origin, args.flood)
        finally:
            server.stop()


def _probe(port, origin, flood) -> int:
    started = time.monotonic()
    tried = rejected = 0
    poisoned: list[str] = []
    # The sitemap's paths (the pages themselves are still cold in the cache).
    status, _headers, body = request(port, "/sitemap.xml", host="probe.invalid")
    if status != 400:
        raise SystemExit(f"an unknown host got {status}, not 400")
    paths = []
    _status, _headers, sitemap = request(port, "/sitemap.xml")
    root = ET.fromstring(sitemap)  # noqa: S314 (our own server, on loopback)
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        paths.append(urlsplit(loc.text).path)
    paths = sorted(set(paths)) + EXTRA_PATHS
    print(f"Poisoning: {len(paths)} URLs × {len(HOSTILE_HOSTS) + 1} forged forms")
    for path in paths:
        forged = [(host, None) for host in HOSTILE_HOSTS]
        forged.append(("127.0.0.1", {"X-Forwarded-Host": "evil.example:6666"}))
        for host, extra in forged:
            status, _headers, body = request(port, path, host=host, extra=extra)
            tried += 1
            if status == 400:
                rejected += 1
            elif status == 200:
                poisoned += foreign_urls(body, origin)
        # Then an ordinary visitor, who must get only the configured origin.
        status, _headers, body = request(port, path)
        tried += 1
        poisoned += foreign_urls(body, origin)
    print(f"Flooding: {flood} requests with random query values")
    for path in FLOOD_PAGES:
        request(port, path)
        request(port, path)
    stored = restored = 0
    for i in range(flood):
        path = random.choice(FLOOD_PAGES)
        name = random.choice(["page", "q", "theme", "stage", "country", "topic", "utm_x"])
        value = random.choice([str(random.randint(2, 10**6)), f"x{random.getrandbits(40):x}"])
        status, headers, _body = request(port, f"{path}?{name}={value}&n={i}")
        tried += 1
        if status == 400:
            rejected += 1
        if headers.get("X-Page-Cache") == "miss":
            # Stored. Harmless if the page does not read `name`: then the entry is the
            # page's own, without the value (another worker storing its first copy).
            if name in READS.get(path, ()):
                stored += 1
                print(f"  stored under a random value: {path}?{name}={value}")
            else:
                restored += 1
    still_hot = [request(port, p)[1].get("X-Page-Cache") == "hit" for p in FLOOD_PAGES]
    print()
    print(f"requests tried     {tried}")
    print(f"rejected (400)     {rejected}")
    print(f"poisoned URLs      {len(poisoned)}")
    print(f"flood entries made {stored} (plus {restored} first copies of a page without the value)")
    print(f"hot pages cached   {sum(still_hot)} of {len(still_hot)} after the flood")
    print(f"time               {time.monotonic() - started:.1f} s")
    for url in poisoned[:10]:
        print(f"  poisoned: {url}")
    return 1 if poisoned or stored or not all(still_hot) else 0


if __name__ == "__main__":
    sys.exit(main())
