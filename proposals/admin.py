"""The project-proposals guide is edited in content files: the admin shows it read-only."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from guidance.admin import ReadOnlyMixin

from .models import Checklist, ChecklistEntry, Component, Note, ProposalPage


class ChecklistEntryInline(ReadOnlyMixin, TranslationTabularInline):
    model = ChecklistEntry
    fields = ("kind", "order", "group", "subgroup", "text")
    extra = 0


class ChecklistInline(ReadOnlyMixin, TranslationTabularInline):
    model = Checklist
    fields = ("number", "slug", "kind", "title")
    extra = 0


@admin.register(ProposalPage)
class ProposalPageAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "slug", "updated_at")
    fields = ("slug", "title", "summary")


@admin.register(Component)
class ComponentAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "letter", "order", "updated_at")
    fields = ("slug", "letter", "order", "title", "summary")


@admin.register(Note)
class NoteAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("code", "title", "component", "updated_at")
    list_filter = ("component",)
    search_fields = ("title", "summary")
    fields = ("component", "slug", "code", "order", "title", "summary")
    inlines = [ChecklistInline]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "number", "kind", "note")
    list_filter = ("kind",)
    fields = ("note", "slug", "number", "kind", "order", "title")
    inlines = [ChecklistEntryInline]
