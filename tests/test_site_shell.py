"""The page shell in three languages: lang, switcher, hreflang, redirects, 404, health."""

import re

import pytest
from django.db.utils import OperationalError

LANGS = ["en", "es", "id"]


@pytest.mark.parametrize("lang", LANGS)
def test_home_has_language_switcher_and_alternates(client, fixture_site, lang):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    for code, name in [("en", "English"), ("es", "Español"), ("id", "Bahasa Indonesia")]:
        assert f'hreflang="{code}"' in html
        assert f'href="/{code}/" hreflang="{code}" lang="{code}"' in html
        assert name in html
    assert 'hreflang="x-default" href="http://testserver/en/"' in html
    assert f'<link rel="canonical" href="http://testserver/{lang}/">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<meta name="description"' in html


def test_switcher_keeps_the_visitor_on_the_same_page(client, fixture_site):
    html = client.get("/es/guide/plan/work-as-a-team/").content.decode()
    assert 'href="/en/guide/plan/work-as-a-team/" hreflang="en"' in html
    assert 'href="/id/guide/plan/work-as-a-team/" hreflang="id"' in html


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "/es/"),
        ("id-ID,id;q=0.9", "/id/"),
        ("fr-FR,fr", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_by_accept_language(client, db, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize(
    "path", ["/en/no-such-page/", "/es/guide/nope/", "/xx/foo/", "/id/case-studies/missing/"]
)
def test_unknown_paths_get_the_localized_404(client, fixture_site, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es", follow=True)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>" in html and 'id="main"' in html


def test_404_is_in_the_visitors_language(client, fixture_site, settings):
    html = client.get("/es/guide/nope/").content.decode()
    assert '<html lang="es">' in html
    assert "Página no encontrada" in html


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_503_when_the_database_is_down(client, db, monkeypatch):
    class DownDatabase:
        def cursor(self):
            raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("buyingguide.health.connection", DownDatabase())
    assert client.get("/healthz").status_code == 200  # liveness: the process answers
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_500_page_uses_the_shell_without_the_database(rf, db, django_assert_num_queries):
    # The 500 page is shown when the database may be the problem: it must not touch it.
    from buyingguide.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/en/"))
    assert response.status_code == 500
    assert b'id="main"' in response.content and b"<h1>" in response.content
