"""Search: stemming in each language, ranking, snippets, and hostile input."""

import re

import pytest

from buyingguide import search as site_search
from buyingguide.models import SearchEntry
from buyingguide.search import query as search_query
from buyingguide.search.index import search_vectors_fill
from casestudies import services
from casestudies.models import CaseStudy
from proposals.models import Note
from tests.conftest import real_content_counts


def titles(query, language):
    return [r.title for r in site_search.search(query, language)]


BACKENDS = ["native", "simple"]


@pytest.fixture(params=BACKENDS)
def backend(request, monkeypatch):
    if request.param == "simple":
        # The SQLite-style matcher works on PostgreSQL too: test it on every database.
        monkeypatch.setattr(search_query, "connection", type("V", (), {"vendor": "sqlite"})())
    return request.param


def test_index_is_built_per_language_on_load(real_site):
    counts = real_content_counts()
    # Buying-guide topics and the project-proposals guide's notes are both "guidance".
    assert (
        SearchEntry.objects.filter(language="es", kind="topic").count()
        == sum(counts["topics"].values()) + Note.objects.count()
    )
    # Every case study is indexed (drafts too: the query hides them until they are live).
    assert (
        SearchEntry.objects.filter(language="id", kind="case-study").count()
        == (counts["case_studies"])
    )
    assert (
        SearchEntry.objects.filter(language="en", kind="glossary").count() == (counts["glossary"])
    )


def found_only_by_stemming(query, language, word_found):
    """Results containing `word_found` as a word but never the query word itself: only a
    stemmer can have found them."""
    has = lambda word, text: re.search(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE)  # noqa: E731
    return [
        r.title
        for r in site_search.search(query, language)
        if has(word_found, f"{r.title} {r.section} {r.body}")
        and not has(query, f"{r.title} {r.section} {r.body}")
    ]


def test_spanish_stemming_contratos_finds_contrato(real_site, backend):
    assert found_only_by_stemming("contratos", "es", "contrato")


def test_indonesian_stemming_pemasok_finds_pasokan(real_site, backend):
    assert found_only_by_stemming("pemasok", "id", "pasokan") or found_only_by_stemming(
        "pemasok", "id", "memasok"
    )


def test_english_plural_finds_singular(real_site, backend):
    assert found_only_by_stemming("suppliers", "en", "supplier")


def test_title_match_ranks_first(real_site, backend):
    assert titles("team", "en")[0] == "Work as a team"


def test_results_show_type_section_and_highlighted_snippet(real_site, client):
    html = client.get("/en/search/?q=framework").content.decode()
    assert "<mark>" in html.lower()
    assert "Glossary" in html and "Guidance" in html


def test_search_is_in_the_visitors_language(real_site, client):
    html = client.get("/es/search/?q=proveedores").content.decode()
    results = html.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    assert 'lang="en"' not in results
    assert "resultados para" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "a" * 10000,
        "中文 搜索",
        "ضوء المدينة",
        "😀 emoji",
        "%00",
        "framework & | ! :*",
        "\\",
        "x" * 300 + " y",
    ],
)
def test_hostile_queries_give_a_proper_page(real_site, client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<h1>" in html


def test_empty_query_and_no_results_pages(real_site, client):
    html = client.get("/en/search/?q=").content.decode()
    assert "No results" not in html
    html = client.get("/en/search/?q=zzzqqqxxx").content.decode()
    assert "No results for" in html and "Browse all case studies" in html


def test_drafts_are_not_found(real_site, backend, django_capture_on_commit_callbacks):
    def found():
        return any(
            r.url.endswith("/case-studies/india-gem/")
            for r in site_search.search("marketplace India", "en")
        )

    assert found()
    case = CaseStudy.objects.get(slug="india-gem")
    case.status = CaseStudy.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.case_study_save(case)  # what the admin's save does; it re-indexes
    assert not found()


def test_snippet_escapes_content(db):
    SearchEntry.objects.create(
        language="en",
        kind="topic",
        key="k",
        url="/en/x/",
        title="Unsafe",
        body="<b>bold</b> tender text",
        text_language="en",
    )
    search_vectors_fill()  # what every index write does after its rows (PostgreSQL)
    result = next(r for r in site_search.search("tender", "en") if r.title == "Unsafe")
    assert "<b>" not in result.snippet  # escaped (SQLite) or dropped by ts_headline (PostgreSQL)
    assert "<mark>tender</mark>" in result.snippet
