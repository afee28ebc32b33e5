"""Constant work per page (queries don't grow with case studies) and a light page budget."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buyingguide.middleware import clear_local_page_caches
from buyingguide.search import search_index_rebuild
from guidance import memo
from tests.factories import make_case_studies

PAGES = [
    "/en/",
    "/en/guide/",
    "/en/guide/plan/",
    "/en/guide/plan/work-as-a-team/",
    "/en/guide/checklist/",
    "/en/case-studies/",
    "/en/case-studies/?theme=open-data&page=1",
    "/en/case-studies/open-data-portal/",
    "/en/search/?q=contract",
    "/en/glossary/",
    "/en/about/",
    "/en/case-studies/feed/",
    "/es/guide/plan/work-as-a-team/",
]


def count_queries(client, path):
    # A whole miss, as the first after a content change: no page cached, no memo built.
    cache.clear()
    clear_local_page_caches()
    memo.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_case_studies(client, fixture_site):
    make_case_studies(8)  # 10 in all
    search_index_rebuild()
    small = {path: count_queries(client, path) for path in PAGES}
    make_case_studies(990, prefix="more")  # 1,000 in all
    search_index_rebuild()
    large = {path: count_queries(client, path) for path in PAGES}
    assert large == small
    assert max(small.values()) <= 12, small


@pytest.mark.django_db
def test_topic_page_with_its_css_stays_within_60_kb(client, real_site):
    html = client.get("/en/guide/plan/share-information-early/").content
    css = sum(p.stat().st_size for p in (Path(settings.BASE_DIR) / "static/css").glob("*.css"))
    scripts = sum(p.stat().st_size for p in (Path(settings.BASE_DIR) / "static").rglob("*.js"))
    total = len(html) + css + scripts
    assert total <= 60 * 1024, f"{len(html)} HTML + {css} CSS + {scripts} JS bytes"


def test_no_web_fonts_and_no_third_party_requests(client, real_site):
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    assert "@font-face" not in css and "@import" not in css
    for path in ("/en/", "/es/guide/plan/work-as-a-team/", "/id/case-studies/"):
        loads = _resources_loaded(client.get(path).content.decode())
        assert loads, path  # the stylesheet at least: the parser sees the page's resources
        third_party = [url for url in loads if url.startswith(("http:", "https:", "//"))]
        assert third_party == [], path


def _resources_loaded(html: str) -> list[str]:
    """What a browser fetches by itself for the page (not the links a visitor may follow):
    src= of any element, and <link href> other than alternates, canonical and the like."""
    from html.parser import HTMLParser

    navigation = {"alternate", "canonical", "license", "prev", "next", "author", "help"}
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("src"):
                found.append(attrs["src"])
            rels = set((attrs.get("rel") or "").split())
            if tag == "link" and attrs.get("href") and not rels <= navigation:
                found.append(attrs["href"])

    Parser().feed(html)
    return found
