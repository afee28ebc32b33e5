"""Review before publishing: an editor's change to what visitors see waits for a reviewer.

- `review_needed(case=, status=)`: whether a save must go through review (the setting
  `CASE_STUDY_REVIEW["REQUIRED"]`, and the change would be visible or touches a published case
  study);
- `revision_submit(...)`: keep the proposed values as a `CaseStudyRevision`; the row (the live
  page) is not touched. A new case study is saved as a draft (visible to editors only) so it
  can be previewed;
- `revision_diff(revision)`: field by field, per language, what would change on the site;
- `revision_approve(...)` / `revision_send_back(...)`: the reviewer's two answers. Approval
  writes through `services.case_study_save`, so every rule and side effect of a save applies
  once (rendering, tags, search, content version, change note).

Every step is written to the case study's admin history (LogEntry).
"""

import datetime
import difflib

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guidance.languages import LANGUAGE_CODES, language_name, localized
from guidance.models import Stage, Topic
from proposals.models import Note

from . import services
from .models import CaseStudy, CaseStudyRevision, Theme
from .rules import TRANSLATED_FIELDS

SHARED_FIELDS = ("slug", "country", "year", "year_inferred", "status", "published_on", "image")
TAG_FIELDS = {"topics": Topic, "themes": Theme, "stages": Stage, "notes": Note}
TEXT_FIELDS = tuple(localized(name, code) for code in LANGUAGE_CODES for name in TRANSLATED_FIELDS)


class ReviewProblem(ValueError):
    """Why a review step was refused, in words for the person who tried it."""


def review_needed(*, case: CaseStudy, status: str) -> bool:
    """A save waits for review when review is on and visitors would see the result: the
    case study is to be published, or it is published now (even to take it off the site)."""
    if not settings.CASE_STUDY_REVIEW["REQUIRED"]:
        return False
    if status == CaseStudy.PUBLISHED:
        return True
    return (
        bool(case.pk) and CaseStudy.objects.filter(pk=case.pk, status=CaseStudy.PUBLISHED).exists()
    )


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # an image's FieldFile
        return value.name or ""
    return value


def case_values(case: CaseStudy, *, topics=None, themes=None, stages=None, notes=None) -> dict:
    """Everything an editor can change, as JSON values (tags as sorted primary keys)."""
    values = {name: _json_value(getattr(case, name)) for name in (*TEXT_FIELDS, *SHARED_FIELDS)}
    values = {k: ("" if v is None and k in TEXT_FIELDS else v) for k, v in values.items()}
    if case.pk and topics is None:
        topics, themes = case.topics.all(), case.themes.all()
        stages = services.case_study_extra_stages(case)
        notes = case.notes.all()
    values["topics"] = sorted(t.pk for t in topics or ())
    values["themes"] = sorted(t.pk for t in themes or ())
    values["stages"] = sorted(s.pk for s in stages or ())
    values["notes"] = sorted(n.pk for n in notes or ())
    return values


def _history(user, case, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[case],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def _store_new_image(case: CaseStudy) -> None:
    """An image chosen in the form is stored now (under a name of its own), so the revision
    can refer to it; the live row keeps its own image until approval."""
    image = case.image
    if image and not getattr(image, "_committed", True):
        image.save(image.name, image.file, save=False)


def revision_submit(
    *, case: CaseStudy, topics, themes, stages=(), notes=(), author, change_note=None, minor=False
) -> CaseStudyRevision:
    """Submit `case` (the form's values, not saved) for review; returns the revision.

    A change to an existing case study leaves its row — what visitors see — as it is. A new
    one is saved as a draft so that editors and the reviewer can preview it.
    """
    with transaction.atomic():
        if case.pk is None:
            proposed_status = case.status
            case.status = CaseStudy.DRAFT
            services.case_study_save(case, topics=topics, themes=themes, stages=stages, notes=notes)
            proposed = case_values(case, topics=topics, themes=themes, stages=stages, notes=notes)
            proposed["status"] = proposed_status
        else:
            _store_new_image(case)
            proposed = case_values(case, topics=topics, themes=themes, stages=stages, notes=notes)
        proposed["change_note"] = {
            code: (change_note or {}).get(code, "") for code in LANGUAGE_CODES
        }
        proposed["minor"] = bool(minor)
        case.revisions.filter(state=CaseStudyRevision.PENDING).update(
            state=CaseStudyRevision.SUPERSEDED, decided_at=timezone.now()
        )
        revision = CaseStudyRevision.objects.create(
            case_study=case, proposed=proposed, author=author
        )
        _history(author, case, _("Submitted a change for review."))
    return revision


def live_values(case: CaseStudy) -> dict:
    """What visitors can be shown now: the row's values if it is published, else nothing."""
    if case.status != CaseStudy.PUBLISHED:
        return {}
    return case_values(case)


def _label(name: str) -> str:
    return str(CaseStudy._meta.get_field(name).verbose_name)


def _display(name: str, value) -> str:
    if name in TAG_FIELDS:
        model = TAG_FIELDS[name]
        return ", ".join(str(obj) for obj in model.objects.filter(pk__in=value or []))
    if name == "status":
        return str(dict(CaseStudy.STATUS_CHOICES).get(value, value or ""))
    if name == "year_inferred":
        return _("yes") if value else _("no")
    return "" if value in (None, "") else str(value)


def revision_diff(revision: CaseStudyRevision) -> dict:
    """The differences against the live version: {"languages": [(code, name, rows)],
    "shared": rows}; a row is {field, live, proposed, lines} (`lines`: a line diff for
    texts of several lines). Only what changes is listed."""
    live = live_values(revision.case_study)
    proposed = revision.proposed

    def row(label, name, old, new):
        old, new = _display(name, old), _display(name, new)
        lines = []
        if "\n" in old or "\n" in new:
            lines = list(
                difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
            )[2:]
        return {"field": label, "live": old, "proposed": new, "lines": lines}

    languages = []
    for code in LANGUAGE_CODES:
        rows = []
        for name in TRANSLATED_FIELDS:
            field = localized(name, code)
            old, new = live.get(field) or "", proposed.get(field) or ""
            if old != new:
                rows.append(row(_label(name), field, old, new))
        languages.append((code, language_name(code), rows))
    shared = []
    for name in (*SHARED_FIELDS, *TAG_FIELDS):
        old, new = live.get(name), proposed.get(name)
        if (old or None) != (new or None):
            shared.append(row(_label(name), name, old, new))
    return {"languages": languages, "shared": shared}


def _decide(revision, reviewer, *, allow_self: bool):
    if revision.state != CaseStudyRevision.PENDING:
        raise ReviewProblem(_("This change has already been decided or replaced by a later one."))
    if not reviewer.has_perm("casestudies.review_casestudyrevision"):
        raise ReviewProblem(_("Only a member of the Reviewers group can review changes."))
    if not allow_self and revision.author_id == reviewer.pk:
        raise ReviewProblem(
            _(
                "You submitted this change, so another reviewer has to approve it: a second "
                "pair of eyes is the point of review."
            )
        )


def revision_approve(*, revision: CaseStudyRevision, reviewer) -> CaseStudy:
    """Apply the proposed values through `case_study_save`; the case study goes live now, or
    on its publication date if that is in the future."""
    _decide(revision, reviewer, allow_self=settings.CASE_STUDY_REVIEW["SELF_APPROVAL"])
    with transaction.atomic():
        case = CaseStudy.objects.select_for_update().get(pk=revision.case_study_id)
        before = case_values(case)
        proposed = revision.proposed
        for name in (*TEXT_FIELDS, *SHARED_FIELDS):
            value = proposed.get(name)
            if name == "published_on":
                value = datetime.date.fromisoformat(value) if value else None
            if name == "image":
                case.image.name = value or ""
                continue
            setattr(case, name, value)
        changed = [name for name in before if before[name] != proposed.get(name)]
        services.case_study_mark_updated(case, changed)
        note = None if proposed.get("minor") else proposed.get("change_note")
        on = (
            case.published_on
            if case.published_on and case.published_on > timezone.localdate()
            else None
        )
        services.case_study_save(
            case,
            topics=Topic.objects.filter(pk__in=proposed.get("topics") or []),
            themes=Theme.objects.filter(pk__in=proposed.get("themes") or []),
            stages=Stage.objects.filter(pk__in=proposed.get("stages") or []),
            notes=Note.objects.filter(pk__in=proposed.get("notes") or []),
            change_note=note,
            changed_on=on,
        )
        revision.state = CaseStudyRevision.APPROVED
        revision.reviewer = reviewer
        revision.decided_at = timezone.now()
        revision.save()
        author = revision.author.get_username() if revision.author else "?"
        _history(
            reviewer, case, _("Approved the change submitted by %(author)s.") % {"author": author}
        )
    return case


def revision_send_back(*, revision: CaseStudyRevision, reviewer, comment: str) -> None:
    """Refuse the change with a comment for its author; the live page stays as it is.
    Sending back one's own change is allowed (it withdraws it)."""
    _decide(revision, reviewer, allow_self=True)
    comment = str(comment or "").strip()
    if not comment:
        raise ReviewProblem(_("Say what to change: the author reads your comment."))
    with transaction.atomic():
        revision.state = CaseStudyRevision.SENT_BACK
        revision.reviewer = reviewer
        revision.comment = comment
        revision.decided_at = timezone.now()
        revision.save()
        _history(
            reviewer,
            revision.case_study,
            _("Sent back the change with this comment: %(comment)s") % {"comment": comment},
        )


def latest_revision(case: CaseStudy) -> CaseStudyRevision | None:
    """The newest pending or sent-back change (what the editor should know about)."""
    if not case.pk:
        return None
    return case.revisions.exclude(state=CaseStudyRevision.SUPERSEDED).first()
