from modeltranslation.translator import TranslationOptions, register

from .models import Checklist, ChecklistEntry, Component, Note, ProposalPage


@register(ProposalPage)
class ProposalPageTranslation(TranslationOptions):
    fields = ("title", "summary", "body_html")


@register(Component)
class ComponentTranslation(TranslationOptions):
    fields = ("title", "summary", "body_html")


@register(Note)
class NoteTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "context_html",
        "need_html",
        "recommendations_html",
        "linkages_html",
    )


@register(Checklist)
class ChecklistTranslation(TranslationOptions):
    fields = ("title", "intro_html")


@register(ChecklistEntry)
class ChecklistEntryTranslation(TranslationOptions):
    fields = ("group", "subgroup", "text", "text_html")
