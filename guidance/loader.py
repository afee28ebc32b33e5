"""Load stages, topics, do/don't items, glossary and pages from content files.

Three steps, driven by `load_content` (buyingguide): `guidance_parse` validates the files
and builds a plan; `guidance_render` turns its Markdown into safe HTML (needs every link
target, so it runs after all apps have parsed); `guidance_apply` writes the plan, touching
only what changed.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname

from .content import ContentError, ContentFile, require, valid_slug
from .markdown import Glossary, RenderContext, plain_text, render_inline, render_markdown
from .models import ChecklistItem, GlossaryTerm, Page, Stage, Topic

STATIC_TARGETS = {
    "/",
    "/about/",
    "/accessibility/",
    "/glossary/",
    "/search/",
    "/case-studies/",
    "/guide/checklist/",
}


@dataclass
class Translated:
    """One object from one English file plus its translations."""

    files: dict[str, ContentFile]  # language → file
    values: dict[str, dict] = field(default_factory=dict)  # language → {field: value}

    @property
    def en(self) -> ContentFile:
        return self.files["en"]


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
    # language → [(kind, order, text, text_html)]
    items: dict[str, list] = field(default_factory=dict)

    @property
    def key(self):
        return f"{self.stage}/{self.slug}"


@dataclass
class GuidancePlan:
    stages: dict[str, StagePlan] = field(default_factory=dict)
    topics: dict[str, TopicPlan] = field(default_factory=dict)  # "stage/topic" → plan
    glossary: dict[str, dict] = field(default_factory=dict)  # slug → {"term", lang → values}
    glossary_file: dict[str, ContentFile] = field(default_factory=dict)
    pages: dict[str, Translated] = field(default_factory=dict)

    def link_targets(self) -> set[str]:
        return guide_link_targets(self.stages, self.topics)

    def glossary_for_linking(self) -> Glossary:
        return Glossary.of_terms(
            (
                entry["term"],
                slug,
                {lang: values.get("expansion", "") for lang, values in entry["values"].items()},
            )
            for slug, entry in self.glossary.items()
        )


def guide_link_targets(stage_slugs, topic_keys) -> set[str]:
    """Internal link targets of the guide: static pages, stages, checklists, topics.

    Shared by the loader (from the files) and the admin (from the database).
    """
    targets = set(STATIC_TARGETS)
    for slug in stage_slugs:
        targets |= {f"/guide/{slug}/", f"/guide/{slug}/checklist/"}
    targets |= {f"/guide/{key}/" for key in topic_keys}
    return targets


def group_by_key(files: list[ContentFile], errors: list[ContentError]) -> dict[str, dict]:
    """Path inside the language folder → {language: file}; translations need an original."""
    groups: dict[str, dict] = {}
    for cf in files:
        groups.setdefault(cf.key, {})[cf.language] = cf
    for key, by_language in groups.items():
        if "en" not in by_language:
            for cf in by_language.values():
                errors.append(
                    cf.error(
                        f"this translation has no English original (content/en/{key}); "
                        "create the English file first or fix this file's name"
                    )
                )
    return {key: group for key, group in groups.items() if "en" in group}


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
        stage.values[language] = {"title": title or "", "summary": summary or "", "body": cf.body}
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
        }
    plan.pages[slug] = page


def _parse_glossary(plan, files, errors):
    plan.glossary_file = files
    en_terms = require(files["en"], "terms", errors, list)
    for entry in en_terms or []:
        if not isinstance(entry, dict) or not str(entry.get("term", "")).strip():
            errors.append(
                files["en"].error(
                    "every glossary entry needs a 'term'", needle=str(entry)[:30] if entry else None
                )
            )
            continue
        term = str(entry["term"]).strip()
        slug = slugify(term)
        if slug in plan.glossary:
            errors.append(
                files["en"].error(
                    f"duplicate glossary term '{term}' (anchor #{slug} is already used): "
                    "merge the two entries",
                    needle=f"term: {term}",
                )
            )
            continue
        if not str(entry.get("definition", "")).strip():
            errors.append(
                files["en"].error(
                    f"the glossary term '{term}' needs a 'definition'", needle=f"term: {term}"
                )
            )
        plan.glossary[slug] = {"term": term, "values": {}}
    for language, cf in files.items():
        terms = cf.meta.get("terms") if language != "en" else en_terms
        if not isinstance(terms, list):
            errors.append(cf.error("the field 'terms' must be a list of entries"))
            continue
        for entry in terms:
            if not isinstance(entry, dict):
                continue
            term = str(entry.get("term", "")).strip()
            slug = slugify(term)
            if slug not in plan.glossary:
                if language != "en":
                    errors.append(
                        cf.error(
                            f"the term '{term}' is not in the English glossary: terms are shared "
                            "by every language, so keep the English 'term' value and translate "
                            "only 'expansion' and 'definition'",
                            needle=f"term: {term}",
                        )
                    )
                continue
            plan.glossary[slug]["values"][language] = {
                "expansion": str(entry.get("expansion") or "").strip(),
                "definition": str(entry.get("definition") or "").strip(),
            }


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
                items.append((kind, number, text.strip()))
        headings = [i for i, line in enumerate(cf.body.splitlines()) if line.startswith("## ")]
        if len(headings) != 2:
            errors.append(
                cf.error(
                    f"a topic needs exactly two '## ' headings (why it's important, then what it "
                    f"means); found {len(headings)}",
                    cf.body_line + (headings[2] if len(headings) > 2 else 0),
                )
            )
        topic.values[language] = {"title": title or "", "summary": summary or "", "body": cf.body}
        topic.items[language] = items
    plan.topics[topic.key] = topic


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
            for kind, order, text in topic.items[language]:
                item_html = render_inline(text, ctx)
                report_broken_links(cf, ctx, errors)
                rendered_items.append((kind, order, plain_text(item_html), item_html))
            topic.items[language] = rendered_items
    glossary_cf = plan.glossary_file
    for entry in plan.glossary.values():
        for language, values in entry["values"].items():
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


def report_broken_links(cf, ctx: RenderContext, errors):
    for href in ctx.broken_links:
        errors.append(
            cf.error(
                f"broken internal link '{href}': no such page in the guide. Check the slug, or "
                "see docs/content.md for the link targets",
                needle=href,
            )
        )
    ctx.broken_links.clear()


# --- writing -----------------------------------------------------------------------------


class Stats(Counter):
    """(kind, language, outcome) → count; outcome is created/updated/unchanged/removed."""

    def note(self, kind, languages, outcome):
        for language in languages:
            self[(kind, language, outcome)] += 1

    @property
    def changed(self) -> bool:
        return any(n for (_k, _l, outcome), n in self.items() if outcome != "unchanged")


def sync_object(obj, values: dict[str, dict], languages) -> list[str]:
    """Set translated values on obj for the given languages; return languages that changed.

    A language without a translation is cleared, so visitors get the English fallback.
    """
    changed = []
    fields = set()
    for language_values in values.values():
        fields |= set(language_values)
    for language in languages:
        language_values = values.get(language, {})
        differs = False
        for name in fields:
            attribute = build_localized_fieldname(name, language)
            new = language_values.get(name, "")
            if (getattr(obj, attribute) or "") != new:
                setattr(obj, attribute, new)
                differs = True
        if differs:
            changed.append(language)
    return changed


def _upsert(model, existing, lookup, shared, values, languages, stats, kind, now):
    obj = existing.pop(lookup, None)
    created = obj is None
    if created:
        obj = model(**shared)
    shared_changed = any(getattr(obj, k) != v for k, v in shared.items())
    for k, v in shared.items():
        setattr(obj, k, v)
    changed = sync_object(obj, values, languages)
    if shared_changed and "en" not in changed:
        changed.append("en")
    present = [lang for lang in languages if lang in values]
    if created:
        stats.note(kind, present, "created")
    else:
        stats.note(kind, changed, "updated")
        stats.note(kind, [lang for lang in present if lang not in changed], "unchanged")
    if created or changed:
        if hasattr(obj, "updated_at"):
            obj.updated_at = now
        obj.save()
    return obj, bool(created or changed)


def guidance_apply(plan: GuidancePlan, languages, stats: Stats) -> None:
    now = timezone.now()
    stages = {s.slug: s for s in Stage.objects.all()}
    saved_stages = {}
    for slug, stage in plan.stages.items():
        obj, _ = _upsert(
            Stage,
            stages,
            slug,
            {"slug": slug, "order": stage.order},
            stage.values,
            languages,
            stats,
            "stage",
            now,
        )
        saved_stages[slug] = obj

    topics = {(t.stage.slug, t.slug): t for t in Topic.objects.select_related("stage")}
    for topic in plan.topics.values():
        lookup = (topic.stage, topic.slug)
        obj = topics.get(lookup)
        items_changed = obj is not None and _items_differ(obj, topic, languages)
        obj, changed = _upsert(
            Topic,
            topics,
            lookup,
            {
                "stage": saved_stages[topic.stage],
                "slug": topic.slug,
                "order": topic.order,
                "position": topic.position,
            },
            topic.values,
            languages,
            stats,
            "topic",
            now,
        )
        if items_changed and not changed:
            # Only the do/don't lists changed: count it and date the page.
            for language in languages:
                if ("topic", language, "unchanged") in stats and stats[
                    ("topic", language, "unchanged")
                ] > 0:
                    stats[("topic", language, "unchanged")] -= 1
                    stats[("topic", language, "updated")] += 1
            obj.updated_at = now
            obj.save(update_fields=["updated_at"])
        if items_changed or changed:
            _sync_items(obj, topic, languages)

    glossary = {g.slug: g for g in GlossaryTerm.objects.all()}
    for slug, entry in plan.glossary.items():
        _upsert(
            GlossaryTerm,
            glossary,
            slug,
            {"slug": slug, "term": entry["term"]},
            entry["values"],
            languages,
            stats,
            "glossary term",
            now,
        )

    pages = {p.slug: p for p in Page.objects.all()}
    for slug, page in plan.pages.items():
        _upsert(Page, pages, slug, {"slug": slug}, page.values, languages, stats, "page", now)

    # What is left in the database has no file any more.
    for kind, leftovers in (
        ("topic", topics),
        ("stage", stages),
        ("glossary term", glossary),
        ("page", pages),
    ):
        for obj in leftovers.values():
            stats.note(kind, ["en"], "removed")
            obj.delete()


def _desired_items(topic: TopicPlan) -> dict:
    desired = {(kind, order): {} for kind, order, _t, _h in topic.items.get("en", [])}
    for language, items in topic.items.items():
        for kind, order, text, text_html in items:
            if (kind, order) in desired:
                desired[(kind, order)][language] = {"text": text, "text_html": text_html}
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
                if (getattr(item, build_localized_fieldname(name, language)) or "") != new:
                    return True
    return False


def _sync_items(obj: Topic, topic: TopicPlan, languages) -> None:
    current = {(i.kind, i.order): i for i in obj.items.all()}
    for key, values in _desired_items(topic).items():
        item = current.pop(key, None) or ChecklistItem(topic=obj, kind=key[0], order=key[1])
        if sync_object(item, values, languages) or item.pk is None:
            item.save()
    for item in current.values():
        item.delete()
