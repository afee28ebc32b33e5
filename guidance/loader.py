"""Load stages, topics, do/don't items, glossary and pages from content files.

Three steps, driven by `load_content` (buyingguide): `guidance_parse` validates the files
and builds a plan; `guidance_render` turns its Markdown into safe HTML (needs every link
target, so it runs after all apps have parsed); `guidance_apply` writes the plan, touching
only what changed.
"""

import dataclasses
import json
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.text import slugify

from .changes import MAX_NOTE_CHARS, change_entries, change_notes_replace
from .content import ContentError, ContentFile, content_date, require, updated_date, valid_slug
from .languages import LANGUAGE_CODES, SOURCE_LANGUAGE, localized
from .loadkit import (
    ApplyContext,
    EntryList,
    KeyedEntry,
    Stats,
    Translated,
    group_by_key,
    guide_link_targets,
    parse_entry_list,
    report_broken_links,
    sync_object,
    upsert,
)
from .markdown import Glossary, plain_text, render_inline, render_markdown
from .models import ChecklistItem, GlossaryTerm, Page, Stage, Topic

# The generic machinery moved to loadkit.py; still importable from here for older callers.
__all__ = [
    "Stats",
    "Translated",
    "group_by_key",
    "guide_link_targets",
    "report_broken_links",
    "sync_object",
]


class Item(NamedTuple):
    """One do or don't of a topic, in one language (text_html once rendered)."""

    kind: str
    order: int
    text: str
    text_html: str = ""


@dataclass
class StagePlan(Translated):
    slug: str = ""
    order: int = 0


@dataclass
class TopicPlan(Translated):
    stage: str = ""
    slug: str = ""
    order: int = 0
    position: int = 0
    items: dict[str, list[Item]] = field(default_factory=dict)  # language → items

    @property
    def key(self):
        return f"{self.stage}/{self.slug}"


@dataclass
class GuidancePlan:
    stages: dict[str, StagePlan] = field(default_factory=dict)
    topics: dict[str, TopicPlan] = field(default_factory=dict)  # "stage/topic" → plan
    glossary: dict[str, KeyedEntry] = field(default_factory=dict)  # slug → term, values
    glossary_file: dict[str, ContentFile] = field(default_factory=dict)
    pages: dict[str, Translated] = field(default_factory=dict)

    def link_targets(self) -> set[str]:
        return guide_link_targets(self.stages, self.topics)

    def glossary_for_linking(self) -> Glossary:
        return Glossary.of_terms(
            (
                entry.value,
                slug,
                {lang: values.get("expansion", "") for lang, values in entry.values.items()},
                {lang: values.get("abbreviation", "") for lang, values in entry.values.items()},
            )
            for slug, entry in self.glossary.items()
        )


def guidance_parse(groups: dict[str, dict], errors: list[ContentError]) -> GuidancePlan:
    plan = GuidancePlan()
    for key, files in sorted(groups.items()):
        parts = key.split("/")
        if parts[0] == "guide" and parts[2] == "_stage.md":
            _parse_stage(plan, parts[1], files, errors)
        elif key.startswith("pages/"):
            _parse_page(plan, parts[1][:-3], files, errors)
        elif key == "glossary.md":
            _parse_glossary(plan, files, errors)
    for key, files in sorted(groups.items()):
        parts = key.split("/")
        if parts[0] == "guide" and parts[2] != "_stage.md":
            _parse_topic(plan, parts[1], parts[2][:-3], files, errors)
    _check_orders(plan, errors)
    _assign_positions(plan)
    return plan


def _parse_stage(plan, slug, files, errors):
    en = files["en"]
    if not valid_slug(slug):
        errors.append(
            en.error(
                f"the stage folder name '{slug}' is not a valid slug "
                "(lower-case letters, digits and hyphens)"
            )
        )
        return
    order = require(en, "order", errors, int)
    stage = StagePlan(files=files, slug=slug, order=order or 0)
    for language, cf in files.items():
        title = require(cf, "title", errors)
        summary = require(cf, "summary", errors)
        stage.values[language] = {
            "title": title or "",
            "summary": summary or "",
            "body": cf.body,
            "updated_on": updated_date(cf, errors),
        }
    stage.changes = parse_changes(files, errors)
    plan.stages[slug] = stage


def _parse_page(plan, slug, files, errors):
    page = Translated(files=files)
    for language, cf in files.items():
        title = require(cf, "title", errors)
        summary = cf.meta.get("summary") or ""
        page.values[language] = {
            "title": title or "",
            "summary": str(summary).strip(),
            "body": cf.body,
            "updated_on": updated_date(cf, errors),
        }
    page.changes = parse_changes(files, errors)
    plan.pages[slug] = page


def _read_term(entry, term, language):
    abbreviation, problems = glossary_abbreviation(entry, term, language)
    values = {
        "abbreviation": abbreviation,
        "expansion": str(entry.get("expansion") or "").strip(),
        "definition": str(entry.get("definition") or "").strip(),
    }
    if language == "en" and not values["definition"]:
        problems.append(f"the glossary term '{term}' needs a 'definition'")
    return values, problems


def glossary_abbreviation(entry, term, language) -> tuple[str, list[str]]:
    """A translation's own form of an abbreviation (`abbreviation: IA` for `term: AI`), and
    any problem with it. Optional; one word without spaces, for abbreviations only."""
    value = str(entry.get("abbreviation") or "").strip()
    if not value:
        return "", []
    if language == "en":
        return "", [f"'{term}': English uses the term itself; 'abbreviation' is for translations"]
    if not Glossary.is_abbreviation(term) or " " in value or len(value) > 40:
        return "", [
            f"'{term}': an 'abbreviation' is the translation's short form of an English "
            f"abbreviation (such as IA for AI), one word without spaces; found '{value}'"
        ]
    return value, []


GLOSSARY_ENTRIES = EntryList(
    field="terms",
    key_field="term",
    key=lambda term: slugify(term) or None,
    read=_read_term,
    invalid_key=lambda order, term: "every glossary entry needs a 'term'",
    duplicate=lambda term, slug: (
        f"duplicate glossary term '{term}' (anchor #{slug} is already used): merge the two entries"
    ),
    unknown=lambda term: (
        f"the term '{term}' is not in the English glossary: terms are shared by every "
        "language, so keep the English 'term' value and translate only 'expansion' and "
        "'definition'"
    ),
)


def _parse_glossary(plan, files, errors):
    plan.glossary_file = files
    plan.glossary = parse_entry_list(files, GLOSSARY_ENTRIES, errors)


def _parse_topic(plan, stage_slug, slug, files, errors):
    en = files["en"]
    if stage_slug not in plan.stages:
        errors.append(
            en.error(
                f"unknown stage '{stage_slug}': add content/en/guide/{stage_slug}/_stage.md "
                "or move this topic into an existing stage folder"
            )
        )
        return
    if not valid_slug(slug):
        errors.append(
            en.error(
                f"'{slug}' is not a valid slug: use lower-case letters, "
                "digits and hyphens in the file name"
            )
        )
        return
    order = require(en, "order", errors, int)
    topic = TopicPlan(files=files, stage=stage_slug, slug=slug, order=order or 0)
    for language, cf in files.items():
        title = require(cf, "title", errors)
        summary = require(cf, "summary", errors)
        items = []
        for kind, name in ((ChecklistItem.DO, "dos"), (ChecklistItem.DONT, "donts")):
            values = require(cf, name, errors, list)
            for number, text in enumerate(values or [], 1):
                if not isinstance(text, str) or not text.strip():
                    errors.append(
                        cf.error(
                            f"item {number} of '{name}' must be a sentence of text",
                            needle=f"{name}:",
                        )
                    )
                    continue
                if kind == ChecklistItem.DONT:
                    problem = dont_form_problem(language, text.strip())
                    if problem:
                        errors.append(cf.error(f"item {number} of 'donts' {problem}", needle=text))
                items.append(Item(kind, number, text.strip()))
        headings = [i for i, line in enumerate(cf.body.splitlines()) if line.startswith("## ")]
        if len(headings) != 2:
            errors.append(
                cf.error(
                    f"a topic needs exactly two '## ' headings (why it's important, then what it "
                    f"means); found {len(headings)}",
                    cf.body_line + (headings[2] if len(headings) > 2 else 0),
                )
            )
        topic.values[language] = {
            "title": title or "",
            "summary": summary or "",
            "body": cf.body,
            "updated_on": updated_date(cf, errors),
        }
        topic.items[language] = items
    topic.changes = parse_changes(files, errors)
    plan.topics[topic.key] = topic


def parse_changes(files: dict[str, ContentFile], errors) -> list[tuple]:
    """Front matter `changes:`, a list of {date, note} (or {date, minor: true}), oldest
    first, as `guidance.changes` stores them: (date, minor, note in each language).

    English decides which changes exist; a translation gives the note in its language for
    the same dates (a missing one falls back to English). One entry per date.
    """
    english = files[SOURCE_LANGUAGE]
    entries: dict = {}
    for language, cf in files.items():
        listed = cf.meta.get("changes")
        if listed is None:
            continue
        if not isinstance(listed, list):
            errors.append(cf.error("'changes' must be a list of entries with a date and a note"))
            continue
        for number, entry in enumerate(listed, 1):
            where = f"change {number} of 'changes'"
            if not isinstance(entry, dict):
                errors.append(cf.error(f"{where} must have 'date:' and 'note:'", needle="changes:"))
                continue
            # The same date rules as `updated:` (YYYY-MM-DD, not in the future).
            date = content_date(dataclasses.replace(cf, meta=entry), "date", errors, True)
            if date is None:
                continue
            note = str(entry.get("note") or "").strip()
            minor = entry.get("minor", False)
            needle = str(date)
            if language == SOURCE_LANGUAGE:
                if minor not in (True, False):
                    errors.append(cf.error(f"{where}: 'minor' is true or false", needle=needle))
                    continue
                if date in entries:
                    errors.append(
                        cf.error(f"{where}: two changes on {date}: make them one", needle=needle)
                    )
                    continue
                if not note and not minor:
                    errors.append(
                        cf.error(
                            f"{where} ({date}) needs a 'note' for readers (what changed and why), "
                            "or 'minor: true' for a typo fix",
                            needle=needle,
                        )
                    )
                    continue
                entries[date] = {"minor": bool(minor), SOURCE_LANGUAGE: note}
            elif date not in entries:
                errors.append(
                    cf.error(
                        f"{where}: {english.rel} has no change on {date}: a translation gives "
                        "the notes of the English changes, with the same dates",
                        needle=needle,
                    )
                )
                continue
            else:
                entries[date][language] = note
            if len(note) > MAX_NOTE_CHARS:
                errors.append(
                    cf.error(
                        f"{where}: the note is {len(note)} characters; the limit is "
                        f"{MAX_NOTE_CHARS}: shorten it",
                        needle=needle,
                    )
                )
    return [
        (date, e["minor"], *("" if e["minor"] else e.get(code, "") for code in LANGUAGE_CODES))
        for date, e in sorted(entries.items())
    ]


def _english_changed(obj, values: dict, also: bool = False) -> bool:
    """Whether this load changes `obj`'s English text (its `updated:` date aside)."""
    if also:
        return True

    def text(name, value):
        # The words, not the markup: links and glossary marks change with other pages.
        value = value or ""
        return plain_text(value) if name.endswith("_html") else value

    return any(
        text(name, getattr(obj, localized(name, SOURCE_LANGUAGE))) != text(name, value)
        for name, value in values.get(SOURCE_LANGUAGE, {}).items()
        if name not in ("updated_on", "toc")
    )


def guidance_check_changes(plan: "GuidancePlan", errors: list[ContentError]) -> None:
    """A page whose English text changed since the last load needs a new `changes:` entry
    (a note for readers, or `minor: true`). Reads the database, writes nothing; runs after
    rendering (the stored text is HTML) and before anything is written."""
    stages = {obj.slug: obj for obj in Stage.objects.all()}
    pages = {obj.slug: obj for obj in Page.objects.all()}
    topics = {(t.stage.slug, t.slug): t for t in Topic.objects.select_related("stage")}
    checks = [(stages.get(slug), item, False) for slug, item in plan.stages.items()]
    checks += [(pages.get(slug), item, False) for slug, item in plan.pages.items()]
    for topic in plan.topics.values():
        obj = topics.get((topic.stage, topic.slug))
        items = obj is not None and bool(_item_languages_changed(obj, topic, [SOURCE_LANGUAGE]))
        checks.append((obj, topic, items))
    for obj, item, also in checks:
        if obj is None or not _english_changed(obj, item.values, also):
            continue
        known = {entry[:3] for entry in change_entries(obj)}
        if any(entry[:3] not in known for entry in item.changes):
            continue
        errors.append(
            item.en.error(
                "the English text changed since the last load: add an entry to 'changes:' "
                "in the front matter, for example\n  changes:\n    - date: YYYY-MM-DD\n"
                "      note: What changed and why, for readers.\n"
                "(or, for a typo fix, '- date: YYYY-MM-DD' with 'minor: true')",
                needle="changes:" if "changes" in item.en.meta else None,
            )
        )


# How every don't begins, per language, so that each one still says "don't" when read alone
# (in a checklist, the CSV or search) and none reads "Don't: Don't …" or advises the opposite.
DONT_OPENINGS = {"en": ("Don't ", "Don’t "), "es": ("No ",), "id": ("Jangan ",)}


def dont_form_problem(language: str, text: str) -> str | None:
    """Why a don't item is in the wrong form, or None: it must open with its language's "don't"."""
    openings = DONT_OPENINGS.get(language, ())
    if not openings or text.startswith(openings):
        return None
    return (
        f"must start with '{openings[0].strip()}' so it reads as a don't on its own, e.g. "
        f"'{openings[0]}…' (found '{text[:40]}')"
    )


def _check_orders(plan, errors):
    seen = {}
    for stage in plan.stages.values():
        if stage.order in seen:
            errors.append(
                stage.en.error(
                    f"order {stage.order} is also used by stage '{seen[stage.order]}': "
                    "give each stage its own order",
                    needle="order:",
                )
            )
        seen[stage.order] = stage.slug
    per_stage: dict[tuple, str] = {}
    for topic in plan.topics.values():
        mark = (topic.stage, topic.order)
        if mark in per_stage:
            errors.append(
                topic.en.error(
                    f"order {topic.order} is also used by '{per_stage[mark]}' in this stage: "
                    "give each topic its own order",
                    needle="order:",
                )
            )
        per_stage[mark] = topic.slug


def _assign_positions(plan):
    stage_order = {slug: stage.order for slug, stage in plan.stages.items()}
    ordered = sorted(plan.topics.values(), key=lambda t: (stage_order[t.stage], t.order))
    for position, topic in enumerate(ordered, 1):
        topic.position = position


def guidance_render(plan: GuidancePlan, make_context, errors: list[ContentError]) -> None:
    """Render every Markdown value in place; `make_context(language)` gives a RenderContext."""

    def render(cf, text, ctx):
        html, headings = render_markdown(text, ctx)
        report_broken_links(cf, ctx, errors)
        return html, headings

    for stage in plan.stages.values():
        for language, values in stage.values.items():
            ctx = make_context(language)
            values["body_html"], _ = render(stage.files[language], values.pop("body"), ctx)
    for page in plan.pages.values():
        for language, values in page.values.items():
            ctx = make_context(language)
            values["body_html"], _ = render(page.files[language], values.pop("body"), ctx)
    for topic in plan.topics.values():
        for language, values in topic.values.items():
            ctx = make_context(language)
            cf = topic.files[language]
            html, headings = render(cf, values.pop("body"), ctx)
            sections = _split_sections(html)
            values["why_html"], values["what_html"] = sections
            ids = [h for h in headings if h["level"] == 3]
            # h3s of "what it means" only: those after the second h2.
            h2s = [i for i, h in enumerate(headings) if h["level"] == 2]
            if len(h2s) == 2:
                ids = [h for h in headings[h2s[1] :] if h["level"] == 3]
            values["toc"] = json.dumps(
                [{"id": h["id"], "text": h["name"]} for h in ids], ensure_ascii=False
            )
            rendered_items = []
            for item in topic.items[language]:
                item_html = render_inline(item.text, ctx)
                report_broken_links(cf, ctx, errors)
                rendered = item._replace(text=plain_text(item_html), text_html=item_html)
                rendered_items.append(rendered)
            topic.items[language] = rendered_items
    glossary_cf = plan.glossary_file
    for entry in plan.glossary.values():
        for language, values in entry.values.items():
            ctx = make_context(language, link_glossary=False)
            html, _ = render_markdown(values["definition"], ctx)
            report_broken_links(glossary_cf[language], ctx, errors)
            values["definition_html"] = html
            values["definition"] = plain_text(html)


def _split_sections(html: str) -> tuple[str, str]:
    from .markdown import split_at_h2

    parts = split_at_h2(html)
    if len(parts) < 2:
        return (parts[0] if parts else html), ""
    return parts[0], "\n".join(parts[1:])


# --- writing -----------------------------------------------------------------------------


def _upsert_by_slug(ctx: ApplyContext, *, model, kind: str, entries: dict) -> tuple[dict, dict]:
    """Write `entries` (slug → (shared fields, values, files or None)); return (saved by
    slug, leftovers). With the files, text changed without a new `updated:` is reported."""
    existing = {obj.slug: obj for obj in model.objects.all()}
    saved = {}
    for slug, (shared, values, files) in entries.items():
        shared = {"slug": slug, **shared}
        saved[slug], _changed = upsert(
            ctx,
            model=model,
            existing=existing,
            lookup=slug,
            shared=shared,
            values=values,
            kind=kind,
            files=files,
        )
    return saved, existing


def guidance_apply(plan: GuidancePlan, ctx: ApplyContext) -> None:
    stage_entries = {
        slug: ({"order": s.order}, s.values, s.files) for slug, s in plan.stages.items()
    }
    saved_stages, stages = _upsert_by_slug(ctx, model=Stage, kind="stage", entries=stage_entries)

    topics = {(t.stage.slug, t.slug): t for t in Topic.objects.select_related("stage")}
    for topic in plan.topics.values():
        lookup = (topic.stage, topic.slug)
        obj = topics.get(lookup)
        items_changed = obj is not None and _items_differ(obj, topic, ctx.languages)
        item_languages = _item_languages_changed(obj, topic, ctx.languages) if items_changed else ()
        obj, changed = upsert(
            ctx,
            model=Topic,
            existing=topics,
            lookup=lookup,
            shared={
                "stage": saved_stages[topic.stage],
                "slug": topic.slug,
                "order": topic.order,
                "position": topic.position,
            },
            values=topic.values,
            kind="topic",
            changed_elsewhere=items_changed,  # only the do/don't lists: still dated
            files=topic.files,
            also_changed=item_languages,
        )
        if changed:
            _sync_items(obj, topic, ctx.languages)
        _sync_changes(ctx, "topic", obj, topic.changes)

    for slug, stage in plan.stages.items():
        _sync_changes(ctx, "stage", saved_stages[slug], stage.changes)
    terms = {slug: ({"term": e.value}, e.values, None) for slug, e in plan.glossary.items()}
    _saved, glossary = _upsert_by_slug(ctx, model=GlossaryTerm, kind="glossary term", entries=terms)
    page_entries = {slug: ({}, page.values, page.files) for slug, page in plan.pages.items()}
    saved_pages, pages = _upsert_by_slug(ctx, model=Page, kind="page", entries=page_entries)
    for slug, page in plan.pages.items():
        _sync_changes(ctx, "page", saved_pages[slug], page.changes)

    # What is left in the database has no file any more.
    for kind, leftovers in (
        ("topic", topics),
        ("stage", stages),
        ("glossary term", glossary),
        ("page", pages),
    ):
        for obj in leftovers.values():
            ctx.stats.note(kind, ["en"], "removed")
            obj.delete()


def _sync_changes(ctx: ApplyContext, kind: str, obj, changes: list[tuple]) -> None:
    """The page's change notes = its `changes:` entries; a difference counts as an update
    (so cached pages and "What's new" refresh)."""
    if change_notes_replace(obj, changes):
        ctx.stats.note(f"{kind} change notes", [SOURCE_LANGUAGE], "updated")


def _desired_items(topic: TopicPlan) -> dict:
    desired = {(item.kind, item.order): {} for item in topic.items.get("en", [])}
    for language, items in topic.items.items():
        for item in items:
            if (item.kind, item.order) in desired:
                desired[(item.kind, item.order)][language] = {
                    "text": item.text,
                    "text_html": item.text_html,
                }
    return desired


def _items_differ(obj: Topic, topic: TopicPlan, languages) -> bool:
    current = {(i.kind, i.order): i for i in obj.items.all()}
    desired = _desired_items(topic)
    if set(current) != set(desired):
        return True
    for key, values in desired.items():
        item = current[key]
        for language in languages:
            for name in ("text", "text_html"):
                new = values.get(language, {}).get(name, "")
                if (getattr(item, localized(name, language)) or "") != new:
                    return True
    return False


def _item_languages_changed(obj: Topic, topic: TopicPlan, languages) -> set[str]:
    """The languages whose do/don't lists differ from the database."""
    current = {(i.kind, i.order): i for i in obj.items.all()}
    desired = _desired_items(topic)
    changed = set()
    for language in languages:
        if set(current) != set(desired):
            changed.add(language)
            continue
        for key, values in desired.items():
            new = values.get(language, {}).get("text_html", "")
            if (getattr(current[key], localized("text_html", language)) or "") != new:
                changed.add(language)
    return changed


def _sync_items(obj: Topic, topic: TopicPlan, languages) -> None:
    current = {(i.kind, i.order): i for i in obj.items.all()}
    for key, values in _desired_items(topic).items():
        item = current.pop(key, None) or ChecklistItem(topic=obj, kind=key[0], order=key[1])
        if sync_object(item, values, languages) or item.pk is None:
            item.save()
    for item in current.values():
        item.delete()
