"""Case studies (with their tags, filterable like the HTML index), themes and the glossary."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casestudies.models import CaseStudy, Theme
from casestudies.selectors import case_studies_filtered, case_study_filters
from guidance.models import GlossaryTerm

from .base import ContentSerializer, HtmlField, Kind, absolute, api_url, chosen_filters, html_url

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Query parameter -> (description, pattern a value must match).
CASE_STUDY_FILTERS = {
    "stage": ("A stage id, e.g. `plan`.", SLUG_PATTERN),
    "topic": (
        "A topic id, `stage/topic`.",
        r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
    ),
    "note": (
        "A project-proposal note id, `component/note`.",
        r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
    ),
    "theme": ("A theme id.", SLUG_PATTERN),
    "country": ("An ISO 3166-1 alpha-2 country code, e.g. `MX`.", r"^[A-Za-z]{2}$"),
}


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(source="country", help_text="ISO 3166-1 alpha-2.")
    name = serializers.CharField(source="country_name")


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    alt = serializers.CharField()


class ThemeRefSerializer(serializers.Serializer):
    id = serializers.SlugField(source="slug")
    name = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "themes", obj.slug)


class CaseStudySerializer(ContentSerializer):
    translated = (
        "title",
        "summary",
        "body_html",
        "organisation",
        "quote",
        "quote_by",
        "image_alt",
    )

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body_html = HtmlField(help_text="The story, sanitised HTML.")
    country = CountrySerializer(source="*")
    organisation = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    quote = serializers.CharField(help_text="A paraphrase; empty when none.")
    quote_by = serializers.CharField()
    image = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField(help_text="Stage ids.")
    topics = serializers.SerializerMethodField(help_text="Topic ids (`stage/topic`).")
    themes = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField(
        help_text="Project-proposal note ids (`component/note`) it illustrates."
    )
    published = serializers.DateField(
        source="published_on", allow_null=True, help_text="None when the source gives no date."
    )
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="The HTML page.")
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, obj):
        if not obj.image:
            return None
        return {"url": absolute(self.context, obj.image.url), "alt": obj.image_alt}

    def get_stages(self, obj) -> list[str]:
        return sorted(s.slug for s in obj.stages.all())

    def get_topics(self, obj) -> list[str]:
        return sorted(t.key for t in obj.topics.all())

    def get_notes(self, obj) -> list[str]:
        return sorted(n.key for n in obj.notes.all())

    @extend_schema_field(ThemeRefSerializer(many=True))
    def get_themes(self, obj):
        themes = sorted(obj.themes.all(), key=lambda t: (t.order, t.slug))
        return ThemeRefSerializer(themes, many=True, context=self.context).data

    def get_url(self, obj) -> str:
        return html_url(self.context, "casestudies:detail", slug=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "case-studies", obj.slug)


class ThemeSerializer(ContentSerializer):
    translated = ("name", "description")

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    order = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The HTML case-study index, filtered.")
    api_url = serializers.SerializerMethodField()
    case_studies_url = serializers.SerializerMethodField(help_text="Its case studies (API).")

    def get_url(self, obj) -> str:
        return html_url(self.context, "casestudies:index") + f"?theme={obj.slug}"

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "themes", obj.slug)

    def get_case_studies_url(self, obj) -> str:
        link = api_url(self.context, "case-studies")
        return link + ("&" if "?" in link else "?") + f"theme={obj.slug}"


class GlossaryTermSerializer(ContentSerializer):
    translated = ("expansion", "definition", "definition_html")

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    term = serializers.CharField(help_text="The same in every language.")
    expansion = serializers.CharField()
    definition = serializers.CharField(help_text="Plain text.")
    definition_html = HtmlField()
    url = serializers.SerializerMethodField(help_text="The entry on the HTML glossary page.")
    api_url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return html_url(self.context, "guidance:glossary") + f"#{obj.slug}"

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "glossary", obj.slug)


def _case_study_filters(qs, params):
    """The HTML index's filters (casestudies/selectors.py)."""
    chosen = chosen_filters(params, CASE_STUDY_FILTERS, case_study_filters)
    if chosen is None:
        return qs.none()
    return case_studies_filtered(chosen).prefetch_related(
        "stages", "topics__stage", "notes__component"
    )


def _case_study_rows(cases: list[dict]):
    header = [
        "id", "title", "summary", "country", "country_name", "organisation", "year",
        "stages", "topics", "themes", "notes", "published", "updated", "url",
    ]  # fmt: skip
    rows = [
        [
            c["id"],
            c["title"],
            c["summary"],
            c["country"]["code"],
            c["country"]["name"],
            c["organisation"],
            c["year"] or "",
            ";".join(c["stages"]),
            ";".join(c["topics"]),
            ";".join(t["id"] for t in c["themes"]),
            ";".join(c["notes"]),
            c["published"],
            c["updated"],
            c["url"],
        ]
        for c in cases
    ]
    return header, rows


def _glossary_rows(terms: list[dict]):
    header = ["id", "term", "expansion", "definition", "url"]
    return header, [[t["id"], t["term"], t["expansion"], t["definition"], t["url"]] for t in terms]


CASE_STUDIES = Kind(
    name="case-studies",
    serializer=CaseStudySerializer,
    queryset=lambda: CaseStudy.objects.published().prefetch_related(
        "themes", "stages", "topics__stage", "notes__component"
    ),
    filters=CASE_STUDY_FILTERS,
    apply_filters=_case_study_filters,
    csv_name="case-studies.csv",
    csv_rows=_case_study_rows,
    description=(
        "Published case studies, newest first, with their stages, topics, themes and "
        "project-proposal notes."
    ),
)
THEMES = Kind(
    name="themes",
    serializer=ThemeSerializer,
    queryset=lambda: Theme.objects.published().order_by("order", "slug"),
    description="The themes case studies are tagged with.",
)
GLOSSARY = Kind(
    name="glossary",
    serializer=GlossaryTermSerializer,
    queryset=lambda: GlossaryTerm.objects.published().order_by("term", "slug"),
    csv_name="glossary.csv",
    csv_rows=_glossary_rows,
    description="Terms and abbreviations used in the guide, with their meanings.",
)
