"""The content version: bumped on every content change, read by every cache.

Kept in the database (the truth) and mirrored in the shared cache (fast path), so every
instance sees a change at once and no cache ever needs clearing by hand.

Caches key on `content_key()`, not on the number alone: the number starts again at 1 in a
recreated database, so behind the same Redis it would repeat and serve pages cached for the
old one. Each bump also draws a new random `generation`, so a key names one content state
of one database and never comes back.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

CACHE_KEY = "content-key"
# A cache private to one process (LocMemCache: development, tests, a server without
# CACHE_URL) never hears of a bump made by another process — a second gunicorn worker, or
# `manage.py load_content` in another terminal — so there the key is re-read from the
# database at most this often.
LOCAL_CACHE_SECONDS = 1
# A shared cache (Redis) hears of every bump (it is deleted on commit), but not of a
# database restored from a backup underneath it: the mirror expires after this long, so a
# restore is seen within it without anyone clearing Redis (one query a minute).
SHARED_CACHE_SECONDS = 60


def new_generation() -> str:
    """A random code for one content state (the model's default, and every bump)."""
    return secrets.token_hex(8)


def _mirror_timeout():
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return LOCAL_CACHE_SECONDS if backend.endswith("LocMemCache") else SHARED_CACHE_SECONDS


def content_key() -> str:
    """`<version>.<generation>`: unique to the content state; part of every cache key."""
    key = cache.get(CACHE_KEY)
    if key is None:
        from .models import ContentVersion

        row = ContentVersion.objects.order_by("pk").values("version", "generation").first()
        # The migration that added the generation made the row, with a code of its own;
        # without one (a flushed test database) there is no content to tell apart.
        key = f"{row['version']}.{row['generation']}" if row else "0.none"
        cache.set(CACHE_KEY, key, _mirror_timeout())
    return key


def content_version() -> int:
    """The number alone (shown in exports and PDFs' metadata; never a cache key by itself)."""
    return int(content_key().partition(".")[0])


def _bump() -> None:
    from .models import ContentVersion

    updated = ContentVersion.objects.filter(pk=1).update(
        version=F("version") + 1, generation=new_generation(), changed_at=timezone.now()
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


def content_root_key(root) -> str:
    """How a content folder is named in the database: its resolved absolute path."""
    from pathlib import Path

    return str(Path(root).resolve())


def last_content_root() -> str:
    """The folder the database's content was last loaded from ("" before any load)."""
    from .models import ContentVersion

    return ContentVersion.objects.filter(pk=1).values_list("content_root", flat=True).first() or ""


def content_root_record(root) -> None:
    """Remember the folder of a load that was written (inside its transaction)."""
    from .models import ContentVersion

    key = content_root_key(root)
    if not ContentVersion.objects.filter(pk=1).update(content_root=key):
        ContentVersion.objects.get_or_create(pk=1, defaults={"content_root": key})
