"""Stages, topics (with their do's and don'ts, which are also the checklist CSV), pages."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casestudies.models import CaseStudy
from guidance.models import ChecklistItem, Page, Stage, Topic
from guidance.selectors import dos_and_donts

from .base import (
    ContentSerializer,
    HtmlField,
    Kind,
    api_url,
    fallback_fields,
    html_url,
    language_of,
)


class TopicRefSerializer(serializers.Serializer):
    id = serializers.CharField(source="key", help_text="Stable id: `stage/topic`.")
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return html_url(self.context, "guidance:topic", stage=obj.stage.slug, topic=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "topics", obj.stage.slug, obj.slug)


class StageRefSerializer(serializers.Serializer):
    id = serializers.SlugField(source="slug")
    slug = serializers.SlugField()
    title = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "stages", obj.slug)


class StageSerializer(ContentSerializer):
    translated = ("title", "summary", "body_html")

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body_html = HtmlField(help_text="Overview, sanitised HTML.")
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="The HTML page.")
    api_url = serializers.SerializerMethodField()
    checklist_url = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return html_url(self.context, "guidance:stage", stage=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "stages", obj.slug)

    def get_checklist_url(self, obj) -> str:
        return html_url(self.context, "guidance:stage-checklist", stage=obj.slug)

    @extend_schema_field(TopicRefSerializer(many=True))
    def get_topics(self, obj) -> list[dict]:
        topics = sorted(obj.topics.all(), key=lambda t: t.order)
        for topic in topics:
            topic.stage = obj  # already known: no query per topic
        return TopicRefSerializer(topics, many=True, context=self.context).data


class ItemSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="Plain text.")
    text_html = HtmlField()
    fallback = serializers.SerializerMethodField()

    def get_fallback(self, obj) -> list[str]:
        return fallback_fields(obj, ("text", "text_html"), language_of(self.context))


class CaseStudyRefSerializer(serializers.Serializer):
    id = serializers.SlugField(source="slug")
    title = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "case-studies", obj.slug)


class TopicSerializer(ContentSerializer):
    translated = ("title", "summary", "why_html", "what_html", "toc")

    id = serializers.CharField(source="key", help_text="Stable id: `stage/topic`.")
    slug = serializers.SlugField()
    stage = StageRefSerializer()
    order = serializers.IntegerField(help_text="Order within the stage.")
    position = serializers.IntegerField(help_text="Order in the whole guide.")
    title = serializers.CharField()
    summary = serializers.CharField()
    why_html = HtmlField(help_text="“Why it's important”, sanitised HTML.")
    what_html = HtmlField(help_text="“What it means”, sanitised HTML.")
    subheadings = serializers.ListField(child=serializers.DictField(), read_only=True)
    dos = serializers.SerializerMethodField()
    donts = serializers.SerializerMethodField()
    case_studies = serializers.SerializerMethodField()
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="The HTML page.")
    api_url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return html_url(self.context, "guidance:topic", stage=obj.stage.slug, topic=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "topics", obj.stage.slug, obj.slug)

    @extend_schema_field(ItemSerializer(many=True))
    def get_dos(self, obj) -> list[dict]:
        return ItemSerializer(dos_and_donts(obj)[0], many=True, context=self.context).data

    @extend_schema_field(ItemSerializer(many=True))
    def get_donts(self, obj) -> list[dict]:
        return ItemSerializer(dos_and_donts(obj)[1], many=True, context=self.context).data

    @extend_schema_field(CaseStudyRefSerializer(many=True))
    def get_case_studies(self, obj) -> list[dict]:
        return CaseStudyRefSerializer(
            obj.published_case_studies, many=True, context=self.context
        ).data


class PageSerializer(ContentSerializer):
    translated = ("title", "summary", "body_html")

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body_html = HtmlField()
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="The HTML page.")
    api_url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        if obj.slug == "home":
            return html_url(self.context, "home")
        return html_url(self.context, "page", slug=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "pages", obj.slug)


def _stages():
    return Stage.objects.published().order_by("order").prefetch_related("topics")


def _topics():
    return (
        Topic.objects.published()
        .order_by("position")
        .prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.order_by("kind", "order")),
            Prefetch(
                "case_studies",
                queryset=CaseStudy.objects.published().order_by("slug"),
                to_attr="published_case_studies",
            ),
        )
    )


def _find_topic(qs, values):
    return qs.filter(stage__slug=values["stage"], slug=values["slug"])


def _checklist_rows(topics: list[dict]):
    header = ["stage", "topic_id", "topic", "kind", "text", "url"]
    rows = []
    for topic in topics:
        for kind, items in (("do", topic["dos"]), ("dont", topic["donts"])):
            for item in items:
                rows.append(
                    [
                        topic["stage"]["title"],
                        topic["id"],
                        topic["title"],
                        kind,
                        item["text"],
                        topic["url"],
                    ]
                )
    return header, rows


STAGES = Kind(
    name="stages",
    serializer=StageSerializer,
    queryset=_stages,
    description="The stages of buying, in reading order, each with its topics.",
)
TOPICS = Kind(
    name="topics",
    serializer=TopicSerializer,
    queryset=_topics,
    lookups=("stage", "slug"),
    find=_find_topic,
    csv_name="checklist.csv",
    csv_rows=_checklist_rows,
    description="Guidance topics with their do's and don'ts, in the guide's reading order.",
)
PAGES = Kind(
    name="pages",
    serializer=PageSerializer,
    queryset=lambda: Page.objects.published().order_by("slug"),
    description="The home page introduction, about this guide, accessibility statement.",
)
