"""Load themes and case studies from content files, never destroying an editor's work.

A case study changed in the admin since it was last loaded (its fingerprint differs from
`loaded_fingerprint`, or it was created in the admin) is left as the editor saved it; the
load reports a conflict unless `force` is given. See docs/content.md.
"""

import hashlib
import json
from dataclasses import dataclass, field

from guidance.content import content_date, require, updated_date, valid_slug
from guidance.languages import LANGUAGE_CODES, localized_value
from guidance.loader import GuidancePlan
from guidance.loadkit import (
    ApplyContext,
    EntryList,
    KeyedEntry,
    Translated,
    note_dates_not_moved,
    parse_entry_list,
    report_broken_links,
    sync_object,
)
from guidance.markdown import render_markdown
from guidance.models import Stage, Topic
from proposals.models import Note

from . import rules
from .countries import COUNTRIES
from .models import CaseStudy, Theme, reserved_case_study_slugs
from .services import case_study_delete, case_study_save

TRANSLATED_FIELDS = rules.TRANSLATED_FIELDS
SHARED_FIELDS = ("country", "year", "year_inferred", "status", "published_on", "image")

# A rule's problem (rules.py) in the words of a content file.
# What a case study's fingerprint and tag comparison read, fetched in one go per load.
CASE_STUDY_TAGS = ("topics__stage", "stages", "themes", "notes__component")

RULE_MESSAGES = {
    rules.NEEDED_WITH_TITLE: "the required field '{field}' is missing or empty",
    rules.QUOTE_WITHOUT_SOURCE: "a 'quote' needs 'quote_by': whom it is from",
    rules.IMAGE_WITHOUT_ALT: (
        "an 'image' needs 'image_alt', a text alternative that says what the image shows "
        "(in this language too: every language with a title needs its own)"
    ),
    rules.ALT_WITHOUT_IMAGE: "'image_alt' describes an image, but the case study has no 'image'",
}
RULE_NEEDLES = {
    rules.NEEDED_WITH_TITLE: None,
    rules.QUOTE_WITHOUT_SOURCE: "quote:",
    rules.IMAGE_WITHOUT_ALT: "image_alt:",
    rules.ALT_WITHOUT_IMAGE: "image_alt:",
}


@dataclass
class CaseStudyPlan(Translated):
    slug: str = ""
    shared: dict = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)  # "stage/topic"
    stages: list[str] = field(default_factory=list)  # explicit + those of the topics
    themes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "component/note" of the second guide


@dataclass
class CaseStudiesPlan:
    themes: dict[str, KeyedEntry] = field(default_factory=dict)  # slug → order, values
    case_studies: dict[str, CaseStudyPlan] = field(default_factory=dict)

    def link_targets(self) -> set[str]:
        return {f"/case-studies/{slug}/" for slug in self.case_studies}


def casestudies_parse(
    groups: dict[str, dict], guidance: GuidancePlan, errors, *, note_keys=frozenset()
) -> CaseStudiesPlan:
    """`note_keys`: the second guide's notes ("component/note"), which `notes:` may name."""
    plan = CaseStudiesPlan()
    if "themes.md" in groups:
        _parse_themes(plan, groups["themes.md"], errors)
    for key, files in sorted(groups.items()):
        if key.startswith("case-studies/"):
            _parse_case_study(
                plan, guidance, key.split("/")[1][:-3], files, errors, note_keys=note_keys
            )
    return plan


def _read_theme(entry, slug, language):
    values = {
        "name": str(entry.get("name") or "").strip(),
        "description": str(entry.get("description") or "").strip(),
    }
    return values, [] if values["name"] else [f"the theme '{slug}' needs a 'name'"]


THEME_ENTRIES = EntryList(
    field="themes",
    key_field="slug",
    key=lambda slug: slug if valid_slug(slug) else None,
    read=_read_theme,
    invalid_key=lambda order, slug: (
        f"theme {order} needs a 'slug' of lower-case letters, digits and hyphens"
    ),
    duplicate=lambda slug, _key: f"duplicate theme slug '{slug}': merge the two entries",
    unknown=lambda slug: (
        f"the theme '{slug}' is not in the English themes file; theme slugs are shared by "
        "every language"
    ),
)


def _parse_themes(plan, files, errors):
    plan.themes = parse_entry_list(files, THEME_ENTRIES, errors)


def _parse_case_study(plan, guidance, slug, files, errors, *, note_keys):
    en = files["en"]
    if rules.field_errors(CaseStudy, "slug", slug):
        if slug in reserved_case_study_slugs():
            message = (
                f"'{slug}' is reserved: /case-studies/{slug}/ is already a page of the site. "
                "Rename the file (in every language folder)"
            )
        else:
            message = (
                f"'{slug}' is not a valid slug: use lower-case letters, digits "
                "and hyphens in the file name"
            )
        errors.append(en.error(message))
        return
    country = require(en, "country", errors)
    if country and country.upper() not in COUNTRIES:
        errors.append(
            en.error(
                f"unknown country code '{country}': use an ISO 3166-1 alpha-2 code listed in "
                "casestudies/countries.py (add the country there if it is missing)",
                needle="country:",
            )
        )
    year = en.meta.get("year")
    if year is not None and (
        not isinstance(year, int) or rules.field_errors(CaseStudy, "year", year)
    ):
        errors.append(en.error("'year' must be a four-digit year", needle="year:"))
    year_inferred = year_is_inferred(en, year, errors)
    # The date the source gives for the case study; empty when it gives none.
    published = content_date(en, "published", errors)
    status = str(en.meta.get("status", CaseStudy.PUBLISHED)).strip()
    if status not in (CaseStudy.DRAFT, CaseStudy.PUBLISHED):
        errors.append(en.error("'status' must be 'published' or 'draft'", needle="status:"))
    image = str(en.meta.get("image") or "").strip()
    if image and (".." in image or image.startswith("/")):
        errors.append(
            en.error(
                "'image' must be a path inside the media folder, such as case-studies/photo.jpg",
                needle="image:",
            )
        )

    topics = require(en, "topics", errors, list) or []
    for topic in topics:
        if str(topic) not in guidance.topics:
            errors.append(
                en.error(
                    f"unknown topic '{topic}': write it as stage/topic, e.g. plan/work-as-a-team, "
                    "using a topic that exists in content/en/guide/",
                    needle=str(topic),
                )
            )
    stages = en.meta.get("stages") or []
    if not isinstance(stages, list):
        errors.append(en.error("'stages' must be a list", needle="stages:"))
        stages = []
    for stage in stages:
        if str(stage) not in guidance.stages:
            errors.append(
                en.error(
                    f"unknown stage '{stage}': use one of {', '.join(sorted(guidance.stages))}",
                    needle=str(stage),
                )
            )
    notes = en.meta.get("notes") or []
    if not isinstance(notes, list):
        errors.append(en.error("'notes' must be a list", needle="notes:"))
        notes = []
    for note in notes:
        if str(note) not in note_keys:
            errors.append(
                en.error(
                    f"unknown guidance note '{note}': write it as component/note, e.g. "
                    "work-smart/engage-with-the-market, using a note that exists in "
                    "content/en/proposals/",
                    needle=str(note),
                )
            )
    themes = require(en, "themes", errors, list) or []
    for theme in themes:
        if str(theme) not in plan.themes:
            errors.append(
                en.error(
                    f"unknown theme '{theme}': use a slug from "
                    "content/en/themes.md or add the theme there",
                    needle=str(theme),
                )
            )

    case = CaseStudyPlan(
        files=files,
        slug=slug,
        shared={
            "country": (country or "").upper(),
            "year": year,
            "year_inferred": year_inferred,
            "status": status,
            "published_on": published,
            "image": image,
        },
        topics=sorted(str(t) for t in topics),
        stages=sorted({str(s) for s in stages} | {str(t).split("/")[0] for t in topics}),
        themes=sorted(str(t) for t in themes),
        notes=sorted({str(n) for n in notes}),
    )
    for language, cf in files.items():
        # A file in a language is that language's page: it needs a title.
        values = {
            "title": require(cf, "title", errors) or "",
            "body": cf.body.strip(),
            "updated_on": updated_date(cf, errors),
        }
        for name in ("summary", "organisation", "quote", "quote_by", "image_alt"):
            values[name] = str(cf.meta.get(name) or "").strip()
        case.values[language] = values
    for problem in rules.case_study_problems(texts=case.values, has_image=bool(image)):
        if problem.code == rules.TEXT_WITHOUT_TITLE:
            continue  # a file without a title: reported by require() above
        cf = files[problem.language]
        needle = RULE_NEEDLES[problem.code]
        if problem.code == rules.NEEDED_WITH_TITLE and problem.field in cf.meta:
            needle = f"{problem.field}:"
        errors.append(
            cf.error(RULE_MESSAGES[problem.code].format(field=problem.field), needle=needle)
        )
    plan.case_studies[slug] = case


def year_is_inferred(en, year, errors) -> bool:
    """`year_inferred: true` marks a year the source does not state (shown "about 2021")."""
    value = en.meta.get("year_inferred", False)
    if not isinstance(value, bool):
        errors.append(en.error("'year_inferred' must be true or false", needle="year_inferred:"))
        return False
    if rules.inferred_year_without_year(year=year, year_inferred=value):
        errors.append(
            en.error("'year_inferred' needs a 'year' to qualify", needle="year_inferred:")
        )
    return value


def casestudies_render(plan: CaseStudiesPlan, make_context, errors) -> None:
    for case in plan.case_studies.values():
        for language, values in case.values.items():
            ctx = make_context(language)
            values["body_html"], _ = render_markdown(values["body"], ctx)
            report_broken_links(case.files[language], ctx, errors)


# --- fingerprints: did an editor change this since it was loaded? ------------------------


def case_study_fingerprint(case: CaseStudy) -> str:
    data = {
        f"{name}:{language}": localized_value(case, name, language)
        for name in TRANSLATED_FIELDS
        for language in LANGUAGE_CODES
    }
    data.update(
        {
            "country": case.country,
            "year": case.year,
            "status": case.status,
            "published_on": case.published_on.isoformat() if case.published_on else None,
            "image": case.image.name if case.image else "",
        }
    )
    if case.year_inferred:
        # Only when set, so fingerprints taken before the field existed still match.
        data["year_inferred"] = True
    if case.pk:
        # .all() so a prefetch (CASE_STUDY_TAGS) is used when present.
        data["topics"] = sorted(f"{t.stage.slug}/{t.slug}" for t in case.topics.all())
        data["stages"] = sorted(s.slug for s in case.stages.all())
        data["themes"] = sorted(t.slug for t in case.themes.all())
        notes = sorted(n.key for n in case.notes.all())
        if notes:
            # Only when set, so fingerprints taken before notes existed still match.
            data["notes"] = notes
    payload = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def case_studies_edited_in_admin() -> set[str]:
    """Slugs of case studies an editor created or changed since they were last loaded.

    Taken before anything is written, so changes the load itself makes (a removed topic
    dropping out of a case study's tags) are not mistaken for an editor's.
    """
    qs = CaseStudy.objects.prefetch_related(*CASE_STUDY_TAGS)
    return {
        case.slug
        for case in qs
        if case.source != CaseStudy.FROM_FILE
        or case_study_fingerprint(case) != case.loaded_fingerprint
    }


@dataclass
class Conflict:
    slug: str
    reason: str
    kind: str = "case study"

    def __str__(self):
        return (
            f"{self.kind} '{self.slug}': {self.reason}. It was left as the editor saved it. "
            "To keep the editor's version, run `python manage.py export_content` and "
            "commit the files; to replace it with the file, run load_content --force."
        )


@dataclass
class Relations:
    """The objects a case study's tags name, looked up once per load."""

    topics: dict[str, Topic]  # "stage/topic" → topic
    stages: dict[str, Stage]
    themes: dict[str, Theme]
    notes: dict[str, Note]  # "component/note" → note


def casestudies_apply(plan: CaseStudiesPlan, ctx: ApplyContext, *, edited: set[str]) -> list:
    """Write themes and case studies; return the conflicts left for a person to resolve.

    `edited`: from case_studies_edited_in_admin(), taken before the load wrote anything.
    Saves go through `services.case_study_save` without announcing: load_content
    re-indexes and bumps the content version once, for the whole load.
    """
    themes, conflicts = _apply_themes(plan, ctx)
    relations = Relations(
        topics={f"{t.stage.slug}/{t.slug}": t for t in Topic.objects.select_related("stage")},
        stages={s.slug: s for s in Stage.objects.all()},
        themes=themes,
        notes={n.key: n for n in Note.objects.select_related("component")},
    )
    existing = {c.slug: c for c in CaseStudy.objects.prefetch_related(*CASE_STUDY_TAGS)}
    for slug, case in plan.case_studies.items():
        conflict = _apply_case_study(
            ctx,
            obj=existing.pop(slug, None),
            case=case,
            edited=slug in edited,
            relations=relations,
        )
        if conflict:
            conflicts.append(conflict)
    for obj in existing.values():
        if obj.source != CaseStudy.FROM_FILE:
            continue  # made in the admin and never exported: not the files' business
        if obj.slug in edited and not ctx.force:
            conflicts.append(
                Conflict(
                    obj.slug,
                    "its file was removed, but it was changed in the admin since the last load",
                )
            )
            continue
        ctx.stats.note("case study", obj.languages(), "removed")
        case_study_delete(obj, announce=False)
    return conflicts


def _apply_themes(plan: CaseStudiesPlan, ctx: ApplyContext) -> tuple[dict, list]:
    themes = {t.slug: t for t in Theme.objects.all()}
    theme_objects = {}
    for slug, entry in plan.themes.items():
        obj = themes.pop(slug, None)
        created = obj is None
        obj = obj or Theme(slug=slug)
        order_changed = obj.order != entry.order
        obj.order = entry.order
        changed = sync_object(obj, entry.values, ctx.languages)
        if order_changed and not created and "en" not in changed:
            changed.append("en")
        present = [lang for lang in ctx.languages if lang in entry.values]
        ctx.stats.record("theme", present=present, changed=changed, created=created)
        if created or changed:
            obj.save()
        theme_objects[slug] = obj
    conflicts = []
    if plan.themes:
        for obj in themes.values():
            if obj.case_studies.exists() and not ctx.force:
                # Made in the admin and in use: removing it would untag case studies.
                ctx.stats.note("theme", ["en"], "conflict")
                conflicts.append(
                    Conflict(
                        obj.slug,
                        "this theme is not in content/en/themes.md but case studies use it",
                        kind="theme",
                    )
                )
                continue
            ctx.stats.note("theme", ["en"], "removed")
            obj.delete()
    theme_objects.update(themes)
    return theme_objects, conflicts


def _apply_case_study(
    ctx: ApplyContext, *, obj, case: CaseStudyPlan, edited: bool, relations: Relations
):
    created = obj is None
    if created:
        obj = CaseStudy(slug=case.slug)
    shared_changed = False
    for name, value in case.shared.items():
        current_value = obj.image.name if name == "image" else getattr(obj, name)
        if (current_value or None) != (value or None):
            shared_changed = True
            setattr(obj, name, value)
    if not edited or ctx.force:
        note_dates_not_moved(ctx.stats, case.files, obj, case.values, ctx.languages)
    changed = sync_object(obj, case.values, ctx.languages)
    want = (set(case.topics), set(case.stages), set(case.themes), set(case.notes))
    have = (
        (set(), set(), set(), set())
        if created
        else (
            {f"{t.stage.slug}/{t.slug}" for t in obj.topics.all()},
            {s.slug for s in obj.stages.all()},
            {t.slug for t in obj.themes.all()},
            {n.key for n in obj.notes.all()},
        )
    )
    if shared_changed or want != have:
        changed = sorted(set(changed) | {"en"})
    present = [lang for lang in ctx.languages if lang in case.values]
    if not created and not changed:
        if edited:
            # The database already matches the file (e.g. after export_content): adopt it.
            obj.source = CaseStudy.FROM_FILE
            obj.loaded_fingerprint = case_study_fingerprint(obj)
            CaseStudy.objects.filter(pk=obj.pk).update(
                source=obj.source, loaded_fingerprint=obj.loaded_fingerprint
            )
        ctx.stats.note("case study", present, "unchanged")
        return None
    if edited and not ctx.force:
        ctx.stats.note("case study", changed, "conflict")
        reason = (
            "it was created in the admin and a content file now has the same slug"
            if obj.source == CaseStudy.FROM_ADMIN
            else "it was changed in the admin since it was last loaded from its file"
        )
        return Conflict(case.slug, reason)
    obj.source = CaseStudy.FROM_FILE
    case_study_save(
        obj,
        topics=[relations.topics[key] for key in case.topics],
        themes=[relations.themes[slug] for slug in case.themes],
        stages=[relations.stages[slug] for slug in case.stages],
        notes=[relations.notes[key] for key in case.notes],
        rendered=True,  # by casestudies_render, against the files' link targets
        announce=False,
    )
    obj.loaded_fingerprint = case_study_fingerprint(obj)
    CaseStudy.objects.filter(pk=obj.pk).update(loaded_fingerprint=obj.loaded_fingerprint)
    ctx.stats.record("case study", present=present, changed=changed, created=created)
    return None
