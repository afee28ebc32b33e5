"""What saving a resource in the admin does, as plain functions (the admin stays thin)."""

from modeltranslation.utils import build_localized_fieldname

from casestudies.services import LANGUAGE_CODES, BodyRenderer

from .models import Resource


def resource_renderer() -> BodyRenderer:
    """The case studies' renderer (same sanitiser, links and glossary) plus the library."""
    renderer = BodyRenderer()
    renderer.targets.add("/resources/")
    return renderer


def resource_broken_links(annotations: dict[str, str]) -> dict[str, list[str]]:
    """Language → internal links in its annotation that lead nowhere (only if any)."""
    renderer = resource_renderer()
    broken = {}
    for language, text in annotations.items():
        _html, links = renderer.render(text, language)
        if links:
            broken[language] = links
    return broken


def resource_render(resource: Resource) -> None:
    """Set `annotation_html_<lang>` from `annotation_<lang>` for every language (not saved)."""
    renderer = resource_renderer()
    for language in LANGUAGE_CODES:
        text = getattr(resource, build_localized_fieldname("annotation", language)) or ""
        html, _links = renderer.render(text, language) if text.strip() else ("", [])
        setattr(resource, build_localized_fieldname("annotation_html", language), html)
