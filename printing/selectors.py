"""Read-only queries for print pages and PDFs."""

from datetime import UTC, datetime

from django.core.cache import cache

from guidance.models import ContentVersion
from guidance.selectors import checklist_topics, stages_in_order
from guidance.version import content_key, content_version


def guide_stages(stage=None):
    """Stages in order, each with `topic_list`: its topics with dos and don'ts (3 queries)."""
    stages = [stage] if stage is not None else stages_in_order()
    by_stage = {}
    for topic in checklist_topics(stage):
        by_stage.setdefault(topic.stage_id, []).append(topic)
    for each in stages:
        each.topic_list = by_stage.get(each.pk, [])
    return stages


def content_state() -> tuple[int, object]:
    """The content version and when the content last changed.

    The date is cached under the content key, so pages that show PDF links cost no extra
    query (and a recreated database's version 3 never finds the old one's date).
    """
    version = content_version()
    key = f"printing:content-changed:{content_key()}"
    changed = cache.get(key)
    if changed is None:
        row = ContentVersion.objects.order_by("pk").first()
        # Before the first load there is no row: a fixed date keeps PDF file names stable.
        changed = row.changed_at if row else datetime(2020, 1, 1, tzinfo=UTC)
        cache.set(key, changed, 3600)
    return version, changed
