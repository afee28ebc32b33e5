"""Guidance is edited in content files, not here: the admin shows it read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import ChecklistItem, GlossaryTerm, Page, Stage, Topic

EDIT_IN_FILES = _(
    "This text is managed in the content files (content/<language>/…, see docs/content.md) "
    "and loaded with `python manage.py load_content`. Edit it there: changes made here "
    "would be overwritten, so the admin shows it read-only."
)


class ReadOnlyMixin:
    """Visible to those allowed to view; nobody adds, changes or deletes here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "read_only_note": EDIT_IN_FILES}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "read_only_note": EDIT_IN_FILES}
        return super().changelist_view(request, extra_context)


class ChecklistItemInline(ReadOnlyMixin, TranslationTabularInline):
    model = ChecklistItem
    fields = ("kind", "order", "text")
    extra = 0


@admin.register(Stage)
class StageAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "slug", "order", "updated_on")
    search_fields = ("title", "summary")


@admin.register(Topic)
class TopicAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "stage", "order", "updated_on")
    list_filter = ("stage",)
    search_fields = ("title", "summary")
    fields = ("stage", "slug", "order", "title", "summary")
    inlines = [ChecklistItemInline]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("term", "expansion")
    search_fields = ("term", "expansion", "definition")
    fields = ("term", "slug", "abbreviation", "expansion", "definition")


@admin.register(Page)
class PageAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "slug", "updated_on")
    fields = ("slug", "title", "summary")
