"""The library page, its filters and CSV, topic panels, search and the sitemap."""

import csv
import io
import re

import pytest

from buyingguide.loading import content_load


@pytest.fixture
def library_site(library_tree, db):
    report = content_load(library_tree)
    assert report.ok, [str(e) for e in report.errors]
    return report


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def listed(html):
    return re.findall(r'<li class="resource" id="([a-z0-9-]+)"', html)


def test_library_lists_every_resource_in_its_group_with_an_anchor(client, library_site):
    html = html_of(client, "/en/resources/")
    assert "<h1>Resource library</h1>" in html
    assert listed(html) == ["open-toolkit", "latin-dataset", "city-standard"]  # group order
    assert html.index('id="guides-and-toolkits"') < html.index('id="foreign-sources"')
    assert '<a href="https://example.org/toolkit" hreflang="en" lang="en">Open Source' in html
    assert 'href="https://example.org/datos" hreflang="es" lang="es">Datos abiertos' in html
    assert "A Government · 2019" in html and "Available in: English, French" in html
    assert 'href="/en/guide/plan/work-as-a-team/">Work as a team</a>' in html
    assert html.count("<h1") == 1 and "<h3" in html and 'aria-current="page"' in html


def test_filters_narrow_the_list_and_can_be_removed_one_by_one(client, library_site):
    html = html_of(client, "/en/resources/?type=dataset")
    assert listed(html) == ["latin-dataset"]
    assert "1 resource" in html and "Remove filter: Dataset" in html
    html = html_of(client, "/en/resources/?topic=buy/evaluate-bids&region=global")
    assert listed(html) == ["city-standard"]
    assert re.search(
        r'href="/en/resources/\?topic=buy%2Fevaluate-bids">Remove filter: Global', html
    )
    assert 'href="/en/resources.csv?region=global&amp;topic=buy%2Fevaluate-bids"' in html
    # A valid type nobody uses (and the page cache keeps each filter's page apart).
    html = html_of(client, "/en/resources/?type=course")
    assert listed(html) == [] and "No resources match all of these filters." in html
    # Only values in use are offered.
    assert '<option value="course"' not in html and '<option value="dataset"' in html


@pytest.mark.parametrize(
    "query",
    [
        "?type=<script>",
        "?region=x%00y",
        "?topic=../../etc",
        "?topic=plan/nope",
        "?type=" + "a" * 5000,
    ],
)
def test_tampered_filters_are_ignored_not_errors(client, library_site, query):
    html = html_of(client, "/en/resources/" + query)
    assert len(listed(html)) == 3 and "Remove filter" not in html and "<script>" not in html


def test_csv_export_follows_the_filters_and_is_safe_in_a_spreadsheet(client, library_site):
    response = client.get("/es/resources.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Título", "Editor o autor", "Año"]
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {
        "Open Source Toolkit, with commas",
        "A City Standard",
        "Datos abiertos de compras",
    }
    toolkit = by_title["Open Source Toolkit, with commas"]
    assert toolkit[3:7] == [
        "Kit de herramientas",
        "Europa",
        "Inglés, Francés",
        "https://example.org/toolkit",
    ]
    assert toolkit[7] == "Cómo valorar las opciones de código abierto."  # the Spanish annotation
    assert by_title["Datos abiertos de compras"][1].startswith("'=")  # no formula
    only = list(
        csv.reader(
            io.StringIO(client.get("/en/resources.csv?type=standard").content.decode("utf-8-sig"))
        )
    )
    assert [row[0] for row in only[1:]] == ["A City Standard"]


def test_topic_page_lists_its_resources_and_falls_back_to_english_with_lang(client, library_site):
    html = html_of(client, "/id/guide/buy/evaluate-bids/")
    assert '<h2 id="resources">Sumber</h2>' in html and 'href="#resources"' in html
    panel = html.split('<section aria-labelledby="resources">', 1)[1].split("</section>", 1)[0]
    assert listed(panel) == ["city-standard", "latin-dataset"]
    assert '<div class="prose" lang="en"><p>A standard cities can cite' in panel  # fallback
    assert "Data pengadaan terbuka" in panel
    assert 'href="/id/resources/?topic=buy/evaluate-bids"' in panel


def test_topic_without_resources_shows_no_panel(client, library_site):
    from resources.models import Resource

    Resource.objects.filter(topics__slug="define-outcomes").delete()
    html = html_of(client, "/en/guide/plan/define-outcomes/")
    assert 'id="resources"' not in html and 'href="#resources"' not in html


def test_library_is_in_search_sitemap_and_navigation(client, library_site):
    html = html_of(client, "/en/search/?q=dashboards")
    assert 'href="/en/resources/#latin-dataset"' in html and ">Resource<" in html
    html = html_of(client, "/es/search/?q=tableros")
    assert 'href="/es/resources/#latin-dataset"' in html
    sitemap = client.get("/sitemap.xml").content.decode()
    assert (
        "/en/resources/</loc>" in sitemap
        and 'hreflang="id" href="http://testserver/id/resources/"' in sitemap
    )
    assert 'href="/en/resources/"' in html_of(client, "/en/")


def test_each_filter_gets_its_own_cached_page(client, library_site):
    """The page cache keys the library by its filters: a filtered list is never served for
    another filter or for the whole library, first request or cached."""
    for _ in range(2):  # the second round is served from the page cache
        assert listed(html_of(client, "/en/resources/?type=dataset")) == ["latin-dataset"]
        assert listed(html_of(client, "/en/resources/")) == [
            "open-toolkit",
            "latin-dataset",
            "city-standard",
        ]
        assert listed(html_of(client, "/en/resources/?type=standard")) == ["city-standard"]
    assert client.get("/en/resources/?type=standard")["X-Page-Cache"] == "hit"
