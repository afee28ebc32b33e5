"""The print pages and the PDF links on the site's pages."""

import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from guidance.languages import localized_value
from guidance.models import Stage, Topic


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.ids, self.anchors, self.navs = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.anchors.append(attrs["href"][1:])
        if tag == "nav":
            self.navs.append(attrs.get("class", ""))


def _outline(html):
    parser = _Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("language", ["en", "es", "id"])
def test_the_print_page_holds_every_stage_and_topic_in_order(client, real_site, language):
    response = client.get(f"/{language}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    titles = [localized_value(t, "title", language) for t in Topic.objects.order_by("position")]
    positions = [html.find(f">{title}<") for title in titles]
    assert -1 not in positions, [t for t, p in zip(titles, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "topics in reading order"
    for stage in Stage.objects.all():
        assert localized_value(stage, "title", language) in html
    outline = _outline(html)
    assert outline.headings.count(1) == 1
    skips = [
        (a, b) for a, b in zip(outline.headings, outline.headings[1:], strict=False) if b > a + 1
    ]
    assert not skips, f"heading levels skipped: {skips[:5]}"
    duplicates = {i for i in outline.ids if outline.ids.count(i) > 1}
    assert not duplicates, duplicates
    assert set(outline.anchors) <= set(outline.ids), "every in-page link has its target"
    # No navigation chrome: only the table of contents.
    assert outline.navs == ["contents"]
    assert "site-header" not in html and "breadcrumbs" not in html
    # The first lines say what this is.
    assert f"/{language}/guide/" in html and "colophon" in html


def test_links_inside_the_guide_become_links_within_the_print_page(client, real_site):
    html = client.get("/en/print/").content.decode()
    # A topic linking to another topic: in print, to that topic's place on this page.
    assert 'href="#t-plan-define-outcomes"' in html
    assert 'href="/en/guide/plan/define-outcomes/"' not in html
    # Links that leave the guide are absolute, so their printed address can be typed in.
    assert 'href="http://testserver/en/case-studies/' in html
    css = client.get("/static/printing/print.css")
    body = b"".join(css.streaming_content).decode()
    assert 'a[href^="http"]::after' in body and "attr(href)" in body
    assert "break-before: page" in body


def test_a_stage_prints_on_its_own(client, real_site):
    html = client.get("/en/print/plan/").content.decode()
    plan = Topic.objects.filter(stage__slug="plan")
    others = Topic.objects.exclude(stage__slug="plan")
    assert all(f">{t.title}<" in html for t in plan)
    assert not any(f">{t.title}<" in html for t in others)
    outline = _outline(html)
    assert outline.headings.count(1) == 1 and 3 not in outline.headings[:2]


def test_the_footer_links_to_the_print_page(client, real_site):
    for path in ("/en/", "/es/guide/plan/", "/id/case-studies/"):
        html = client.get(path).content.decode()
        language = path.split("/")[1]
        assert f'href="/{language}/print/"' in html


def test_pdf_links_show_pages_and_size_once_the_pdf_is_built(client, fixture_site, settings):
    settings.PDF_PENDING_PAGE_CACHE_SECONDS = 0
    before = client.get("/en/guide/plan/").content.decode()
    assert 'href="/en/pdf/stage/plan.pdf"' in before
    assert "pages" not in re.search(r'<a class="pdf-link".*?</a>', before).group(0)
    pdf = client.get("/en/pdf/stage/plan.pdf")
    pages = len(PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    after = client.get("/en/guide/plan/")
    link = re.search(r'<a class="pdf-link".*?</a>', after.content.decode()).group(0)
    assert f"(PDF, {pages} pages, " in link and "KB" in link, link
    # Now complete, the page is cached as usual.
    assert client.get("/en/guide/plan/")["X-Page-Cache"] == "hit"


def test_a_page_without_its_pdf_figures_is_cached_only_briefly(client, fixture_site, settings):
    from django.core.cache import cache

    settings.PDF_PENDING_PAGE_CACHE_SECONDS = 30
    stored = {}
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        stored[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    cache.set = spy
    try:
        client.get("/en/guide/checklist/")  # PDF not built
        client.get("/en/glossary/")  # no PDF on this page
    finally:
        del cache.set
    page_timeouts = sorted(t for k, t in stored.items() if k.startswith("page:"))
    assert page_timeouts == [30, settings.PAGE_CACHE_SECONDS]


@pytest.mark.parametrize(
    ("path", "pdf"),
    [
        ("/en/guide/", "/en/pdf/guide.pdf"),
        ("/es/guide/plan/", "/es/pdf/stage/plan.pdf"),
        ("/en/guide/checklist/", "/en/pdf/checklist.pdf"),
        ("/id/guide/plan/checklist/", "/id/pdf/stage-checklist/plan.pdf"),
        ("/en/case-studies/open-data-portal/", "/en/pdf/case-study/open-data-portal.pdf"),
        ("/es/print/", "/es/pdf/guide.pdf"),
    ],
)
def test_every_page_with_a_pdf_links_to_it(client, fixture_site, path, pdf):
    html = client.get(path).content.decode()
    assert f'href="{pdf}" type="application/pdf"' in html
