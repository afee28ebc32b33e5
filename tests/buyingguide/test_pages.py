"""Every page a visitor uses: status, the content they need, each language."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from casestudies.models import CaseStudy
from guidance.models import ChecklistItem, Topic
from tests.factories import make_case_studies

LANGS = ["en", "es", "id"]


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_home_lists_stages_emergency_latest_and_search(client, fixture_site, lang):
    html = text(client.get(f"/{lang}/"))
    first = ">Planificar<" if lang == "es" else ">Plan<"
    assert html.index(first) < html.index(">Buy<")
    assert 'role="search"' in html and 'name="q"' in html
    assert "A city publishes its contracts" in html or "Una ciudad publica" in html
    assert html.count("<h1") == 1


def test_stage_page_lists_topics_in_order_and_links_its_checklist(client, fixture_site):
    html = text(client.get("/en/guide/plan/"))
    assert html.index("Work as a team") < html.index("Define outcomes")
    assert "Bring the right people together." in html
    assert 'href="/en/guide/plan/checklist/"' in html


def test_topic_page_has_everything_a_reader_needs(client, fixture_site):
    html = text(client.get("/en/guide/plan/work-as-a-team/"))
    assert "<h1>Work as a team</h1>" in html
    assert "Bring the right people together." in html
    assert 'id="why"' in html and 'id="what"' in html and 'id="dos-and-donts"' in html
    assert "Involve colleagues who use" in html and "Don't leave it to one person." in html
    assert "<em>specialist</em>" in html
    assert 'href="/en/case-studies/open-data-portal/"' in html
    assert 'aria-label="Breadcrumb"' in html and 'href="/en/guide/plan/"' in html
    assert 'rel="next"' in html and "Define outcomes" in html
    assert 'href="#who-to-involve"' in html
    assert "Last updated" in html and "<time datetime=" in html


def test_prev_next_walks_the_whole_guide_without_gaps_or_loops(client, fixture_site):
    topics = list(Topic.objects.order_by("position"))
    url = topics[0].get_absolute_url()
    seen = []
    while url:
        html = text(client.get(url))
        seen.append(url)
        assert len(seen) <= len(topics), "loop in next links"
        match = re.search(r'href="([^"]+)" rel="next"', html)
        url = match.group(1) if match else None
    assert seen == [t.get_absolute_url() for t in topics]
    # And backwards from the last.
    html = text(client.get(seen[-1]))
    assert re.search(r'href="([^"]+)" rel="prev"', html).group(1) == seen[-2]
    assert 'rel="prev"' not in text(client.get(seen[0]))


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_page_lists_every_item(client, fixture_site, lang):
    html = text(client.get(f"/{lang}/guide/checklist/"))
    for item in ChecklistItem.objects.all():
        assert item.text_html in html or item.text_html_en in html
    assert "checklist.csv" in html


def test_stage_checklist_has_only_that_stage(client, fixture_site):
    html = text(client.get("/en/guide/buy/checklist/"))
    assert "Use the published criteria." in html
    assert "Don't leave it to one person." not in html


@pytest.mark.parametrize(
    ("url", "rows", "lang"),
    [
        ("/en/guide/checklist.csv", 7, "en"),
        ("/es/guide/plan/checklist.csv", 5, "es"),
    ],
)
def test_checklist_csv_is_valid_complete_utf8(client, fixture_site, url, rows, lang):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert len(table) == rows + 1
    assert all(len(row) == 5 for row in table)
    assert table[1][4].startswith("http://testserver/")
    if lang == "es":
        assert table[0][0] == "Etapa"
        assert any(row[3] == "No lo deje en manos de una sola persona." for row in table)
        assert {row[2] for row in table[1:]} == {"Hacer", "No hacer"}


def test_case_study_index_filters_alone_and_combined(client, fixture_site):
    html = text(client.get("/en/case-studies/"))
    assert "2 case studies" in html
    assert "1 case study" in text(client.get("/en/case-studies/?theme=open-data"))
    # Stages include those implied by topics and those named explicitly.
    assert "2 case studies" in text(client.get("/en/case-studies/?stage=plan"))
    html = text(client.get("/en/case-studies/?stage=plan&country=EC"))
    assert "1 case study" in html and "Buying masks in a hurry" in html
    assert "Remove filter: Plan" in html and "Remove filter: Ecuador" in html
    html = text(client.get("/en/case-studies/?topic=plan/work-as-a-team&theme=emergency"))
    assert "0 case studies" in html and "No case studies match" in html


@pytest.mark.parametrize(
    "query",
    [
        "?theme=nope",
        "?stage=%00",
        "?country=zz",
        "?topic=a/b/c",
        "?page=0",
        "?page=999",
        "?page=abc",
        "?page=-1",
        "?theme[]=x&page=1e9",
    ],
)
def test_odd_filters_and_pages_never_fail(client, fixture_site, query):
    response = client.get("/en/case-studies/" + query)
    assert response.status_code in (200, 404)


def test_pagination_twelve_a_page(client, fixture_site):
    make_case_studies(25)
    html = text(client.get("/en/case-studies/"))
    assert "27 case studies" in html and "page 1 of 3" in html
    assert html.count('class="card"') == 12
    html = text(client.get("/en/case-studies/?page=3"))
    assert html.count('class="card"') == 3
    html = text(client.get("/en/case-studies/?theme=open-data&page=2"))
    assert 'href="?theme=open-data&amp;page=1"' in html


def test_case_study_page(client, fixture_site):
    html = text(client.get("/es/case-studies/open-data-portal/"))
    assert "<h1>Una ciudad publica sus contratos</h1>" in html
    assert "México" in html and "2020" in html and "Ayuntamiento" in html
    assert "Datos abiertos" in html
    assert 'href="/es/guide/plan/work-as-a-team/"' in html
    assert 'rel="next"' in html or 'rel="prev"' in html


def test_glossary_has_an_anchor_per_term(client, fixture_site):
    html = text(client.get("/en/glossary/"))
    assert 'id="ocds"' in html and 'id="framework-agreement"' in html
    assert "Open Contracting Data Standard" in html


@pytest.mark.parametrize("slug", ["about", "accessibility"])
def test_static_pages(client, fixture_site, slug):
    assert "<h1>" in text(client.get(f"/en/{slug}/"))


def test_feed_is_atom_per_language(client, fixture_site):
    response = client.get("/es/case-studies/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Una ciudad publica sus contratos" in titles


def test_sitemap_lists_every_page_in_three_languages(client, fixture_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    for lang in LANGS:
        for path in (
            "/",
            "/guide/plan/",
            "/guide/plan/work-as-a-team/",
            "/guide/buy/checklist/",
            "/case-studies/",
            "/case-studies/open-data-portal/",
            "/glossary/",
            "/about/",
            "/accessibility/",
        ):
            assert f"http://testserver/{lang}{path}" in locs
    alternates = root.findall("s:url/x:link", ns)
    assert any(a.get("hreflang") == "x-default" for a in alternates)
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert client.get(loc.replace("http://testserver", "")).status_code == 200, loc


def test_draft_case_study_is_nowhere(client, fixture_site):
    CaseStudy.objects.filter(slug="emergency-masks").update(status=CaseStudy.DRAFT)
    assert "Buying masks" not in text(client.get("/en/case-studies/"))
    assert client.get("/en/case-studies/emergency-masks/").status_code == 404
    assert "emergency-masks" not in client.get("/sitemap.xml").content.decode()
    assert "Buying masks" not in client.get("/en/case-studies/feed/").content.decode()
