"""Self-assessment instruments: their categories, indicators, questions and answer scales.

Only the instruments; a visitor's answers are never stored (they live in signed links), so
the API has none to give. Each instrument is one row per language: the list follows the
English rows and shows each in the language asked for where it is translated.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment

from .base import ContentSerializer, Kind, absolute_html, api_url, html_url, language_of


class OptionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Language-free code, as in the result CSV.")
    label = serializers.CharField()
    points = serializers.IntegerField(allow_null=True, help_text="None: not applicable.")


class FieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    scale = serializers.CharField(help_text="The name of its answer scale in `scales`.")
    fields = FieldSerializer(many=True, help_text="Tick-boxes, one point each (if any).")


class IndicatorSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    next = serializers.CharField(help_text="What to do next when the score is low.")
    topics = serializers.ListField(child=serializers.CharField(), help_text="Topic ids.")
    case_studies = serializers.ListField(child=serializers.CharField())
    questions = QuestionSerializer(many=True)


class CategorySerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField()
    indicators = IndicatorSerializer(many=True)


def _rows_in(context, language: str) -> dict[str, Assessment]:
    """This language's rows by slug, read once per response (not once per instrument)."""
    key = f"_assessments_{language}"
    if key not in context:
        context[key] = {row.slug: row for row in Assessment.objects.filter(language=language)}
    return context[key]


def _shown(context, obj: Assessment) -> Assessment:
    return _rows_in(context, language_of(context)).get(obj.slug, obj)


def _definition(definition: dict) -> dict:
    """The stored structure with every optional key present, so each item has one shape."""
    return {
        "scales": {
            name: [{"code": o["code"], "label": o["label"], "points": o["points"]} for o in opts]
            for name, opts in definition.get("scales", {}).items()
        },
        "categories": [
            {
                "id": c["id"],
                "title": c["title"],
                "intro": c.get("intro", ""),
                "indicators": [
                    {
                        "id": i["id"],
                        "title": i["title"],
                        "next": i.get("next", ""),
                        "topics": list(i.get("topics", [])),
                        "case_studies": list(i.get("case_studies", [])),
                        "questions": [
                            {
                                "id": q["id"],
                                "text": q["text"],
                                "help": q.get("help", ""),
                                "scale": q.get("scale", ""),
                                "fields": [
                                    {"code": f["code"], "label": f["label"]}
                                    for f in q.get("fields", [])
                                ],
                            }
                            for q in i["questions"]
                        ],
                    }
                    for i in c["indicators"]
                ],
            }
            for c in definition.get("categories", [])
        ],
    }


class AssessmentSerializer(ContentSerializer):
    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    order = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField(help_text="Introduction, sanitised HTML.")
    question_count = serializers.SerializerMethodField()
    scales = serializers.SerializerMethodField(help_text="Answer scales by name.")
    categories = serializers.SerializerMethodField(help_text="The steps, in order.")
    updated = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The HTML page: take the assessment.")
    api_url = serializers.SerializerMethodField()

    def get_fallback(self, obj) -> list[str]:
        if language_of(self.context) == "en" or _shown(self.context, obj).language != "en":
            return []
        return ["title", "summary", "body_html", "scales", "categories"]

    def get_title(self, obj) -> str:
        return _shown(self.context, obj).title

    def get_summary(self, obj) -> str:
        return _shown(self.context, obj).summary

    def get_body_html(self, obj) -> str:
        return absolute_html(self.context, _shown(self.context, obj).body_html)

    def get_question_count(self, obj) -> int:
        definition = obj.definition
        return sum(len(i["questions"]) for c in definition["categories"] for i in c["indicators"])

    @extend_schema_field(
        serializers.DictField(child=OptionSerializer(many=True), help_text="Answer scales.")
    )
    def get_scales(self, obj):
        return _definition(_shown(self.context, obj).definition)["scales"]

    @extend_schema_field(CategorySerializer(many=True))
    def get_categories(self, obj):
        return _definition(_shown(self.context, obj).definition)["categories"]

    @extend_schema_field(serializers.DateTimeField())
    def get_updated(self, obj):
        shown = _shown(self.context, obj)
        return serializers.DateTimeField().to_representation(max(shown.updated_at, obj.updated_at))

    def get_url(self, obj) -> str:
        return html_url(self.context, "assessments:detail", slug=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "assessments", obj.slug)


ASSESSMENTS = Kind(
    name="assessments",
    serializer=AssessmentSerializer,
    queryset=lambda: Assessment.objects.filter(language="en").order_by("order", "slug"),
    description="Self-assessment instruments: questions a team answers to see where it "
    "stands, grouped in steps, with the scales answers are given on. Visitors' answers are "
    "never stored and are not here.",
)
