"""Whole-page cache that is never stale; security headers."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from casestudies import services
from casestudies.models import CaseStudy
from tests.conftest import declare_change
from tests.html_checks import without_jsonld

# The content version is bumped when the change commits; pytest-django runs each test in a
# transaction, so the tests run those on-commit callbacks explicitly, as a real commit would.


def test_anonymous_pages_are_cached_and_a_change_is_visible_at_once(
    client, content_tree, db, django_capture_on_commit_callbacks
):
    call_command("load_content", str(content_tree))
    first = client.get("/en/guide/buy/evaluate-bids/")
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/en/guide/buy/evaluate-bids/")["X-Page-Cache"] == "hit"
    path = content_tree / "en/guide/buy/evaluate-bids.md"
    path.write_text(path.read_text().replace("Score every bid fairly.", "Score bids with care."))
    declare_change(path)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", str(content_tree))
    response = client.get("/en/guide/buy/evaluate-bids/")
    assert response["X-Page-Cache"] == "miss"
    assert "Score bids with care." in response.content.decode()


def test_an_admin_save_is_visible_at_once(client, fixture_site, django_capture_on_commit_callbacks):
    assert "A city publishes" in client.get("/en/case-studies/").content.decode()
    assert client.get("/en/case-studies/")["X-Page-Cache"] == "hit"
    case = CaseStudy.objects.get(slug="open-data-portal")
    case.title_en = "A city opens every contract"
    with django_capture_on_commit_callbacks(execute=True):
        services.case_study_save(case)  # what the admin's save calls
    response = client.get("/en/case-studies/")
    assert response["X-Page-Cache"] == "miss"
    assert "A city opens every contract" in response.content.decode()


def test_cache_is_per_language(client, fixture_site):
    # The English page is cached first; the Spanish one must not be served from it.
    assert client.get("/en/guide/plan/")["X-Page-Cache"] == "miss"
    assert client.get("/en/guide/plan/")["X-Page-Cache"] == "hit"
    spanish = client.get("/es/guide/plan/")
    assert spanish["X-Page-Cache"] == "miss"
    assert '<html lang="es">' in spanish.content.decode()
    again = client.get("/es/guide/plan/")
    assert again["X-Page-Cache"] == "hit" and '<html lang="es">' in again.content.decode()
    assert '<html lang="en">' in client.get("/en/guide/plan/").content.decode()


def test_logged_in_editors_and_the_admin_are_never_served_cached_pages(client, fixture_site):
    client.get("/en/")
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    user = User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    client.force_login(user)
    assert "X-Page-Cache" not in client.get("/en/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


@pytest.mark.parametrize("path", ["/en/", "/es/guide/plan/work-as-a-team/", "/admin/login/"])
def test_security_headers(client, fixture_site, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    if not path.startswith("/admin/"):
        assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_public_pages_have_no_inline_scripts_or_styles(client, fixture_site):
    html = without_jsonld(client.get("/en/guide/plan/work-as-a-team/").content.decode())
    assert "<script" not in html and "<style" not in html and " style=" not in html


def test_html_is_served_compressed(client, fixture_site):
    response = client.get("/en/guide/plan/work-as-a-team/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_unknown_query_parameters_share_the_page_s_cache_entry(client, fixture_site):
    assert client.get("/en/guide/plan/")["X-Page-Cache"] == "miss"
    assert client.get("/en/guide/plan/?utm_source=mail&x=1")["X-Page-Cache"] == "hit"
    # Parameters a page reads still make their own entries.
    assert client.get("/en/case-studies/?theme=open-data")["X-Page-Cache"] == "miss"
    assert client.get("/en/case-studies/?theme=emergency")["X-Page-Cache"] == "miss"


def test_cached_pages_are_served_compressed_only_to_clients_that_accept_it(client, fixture_site):
    path = "/en/guide/plan/work-as-a-team/"
    client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    hit = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Encoding"] == "gzip"
    plain = client.get(path, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain
    assert b"<h1>Work as a team</h1>" in plain.content
