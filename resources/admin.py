"""The editors' admin for the resource library (thin: rules in forms.py and vocabulary.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casestudies.admin import TabbedAdmin

from . import services
from .forms import ResourceForm
from .models import Resource


@admin.register(Resource)
class ResourceAdmin(TabbedAdmin):
    form = ResourceForm
    list_display = ("title", "publisher", "year", "kind", "region", "group", "source")
    list_filter = ("kind", "region", "group", "source")
    search_fields = ("title", "publisher", "url", "slug")
    filter_horizontal = ("topics",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "publisher", "year", "url")}),
        (_("Where it appears"), {"fields": ("kind", "region", "languages", "group", "topics")}),
        (_("Annotation"), {"fields": ("annotation",)}),
        (None, {"fields": ("updated_at",)}),
    )

    def save_model(self, request, obj, form, change):
        # The topics are set in save_related, after the form's many-to-many save.
        services.resource_render(obj)
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.resource_save(form.instance)

    def delete_model(self, request, obj):
        services.resource_delete(obj)
