"""Read-only queries for case-study pages; every one starts from `published()`."""

from django.shortcuts import get_object_or_404

from guidance.content import valid_slug
from guidance.models import Stage, Topic
from proposals.models import Note

from .countries import COUNTRIES
from .models import CaseStudy, Theme

TOPIC_PANEL_SIZE = 6


def case_studies_for_topic(topic: Topic) -> dict:
    """Context for the topic page's case-study panel (a few, and how many in all)."""
    qs = CaseStudy.objects.published().filter(topics=topic)
    return {"case_studies": list(qs[:TOPIC_PANEL_SIZE]), "total": qs.count()}


def case_studies_for_note(note: Note) -> dict:
    """Context for a guidance note's case-study panel, as `case_studies_for_topic`."""
    qs = CaseStudy.objects.published().filter(notes=note)
    return {"case_studies": list(qs[:TOPIC_PANEL_SIZE]), "total": qs.count()}


def case_study_for_reader(*, slug: str, user) -> CaseStudy:
    """The case study at `slug` as `user` may read it (404 otherwise): visitors see live
    ones only; staff allowed to view case studies also see drafts and scheduled ones."""
    qs = CaseStudy.objects.prefetch_related("themes", "topics__stage", "notes__component")
    if not (user.is_active and user.is_staff and user.has_perm("casestudies.view_casestudy")):
        qs = qs.published()
    return get_object_or_404(qs, slug=slug)


def latest_case_studies(limit=3):
    return list(CaseStudy.objects.published()[:limit])


def case_study_filters(params) -> dict:
    """The valid filters in a query string (unknown values are dropped, never an error)."""
    chosen = {}
    stage = params.get("stage", "")
    if valid_slug(stage):
        found = Stage.objects.published().filter(slug=stage).first()
        if found:
            chosen["stage"] = found
    stage_slug, _, topic_slug = params.get("topic", "").partition("/")
    if valid_slug(stage_slug) and valid_slug(topic_slug):
        found = Topic.objects.published().filter(stage__slug=stage_slug, slug=topic_slug).first()
        if found:
            chosen["topic"] = found
    component_slug, _, note_slug = params.get("note", "").partition("/")
    if valid_slug(component_slug) and valid_slug(note_slug):
        found = (
            Note.objects.select_related("component")
            .filter(component__slug=component_slug, slug=note_slug)
            .first()
        )
        if found:
            chosen["note"] = found
    theme = params.get("theme", "")
    if valid_slug(theme):
        found = Theme.objects.published().filter(slug=theme).first()
        if found:
            chosen["theme"] = found
    country = params.get("country", "").upper()
    if country in COUNTRIES:
        chosen["country"] = country
    return chosen


def case_studies_filtered(filters: dict):
    qs = CaseStudy.objects.published()
    if "stage" in filters:
        qs = qs.filter(stages=filters["stage"])
    if "topic" in filters:
        qs = qs.filter(topics=filters["topic"])
    if "note" in filters:
        qs = qs.filter(notes=filters["note"])
    if "theme" in filters:
        qs = qs.filter(themes=filters["theme"])
    if "country" in filters:
        qs = qs.filter(country=filters["country"])
    return qs.prefetch_related("themes")


def filter_options() -> dict:
    """Choices for the filter form: only values that some published case study uses."""
    published = CaseStudy.objects.published()
    countries = sorted(
        {code for code in published.values_list("country", flat=True).distinct()},
        key=lambda code: str(COUNTRIES.get(code, code)),
    )
    return {
        "stages": list(Stage.objects.published().order_by("order")),
        "topics": list(Topic.objects.published().order_by("position")),
        # The second guide's notes that some published case study illustrates.
        "notes": list(
            Note.objects.filter(case_studies__in=published)
            .select_related("component")
            .distinct()
            .order_by("position")
        ),
        "themes": list(
            Theme.objects.published()
            .filter(case_studies__in=published)
            .distinct()
            .order_by("order")
        ),
        "countries": [(code, COUNTRIES.get(code, code)) for code in countries],
    }


def case_study_neighbours(case: CaseStudy):
    """Newer and older neighbours in the index's order (the model's: newest first by date).

    Dates may be empty (the source gives none), so the order is taken from the database
    rather than rebuilt as comparisons; one query of ids, small even for thousands.
    """
    ids = list(CaseStudy.objects.published().values_list("pk", flat=True))
    try:
        place = ids.index(case.pk)
    except ValueError:
        return None, None
    newer_id = ids[place - 1] if place > 0 else None
    older_id = ids[place + 1] if place + 1 < len(ids) else None
    found = CaseStudy.objects.in_bulk([i for i in (newer_id, older_id) if i])
    return found.get(newer_id), found.get(older_id)
