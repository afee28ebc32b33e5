"""The admin's "Translation status" page: read-only, for Translators and Editors."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from guidance.languages import TRANSLATION_CODES

from .checks import unmarked_template_strings
from .models import TranslationStatus
from .selectors import translation_overview


@admin.register(TranslationStatus)
class TranslationStatusAdmin(admin.ModelAdmin):
    """One page instead of a list: the files are the source, so there is nothing to change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        chosen = request.GET.get("language", "")
        languages = [chosen] if chosen in TRANSLATION_CODES else list(TRANSLATION_CODES)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translation status"),
            "opts": self.model._meta,
            "overviews": translation_overview(
                root=settings.CONTENT_DIR,
                sources=settings.TRANSLATION_SOURCES_DIR,
                base=settings.BASE_DIR,
                languages=languages,
            ),
            "languages": [(code, code in languages) for code in TRANSLATION_CODES],
            "unmarked": unmarked_template_strings(base=settings.BASE_DIR),
            "chosen": chosen if chosen in TRANSLATION_CODES else "",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/translating/status.html", context)
