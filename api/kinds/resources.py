"""The resource library: guides, toolkits, standards and the rest, filterable like its page."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from resources.models import Resource
from resources.selectors import resource_filters, resources_matching
from resources.vocabulary import GROUPS, REGIONS, TYPES

from .base import ContentSerializer, HtmlField, Kind, api_url, chosen_filters, html_url

RESOURCE_FILTERS = {
    "type": (f"One of: {', '.join(TYPES)}.", "^(" + "|".join(TYPES) + ")$"),
    "region": (f"One of: {', '.join(REGIONS)}.", "^(" + "|".join(REGIONS) + ")$"),
    "topic": (
        "A topic id, `stage/topic`: resources linked to that topic.",
        r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
    ),
}


class LabelledSerializer(serializers.Serializer):
    """A controlled value: its stable code and its name in the response's language."""

    code = serializers.CharField()
    name = serializers.CharField()


class ResourceSerializer(ContentSerializer):
    translated = ("annotation", "annotation_html")

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="As published, in its own language.")
    title_language = serializers.CharField(help_text="The language of the title.")
    publisher = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    type = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    group = serializers.SerializerMethodField(help_text="The list it belongs to on the page.")
    languages = serializers.ListField(
        source="language_codes", child=serializers.CharField(), help_text="ISO 639-1 codes."
    )
    link = serializers.URLField(source="url", help_text="The resource itself (elsewhere).")
    annotation = serializers.CharField(help_text="Why it is useful, plain Markdown source.")
    annotation_html = HtmlField()
    topics = serializers.SerializerMethodField(help_text="Topic ids (`stage/topic`).")
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="Its entry on the HTML library page.")
    api_url = serializers.SerializerMethodField()

    @staticmethod
    def _labelled(code, names) -> dict:
        return {"code": code, "name": str(names.get(code, code))}

    @extend_schema_field(LabelledSerializer)
    def get_type(self, obj) -> dict:
        return self._labelled(obj.kind, TYPES)

    @extend_schema_field(LabelledSerializer)
    def get_region(self, obj) -> dict:
        return self._labelled(obj.region, REGIONS)

    @extend_schema_field(LabelledSerializer)
    def get_group(self, obj) -> dict:
        return self._labelled(obj.group, GROUPS)

    def get_topics(self, obj) -> list[str]:
        return sorted(t.key for t in obj.topics.all())

    def get_url(self, obj) -> str:
        return html_url(self.context, "resources:index") + f"#{obj.slug}"

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "resources", obj.slug)


def _queryset():
    return Resource.objects.published().order_by("title", "slug").prefetch_related("topics__stage")


def _filters(qs, params):
    """The library page's filters (resources/selectors.py)."""
    chosen = chosen_filters(params, RESOURCE_FILTERS, resource_filters)
    if chosen is None:
        return qs.none()
    return resources_matching(chosen).order_by("title", "slug").prefetch_related("topics__stage")


def _rows(items: list[dict]):
    header = [
        "id", "title", "publisher", "year", "type", "region", "group", "languages", "link",
        "annotation", "topics", "updated", "url",
    ]  # fmt: skip
    rows = [
        [
            r["id"],
            r["title"],
            r["publisher"],
            r["year"] or "",
            r["type"]["code"],
            r["region"]["code"],
            r["group"]["code"],
            ";".join(r["languages"]),
            r["link"],
            r["annotation"],
            ";".join(r["topics"]),
            r["updated"],
            r["url"],
        ]
        for r in items
    ]
    return header, rows


RESOURCES = Kind(
    name="resources",
    serializer=ResourceSerializer,
    queryset=_queryset,
    filters=RESOURCE_FILTERS,
    apply_filters=_filters,
    csv_name="resources.csv",
    csv_rows=_rows,
    description="The resource library: guides, toolkits, standards, laws, reports, data sets "
    "and courses elsewhere, each with a note on why it is useful.",
)
