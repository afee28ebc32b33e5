"""HTTP done right: validators and 304s, caching headers, CORS, gzip, problem details."""

import gzip

import pytest
from django.test import override_settings

from casestudies.models import CaseStudy
from casestudies.services import case_study_save

from .conftest import KIND_NAMES, get_json

PROBLEM = "application/problem+json"


def test_answers_carry_validators_and_a_304_when_nothing_changed(client, fixture_site):
    first = client.get("/api/v1/stages/?lang=es")
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert first["Cache-Control"].startswith("public, max-age=")
    assert first["Content-Language"] == "es"
    again = client.get("/api/v1/stages/?lang=es", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    weak = client.get("/api/v1/stages/?lang=es", HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert weak.status_code == 304  # what a client sends back after a gzip answer
    since = client.get("/api/v1/stages/?lang=es", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    other = client.get("/api/v1/stages/?lang=es", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content
    # Each language is its own representation.
    english = client.get("/api/v1/stages/", HTTP_IF_NONE_MATCH=etag)
    assert english.status_code == 200 and english["ETag"] != etag


@pytest.mark.parametrize(
    "url",
    ["/api/v1/", "/api/v1/topics/plan/work-as-a-team/", "/api/v1/export/en.zip"],
)
def test_detail_root_and_export_answer_conditional_requests(client, fixture_site, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_content_change_gives_new_text_and_a_new_etag_at_once(
    client, fixture_site, django_capture_on_commit_callbacks
):
    url = "/api/v1/case-studies/open-data-portal/"
    before = client.get(url)
    assert client.get(url)["ETag"] == before["ETag"]  # served from the cache
    case = CaseStudy.objects.get(slug="open-data-portal")
    case.title_en = "A city publishes every contract"
    with django_capture_on_commit_callbacks(execute=True):
        case_study_save(case)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["title"] == "A city publishes every contract"
    assert after["ETag"] != before["ETag"]


def test_unknown_query_parameters_share_the_cached_answer(client, fixture_site):
    plain = client.get("/api/v1/glossary/")
    tagged = client.get("/api/v1/glossary/?utm_source=newsletter")
    assert tagged.status_code == 200 and tagged["ETag"] == plain["ETag"]


def test_a_cached_answer_is_never_served_for_an_invalid_request(client, fixture_site):
    assert client.get("/api/v1/glossary/").status_code == 200  # now cached
    for bad in ("page=", "lang=", "page=0"):
        response = client.get(f"/api/v1/glossary/?{bad}")
        assert response.status_code == 400, bad


def test_the_html_page_cache_leaves_the_api_alone(client, fixture_site):
    # With the page cache keyed on HTML parameters only, ?lang= would come back in English.
    assert get_json(client, "/api/v1/stages/")["language"] == "en"
    assert get_json(client, "/api/v1/stages/?lang=es")["results"][0]["title"] == "Planificar"
    assert "X-Page-Cache" not in client.get("/api/v1/stages/?lang=es")


def test_cors_is_open_for_reading_without_credentials(client, fixture_site):
    response = client.get("/api/v1/glossary/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    preflight = client.options(
        "/api/v1/glossary/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The HTML site is not opened up.
    page = client.get("/en/glossary/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_json_is_gzipped_for_clients_that_accept_it(client, fixture_site):
    plain = client.get("/api/v1/topics/")
    packed = client.get("/api/v1/topics/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"]


def test_the_site_csp_is_still_sent_and_json_is_never_sniffed(client, fixture_site):
    response = client.get("/api/v1/stages/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


BAD_REQUESTS = [
    ("/api/v1/stages/?lang=fr", 400, "lang"),
    ("/api/v1/stages/?lang=%00", 400, "lang"),
    ("/api/v1/stages/?lang=", 400, "lang"),
    ("/api/v1/glossary/?page=", 400, "page"),
    ("/api/v1/case-studies/?country=", 400, "country"),
    ("/api/v1/glossary/?page=0", 400, "page"),
    ("/api/v1/glossary/?page=-1", 400, "page"),
    ("/api/v1/glossary/?page=abc", 400, "page"),
    ("/api/v1/glossary/?page=%D9%A3", 400, "page"),  # an Arabic-Indic digit
    ("/api/v1/glossary/?page=99999999999999999999", 400, "page"),
    ("/api/v1/glossary/?page=999", 404, "Page 999"),
    ("/api/v1/glossary/?page_size=1000", 400, "page_size"),
    ("/api/v1/case-studies/?theme=No%20such%20theme", 400, "theme"),
    ("/api/v1/case-studies/?country=ZZZ", 400, "country"),
    ("/api/v1/case-studies/?topic=plan", 400, "topic"),
    ("/api/v1/case-studies/?stage=%00", 400, "stage"),
    ("/api/v1/case-studies/no-such-case/", 404, "No published item"),
    ("/api/v1/case-studies/bad%00slug/", 404, "No published item"),
    ("/api/v1/topics/plan/no-such-topic/", 404, "No published item"),
    ("/api/v1/no-such-type/", 404, "no API resource"),
    ("/api/v2/", 404, "no API resource"),
    ("/api/v1/export/fr.zip", 404, "No export"),
    ("/api/v1/stages/?q=" + "x" * 3000, 414, "longer than"),
]


@pytest.mark.parametrize(("url", "status", "says"), BAD_REQUESTS)
def test_bad_input_gets_problem_details_never_html(client, fixture_site, url, status, says):
    response = client.get(url)
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    assert says in body["detail"] or says in body.get("errors", {}), body
    assert response["Cache-Control"] == "no-store"


def test_well_formed_filters_that_match_nothing_give_an_empty_list(client, fixture_site):
    for query in ("theme=no-such-theme", "country=ZZ", "topic=plan/no-such", "stage=nope"):
        page = get_json(client, f"/api/v1/case-studies/?{query}")
        assert page["count"] == 0 and page["results"] == [], query


def test_too_many_query_parameters_is_a_400_problem(client, fixture_site):
    query = "&".join(f"p{i}=1" for i in range(1100))
    response = client.get("/api/v1/stages/?" + query[:1990])  # under the length limit
    assert response.status_code == 200
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10):
        response = client.get("/api/v1/stages/?" + query[:200])
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, fixture_site, method):
    response = getattr(client, method)("/api/v1/stages/")
    assert response.status_code == 405 and response["Content-Type"] == PROBLEM
    assert "GET" in response["Allow"] and "POST" not in response["Allow"]


def test_an_address_without_its_final_slash_is_redirected(client, fixture_site):
    response = client.get("/api/v1/stages?lang=es")
    assert response.status_code == 301 and response["Location"] == "/api/v1/stages/?lang=es"


def test_a_failure_inside_a_view_is_a_500_problem_not_html(client, fixture_site, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("api.views.serialize", broken)
    response = client.get("/api/v1/themes/")
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM
    assert "database" not in response.json()["detail"]  # no internals leak


@override_settings(API_RATE_LIMIT="3/min")
def test_the_rate_limit_answers_429_with_retry_after(client, fixture_site):
    for _ in range(3):
        assert client.get("/api/v1/glossary/").status_code == 200
    limited = client.get("/api/v1/glossary/")
    assert limited.status_code == 429 and limited["Content-Type"] == PROBLEM
    assert int(limited["Retry-After"]) > 0
    # Another client address has its own allowance.
    assert client.get("/api/v1/glossary/", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_list_answers_are_compact_json(client, fixture_site, kind):
    response = client.get(f"/api/v1/{kind}/")
    assert response["Content-Type"] == "application/json"
    assert b"\n" not in response.content[:2000]
