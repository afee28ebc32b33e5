"""Read-only: instruments come from content files (docs/assessments.md), as the guide does."""

from django.contrib import admin

from .models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "language", "order", "updated_at")
    list_filter = ("language",)
    readonly_fields = ("slug", "language", "order", "title", "summary", "fingerprint", "updated_at")
    exclude = ("body_html", "definition")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
