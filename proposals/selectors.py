"""Read-only queries the project-proposals pages use; each returns what a template needs."""

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from guidance.markdown import plain_text

from .models import Checklist, ChecklistEntry, Component, Note, ProposalPage


def proposal_page(slug: str) -> ProposalPage | None:
    return ProposalPage.objects.filter(slug=slug).first()


def components_with_notes() -> list[Component]:
    """Every component in order, each with `.note_list` in order (two queries)."""
    return list(
        Component.objects.order_by("order").prefetch_related(
            Prefetch("notes", queryset=Note.objects.order_by("order"), to_attr="note_list")
        )
    )


def note_neighbours(note: Note) -> tuple[Note | None, Note | None]:
    """Previous and next note in the whole guide's reading order."""
    qs = Note.objects.select_related("component")
    previous = qs.filter(position__lt=note.position).order_by("-position").first()
    following = qs.filter(position__gt=note.position).order_by("position").first()
    return previous, following


def _entries():
    return Prefetch("entries", queryset=ChecklistEntry.objects.order_by("order"))


def split_entries(checklist: Checklist) -> Checklist:
    """Give a checklist `.questions`, `.dos`, `.donts`, `.points`, `.statements` lists."""
    entries = list(checklist.entries.all())
    for name, kind in (
        ("questions", ChecklistEntry.QUESTION),
        ("dos", ChecklistEntry.DO),
        ("donts", ChecklistEntry.DONT),
        ("points", ChecklistEntry.POINT),
        ("statements", ChecklistEntry.STATEMENT),
    ):
        setattr(checklist, name, [e for e in entries if e.kind == kind])
    return checklist


def note_checklists(note: Note) -> list[Checklist]:
    """A note's numbered checklists with their entries (the success factors excluded)."""
    qs = note.checklists.exclude(kind=Checklist.AGREEMENT).prefetch_related(_entries())
    return [split_entries(c) for c in qs.order_by("order")]


def note_success_factors(note: Note) -> Checklist | None:
    return note.checklists.filter(kind=Checklist.AGREEMENT).first()


def checklists_for(component: Component | None = None) -> list[Checklist]:
    """Numbered checklists of one component (or the whole guide) in reading order."""
    qs = (
        Checklist.objects.exclude(kind=Checklist.AGREEMENT)
        .select_related("note__component")
        .prefetch_related(_entries())
    )
    if component is not None:
        qs = qs.filter(note__component=component)
    return [split_entries(c) for c in qs.order_by("note__position", "order")]


def success_factors() -> Checklist | None:
    """The critical success factors, with `.factors`: [(factor, [(sub-factor, [entry…])])]."""
    checklist = (
        Checklist.objects.filter(kind=Checklist.AGREEMENT)
        .select_related("note__component")
        .prefetch_related(_entries())
        .first()
    )
    if checklist is None:
        return None
    factors = []
    for entry in checklist.entries.all():
        if not factors or factors[-1][0] != entry.group:
            factors.append((entry.group, []))
        parts = factors[-1][1]
        if not parts or parts[-1][0] != entry.subgroup:
            parts.append((entry.subgroup, []))
        parts[-1][1].append(entry)
    checklist.factors = factors
    return checklist


def link_targets() -> set[str]:
    """This guide's internal link targets, from the database (for Markdown saved in the admin)."""
    from .loader import proposal_link_targets

    notes = Note.objects.values_list("component__slug", "slug")
    return proposal_link_targets(
        Component.objects.values_list("slug", flat=True), (f"{c}/{n}" for c, n in notes)
    )


def notes_in_order() -> list[Note]:
    return list(Note.objects.select_related("component").order_by("position"))


def search_entries(language: str, entry_class):
    """Search-index rows for this guide in one language (buyingguide/search.py calls this)."""
    with translation.override(language):
        index = proposal_page(ProposalPage.INDEX)
        guide_title = index.title if index else ""
        for component in Component.objects.all():
            yield entry_class(
                language=language,
                kind=entry_class.STAGE,
                key=f"proposals:{component.slug}",
                url=component.get_absolute_url(),
                title=component.title,
                section=guide_title,
                body=f"{component.summary} {plain_text(component.body_html)}",
                text_language=component.text_language,
            )
        notes = Note.objects.select_related("component").prefetch_related("checklists__entries")
        for note in notes:
            items = " ".join(
                f"{c.title} " + " ".join(e.text for e in c.entries.all())
                for c in note.checklists.all()
            )
            parts = (note.context_html, note.need_html, note.recommendations_html)
            yield entry_class(
                language=language,
                kind=entry_class.TOPIC,
                key=f"proposals:{note.key}",
                url=note.get_absolute_url(),
                title=f"{note.code} {note.title}",
                section=f"{guide_title} · {note.component.title}",
                body=" ".join([note.summary, *(plain_text(p) for p in parts), items]),
                text_language=note.text_language,
            )


def guide_for_print(component: Component | None = None) -> list[Component]:
    """Components in order (or just one), each with `.note_list`, each note with
    `.checklist_list`: its numbered checklists and their entries (four queries)."""
    components = [component] if component is not None else list(Component.objects.all())
    by_note = {}
    for checklist in checklists_for(component):
        by_note.setdefault(checklist.note_id, []).append(checklist)
    notes = Note.objects.filter(component__in=components).select_related("component")
    notes = notes.order_by("position")
    by_component = {}
    for note in notes:
        note.checklist_list = by_note.get(note.pk, [])
        by_component.setdefault(note.component_id, []).append(note)
    for each in components:
        each.note_list = by_component.get(each.pk, [])
    return components


def agreement_scale() -> list[str]:
    """The four answers to a critical-success-factor statement, in order."""
    return [_("Strongly disagree"), _("Tend to disagree"), _("Tend to agree"), _("Strongly agree")]
