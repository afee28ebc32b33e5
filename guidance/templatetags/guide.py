from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def links_in(html: str, language: str) -> str:
    """Point a stored fragment's internal links at the visitor's language.

    Fragments are stored with links for the language they were written in; an English
    fallback shown to a Spanish reader should still lead to Spanish pages.
    """
    html = html or ""
    if language and language != "en":
        html = html.replace('href="/en/', f'href="/{language}/')
    return mark_safe(html)  # noqa: S308 (sanitised with nh3 when it was stored)


@register.simple_tag
def page_history(obj):
    """The change notes readers see for `obj` (a stage, topic, page or case study)."""
    from guidance.changes import page_history as notes_of

    return notes_of(obj)
