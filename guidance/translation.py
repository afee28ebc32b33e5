from modeltranslation.translator import TranslationOptions, register

from .models import ChecklistItem, GlossaryTerm, Page, Stage, Topic


@register(Stage)
class StageTranslation(TranslationOptions):
    fields = ("title", "summary", "body_html")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("title", "summary", "why_html", "what_html", "toc")


@register(ChecklistItem)
class ChecklistItemTranslation(TranslationOptions):
    fields = ("text", "text_html")


@register(GlossaryTerm)
class GlossaryTermTranslation(TranslationOptions):
    fields = ("expansion", "definition", "definition_html")


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body_html")
