"""Issue 13's findings: a poisoned or flooded page cache, the feed, weak keys, /healthz HEAD.

Each test here failed on the code before the fix.
"""

import html
import os
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client

from buyingguide.origin import normal_host
from casestudies.models import CaseStudy
from tests.test_settings import run_settings

ORIGIN = "https://buying.example.org"
HOSTILE_HOSTS = ["localhost:6666", "LOCALHOST", "localhost.", "127.0.0.1:1", "Localhost.:6666"]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM = "{http://www.w3.org/2005/Atom}"


def caches_of(name):
    from django.core.cache.backends.locmem import _caches

    return _caches.get(name, {})


def _page_entries() -> int:
    """Whole pages in the (local-memory) test cache."""
    return sum(1 for key in cache._cache if ":page:" in key)


def _absolute_urls(client, host=None):
    """Every absolute URL a visitor gets: page links, sitemap, feed, CSV, robots.txt."""
    extra = {"HTTP_HOST": host} if host else {}
    page = client.get("/en/guide/plan/", **extra).content.decode()
    urls = [
        part.split('"', 1)[0]
        for part in page.split('href="')[1:]
        if part.startswith(("http://", "https://")) and "creativecommons" not in part[:40]
    ]
    sitemap = ET.fromstring(client.get("/sitemap.xml", **extra).content)
    urls += [loc.text for loc in sitemap.iter(f"{{{SITEMAP_NS['s']}}}loc")]
    urls += [
        link.get("href")
        for link in sitemap.iter("{http://www.w3.org/1999/xhtml}link")
        if link.get("href")
    ]
    feed = ET.fromstring(client.get("/en/case-studies/feed/", **extra).content)
    urls += [link.get("href") for link in feed.iter(f"{ATOM}link")]
    ids = [element.text for element in feed.iter(f"{ATOM}id")]
    csv = client.get("/en/guide/plan/checklist.csv", **extra).content.decode("utf-8-sig")
    urls += [line.rsplit(",", 1)[1].strip() for line in csv.splitlines()[1:]]
    robots = client.get("/robots.txt", **extra).content.decode()
    urls += [line.split(": ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap")]
    return urls, ids


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_a_forged_host_never_reaches_the_urls_visitors_get(client, fixture_site, settings, host):
    settings.SITE_URL = ORIGIN
    # The attacker asks first (a cache miss), then an ordinary visitor gets the same pages.
    _absolute_urls(Client(), host=host)
    urls, ids = _absolute_urls(client)
    assert len(urls) > 40 and ids
    bad = [url for url in urls if not url.startswith(f"{ORIGIN}/")]
    assert not bad, bad[:5]
    assert all(i.startswith(("tag:buying.example.org", ORIGIN)) for i in ids), ids[:3]
    # The attacker's own answers are the real site's too.
    urls, _ids = _absolute_urls(Client(), host=host)
    assert all(url.startswith(f"{ORIGIN}/") for url in urls)


def test_without_an_origin_odd_host_forms_are_normalised(client, fixture_site, settings):
    settings.SITE_URL = ""
    html_text = client.get("/en/guide/", HTTP_HOST="LOCALHOST.").content.decode()
    assert '<link rel="canonical" href="http://localhost/en/guide/">' in html_text
    # A variant never shares an entry with another host: each gets its own host back.
    client.get("/sitemap.xml", HTTP_HOST="localhost:6666")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "6666" not in sitemap and "http://testserver/en/" in sitemap


@pytest.mark.parametrize(
    ("raw", "scheme", "normal"),
    [
        ("LOCALHOST", "http", "localhost"),
        ("localhost.", "http", "localhost"),
        ("Example.ORG.:443", "https", "example.org"),
        ("example.org:80", "http", "example.org"),
        ("example.org:8443", "https", "example.org:8443"),
        ("[::1]:8000", "http", "[::1]:8000"),
        ("[::1]:80", "http", "[::1]"),
    ],
)
def test_host_normal_form(raw, scheme, normal):
    assert normal_host(raw, scheme) == normal


def test_random_query_values_do_not_add_cache_entries(client, fixture_site):
    pages = ["/en/guide/plan/", "/en/case-studies/", "/en/guide/", "/es/glossary/"]
    for path in pages:
        client.get(path)
    before = _page_entries()
    for i in range(60):
        path = pages[i % len(pages)]
        for query in (f"page={i}x", f"q=flood{i}", f"theme=t{i}", f"stage=s{i}", f"country=Z{i}"):
            response = client.get(f"{path}?{query}")
            assert response.status_code in (200, 404)
    assert _page_entries() == before
    # Parameters a page does not read are ignored: the visitor gets the cached page.
    assert client.get("/en/guide/plan/?page=7&q=x&theme=y")["X-Page-Cache"] == "hit"
    # The filters the index does read still have their own entries.
    assert client.get("/en/case-studies/?theme=open-data")["X-Page-Cache"] == "miss"
    assert client.get("/en/case-studies/?theme=open-data")["X-Page-Cache"] == "hit"


def test_a_page_number_past_the_end_is_a_404_not_a_new_entry(client, fixture_site):
    assert client.get("/en/case-studies/?page=1").status_code == 200
    assert client.get("/en/case-studies/?page=999").status_code == 404
    assert client.get("/en/case-studies/?page=abc").status_code == 404


def test_free_text_search_stays_out_of_the_shared_cache(client, fixture_site, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "CAPPED_ENTRIES": 10}
    client.get("/en/guide/")
    before = _page_entries()
    for i in range(40):
        response = client.get(f"/en/search/?q=contract{i}")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss-capped"
    assert _page_entries() == before  # the shared cache got nothing
    assert client.get("/en/guide/")["X-Page-Cache"] == "hit"
    capped = caches_of("capped-pages")
    assert 0 < len(capped) <= 10  # the flood evicted only other queries
    # A popular query is still answered from the capped cache.
    assert client.get("/en/search/?q=popular")["X-Page-Cache"] == "miss-capped"
    hit = client.get("/en/search/?q=popular")
    assert hit["X-Page-Cache"] == "hit" and "popular" in hit.content.decode()


@pytest.mark.parametrize(
    "summary",
    [
        '"><svg onload=alert(1)>',
        "<script>alert(document.domain)</script>",
        "Costs < 5 % & rising; <b>not bold</b>",
        "]]><img src=x onerror=alert(1)>",
    ],
)
def test_the_feed_shows_a_summary_as_text_never_as_html(client, fixture_site, summary):
    CaseStudy.objects.filter(slug="open-data-portal").update(summary_en=summary)
    feed = ET.fromstring(client.get("/en/case-studies/feed/").content)
    [entry] = [
        e for e in feed.iter(f"{ATOM}entry") if "open-data-portal" in e.find(f"{ATOM}id").text
    ]
    element = entry.find(f"{ATOM}summary")
    assert element.get("type") == "html"
    # What a feed reader renders: the HTML in <summary>. It holds no tag, only the text.
    assert "<" not in element.text and ">" not in element.text
    assert html.unescape(element.text) == summary


def test_healthz_answers_head(client, db):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Qx7",
        "x" * 49,
        "insecure-development-key-never-use-in-production",
        "build-time-only-not-a-secret-collectstatic-needs-one-to-import-settings",
    ],
)
def test_production_refuses_a_weak_secret_key(key):
    result = run_settings(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": key,
            "DJANGO_ALLOWED_HOSTS": "buying.example.org",
            "SITE_URL": ORIGIN,
        }
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


@pytest.mark.parametrize("value", ["", "buying.example.org", "https://buying.example.org/en/"])
def test_production_refuses_to_start_without_an_origin(value):
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8" * 10,
        "DJANGO_ALLOWED_HOSTS": "buying.example.org",
    }
    if value:
        env["SITE_URL"] = value
    result = run_settings(env)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr and "https://buying.example.org" in result.stderr


def test_production_starts_with_a_strong_key_and_an_origin():
    result = run_settings(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8" * 10,
            "DJANGO_ALLOWED_HOSTS": "buying.example.org",
            "SITE_URL": ORIGIN,
        }
    )
    assert result.returncode == 0, result.stderr


def test_a_cached_page_is_not_served_to_a_host_that_is_not_allowed(client, fixture_site):
    assert client.get("/en/guide/").status_code == 200
    assert client.get("/en/guide/")["X-Page-Cache"] == "hit"
    assert client.get("/en/guide/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/sitemap.xml", HTTP_HOST="evil.example").status_code == 400


def _cache_settings(settings, backend, location="", local_copy=True):
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": "dbg-test"}
    }
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "LOCAL_COPY": local_copy}


def _poison_then_visit(client, settings):
    settings.SITE_URL = ORIGIN
    Client().get("/sitemap.xml", HTTP_HOST="localhost:6666")
    Client().get("/en/guide/plan/", HTTP_HOST="LOCALHOST.")
    first = client.get("/en/guide/plan/")
    again = client.get("/en/guide/plan/?page=7&utm_source=x")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "6666" not in sitemap and f"<loc>{ORIGIN}/en/" in sitemap
    assert first["X-Page-Cache"] == "hit" and again["X-Page-Cache"] == "hit"
    assert "LOCALHOST" not in first.content.decode()


def test_the_local_copy_in_front_of_a_shared_cache_is_safe_too(client, fixture_site, settings):
    _cache_settings(settings, "django.core.cache.backends.locmem.LocMemCache", "shared")
    _poison_then_visit(client, settings)


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="set TEST_REDIS_URL=redis://127.0.0.1:6379/<db> to run the page cache on Redis",
)
def test_the_page_cache_on_redis_cannot_be_poisoned_or_flooded(client, fixture_site, settings):
    _cache_settings(
        settings, "django.core.cache.backends.redis.RedisCache", os.environ["TEST_REDIS_URL"]
    )
    cache.clear()
    try:
        _poison_then_visit(client, settings)
        client.get("/en/guide/")
        before = len(cache._cache.get_client().keys("dbg-test:*:page:*"))
        for i in range(40):
            client.get(f"/en/guide/?page={i}&q=x{i}&theme=t{i}")
        assert len(cache._cache.get_client().keys("dbg-test:*:page:*")) == before
    finally:
        cache.clear()
