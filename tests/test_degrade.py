"""Issue 22: degrade, don't fail.

Redis unreachable (a wrong port): pages and the API are served, one warning is logged, the
admin's sessions and lockouts still work. PostgreSQL unreachable: a 503 page in the
visitor's language (JSON under /api/). /healthz is liveness only; /readyz names what is down.
"""

import io
import logging
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client

from buyingguide import cache as resilient

UNREACHABLE_REDIS = "redis://127.0.0.1:1/14"  # nothing listens on port 1: refused at once
PASSWORD = "a-long-editor-password-42"


@pytest.fixture
def redis_down(settings):
    resilient.reset_state()
    settings.CACHES = {
        "default": {
            "BACKEND": "buyingguide.cache.ResilientRedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "KEY_PREFIX": "dbg-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "LOCAL_COPY": False}
    yield
    resilient.reset_state()


def _warnings(caplog):
    return [
        r for r in caplog.records if r.name == "buyingguide.cache" and "unreachable" in r.message
    ]


def test_with_redis_unreachable_pages_and_the_api_are_served_with_one_warning(
    fixture_site, redis_down, caplog
):
    caplog.set_level(logging.WARNING, logger="buyingguide.cache")
    client = Client(raise_request_exception=False)
    for path in (
        "/en/guide/plan/",
        "/es/guide/plan/",
        "/en/case-studies/",
        "/sitemap.xml",
        "/en/search/?q=team",
        "/api/v1/stages/",
        "/api/v1/case-studies/?lang=es",
    ):
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    assert client.get("/en/guide/plan/").get("X-Page-Cache") == "miss"  # nothing was stored
    assert len(_warnings(caplog)) == 1
    assert "127.0.0.1:1" in _warnings(caplog)[0].message


def test_the_warning_repeats_only_after_its_interval_and_redis_is_retried(
    fixture_site, redis_down, caplog, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(resilient, "clock", lambda: now[0])
    caplog.set_level(logging.WARNING, logger="buyingguide.cache")
    client = Client()
    client.get("/en/guide/plan/")
    attempts = []
    real_get = resilient.RedisCache.get
    monkeypatch.setattr(
        resilient.RedisCache, "get", lambda *a, **k: attempts.append(1) or real_get(*a, **k)
    )
    client.get("/en/guide/plan/")
    assert attempts == []  # within RETRY_SECONDS of a failure, Redis is not asked at all
    now[0] += resilient.RETRY_SECONDS + 1
    client.get("/en/guide/plan/")
    assert attempts  # asked again, failed again: still one warning
    assert len(_warnings(caplog)) == 1
    now[0] += resilient.WARN_SECONDS
    client.get("/en/guide/plan/")
    assert len(_warnings(caplog)) == 2


def test_with_redis_unreachable_an_editor_logs_in_and_a_lockout_holds(fixture_site, redis_down):
    call_command(
        "create_editor",
        "edna",
        "--email",
        "edna@example.org",
        "--password",
        PASSWORD,
        stdout=io.StringIO(),
    )
    editor = Client()
    response = editor.post("/admin/login/?next=/admin/", {"username": "edna", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert editor.get("/admin/").status_code == 200
    intruder = Client()
    for _ in range(5):
        intruder.post("/admin/login/", {"username": "edna", "password": "wrong-password"})
    response = intruder.post("/admin/login/", {"username": "edna", "password": PASSWORD})
    assert response.status_code == 429


@pytest.fixture
def database_down(db, monkeypatch):
    """Every query fails as with PostgreSQL stopped (the test's own connection stays open)."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    cache.clear()  # the content key must be read from the database
    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", refuse)
        yield


@pytest.mark.parametrize(
    ("path", "headers", "language", "text"),
    [
        ("/es/guide/plan/", {}, "es", "La guía no está disponible en este momento"),
        ("/id/case-studies/", {}, "id", "Panduan ini sedang tidak tersedia"),
        ("/en/guide/", {}, "en", "The guide is not available for a moment"),
        ("/sitemap.xml", {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}, "es", "no está disponible"),
    ],
)
def test_with_the_database_unreachable_a_503_page_in_the_visitor_s_language(
    fixture_site, database_down, path, headers, language, text
):
    response = Client(raise_request_exception=False).get(path, **headers)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]
    assert f'<html lang="{language}">' in html and text in html
    assert html.count("<h1>") == 1


def test_with_the_database_unreachable_the_api_answers_a_503_problem(fixture_site, database_down):
    response = Client(raise_request_exception=False).get("/api/v1/case-studies/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503 and "try again" in response.json()["detail"]


def test_another_database_error_under_the_api_is_a_500_problem_not_html(fixture_site, monkeypatch):
    from django.db.utils import IntegrityError

    def fail(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    cache.clear()
    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", fail)
        response = Client(raise_request_exception=False).get("/api/v1/case-studies/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"


def test_healthz_is_liveness_and_readyz_names_the_database(db, database_down):
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "cache": "ok"}


def test_readyz_names_an_unreachable_redis_and_stays_in_the_balancer(db, redis_down):
    # Pages are served uncached without Redis: taking every instance out would be worse.
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}
    assert Client().get("/healthz").json() == {"status": "ok"}


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="set TEST_REDIS_URL=redis://127.0.0.1:6379/<db> to check readiness on a real Redis",
)
def test_readyz_is_ready_on_a_real_redis(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "buyingguide.cache.ResilientRedisCache",
            "LOCATION": os.environ["TEST_REDIS_URL"],
            "KEY_PREFIX": "dbg-test",
        }
    }
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_the_password_in_a_redis_address_is_never_logged():
    assert resilient._redacted("redis://:s3cret@cache.internal:6379/0") == (
        "redis://***@cache.internal:6379/0"
    )
