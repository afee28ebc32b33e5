"""Issue 22: a recreated or restored database behind the same cache serves no old pages.

The content version counts again from the start in a new database, so a key of the number
alone would find pages (API answers, PDF folders) cached for the old database.
"""

import pytest
from django.core.cache import cache

from guidance import version
from guidance.models import ContentVersion, Stage


def _recreate_database_at(number: int, django_capture_on_commit_callbacks):
    """What an operator gets: a fresh row counted up to the same number, with new text."""
    ContentVersion.objects.all().delete()
    ContentVersion.objects.create(pk=1)  # as `migrate` leaves a new database
    Stage.objects.filter(slug="plan").update(title_en="Plan, as restored")
    cache.delete(version.CACHE_KEY)  # the mirror is deleted by every bump in real life
    while version.content_version() < number:
        with django_capture_on_commit_callbacks(execute=True):
            version.content_version_bump()
    assert version.content_version() == number


def test_a_recreated_database_at_the_same_version_gets_new_pages(
    client, fixture_site, django_capture_on_commit_callbacks
):
    number = version.content_version()
    old_key = version.content_key()
    old_page = client.get("/en/guide/plan/")
    assert client.get("/en/guide/plan/")["X-Page-Cache"] == "hit"
    old_api = client.get("/api/v1/stages/plan/?lang=en")
    assert old_api.status_code == 200

    _recreate_database_at(number, django_capture_on_commit_callbacks)

    assert version.content_key() != old_key
    page = client.get("/en/guide/plan/")
    assert page["X-Page-Cache"] == "miss"
    assert "Plan, as restored" in page.content.decode()
    assert "Plan, as restored" not in old_page.content.decode()
    api = client.get("/api/v1/stages/plan/?lang=en")
    assert api.json()["title"] == "Plan, as restored"
    assert api["ETag"] != old_api["ETag"]


def test_every_bump_draws_a_new_generation(db, django_capture_on_commit_callbacks):
    keys = set()
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            version.content_version_bump()
        keys.add(version.content_key())
    assert len(keys) == 5
    row = ContentVersion.objects.get()
    assert version.content_key() == f"{row.version}.{row.generation}"


def test_a_new_database_has_its_own_key_before_its_first_load(db):
    # The migration made the row: two new databases do not both say "version 0".
    row = ContentVersion.objects.get()
    assert len(row.generation) == 16
    assert version.content_key() == f"{row.version}.{row.generation}"


@pytest.mark.parametrize(
    ("backend", "seconds"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", version.LOCAL_CACHE_SECONDS),
        ("buyingguide.cache.ResilientRedisCache", version.SHARED_CACHE_SECONDS),
    ],
)
def test_the_mirror_expires_so_a_restore_underneath_a_shared_cache_is_seen(
    settings, backend, seconds
):
    # A backup restored without any bump: nothing deletes the mirror, its lifetime bounds
    # how long the pre-restore pages are served.
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert version._mirror_timeout() == seconds
    assert 0 < seconds <= 60
