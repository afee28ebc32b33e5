from modeltranslation.translator import TranslationOptions, register

from .models import ChangeNote, ChecklistItem, GlossaryTerm, Page, Stage, Topic


@register(Stage)
class StageTranslation(TranslationOptions):
    fields = ("title", "summary", "body_html", "updated_on")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("title", "summary", "why_html", "what_html", "toc", "updated_on")


@register(ChecklistItem)
class ChecklistItemTranslation(TranslationOptions):
    fields = ("text", "text_html")


@register(GlossaryTerm)
class GlossaryTermTranslation(TranslationOptions):
    fields = ("abbreviation", "expansion", "definition", "definition_html")


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body_html", "updated_on")


@register(ChangeNote)
class ChangeNoteTranslation(TranslationOptions):
    fields = ("note",)
