"""What saving a case study does, as plain functions (the admin and the loader stay thin).

- `case_study_save(case, ...)`: THE way a case study is saved, by the admin, the loader and
  the export round trip: render the stories, save, set the tags, then (after the commit)
  re-index it for search and bump the content version. `case_study_delete` is its pair;
  `theme_save` / `theme_delete` the same for themes.
- `case_study_render(case)`: each language's Markdown story → sanitised HTML in
  `body_html_<lang>`, with the same renderer and sanitiser as the content files (internal
  links checked against the database, glossary abbreviations linked on first use);
- `case_study_sync_stages(case, explicit)`: stages = the explicit ones ∪ those of its topics;
- `image_verify(upload)`: an upload is an image by its content (Pillow), not its name, and
  not too big; `image_storage_name()` names it after the format actually found.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from guidance.changes import change_note_add
from guidance.languages import LANGUAGE_CODES, localized
from guidance.loadkit import guide_link_targets
from guidance.markdown import Glossary, RenderContext, render_markdown
from guidance.models import GlossaryTerm, Stage, Topic
from guidance.version import content_version_bump
from proposals.selectors import link_targets as proposal_link_targets

from .images import IMAGE_FORMATS
from .models import CaseStudy, Theme
from .signals import case_study_deleted, case_study_saved

# Far more than any photo needs; refuses "decompression bombs" (tiny files, huge images).
MAX_IMAGE_PIXELS = 40_000_000
# Fields every language shares: a change to one dates every language (case_study_mark_updated).
SHARED_TAG_FIELDS = frozenset(
    {"country", "year", "year_inferred", "topics", "stages", "themes", "notes", "image"}
)


# --- Markdown → HTML ---------------------------------------------------------------------


def case_study_link_targets(extra_slugs=()) -> set[str]:
    """Every internal link a case study may use (site paths without a language prefix).

    The same set the loader builds from the content files, taken from the database:
    static pages, stages, their checklists, topics and case studies (`extra_slugs`: one
    being created, not in the database yet).
    """
    targets = guide_link_targets(
        Stage.objects.values_list("slug", flat=True),
        (f"{stage}/{topic}" for stage, topic in Topic.objects.values_list("stage__slug", "slug")),
    )
    slugs = set(CaseStudy.objects.values_list("slug", flat=True)) | {s for s in extra_slugs if s}
    targets |= {f"/case-studies/{slug}/" for slug in slugs}
    targets |= proposal_link_targets()
    return targets


def glossary_for_linking() -> tuple[Glossary, set[str]]:
    """The glossary abbreviations to link (as the loader does) and every term's slug."""
    terms = list(GlossaryTerm.objects.all())
    glossary = Glossary.of_terms(
        (
            term.term,
            term.slug,
            {code: getattr(term, localized("expansion", code)) or "" for code in LANGUAGE_CODES},
            {code: getattr(term, localized("abbreviation", code)) or "" for code in LANGUAGE_CODES},
        )
        for term in terms
    )
    return glossary, {term.slug for term in terms}


@dataclass
class BodyRenderer:
    """Renders case-study stories; reads link targets and glossary once per save."""

    extra_slugs: tuple = ()
    targets: set[str] = field(init=False)
    glossary: Glossary = field(init=False)
    glossary_slugs: set[str] = field(init=False)

    def __post_init__(self):
        self.targets = case_study_link_targets(self.extra_slugs)
        self.glossary, self.glossary_slugs = glossary_for_linking()

    def render(self, text: str, language: str) -> tuple[str, list[str]]:
        """(sanitised HTML, broken internal links) for one language's story."""
        ctx = RenderContext(
            language=language,
            link_targets=self.targets,
            glossary_slugs=self.glossary_slugs,
            glossary=self.glossary,
        )
        html, _headings = render_markdown(text or "", ctx)
        return html, list(ctx.broken_links)


def case_study_broken_links(bodies: dict[str, str], slug: str = "") -> dict[str, list[str]]:
    """Language → the internal links in its story that lead nowhere (only if any)."""
    renderer = BodyRenderer(extra_slugs=(slug,))
    broken = {}
    for language, text in bodies.items():
        _html, links = renderer.render(text, language)
        if links:
            broken[language] = links
    return broken


def case_study_render(case: CaseStudy, renderer: BodyRenderer | None = None) -> dict:
    """Set `body_html_<lang>` from `body_<lang>` for every language (not saved).

    Returns language → broken internal links (empty when all is well); the admin form has
    already refused a story with broken links, so on save this is normally empty.
    """
    renderer = renderer or BodyRenderer(extra_slugs=(case.slug,))
    broken = {}
    for language in LANGUAGE_CODES:
        html, links = renderer.render(getattr(case, localized("body", language)) or "", language)
        setattr(case, localized("body_html", language), html)
        if links:
            broken[language] = links
    return broken


# --- saving ----------------------------------------------------------------------------


def case_study_save(
    case: CaseStudy,
    *,
    topics=None,
    themes=None,
    stages=(),
    notes=None,
    rendered: bool = False,
    announce: bool = True,
    change_note: dict | None = None,
    changed_on=None,
) -> CaseStudy:
    """Save a case study and everything that follows from it, in this order:

    1. each language's Markdown story → `body_html_<lang>` (skipped with `rendered`: the
       loader has rendered it already, against the link targets of the files);
    2. the row;
    3. the tags, when given: topics, themes, the second guide's notes, and
       stages = `stages` ∪ the topics' stages; a `change_note` (language → text) becomes a
       public change note dated `changed_on` (default today);
    4. with `announce` (everyone but load_content, which announces once for the whole
       load), once the transaction commits: `case_study_saved` (the search index listens)
       and a content-version bump (cached pages refresh).
    """
    if not rendered:
        case_study_render(case)
    with transaction.atomic():
        case.save()
        if topics is not None:
            case.topics.set(topics)
            case_study_sync_stages(case, stages)
        if themes is not None:
            case.themes.set(themes)
        if change_note:
            change_note_add(target=case, date=changed_on or timezone.localdate(), notes=change_note)
        if notes is not None:
            case.notes.set(notes)
        if announce:
            transaction.on_commit(lambda: case_study_saved.send(sender=CaseStudy, case=case))
            content_version_bump()
    return case


@dataclass
class LoadedSave:
    """One case study for `case_studies_save_loaded`: the row (rendered) and its tags."""

    case: CaseStudy
    topics: list
    themes: list
    stages: list  # explicit; the topics' stages are added as by case_study_sync_stages
    notes: list = field(default_factory=list)  # the second guide's notes


# Everything a load writes on a case study row (created_at stays as first made).
LOADED_FIELDS_SKIPPED = {"id", "created_at"}
BATCH = 500


def case_studies_save_loaded(saves: list[LoadedSave], *, now) -> None:
    """`case_study_save(rendered=True, announce=False)` for many: load_content's writes.

    New rows with one INSERT per batch, changed ones with one UPDATE per batch, then the
    tags of all of them replaced (a DELETE and an INSERT per tag kind and batch); stages
    follow the same rule as `case_study_sync_stages`. The loader announces once per load.
    """
    if not saves:
        return
    fields = [
        f.name for f in CaseStudy._meta.concrete_fields if f.name not in LOADED_FIELDS_SKIPPED
    ]
    with transaction.atomic():
        for save in saves:
            save.case.updated_at = now  # bulk_update skips auto_now
        new = [save.case for save in saves if save.case.pk is None]
        old = [save.case for save in saves if save.case.pk is not None]
        CaseStudy.objects.bulk_create(new, batch_size=BATCH)
        CaseStudy.objects.bulk_update(old, fields, batch_size=BATCH)
        rows = {"topic": [], "stage": [], "theme": [], "note": []}
        for save in saves:
            pk = save.case.pk
            rows["topic"] += [(pk, topic.pk) for topic in save.topics]
            rows["stage"] += [(pk, s.pk) for s in case_study_stages(save.topics, save.stages)]
            rows["theme"] += [(pk, theme.pk) for theme in save.themes]
            rows["note"] += [(pk, note.pk) for note in save.notes]
        pks = [case.pk for case in old]
        kinds = (("topic", "topics"), ("stage", "stages"), ("theme", "themes"), ("note", "notes"))
        for name, relation in kinds:
            through = getattr(CaseStudy, relation).through
            for start in range(0, len(pks), BATCH):
                through.objects.filter(casestudy_id__in=pks[start : start + BATCH]).delete()
            through.objects.bulk_create(
                [through(casestudy_id=pk, **{f"{name}_id": other}) for pk, other in rows[name]],
                batch_size=BATCH * 2,
            )


def case_study_mark_updated(case: CaseStudy, changed_fields) -> list[str]:
    """Date today each language whose text an editor changed (`updated_on_<lang>`; not saved).

    The same date a content file carries as `updated:`, so the page, the sitemap and the feed
    say when the text last changed, and export_content writes it back. A change to a shared
    field (country, year, topics …) dates every language the case study is written in.
    Returns the languages dated.
    """
    from .rules import TRANSLATED_FIELDS

    translated = {
        localized(name, language): language
        for name in TRANSLATED_FIELDS
        for language in LANGUAGE_CODES
    }
    changed = set(changed_fields)
    dated = {translated[name] for name in changed if name in translated}
    if changed & SHARED_TAG_FIELDS:
        dated |= {lang for lang in LANGUAGE_CODES if getattr(case, localized("title", lang))}
    for language in dated:
        setattr(case, localized("updated_on", language), timezone.localdate())
    return sorted(dated)


def case_study_delete(case: CaseStudy, *, announce: bool = True) -> None:
    """Delete a case study; with `announce`, tell search and bump the content version."""
    pk = case.pk
    with transaction.atomic():
        case.delete()
        case.pk = pk  # the receivers name it by its old key
        if announce:
            transaction.on_commit(lambda: case_study_deleted.send(sender=CaseStudy, case=case))
            content_version_bump()


def theme_save(theme: Theme) -> Theme:
    with transaction.atomic():
        theme.save()
        content_version_bump()
    return theme


def theme_delete(theme: Theme) -> None:
    with transaction.atomic():
        theme.delete()
        content_version_bump()


# --- tags --------------------------------------------------------------------------------


def case_study_stages(topics, explicit=()) -> set[Stage]:
    """The stages a case study is listed under: the explicit ones and its topics' stages."""
    return set(explicit) | {topic.stage for topic in topics}


def case_study_sync_stages(case: CaseStudy, explicit=()) -> None:
    """After the many-to-many save: stages = explicit ∪ the stages of the chosen topics."""
    topics = case.topics.select_related("stage")
    case.stages.set(case_study_stages(topics, explicit))


def case_study_extra_stages(case: CaseStudy) -> list[Stage]:
    """The stored stages that no chosen topic explains (what an editor ticked by hand)."""
    if not case.pk:
        return []
    from_topics = {topic.stage_id for topic in case.topics.all()}
    return [stage for stage in case.stages.all() if stage.pk not in from_topics]


# --- images ------------------------------------------------------------------------------


class ImageProblem(ValueError):
    """Why an upload was refused, in words for the editor."""


def image_verify(upload) -> str:
    """Check an uploaded file is an image we accept; return the extension for its format.

    Decided by the content (Pillow reads and verifies it), never by the file name,
    extension or the browser's declared type. Raises ImageProblem with a message.
    """
    limit = settings.MAX_IMAGE_BYTES
    if upload.size is not None and upload.size > limit:
        raise ImageProblem(
            _(
                "The image is %(size)s; the limit is %(limit)s. Make it smaller (for example "
                "1600 pixels wide, saved as JPEG) and upload it again."
            )
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    not_an_image = ImageProblem(
        _(
            "This file is not an image we can use. Upload a photo or picture saved as JPEG, "
            "PNG, GIF or WebP."
        )
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except Exception as error:  # Pillow raises many kinds for files it cannot read
        raise not_an_image from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise not_an_image
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageProblem(
            _(
                "The image is %(width)s × %(height)s pixels, too large to show on a web page. "
                "Resize it (for example to 1600 pixels wide) and upload it again."
            )
            % {"width": width, "height": height}
        )
    return IMAGE_FORMATS[image_format]


def image_storage_name(original_name: str, extension: str) -> str:
    """A safe file name whose extension matches the verified format (`photo.png`).

    The storage API adds the folder (`case-studies/`) and makes the name unique.
    """
    stem = slugify(Path(original_name or "").stem)[:60].strip("-") or "image"
    return f"{stem}.{extension}"
