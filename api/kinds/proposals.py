"""The second guide, developing a smart-city project proposal: components and guidance notes.

Each note keeps the source's four parts (context, the need, recommendations, linkages) and
carries its checklists (questions, do's and don'ts, points to consider, or the critical
success factors' statements to rate) — which are also the export's CSV.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from proposals.models import Checklist, ChecklistEntry, Component, Note

from .base import (
    ContentSerializer,
    HtmlField,
    Kind,
    api_url,
    fallback_fields,
    html_url,
    language_of,
)


class NoteRefSerializer(serializers.Serializer):
    id = serializers.CharField(source="key", help_text="Stable id: `component/note`.")
    code = serializers.CharField(help_text="How the source cites it: A, B1 … C4.")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return html_url(self.context, "proposals:note", component=obj.component.slug, note=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "proposal-notes", obj.component.slug, obj.slug)


class ComponentSerializer(ContentSerializer):
    translated = ("title", "summary", "body_html")

    id = serializers.SlugField(source="slug", help_text="Stable id (the slug).")
    slug = serializers.SlugField()
    letter = serializers.CharField(help_text="A, B or C, as in the source.")
    order = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body_html = HtmlField(help_text="Introduction, sanitised HTML.")
    notes = serializers.SerializerMethodField()
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="The HTML page.")
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(NoteRefSerializer(many=True))
    def get_notes(self, obj):
        notes = sorted(obj.notes.all(), key=lambda n: n.order)
        for note in notes:
            note.component = obj  # already known: no query per note
        return NoteRefSerializer(notes, many=True, context=self.context).data

    def get_url(self, obj) -> str:
        return html_url(self.context, "proposals:component", component=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "proposal-components", obj.slug)


class EntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[code for code, _ in ChecklistEntry.KIND_CHOICES])
    group = serializers.CharField(help_text="Critical success factors: the factor.")
    subgroup = serializers.CharField(help_text="Critical success factors: the sub-factor.")
    text = serializers.CharField(help_text="Plain text.")
    text_html = HtmlField()
    fallback = serializers.SerializerMethodField()

    def get_fallback(self, obj) -> list[str]:
        return fallback_fields(
            obj, ("group", "subgroup", "text", "text_html"), language_of(self.context)
        )


class ChecklistSerializer(serializers.Serializer):
    id = serializers.SlugField(source="slug")
    number = serializers.IntegerField(allow_null=True, help_text="The source's number, 1–11.")
    kind = serializers.ChoiceField(choices=[code for code, _ in Checklist.KIND_CHOICES])
    title = serializers.CharField()
    intro_html = HtmlField()
    entries = EntrySerializer(many=True)
    url = serializers.SerializerMethodField()
    fallback = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        if obj.kind == Checklist.AGREEMENT:
            return html_url(self.context, "proposals:success-factors")
        note = obj.note
        return (
            html_url(self.context, "proposals:note", component=note.component.slug, note=note.slug)
            + f"#{obj.anchor}"
        )

    def get_fallback(self, obj) -> list[str]:
        return fallback_fields(obj, ("title", "intro_html"), language_of(self.context))


class NoteSerializer(ContentSerializer):
    translated = (
        "title", "summary", "context_html", "need_html", "recommendations_html", "linkages_html",
    )  # fmt: skip

    id = serializers.CharField(source="key", help_text="Stable id: `component/note`.")
    slug = serializers.SlugField()
    code = serializers.CharField(help_text="How the source cites it: A, B1 … C4.")
    component = serializers.SerializerMethodField()
    order = serializers.IntegerField(help_text="Order within the component.")
    position = serializers.IntegerField(help_text="Order in the whole guide.")
    title = serializers.CharField()
    summary = serializers.CharField()
    context_html = HtmlField(help_text="Context, sanitised HTML.")
    need_html = HtmlField(help_text="The need.")
    recommendations_html = HtmlField(help_text="Recommendations.")
    linkages_html = HtmlField(help_text="Linkages: links to other notes and buying-guide topics.")
    checklists = serializers.SerializerMethodField()
    updated = serializers.DateTimeField(source="updated_at")
    url = serializers.SerializerMethodField(help_text="The HTML page.")
    api_url = serializers.SerializerMethodField()

    def get_component(self, obj):
        component = obj.component
        return {
            "id": component.slug,
            "letter": component.letter,
            "title": component.title,
            "api_url": api_url(self.context, "proposal-components", component.slug),
        }

    @extend_schema_field(ChecklistSerializer(many=True))
    def get_checklists(self, obj):
        checklists = sorted(obj.checklists.all(), key=lambda c: c.order)
        for checklist in checklists:
            checklist.note = obj
        return ChecklistSerializer(checklists, many=True, context=self.context).data

    def get_url(self, obj) -> str:
        return html_url(self.context, "proposals:note", component=obj.component.slug, note=obj.slug)

    def get_api_url(self, obj) -> str:
        return api_url(self.context, "proposal-notes", obj.component.slug, obj.slug)


class ComponentRefSerializer(serializers.Serializer):
    id = serializers.SlugField()
    letter = serializers.CharField()
    title = serializers.CharField()
    api_url = serializers.URLField()


NoteSerializer.get_component = extend_schema_field(ComponentRefSerializer)(
    NoteSerializer.get_component
)


def _components():
    return Component.objects.order_by("order").prefetch_related("notes")


def _notes():
    return (
        Note.objects.select_related("component")
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "checklists",
                queryset=Checklist.objects.prefetch_related(
                    Prefetch("entries", queryset=ChecklistEntry.objects.order_by("order"))
                ),
            )
        )
    )


def _find_note(qs, values):
    return qs.filter(component__slug=values["component"], slug=values["slug"])


def _checklist_rows(notes: list[dict]):
    header = ["component", "note_id", "note", "checklist", "number", "kind", "group",
              "subgroup", "text", "url"]  # fmt: skip
    rows = [
        [
            note["component"]["title"],
            note["id"],
            f"{note['code']} {note['title']}",
            checklist["title"],
            checklist["number"] or "",
            entry["kind"],
            entry["group"],
            entry["subgroup"],
            entry["text"],
            checklist["url"],
        ]
        for note in notes
        for checklist in note["checklists"]
        for entry in checklist["entries"]
    ]
    return header, rows


PROPOSAL_COMPONENTS = Kind(
    name="proposal-components",
    serializer=ComponentSerializer,
    queryset=_components,
    description="The project-proposal guide's components — Think smart, Work smart, Measure "
    "smart — each with its guidance notes.",
)
PROPOSAL_NOTES = Kind(
    name="proposal-notes",
    serializer=NoteSerializer,
    queryset=_notes,
    lookups=("component", "slug"),
    find=_find_note,
    csv_name="proposal-checklists.csv",
    csv_rows=_checklist_rows,
    description="The project-proposal guide's notes in reading order, each in the source's "
    "four parts, with its checklists.",
)
