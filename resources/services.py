"""What saving a resource in the admin does, as plain functions (the admin stays thin)."""

from django.db import transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from casestudies.services import LANGUAGE_CODES, BodyRenderer
from guidance.version import content_version_bump

from .models import Resource
from .signals import resource_deleted, resource_saved


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


def resource_save(resource: Resource, *, topics=None) -> Resource:
    """Render, save, tag; once committed, tell search and refresh cached pages."""
    resource_render(resource)
    resource.updated_at = timezone.now()
    with transaction.atomic():
        resource.save()
        if topics is not None:
            resource.topics.set(topics)
        transaction.on_commit(lambda: resource_saved.send(sender=Resource, resource=resource))
        content_version_bump()
    return resource


def resource_delete(resource: Resource) -> None:
    slug = resource.slug
    with transaction.atomic():
        resource.delete()
        resource.slug = slug  # the index entry is found by slug
        transaction.on_commit(lambda: resource_deleted.send(sender=Resource, resource=resource))
        content_version_bump()
