"""Read-only queries for the library page, its CSV and the topic pages' resource panel."""

from django.db.models import Prefetch

from guidance.content import valid_slug
from guidance.memo import per_content
from guidance.models import Topic

from .models import Resource
from .vocabulary import GROUPS, REGIONS, TYPES


def _with_topics(qs):
    return qs.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.select_related("stage").order_by("position"))
    )


def resources_for_topic(topic: Topic) -> list[Resource]:
    """The topic page's resource panel: every resource linked to it."""
    return resources_by_topic().get(topic.pk, [])


def resources_by_topic() -> dict[int, list[Resource]]:
    """Topic id → its resources by title, for every topic in two queries, once per content
    state and process (guidance/memo.py). Shared: nobody may modify these objects."""
    return per_content("resources-by-topic", _resources_by_topic)


def _resources_by_topic() -> dict[int, list[Resource]]:
    resources = {r.pk: r for r in Resource.objects.published().order_by("title")}
    by_topic: dict[int, list[Resource]] = {}
    links = Resource.topics.through.objects.filter(resource__in=resources.keys())
    for topic_id, resource_id in links.values_list("topic_id", "resource_id"):
        by_topic.setdefault(topic_id, []).append(resources[resource_id])
    order = {pk: place for place, pk in enumerate(resources)}
    for members in by_topic.values():
        members.sort(key=lambda r: order[r.pk])
    return by_topic


def resource_filters(params) -> dict:
    """The valid filters in a query string (unknown values are dropped, never an error)."""
    chosen = {}
    kind = params.get("type", "")
    if kind in TYPES:
        chosen["type"] = kind
    region = params.get("region", "")
    if region in REGIONS:
        chosen["region"] = region
    stage_slug, _, topic_slug = params.get("topic", "").partition("/")
    if valid_slug(stage_slug) and valid_slug(topic_slug):
        found = Topic.objects.published().filter(stage__slug=stage_slug, slug=topic_slug).first()
        if found:
            chosen["topic"] = found
    return chosen


def resources_matching(filters: dict):
    """Published resources matching `filters` (from resource_filters), as a queryset."""
    qs = Resource.objects.published()
    if "type" in filters:
        qs = qs.filter(kind=filters["type"])
    if "region" in filters:
        qs = qs.filter(region=filters["region"])
    if "topic" in filters:
        qs = qs.filter(topics=filters["topic"])
    return qs


def resources_filtered(filters: dict) -> list[Resource]:
    return list(_with_topics(resources_matching(filters).order_by("title")))


def resources_by_group(resources: list[Resource]) -> list[dict]:
    """[{slug, name, resources}] in the library's order, leaving out empty groups."""
    groups = []
    for slug, name in GROUPS.items():
        members = [r for r in resources if r.group == slug]
        if members:
            groups.append({"slug": slug, "name": name, "resources": members})
    return groups


def filter_options() -> dict:
    """Choices for the filter form: only values that some resource uses."""
    used = Resource.objects.published()
    kinds = set(used.values_list("kind", flat=True).distinct())
    regions = set(used.values_list("region", flat=True).distinct())
    return {
        "types": [(slug, name) for slug, name in TYPES.items() if slug in kinds],
        "regions": [(slug, name) for slug, name in REGIONS.items() if slug in regions],
        "topics": list(
            Topic.objects.published()
            .filter(resources__isnull=False)
            .distinct()
            .order_by("position")
        ),
    }
