from django import template
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import mark_safe

from guidance.templatetags.guide import links_in

from ..documents import KINDS, resolve
from ..html import component_anchor as _component_anchor
from ..html import fit_fragment
from ..html import note_anchor as _note_anchor
from ..html import stage_anchor as _stage_anchor
from ..html import topic_anchor as _topic_anchor
from ..services import built_pdf

register = template.Library()


@register.simple_tag
def stage_anchor(stage):
    return _stage_anchor(stage.slug)


@register.simple_tag
def topic_anchor(topic):
    return _topic_anchor(topic.stage.slug, topic.slug)


@register.simple_tag
def component_anchor(component):
    return _component_anchor(component.slug)


@register.simple_tag
def note_anchor(note):
    return _note_anchor(note.component.slug, note.slug)


def _anchors(context):
    """Where links can stay inside the document: its stages and topics, or components and
    notes (not on a checklist: it holds no notes' text)."""
    anchors = set()
    for stage in context.get("stages") or []:
        anchors.add(_stage_anchor(stage.slug))
        anchors.update(_topic_anchor(stage.slug, t.slug) for t in stage.topic_list)
    if not context.get("checklists_only"):
        for component in context.get("components") or []:
            anchors.add(_component_anchor(component.slug))
            anchors.update(_note_anchor(component.slug, n.slug) for n in component.note_list)
    return anchors


@register.simple_tag(takes_context=True)
def fit(context, html, shift=0, prefix=None):
    """A stored fragment in a print document (see printing/html.py)."""
    if prefix is not None and hasattr(prefix, "stage"):
        prefix = _topic_anchor(prefix.stage.slug, prefix.slug) + "-"
    elif isinstance(prefix, str):
        pass  # given as is (a proposals note's or checklist's anchor)
    elif prefix is not None:
        prefix = _stage_anchor(prefix.slug) + "-"
    html = links_in(html, context.get("current_language", "en"))
    return mark_safe(  # noqa: S308 (sanitised with nh3 when it was stored)
        fit_fragment(
            html,
            shift=int(shift),
            prefix=prefix or "",
            anchors=_anchors(context),
            site_root=context.get("site_root", ""),
        )
    )


@register.inclusion_tag("printing/pdf_link.html", takes_context=True)
def pdf_link(context, kind, key=""):
    """ "Download … as PDF (12 pages, 180 KB)" once the PDF is built, else without the figures.

    A page showing the link without figures is kept in the page cache only briefly
    (PDF_PENDING_PAGE_CACHE_SECONDS), so it gains them soon after the PDF is built.
    """
    document = context.get("document")
    if document is None or (document.kind, document.key) != (kind, key):
        try:
            document = resolve(kind, key)
        except Http404:  # not public (an editor's preview of a draft): no PDF, no link
            return {"url": None}
    language = context.get("current_language", "en")
    built = built_pdf(document, language)
    request = context.get("request")
    if built is None and request is not None and document.store:
        request.page_cache_timeout = settings.PDF_PENDING_PAGE_CACHE_SECONDS
    if key:
        url = reverse("printing:pdf-key", kwargs={"kind": kind, "key": key})
    else:
        url = reverse("printing:pdf", kwargs={"kind": kind})
    return {"label": KINDS[kind].label, "url": url, "built": built}
