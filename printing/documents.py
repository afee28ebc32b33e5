"""What can be printed or downloaded as PDF: one resolver per kind of document.

A resolver takes the document's key (a slug, or "" for the whole guide) and returns a
`Document`, or raises `Http404` when there is no such thing. The print pages, the PDF view,
the links on pages and `build_pdfs` all go through `resolve()`, so a kind is defined once.

Another app adds a kind with `register()`; a self-assessment result, say:

    register("result", result_document, label=_("Download your result as PDF"))

where `result_document(key)` returns a Document with `version` set to something that
changes with the result (results are not content, so the content version does not cover
them) and `listed=False` (not built ahead by `build_pdfs`).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casestudies.models import CaseStudy
from guidance.content import valid_slug
from guidance.models import Stage
from guidance.selectors import checklist_topics, stages_in_order

from .selectors import guide_stages


@dataclass
class Document:
    kind: str
    key: str
    title: str
    template: str  # the body partial, shared by the print page and the PDF
    # What the template needs, built only when the document is rendered (serving a built
    # PDF or showing its link costs no more than finding the object).
    context: Callable[[], dict]
    web_path: str  # the web page this document prints (stated on its first page)
    version: str | None = None  # None: the content version and date of change
    title_language: str = ""  # set when the title falls back to English


@dataclass
class Kind:
    resolve: Callable[[str], Document]
    label: str
    list_keys: Callable[[], list[str]] = field(default=lambda: [""])  # what build_pdfs builds
    listed: bool = True


KINDS: dict[str, Kind] = {}


def register(name, resolver, *, label, keys=None, listed=True):
    KINDS[name] = Kind(resolver, label, keys or (lambda: [""]), listed)


def resolve(kind: str, key: str = "") -> Document:
    """The document, or Http404 for an unknown kind or key (never another error)."""
    if kind not in KINDS or (key and not valid_slug(key)):
        raise Http404
    return KINDS[kind].resolve(key)


def all_documents() -> Iterator[Document]:
    """Every listed document in the active language (for build_pdfs)."""
    for name, kind in KINDS.items():
        if kind.listed:
            for key in kind.list_keys():
                yield resolve(name, key)


def _stage(key):
    if not key:
        raise Http404
    return get_object_or_404(Stage.objects.published(), slug=key)


def guide_document(key=""):
    if key:
        raise Http404
    return Document(
        kind="guide",
        key="",
        title=str(_("The whole guide")),
        template="printing/parts/guide.html",
        context=lambda: {"stages": guide_stages(), "level": 2, "whole_guide": True},
        web_path=reverse("guidance:index"),
    )


def stage_document(key):
    stage = _stage(key)
    return Document(
        kind="stage",
        key=stage.slug,
        title=stage.title,
        template="printing/parts/guide.html",
        context=lambda: {"stages": guide_stages(stage), "level": 1, "whole_guide": False},
        web_path=stage.get_absolute_url(),
        title_language=stage.text_language,
    )


def checklist_document(key=""):
    if key:
        raise Http404
    return Document(
        kind="checklist",
        key="",
        title=str(_("Checklist for the whole guide")),
        template="printing/parts/checklist.html",
        context=lambda: {"stage": None, "topics": checklist_topics()},
        web_path=reverse("guidance:checklist"),
    )


def stage_checklist_document(key):
    stage = _stage(key)
    return Document(
        kind="stage-checklist",
        key=stage.slug,
        title=str(_("Checklist: %(title)s") % {"title": stage.title}),
        template="printing/parts/checklist.html",
        context=lambda: {"stage": stage, "topics": checklist_topics(stage)},
        web_path=reverse("guidance:stage-checklist", kwargs={"stage": stage.slug}),
    )


def case_study_document(key):
    if not key:
        raise Http404
    case = get_object_or_404(CaseStudy.objects.published(), slug=key)
    return Document(
        kind="case-study",
        key=case.slug,
        title=case.title,
        template="printing/parts/case_study.html",
        context=lambda: {"case": _with_relations(case)},
        web_path=case.get_absolute_url(),
        title_language=case.text_language,
    )


def _with_relations(case):
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([case], "themes", "topics__stage")
    return case


def _stage_slugs():
    return [stage.slug for stage in stages_in_order()]


def _case_study_slugs():
    return list(CaseStudy.objects.published().values_list("slug", flat=True))


register("guide", guide_document, label=_("Download the whole guide as PDF"))
register("stage", stage_document, label=_("Download this stage as PDF"), keys=_stage_slugs)
register("checklist", checklist_document, label=_("Download this checklist as PDF"))
register(
    "stage-checklist",
    stage_checklist_document,
    label=_("Download this checklist as PDF"),
    keys=_stage_slugs,
)
register(
    "case-study",
    case_study_document,
    label=_("Download this case study as PDF"),
    keys=_case_study_slugs,
)
