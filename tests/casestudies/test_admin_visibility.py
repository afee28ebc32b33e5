"""A draft or future-dated case study is invisible to visitors everywhere (index, topic
pages, search, feed, sitemap, home), and visible once published or once its date comes —
through the page cache, which visitors are served from."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from casestudies.models import CaseStudy

from .conftest import ADD_URL, case_data, change_url, existing_case_data, topic

TITLE = {"en": "Zanzibar ferry tickets go online", "es": "Billetes de ferry de Zanzíbar"}


def pages(language):
    return {
        "home": f"/{language}/",
        "index": f"/{language}/case-studies/",
        "index by country": f"/{language}/case-studies/?country=KE",
        "topic page": f"/{language}/guide/buy/evaluate-bids/",
        "search": f"/{language}/search/?q=ferry",
        "feed": f"/{language}/case-studies/feed/",
    }


def where_visible(visitor: Client, slug: str) -> set[str]:
    """The places a visitor finds the case study, in both languages."""
    found = set()
    for language in ("en", "es"):
        for name, url in pages(language).items():
            response = visitor.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            if TITLE[language] in html or f"/case-studies/{slug}/" in html:
                found.add(f"{name} {language}")
        detail = visitor.get(f"/{language}/case-studies/{slug}/")
        if detail.status_code == 200:
            found.add(f"page {language}")
    if f"/case-studies/{slug}/" in visitor.get("/sitemap.xml").content.decode():
        found.add("sitemap")
    return found


EVERYWHERE = {
    f"{name} {language}" for language in ("en", "es") for name in (*pages(language), "page")
} | {"sitemap"}


def add(editor_client, **overrides) -> CaseStudy:
    response = editor_client.post(
        ADD_URL,
        case_data(
            title_en=TITLE["en"],
            title_es=TITLE["es"],
            summary_es="Billetes en línea.",
            organisation_es="Autoridad portuaria",
            country="KE",
            slug="zanzibar-ferry",
            topics=[topic("buy/evaluate-bids").pk],
            **overrides,
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return CaseStudy.objects.get(slug="zanzibar-ferry")


def test_a_draft_is_invisible_until_published(editor_client, django_capture_on_commit_callbacks):
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        case = add(editor_client, status="draft", published_on=timezone.localdate().isoformat())
    assert where_visible(visitor, case.slug) == set()
    assert where_visible(visitor, case.slug) == set()  # now from the page cache, still hidden
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(case), existing_case_data(case, status="published")
        )
    assert response.status_code == 302
    assert where_visible(visitor, case.slug) == EVERYWHERE


def test_a_future_date_hides_it_until_that_day(
    editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    visitor = Client()
    today = timezone.localdate()
    launch = today + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        case = add(editor_client, status="published", published_on=launch.isoformat())
    assert not case.is_visible
    assert where_visible(visitor, case.slug) == set()

    # The day before: still hidden. On the day, visible everywhere, with nobody saving
    # anything (so the content version is unchanged) — the cached pages must not hide it.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: launch - datetime.timedelta(1))
    assert where_visible(visitor, case.slug) == set()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: launch)
    assert where_visible(visitor, case.slug) == EVERYWHERE


@pytest.mark.parametrize("status", ["draft", "published"])
def test_the_admin_list_says_what_visitors_see(editor_client, status):
    later = timezone.localdate() + datetime.timedelta(days=3)
    add(editor_client, status=status, published_on=later.isoformat())
    html = editor_client.get("/admin/casestudies/casestudy/?q=zanzibar").content.decode()
    expected = "Draft: not visible" if status == "draft" else "Scheduled: visible from"
    assert expected in html


def test_a_save_in_another_process_reaches_every_worker(fixture_site, monkeypatch):
    """gunicorn workers without Redis each have their own cache: a bump made by another
    worker (or by load_content in a terminal) is noticed within LOCAL_CACHE_SECONDS.

    The local cache's clock is injected, so the test waits for nothing and cannot be late."""
    import time

    from django.core.cache.backends import locmem

    from guidance import version
    from guidance.models import ContentVersion

    now = [time.time()]
    monkeypatch.setattr(locmem, "time", type("Clock", (), {"time": staticmethod(lambda: now[0])}))
    before = version.content_version()
    # Another process bumps the database row; this process's cache is not told.
    ContentVersion.objects.update_or_create(pk=1, defaults={"version": before + 5})
    now[0] += version.LOCAL_CACHE_SECONDS * 0.9
    assert version.content_version() == before  # the cached value, for a moment
    now[0] += version.LOCAL_CACHE_SECONDS * 0.2
    assert version.content_version() == before + 5
