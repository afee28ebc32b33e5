"""The content version: bumped on every content change, read by the page cache.

Kept in the database (the truth) and mirrored in the shared cache (fast path), so every
instance sees a change at once and no cache ever needs clearing by hand.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

CACHE_KEY = "content-version"
# A cache private to one process (LocMemCache: development, tests, a server without
# CACHE_URL) never hears of a bump made by another process — a second gunicorn worker, or
# `manage.py load_content` in another terminal — so there the version is re-read from the
# database at most this often. A shared cache (Redis) keeps it until the next bump.
LOCAL_CACHE_SECONDS = 1


def _version_timeout():
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return LOCAL_CACHE_SECONDS if backend.endswith("LocMemCache") else None


def content_version() -> int:
    version = cache.get(CACHE_KEY)
    if version is None:
        from .models import ContentVersion

        row = ContentVersion.objects.order_by("pk").first()
        version = row.version if row else 0
        cache.set(CACHE_KEY, version, _version_timeout())
    return version


def _bump() -> None:
    from .models import ContentVersion

    updated = ContentVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 2})
    cache.delete(CACHE_KEY)


def content_version_bump() -> None:
    """Bump the version once the surrounding transaction commits.

    After the commit, never before: a request between the two would otherwise cache the old
    text under the new version. Called by every service that changes content (a case-study
    or theme save or delete) and once by load_content, however many rows it wrote.
    """
    transaction.on_commit(_bump)
