"""The login lockout runs from the last failure and says when it ends (issue 13, finding 8)."""

import datetime
import re

from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from .conftest import EDITOR_PASSWORD


def login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "edna", "password": password})


def _lock_out(client):
    for _attempt in range(5):
        login(client, "wrong-password")


def _failures_happened(minutes_ago):
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_trying_during_the_lockout_does_not_restart_it(editor):
    client = Client()
    _lock_out(client)
    _failures_happened(minutes_ago=20)
    before = AccessAttempt.objects.get().attempt_time
    for password in (EDITOR_PASSWORD, "wrong-again", EDITOR_PASSWORD):
        response = login(client, password)
        assert response.status_code == 429
    assert AccessAttempt.objects.get().attempt_time == before  # the clock was not reset
    html = response.content.decode()
    assert "Try again in 10 minutes" in html
    ends = (before + datetime.timedelta(minutes=30)).strftime("%H:%M")
    assert f"The lock ends at {ends} UTC" in html
    assert 590 <= int(response["Retry-After"]) <= 600
    # Thirty minutes after the last failure, the right password works again.
    _failures_happened(minutes_ago=31)
    response = login(client, EDITOR_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_lockout_page_says_when_in_the_visitor_s_language(editor):
    client = Client()
    _lock_out(client)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "edna", "password": EDITOR_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    html = response.content.decode()
    assert response.status_code == 429 and '<html lang="es"' in html
    assert re.search(r"\b\d\d:\d\d UTC\b", html)
    assert "The lock ends" not in html  # translated, not the English sentence
