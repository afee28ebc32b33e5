from modeltranslation.translator import TranslationOptions, register

from .models import CaseStudy, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CaseStudy)
class CaseStudyTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "body",
        "body_html",
        "organisation",
        "quote",
        "quote_by",
        "image_alt",
        "updated_on",
    )
