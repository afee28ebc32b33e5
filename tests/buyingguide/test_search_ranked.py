"""Search as a visitor meets it on either database: ranking, safe snippets, "Did you mean",
and the stored, indexed vectors on PostgreSQL (the rest of search: test_search.py)."""

import pytest
from django.db import connection

from buyingguide import search as site_search
from buyingguide.models import SearchEntry, SearchWord
from buyingguide.search import query as search_query
from buyingguide.search.index import search_vectors_fill, search_words_rebuild
from casestudies import services
from casestudies.models import CaseStudy

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's stored index (run with DATABASE_URL)"
)


@pytest.fixture(params=["native", "simple"])
def backend(request, monkeypatch):
    if request.param == "simple":
        # The SQLite path, tried on every database (as in test_search.py).
        monkeypatch.setattr(search_query, "connection", type("V", (), {"vendor": "sqlite"})())
    return request.param


def entry(key, title, body, language="en", **extra):
    return SearchEntry(language=language, kind="topic", key=key, url=f"/{language}/{key}/",
                       title=title, body=body, text_language=language, **extra)  # fmt: skip


@pytest.fixture
def small_index(db):
    # Alone in the index, whichever module-wide content another test loaded first.
    SearchEntry.objects.all().delete()
    SearchEntry.objects.bulk_create(
        [
            entry("a", "Notes", "A tender, a tender and another tender, tender again."),
            entry("b", "Tender", "What this page is about."),
            entry("c", "Unsafe", "<script>alert(1)</script> tender &amp; <b>bold</b>"),
            entry("d", "Hidden", "A secret drafted word: zanzibarian tender.", is_draft=True),
            entry("e", "Licitaciones", "Las licitaciones públicas.", language="es"),
        ]
    )
    search_vectors_fill()

    search_words_rebuild()


def test_a_title_match_ranks_above_a_body_full_of_the_word(small_index, backend):
    found = [r.title for r in site_search.search("tender", "en")]
    assert found[0] == "Tender" and "Notes" in found


def test_script_in_content_never_renders_in_results(small_index, backend, client):
    html = client.get("/en/search/", {"q": "tender"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html
    assert "<mark>tender</mark>" in html.lower() or "<mark>Tender</mark>" in html


def test_spanish_plural_finds_its_singular(small_index, backend):
    SearchEntry.objects.filter(key="e").update(body="Una licitación pública.")
    search_vectors_fill()
    assert [r.title for r in site_search.search("licitaciones", "es")] == ["Licitaciones"]


def test_misspelt_word_gets_a_did_you_mean_link(real_site, backend, client):
    html = client.get("/en/search/", {"q": "procurment"}).content.decode()
    assert 'Did you mean <a href="?q=procurement">procurement</a>?' in html
    html = client.get("/es/search/", {"q": "proveedroes"}).content.decode()
    assert '<a href="?q=proveedores">proveedores</a>' in html
    assert "Did you mean" not in client.get("/en/search/", {"q": "procurement"}).content.decode()


def test_did_you_mean_never_offers_a_draft_only_word(small_index, backend):
    assert site_search.did_you_mean("zanzibarean", "en") is None
    assert site_search.did_you_mean("tendr", "en") == "tender"


def test_an_admin_save_adds_its_new_words(real_site, backend, django_capture_on_commit_callbacks):
    case = CaseStudy.objects.get(slug="india-gem")
    case.summary_en = case.summary_en + " Quetzalcoatlus."
    with django_capture_on_commit_callbacks(execute=True):
        services.case_study_save(case)
    assert SearchWord.objects.filter(language="en", word="quetzalcoatlus").exists()
    assert site_search.did_you_mean("quetzalcoatlos", "en") == "quetzalcoatlus"


@pytest.mark.parametrize(
    "query",
    [
        '"procurement" & !tender | supplier:*',
        "<-> <2> ( ) !!",
        "'; DROP TABLE buyingguide_searchentry; --",
        "procurment " * 60,
        "-tender",
        "ñandú 😀 пошук",
    ],
)
def test_operator_and_hostile_queries_give_a_clear_page(real_site, client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Search the guide</h1>" in html
    assert "result" in html or "No results for" in html or "Type a word" in html


def test_punctuation_only_asks_for_words(real_site, client):
    html = client.get("/en/search/", {"q": "&|!:*()'\""}).content.decode()
    assert "Type a word or two to search for" in html


@on_postgres
def test_postgres_search_reads_the_stored_vector(real_site):
    assert not SearchEntry.objects.filter(vector__isnull=True).exists()
    assert site_search.search("procurement", "en")
    SearchEntry.objects.update(vector=None)
    # Nothing is computed per query: without the stored vectors nothing is found.
    assert site_search.search("procurement", "en") == []


@on_postgres
def test_postgres_has_the_gin_and_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'buyingguide_search%%'"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (vector)" in indexes["search_entry_vector_gin"]
    assert "gin_trgm_ops" in indexes["search_word_trgm"]


@on_postgres
def test_postgres_uses_each_languages_configuration(real_site):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        installed = {row[0] for row in cursor.fetchall()}
    expected = "indonesian" if "indonesian" in installed else "simple"
    assert search_query.pg_config("id") == expected
    assert (search_query.pg_config("en"), search_query.pg_config("es")) == ("english", "spanish")
