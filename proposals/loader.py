"""Load the project-proposals guide from content/<lang>/proposals/.

The same three steps as the buying guide, driven by `load_content` (buyingguide):
`proposals_parse` validates the files and builds a plan, `proposals_render` turns Markdown
into safe HTML with the shared renderer (after every app has parsed, so links into the buying
guide and case studies are checked), `proposals_apply` writes only what changed.
File reading, front-matter checks, rendering, link checking and the per-language save are
the shared helpers of guidance/; only the shape of this guide's files is defined here.
"""

import re
from dataclasses import dataclass, field

from guidance.content import ContentError, ContentFile, require, valid_slug
from guidance.languages import localized
from guidance.loadkit import ApplyContext, Translated, report_broken_links, sync_object, upsert
from guidance.markdown import plain_text, render_inline, render_markdown, split_at_h2

from .models import Checklist, ChecklistEntry, Component, Note, ProposalPage

ROOT = "proposals"
PAGE_FILES = {"_index.md": ProposalPage.INDEX, "_summary.md": ProposalPage.SUMMARY}
SUCCESS_FACTORS_FILE = "critical-success-factors.md"
SUCCESS_FACTORS_SLUG = "critical-success-factors"
# Paths under /project-proposals/ that are pages of their own, so no component may take them.
RESERVED = {"checklist", "summary-of-recommendations", SUCCESS_FACTORS_SLUG}
NOTE_PARTS = 4  # context, the need, recommendations, linkages
CODE_RE = re.compile(r"^[A-Z][0-9]{0,2}$")
# Checklist kind → the front-matter lists it holds, each with the entry kind of its items.
CHECKLIST_LISTS = {
    Checklist.QUESTIONS: (("questions", ChecklistEntry.QUESTION),),
    Checklist.DOS_AND_DONTS: (("dos", ChecklistEntry.DO), ("donts", ChecklistEntry.DONT)),
    Checklist.POINTS: (("points", ChecklistEntry.POINT),),
}


def path_prefix() -> str:
    return "/project-proposals/"


@dataclass
class ComponentPlan(Translated):
    slug: str = ""
    letter: str = ""
    order: int = 0


@dataclass
class ChecklistPlan:
    note: str  # "component/note"
    slug: str
    number: int | None
    kind: str
    order: int
    files: dict[str, ContentFile]
    values: dict[str, dict] = field(default_factory=dict)  # language → {title, intro}
    # language → [(kind, order, group, subgroup, text)]; text becomes (text, text_html).
    entries: dict[str, list] = field(default_factory=dict)


@dataclass
class NotePlan(Translated):
    component: str = ""
    slug: str = ""
    code: str = ""
    order: int = 0
    position: int = 0

    @property
    def key(self):
        return f"{self.component}/{self.slug}"


@dataclass
class ProposalsPlan:
    pages: dict[str, Translated] = field(default_factory=dict)
    components: dict[str, ComponentPlan] = field(default_factory=dict)
    notes: dict[str, NotePlan] = field(default_factory=dict)
    checklists: dict[str, ChecklistPlan] = field(default_factory=dict)

    def link_targets(self) -> set[str]:
        return proposal_link_targets(self.components, self.notes)


def proposal_link_targets(component_slugs, note_keys) -> set[str]:
    """Every internal link target of this guide (used by the loader and by tests)."""
    base = path_prefix()
    targets = {base, *(f"{base}{slug}/" for slug in RESERVED)}
    for slug in component_slugs:
        targets |= {f"{base}{slug}/", f"{base}{slug}/checklist/"}
    targets |= {f"{base}{key}/" for key in note_keys}
    return targets


# --- parsing -----------------------------------------------------------------------------


def proposals_parse(groups: dict[str, dict], errors: list[ContentError]) -> ProposalsPlan:
    plan = ProposalsPlan()
    mine = {key: files for key, files in sorted(groups.items()) if key.startswith(ROOT + "/")}
    notes, success_factors = [], None
    for key, files in mine.items():
        parts = key.split("/")[1:]
        if len(parts) == 1 and parts[0] in PAGE_FILES:
            _parse_page(plan, PAGE_FILES[parts[0]], files, errors)
        elif parts == [SUCCESS_FACTORS_FILE]:
            success_factors = files
        elif len(parts) == 2 and parts[1] == "_component.md":
            _parse_component(plan, parts[0], files, errors)
        elif len(parts) == 2:
            notes.append((parts[0], parts[1][:-3], files))
        else:
            errors.append(
                files["en"].error(
                    "unexpected file in proposals/: see docs/content.md for the guide's files"
                )
            )
    for component, slug, files in notes:
        _parse_note(plan, component, slug, files, errors)
    if mine:
        for slug, name in (
            (ProposalPage.INDEX, "_index.md"),
            (ProposalPage.SUMMARY, "_summary.md"),
        ):
            if slug not in plan.pages:
                errors.append(
                    ContentError(f"en/{ROOT}/{name}", "this file is missing: the guide needs it")
                )
    if success_factors:
        _parse_success_factors(plan, success_factors, errors)
    _check_orders(plan, errors)
    _assign_positions(plan)
    return plan


def _parse_page(plan, slug, files, errors):
    page = Translated(files=files)
    for language, cf in files.items():
        page.values[language] = {
            "title": require(cf, "title", errors) or "",
            "summary": require(cf, "summary", errors) or "",
            "body": cf.body,
        }
    plan.pages[slug] = page


def _parse_component(plan, slug, files, errors):
    en = files["en"]
    if not valid_slug(slug) or slug in RESERVED:
        errors.append(
            en.error(
                f"'{slug}' cannot name a component folder: use lower-case letters, digits and "
                f"hyphens, and none of {', '.join(sorted(RESERVED))}"
            )
        )
        return
    order = require(en, "order", errors, int)
    letter = require(en, "letter", errors)
    if letter and not re.fullmatch(r"[A-Z]", letter):
        errors.append(en.error("'letter' must be one capital letter, e.g. B", needle="letter:"))
    component = ComponentPlan(files=files, slug=slug, letter=letter or "", order=order or 0)
    for language, cf in files.items():
        component.values[language] = {
            "title": require(cf, "title", errors) or "",
            "summary": require(cf, "summary", errors) or "",
            "body": cf.body,
        }
    plan.components[slug] = component


def _parse_note(plan, component_slug, slug, files, errors):
    en = files["en"]
    component = plan.components.get(component_slug)
    if component is None:
        errors.append(
            en.error(
                f"unknown component '{component_slug}': add content/en/{ROOT}/{component_slug}/"
                "_component.md or move this note into an existing component folder"
            )
        )
        return
    if not valid_slug(slug):
        errors.append(
            en.error(f"'{slug}' is not a valid slug: use lower-case letters, digits and hyphens")
        )
        return
    order = require(en, "order", errors, int)
    code = require(en, "code", errors)
    if code and (not CODE_RE.match(code) or not code.startswith(component.letter)):
        errors.append(
            en.error(
                f"the code '{code}' must be the component's letter ({component.letter}), "
                f"optionally followed by a number, e.g. {component.letter}1",
                needle="code:",
            )
        )
    note = NotePlan(
        files=files, component=component_slug, slug=slug, code=code or "", order=order or 0
    )
    for language, cf in files.items():
        headings = [i for i, line in enumerate(cf.body.splitlines()) if line.startswith("## ")]
        if len(headings) != NOTE_PARTS:
            errors.append(
                cf.error(
                    "a guidance note needs exactly four '## ' headings (context, the need, "
                    f"recommendations, linkages); found {len(headings)}",
                    cf.body_line + (headings[NOTE_PARTS] if len(headings) > NOTE_PARTS else 0),
                )
            )
        note.values[language] = {
            "title": require(cf, "title", errors) or "",
            "summary": require(cf, "summary", errors) or "",
            "body": cf.body,
        }
    plan.notes[note.key] = note
    _parse_checklists(plan, note, errors)


def _text_list(cf, values, name, errors, where):
    """A list of non-empty sentences, or errors naming each bad item."""
    if not isinstance(values, list) or not values:
        errors.append(cf.error(f"{where}: '{name}' must be a list of sentences", needle=f"{name}:"))
        return []
    texts = []
    for number, text in enumerate(values, 1):
        if not isinstance(text, str) or not text.strip():
            errors.append(
                cf.error(
                    f"{where}: item {number} of '{name}' must be a sentence", needle=f"{name}:"
                )
            )
            continue
        texts.append(text.strip())
    return texts


def _parse_checklists(plan, note, errors):
    en = note.en
    declared = en.meta.get("checklists") or []
    if not isinstance(declared, list):
        errors.append(en.error("'checklists' must be a list", needle="checklists:"))
        return
    by_slug = {}
    for order, entry in enumerate(declared, 1):
        slug = str(entry.get("slug", "")).strip() if isinstance(entry, dict) else ""
        if not valid_slug(slug):
            errors.append(
                en.error(f"checklist {order} needs a 'slug' (lower-case letters, digits, hyphens)")
            )
            continue
        if slug in plan.checklists or slug == SUCCESS_FACTORS_SLUG:
            errors.append(en.error(f"the checklist slug '{slug}' is used twice", needle=slug))
            continue
        kind = entry.get("kind")
        if kind not in CHECKLIST_LISTS:
            errors.append(
                en.error(
                    f"checklist '{slug}': 'kind' must be one of {', '.join(CHECKLIST_LISTS)}",
                    needle=slug,
                )
            )
            continue
        number = entry.get("number")
        if number is not None and (not isinstance(number, int) or number < 1):
            errors.append(en.error(f"checklist '{slug}': 'number' must be a whole number"))
            number = None
        checklist = ChecklistPlan(
            note=note.key, slug=slug, number=number, kind=kind, order=order, files=note.files
        )
        plan.checklists[slug] = by_slug[slug] = checklist
    for language, cf in note.files.items():
        entries = (cf.meta.get("checklists") or []) if language != "en" else declared
        if not isinstance(entries, list):
            errors.append(cf.error("'checklists' must be a list, as in the English file"))
            continue
        for entry in entries:
            slug = str(entry.get("slug", "")).strip() if isinstance(entry, dict) else ""
            checklist = by_slug.get(slug)
            if checklist is None:
                if language != "en":
                    errors.append(
                        cf.error(
                            f"the checklist '{slug}' is not in the English file: keep each "
                            "checklist's English 'slug' and translate its title and items",
                            needle=slug or "checklists:",
                        )
                    )
                continue
            where = f"checklist '{slug}'"
            title = str(entry.get("title") or "").strip()
            if not title:
                errors.append(cf.error(f"{where} needs a 'title'", needle=slug))
            checklist.values[language] = {"title": title, "intro": str(entry.get("intro") or "")}
            items, number = [], 0
            for name, item_kind in CHECKLIST_LISTS[checklist.kind]:
                for text in _text_list(cf, entry.get(name), name, errors, where):
                    number += 1
                    items.append((item_kind, number, "", "", text))
            checklist.entries[language] = items


def _parse_success_factors(plan, files, errors):
    en = files["en"]
    note_key = require(en, "note", errors)
    if note_key and note_key not in plan.notes:
        errors.append(
            en.error(
                f"'note' names no guidance note: '{note_key}' (component/note)", needle="note:"
            )
        )
        return
    if not note_key:
        return
    checklist = ChecklistPlan(
        note=note_key,
        slug=SUCCESS_FACTORS_SLUG,
        number=None,
        kind=Checklist.AGREEMENT,
        order=100,  # after the note's numbered checklists
        files=files,
    )
    shape = None
    for language, cf in files.items():
        title = require(cf, "title", errors) or ""
        require(cf, "summary", errors)
        checklist.values[language] = {"title": title, "intro": cf.body}
        factors = require(cf, "factors", errors, list) or []
        items, this_shape = [], []
        for f_number, factor in enumerate(factors, 1):
            if not isinstance(factor, dict) or not str(factor.get("title") or "").strip():
                errors.append(cf.error(f"factor {f_number} needs a 'title'", needle="factors:"))
                continue
            parts = factor.get("parts")
            if not isinstance(parts, list) or not parts:
                errors.append(
                    cf.error(f"factor '{factor['title']}' needs 'parts'", needle=factor["title"])
                )
                continue
            counts = []
            for part in parts:
                if not isinstance(part, dict) or not str(part.get("title") or "").strip():
                    errors.append(cf.error(f"every part of '{factor['title']}' needs a 'title'"))
                    continue
                where = f"'{factor['title']}: {part['title']}'"
                texts = _text_list(cf, part.get("statements"), "statements", errors, where)
                counts.append(len(texts))
                for text in texts:
                    items.append(
                        (
                            ChecklistEntry.STATEMENT,
                            len(items) + 1,
                            str(factor["title"]).strip(),
                            str(part["title"]).strip(),
                            text,
                        )
                    )
            this_shape.append(counts)
        if shape is None:
            shape = this_shape
        elif this_shape != shape:
            # Entries are matched by position, so a translation must keep the same shape.
            errors.append(
                cf.error(
                    "the factors, parts and statements must match the English file one for "
                    "one (same number of each, same order)",
                    needle="factors:",
                )
            )
        checklist.entries[language] = items
    plan.checklists[SUCCESS_FACTORS_SLUG] = checklist


def _check_orders(plan, errors):
    seen, letters = {}, {}
    for component in plan.components.values():
        if component.order in seen:
            errors.append(
                component.en.error(
                    f"order {component.order} is also used by component '{seen[component.order]}'",
                    needle="order:",
                )
            )
        seen[component.order] = component.slug
        if component.letter and component.letter in letters:
            errors.append(
                component.en.error(
                    f"letter {component.letter} is also used by '{letters[component.letter]}'",
                    needle="letter:",
                )
            )
        letters[component.letter] = component.slug
    per_component, codes, numbers = {}, {}, {}
    for note in plan.notes.values():
        mark = (note.component, note.order)
        if mark in per_component:
            errors.append(
                note.en.error(
                    f"order {note.order} is also used by '{per_component[mark]}' in this "
                    "component: give each note its own order",
                    needle="order:",
                )
            )
        per_component[mark] = note.slug
        if note.code and note.code in codes:
            errors.append(
                note.en.error(
                    f"code {note.code} is also used by '{codes[note.code]}'", needle="code:"
                )
            )
        codes[note.code] = note.key
    for checklist in plan.checklists.values():
        if checklist.number is None:
            continue
        if checklist.number in numbers:
            errors.append(
                checklist.files["en"].error(
                    f"checklist number {checklist.number} is used twice "
                    f"('{numbers[checklist.number]}' and '{checklist.slug}')",
                    needle=checklist.slug,
                )
            )
        numbers[checklist.number] = checklist.slug


def _assign_positions(plan):
    order = {slug: c.order for slug, c in plan.components.items()}
    ordered = sorted(plan.notes.values(), key=lambda n: (order[n.component], n.order))
    for position, note in enumerate(ordered, 1):
        note.position = position


# --- rendering ---------------------------------------------------------------------------


def proposals_render(plan: ProposalsPlan, make_context, errors: list[ContentError]) -> None:
    """Render every Markdown value in place; `make_context(language)` gives a RenderContext."""

    def render(cf, text, ctx):
        html, _ = render_markdown(text, ctx)
        report_broken_links(cf, ctx, errors)
        return html

    for translated in (*plan.pages.values(), *plan.components.values()):
        for language, values in translated.values.items():
            ctx = make_context(language)
            values["body_html"] = render(translated.files[language], values.pop("body"), ctx)
    for note in plan.notes.values():
        for language, values in note.values.items():
            ctx = make_context(language)
            parts = split_at_h2(render(note.files[language], values.pop("body"), ctx))
            parts += [""] * (NOTE_PARTS - len(parts))
            (
                values["context_html"],
                values["need_html"],
                values["recommendations_html"],
                values["linkages_html"],
            ) = parts[:NOTE_PARTS]
    for checklist in plan.checklists.values():
        for language, values in checklist.values.items():
            cf = checklist.files[language]
            ctx = make_context(language)
            values["intro_html"] = render(cf, values.pop("intro"), ctx)
            rendered = []
            for kind, order, group, subgroup, text in checklist.entries.get(language, []):
                item_html = render_inline(text, ctx)
                report_broken_links(cf, ctx, errors)
                rendered.append((kind, order, group, subgroup, plain_text(item_html), item_html))
            checklist.entries[language] = rendered


# --- writing -----------------------------------------------------------------------------


def proposals_apply(plan: ProposalsPlan, ctx: ApplyContext) -> None:
    pages = {p.slug: p for p in ProposalPage.objects.all()}
    for slug, page in plan.pages.items():
        upsert(ctx, model=ProposalPage, existing=pages, lookup=slug, shared={"slug": slug},
               values=page.values, kind="proposal page")  # fmt: skip
    components = {c.slug: c for c in Component.objects.all()}
    saved_components = {}
    for slug, component in plan.components.items():
        shared = {"slug": slug, "letter": component.letter, "order": component.order}
        saved_components[slug], _ = upsert(
            ctx, model=Component, existing=components, lookup=slug, shared=shared,
            values=component.values, kind="component",
        )  # fmt: skip
    notes = {(n.component.slug, n.slug): n for n in Note.objects.select_related("component")}
    saved_notes = {}
    for key, note in plan.notes.items():
        shared = {
            "component": saved_components[note.component],
            "slug": note.slug,
            "code": note.code,
            "order": note.order,
            "position": note.position,
        }
        saved_notes[key], _ = upsert(
            ctx, model=Note, existing=notes, lookup=(note.component, note.slug), shared=shared,
            values=note.values, kind="guidance note",
        )  # fmt: skip
    checklists = {c.slug: c for c in Checklist.objects.prefetch_related("entries")}
    for slug, checklist in plan.checklists.items():
        shared = {
            "note": saved_notes[checklist.note],
            "slug": slug,
            "number": checklist.number,
            "kind": checklist.kind,
            "order": checklist.order,
        }
        current = checklists.get(slug)
        entries_differ = current is not None and _entries_differ(current, checklist, ctx.languages)
        obj, _ = upsert(
            ctx, model=Checklist, existing=checklists, lookup=slug, shared=shared,
            values=checklist.values, kind="checklist", changed_elsewhere=entries_differ,
        )  # fmt: skip
        if current is None or entries_differ:
            _sync_entries(obj, checklist, ctx.languages)
    # What is left in the database has no file any more (children go with their parents).
    for kind, leftovers in (
        ("checklist", checklists),
        ("guidance note", notes),
        ("component", components),
        ("proposal page", pages),
    ):
        for obj in leftovers.values():
            ctx.stats.note(kind, ["en"], "removed")
            obj.delete()


def _desired_entries(checklist: ChecklistPlan) -> dict:
    """order → {"kind", "values": language → fields}; entries English lacks are dropped."""
    desired = {order: {"kind": kind, "values": {}} for kind, order, *_ in checklist.entries["en"]}
    for language, entries in checklist.entries.items():
        for _kind, order, group, subgroup, text, text_html in entries:
            if order in desired:
                desired[order]["values"][language] = {
                    "group": group,
                    "subgroup": subgroup,
                    "text": text,
                    "text_html": text_html,
                }
    return desired


def _entries_differ(obj: Checklist, checklist: ChecklistPlan, languages) -> bool:
    current = {e.order: e for e in obj.entries.all()}
    desired = _desired_entries(checklist)
    if set(current) != set(desired):
        return True
    for order, wanted in desired.items():
        entry = current[order]
        if entry.kind != wanted["kind"]:
            return True
        probe = ChecklistEntry(kind=entry.kind)
        for name in ("group", "subgroup", "text", "text_html"):
            for language in languages:
                attribute = localized(name, language)
                setattr(probe, attribute, getattr(entry, attribute))
        if sync_object(probe, wanted["values"], languages):
            return True
    return False


def _sync_entries(obj: Checklist, checklist: ChecklistPlan, languages) -> None:
    """Entries keyed by order; a language without an entry falls back to English."""
    current = {e.order: e for e in obj.entries.all()}
    for order, wanted in _desired_entries(checklist).items():
        entry = current.pop(order, None) or ChecklistEntry(checklist=obj, order=order)
        kind_changed = entry.kind != wanted["kind"]
        entry.kind = wanted["kind"]
        if sync_object(entry, wanted["values"], languages) or kind_changed or entry.pk is None:
            entry.save()
    for entry in current.values():
        entry.delete()
