from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import CaseStudy, Theme


@admin.register(Theme)
class ThemeAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "order")
    search_fields = ("name", "slug")


@admin.register(CaseStudy)
class CaseStudyAdmin(TabbedTranslationAdmin):
    list_display = ("title", "country", "status", "published_on")
    list_filter = ("status", "country", "themes", "stages")
    search_fields = ("title", "summary", "organisation", "slug")
    filter_horizontal = ("topics", "themes")
    prepopulated_fields = {"slug": ("title_en",)}
