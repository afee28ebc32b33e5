"""The project-proposals guide: index, components, notes, summary, checklists (HTML, CSV)."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import ChecklistEntry, Component, Note, ProposalPage
from .selectors import (
    agreement_scale,
    checklists_for,
    components_with_notes,
    note_checklists,
    note_neighbours,
    note_success_factors,
    notes_in_order,
    proposal_page,
    success_factors,
)

NAV = "proposals"


def assessments_url(slug):
    """The interactive version of a checklist (the assessments app's instrument)."""
    return reverse("assessments:detail", kwargs={"slug": slug})


def index(request):
    return render(
        request,
        "proposals/index.html",
        {
            "page": proposal_page(ProposalPage.INDEX),
            "components": components_with_notes(),
            "factors": success_factors(),
            "nav": NAV,
        },
    )


def component_detail(request, component):
    component = get_object_or_404(Component, slug=component)
    return render(
        request,
        "proposals/component.html",
        {
            "guide": proposal_page(ProposalPage.INDEX),
            "component": component,
            "notes": list(component.notes.order_by("order")),
            "has_checklists": bool(checklists_for(component)),
            "nav": NAV,
        },
    )


def note_detail(request, component, note):
    note = get_object_or_404(
        Note.objects.select_related("component"), component__slug=component, slug=note
    )
    previous, following = note_neighbours(note)
    return render(
        request,
        "proposals/note.html",
        {
            "guide": proposal_page(ProposalPage.INDEX),
            "note": note,
            "component": note.component,
            "checklists": note_checklists(note),
            "factors": note_success_factors(note),
            "previous": previous,
            "next": following,
            "assessments_url": assessments_url("think-smart"),
            "nav": NAV,
        },
    )


def summary(request):
    return render(
        request,
        "proposals/summary.html",
        {
            "guide": proposal_page(ProposalPage.INDEX),
            "page": proposal_page(ProposalPage.SUMMARY),
            "notes": notes_in_order(),
            "nav": NAV,
        },
    )


def checklist(request, component=None, fmt="html"):
    component_obj = None
    if component is not None:
        component_obj = get_object_or_404(Component, slug=component)
    checklists = checklists_for(component_obj)
    if component_obj is not None and not checklists:
        raise Http404  # a component without checklists has no checklist page
    guide = proposal_page(ProposalPage.INDEX)
    if fmt == "csv":
        title = component_obj.title if component_obj else (guide.title if guide else "")
        rows = [
            [c.note.component.title, f"{c.note.code} {c.note.title}", _checklist_name(c),
             _kind_label(e), e.text, request.build_absolute_uri(c.get_absolute_url())]
            for c in checklists
            for e in c.entries.all()
        ]  # fmt: skip
        header = [
            _("Component"),
            _("Guidance note"),
            _("Checklist"),
            _("Kind"),
            _("Text"),
            _("Link"),
        ]
        return _csv(title or "project-proposals", header, rows)
    context = {"guide": guide, "component": component_obj, "checklists": checklists, "nav": NAV}
    return render(request, "proposals/checklist.html", context)


def success_factors_view(request, fmt="html"):
    factors = success_factors()
    if factors is None:
        raise Http404
    if fmt == "csv":
        header = [_("Factor"), _("Sub-factor"), _("Statement"), *agreement_scale()]
        rows = [
            [factor, part, entry.text, "", "", "", ""]
            for factor, parts in factors.factors
            for part, entries in parts
            for entry in entries
        ]
        return _csv(factors.title, header, rows)
    return render(
        request,
        "proposals/success_factors.html",
        {
            "guide": proposal_page(ProposalPage.INDEX),
            "checklist": factors,
            "scale": agreement_scale(),
            "assessments_url": assessments_url("critical-success-factors"),
            "nav": NAV,
        },
    )


def _checklist_name(checklist):
    if checklist.number:
        return _("Checklist %(number)s: %(title)s") % {
            "number": checklist.number,
            "title": checklist.title,
        }
    return checklist.title


def _kind_label(entry):
    return {
        ChecklistEntry.QUESTION: _("Question"),
        ChecklistEntry.DO: _("Do"),
        ChecklistEntry.DONT: _("Don't"),
        ChecklistEntry.POINT: _("Point to consider"),
        ChecklistEntry.STATEMENT: _("Statement"),
    }[entry.kind]


def _csv(title, header, rows):
    name = slugify(title) or "checklist"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-checklist.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read UTF-8 right
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
