"""What can be printed or downloaded as PDF: one resolver per kind of document.

A resolver takes the document's key (a slug, or "" for the whole guide) and returns a
`Document`, or raises `Http404` when there is no such thing. The print pages, the PDF view,
the links on pages and `build_pdfs` all go through `resolve()`, so a kind is defined once.

Another app adds a kind with `register()`. A self-assessment result is one: its key is
`<instrument>/<signed token>`, its `version` changes with the answers (results are not
content, so the content version does not cover them), it is not built ahead by
`build_pdfs` (`listed=False`) and never written to disk (`store=False`): the result page
promises that nothing a visitor answered is stored, and visitors could otherwise fill the
disk with one PDF per set of answers.
"""

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.selectors import NoResult, assessment_row, instrument_of, result_answers
from assessments.selectors import result_report as assessment_result_report
from casestudies.models import CaseStudy
from guidance.content import valid_slug
from guidance.models import Stage
from guidance.selectors import checklist_topics, stages_in_order
from guidance.version import content_version
from proposals.models import Component, ProposalPage
from proposals.selectors import (
    agreement_scale,
    checklists_for,
    guide_for_print,
    notes_in_order,
    proposal_page,
)
from proposals.selectors import success_factors as proposal_success_factors

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
    file_key: str = ""  # the key in file names, when the key itself does not fit in one
    store: bool = True  # False: built for each request, never kept (see above)


@dataclass
class Kind:
    resolve: Callable[[str], Document]
    label: str
    list_keys: Callable[[], list[str]] = field(default=lambda: [""])  # what build_pdfs builds
    listed: bool = True
    key_pattern: re.Pattern | None = None  # None: a slug (guidance.content.valid_slug)


KINDS: dict[str, Kind] = {}


def register(name, resolver, *, label, keys=None, listed=True, key_pattern=None):
    KINDS[name] = Kind(resolver, label, keys or (lambda: [""]), listed, key_pattern)


def resolve(kind: str, key: str = "") -> Document:
    """The document, or Http404 for an unknown kind or key (never another error)."""
    if kind not in KINDS:
        raise Http404
    pattern = KINDS[kind].key_pattern
    if key and not (pattern.fullmatch(key) if pattern else valid_slug(key)):
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


def _proposals_title(guide):
    return guide.title if guide else str(_("Project proposals"))


def proposals_document(key=""):
    """The second guide, whole: components, notes with their checklists, the critical
    success factors and the summary of recommendations."""
    if key:
        raise Http404
    guide = proposal_page(ProposalPage.INDEX)
    if guide is None and not Component.objects.exists():
        raise Http404  # not loaded: nothing to print
    return Document(
        kind="proposals",
        key="",
        title=_proposals_title(guide),
        template="printing/parts/proposals.html",
        context=lambda: {
            "guide": guide,
            "components": guide_for_print(),
            "factors": proposal_success_factors(),
            "scale": agreement_scale(),
            "summary_page": proposal_page(ProposalPage.SUMMARY),
            "summary_notes": notes_in_order(),
            "level": 2,
            "whole_guide": True,
        },
        web_path=reverse("proposals:index"),
        title_language=guide.text_language if guide else "",
    )


def _component(key):
    if not key:
        raise Http404
    return get_object_or_404(Component, slug=key)


def component_document(key):
    component = _component(key)
    return Document(
        kind="component",
        key=component.slug,
        title=str(
            _("Component %(letter)s: %(title)s")
            % {"letter": component.letter, "title": component.title}
        ),
        template="printing/parts/proposals.html",
        context=lambda: {"components": guide_for_print(component), "level": 1},
        web_path=component.get_absolute_url(),
        title_language=component.text_language,
    )


def proposals_checklist_document(key=""):
    if key:
        raise Http404
    if not checklists_for():
        raise Http404
    return Document(
        kind="proposals-checklist",
        key="",
        title=str(_("Every checklist for a project proposal")),
        template="printing/parts/proposals_checklist.html",
        context=lambda: {
            "components": guide_for_print(),
            "whole_guide": True,
            "checklists_only": True,
        },
        web_path=reverse("proposals:checklist"),
    )


def component_checklist_document(key):
    component = _component(key)
    if not checklists_for(component):
        raise Http404  # as its web page: no checklists, no checklist
    return Document(
        kind="component-checklist",
        key=component.slug,
        title=str(_("Checklist: %(title)s") % {"title": component.title}),
        template="printing/parts/proposals_checklist.html",
        context=lambda: {
            "components": guide_for_print(component),
            "whole_guide": False,
            "checklists_only": True,
        },
        web_path=reverse("proposals:component-checklist", kwargs={"component": component.slug}),
        title_language=component.text_language,
    )


def result_document(key):
    """A self-assessment result; `key` is `<instrument>/<token>`, as in its page's address."""
    slug, _sep, token = key.partition("/")
    language = (get_language() or "en").split("-")[0]
    row = assessment_row(slug, language)
    if row is None:
        raise Http404
    instrument = instrument_of(row)
    try:
        answers = result_answers(instrument, token)
    except NoResult:
        raise Http404 from None
    # The answers and the content (topic titles, case studies it points to) make the PDF.
    version = hashlib.sha256(f"{token}:{content_version()}".encode()).hexdigest()[:24]
    return Document(
        kind="result",
        key=key,
        title=str(_("Your result: %(title)s") % {"title": row.title}),
        template="printing/parts/result.html",
        context=lambda: {
            **assessment_result_report(instrument=instrument, answers=answers),
            "assessment": row,
            "instrument": instrument,
        },
        web_path=reverse("assessments:result", args=[slug, token]),
        version=version,
        title_language=row.language,
        file_key=slug,
        store=False,
    )


def _if_proposals_loaded():
    return [""] if Component.objects.exists() else []


def _component_slugs():
    return list(Component.objects.values_list("slug", flat=True))


def _component_checklist_slugs():
    return sorted({c.note.component.slug for c in checklists_for()})


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
register(
    "proposals",
    proposals_document,
    label=_("Download this guide as PDF"),
    keys=_if_proposals_loaded,
)
register(
    "component",
    component_document,
    label=_("Download this component as PDF"),
    keys=_component_slugs,
)
register(
    "proposals-checklist",
    proposals_checklist_document,
    label=_("Download every checklist as PDF"),
    keys=_if_proposals_loaded,
)
register(
    "component-checklist",
    component_checklist_document,
    label=_("Download this checklist as PDF"),
    keys=_component_checklist_slugs,
)
# A token is URL-safe base64 with a "." before its signature (assessments/codec.py).
register(
    "result",
    result_document,
    label=_("Download your result as PDF"),
    listed=False,
    key_pattern=re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[A-Za-z0-9_.-]{1,400}"),
)
