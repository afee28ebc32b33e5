"""Change notes: what changed on a page and when, for readers (`ChangeNote`).

One home for writing and reading them, whatever the page: the content loader keeps a guide
page's notes equal to its front matter `changes:` (`change_notes_replace`), an approved
case-study change adds one (`change_note_add`), and pages, "Page history" and "What's new"
read them through `page_history` and `recent_changes`.
"""

import datetime

from django.contrib.contenttypes.prefetch import GenericPrefetch

from .languages import LANGUAGE_CODES, SOURCE_LANGUAGE, localized
from .models import ChangeNote, Page, Stage, Topic

MAX_NOTE_CHARS = ChangeNote._meta.get_field("note_en").max_length


def change_note_add(*, target, date: datetime.date, notes: dict[str, str], minor=False):
    """Record one change of `target`; `notes` is language → text (English required unless
    minor). Returns the note, or None when there is nothing to record."""
    notes = {code: str(text or "").strip() for code, text in (notes or {}).items()}
    if not minor and not notes.get(SOURCE_LANGUAGE):
        return None
    note = ChangeNote(target=target, date=date, minor=minor)
    for code in LANGUAGE_CODES:
        setattr(note, localized("note", code), notes.get(code, "") if not minor else "")
    note.save()
    return note


def change_entries(obj) -> list[tuple]:
    """`obj`'s stored notes as comparable tuples (date, minor, note per language)."""
    return [
        (n.date, n.minor, *(getattr(n, localized("note", code)) or "" for code in LANGUAGE_CODES))
        for n in ChangeNote.objects.of(obj).order_by("date", "id")
    ]


def change_notes_replace(obj, entries: list[tuple]) -> bool:
    """Make `obj`'s notes exactly `entries` (as `change_entries` gives them); True if changed."""
    if change_entries(obj) == entries:
        return False
    ChangeNote.objects.of(obj).delete()
    for date, minor, *texts in entries:
        change_note_add(
            target=obj, date=date, notes=dict(zip(LANGUAGE_CODES, texts, strict=True)), minor=minor
        )
    return True


def page_history(obj) -> list[ChangeNote]:
    """The notes readers see for one page, newest first."""
    if obj is None or obj.pk is None:
        return []
    return list(ChangeNote.objects.public().of(obj))


def _visible(target) -> bool:
    # A case study may be a draft or scheduled; guide pages are always public.
    return target is not None and getattr(target, "is_visible", True)


def recent_changes(*, limit: int = 30) -> list[ChangeNote]:
    """The latest notes across the site whose page visitors can see, newest first.

    Generic: each note's page is fetched in one query per type (other apps' pages, such as
    case studies, by their default manager), so guidance imports no other app.
    """
    querysets = [Stage.objects.all(), Topic.objects.select_related("stage"), Page.objects.all()]
    notes = ChangeNote.objects.public().select_related("content_type")
    notes = notes.prefetch_related(GenericPrefetch("target", querysets))
    found = []
    for note in notes[: limit * 3]:  # room for hidden drafts, without reading every note
        if _visible(note.target):
            found.append(note)
        if len(found) == limit:
            break
    return found
