"""The generic machinery of the content loaders (guidance/loader.py, casestudies/loader.py).

Nothing here knows a stage from a case study:

- `group_by_key`: the files of one object in every language, English first;
- `Translated`: one object's files and per-language values, the base of every plan;
- `EntryList` / `parse_entry_list`: a front-matter list of entries keyed by one field,
  whose translations must list the same keys as English (themes, glossary terms);
- `guide_link_targets` / `report_broken_links`: internal links and the errors they give;
- `Stats`: what a load created, updated, left alone or removed, per kind and language;
- `ApplyContext`, `sync_object`, `upsert`: write a plan, touching only what changed.
"""

import datetime
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from .content import ContentError, ContentFile, require
from .languages import SOURCE_LANGUAGE, localized
from .markdown import RenderContext, internal_link

STATIC_TARGETS = {
    "/",
    "/about/",
    "/accessibility/",
    "/glossary/",
    "/search/",
    "/case-studies/",
    "/guide/checklist/",
}


# --- reading -----------------------------------------------------------------------------


@dataclass
class Translated:
    """One object from one English file plus its translations."""

    files: dict[str, ContentFile]  # language → file
    values: dict[str, dict] = field(default_factory=dict)  # language → {field: value}
    # Front matter `changes:` as guidance.changes stores them: (date, minor, note per language)
    changes: list[tuple] = field(default_factory=list)

    @property
    def en(self) -> ContentFile:
        return self.files["en"]


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


@dataclass(frozen=True)
class EntryList:
    """How to read one kind of keyed list (`themes:` of `slug`s, `terms:` of `term`s).

    `key(value)` turns the key field's value into the key (None: not a valid key);
    `read(entry, value, language)` gives (the entry's values, problems to report); the
    three messages word the list-level errors for this kind of entry.
    """

    field: str
    key_field: str
    key: Callable[[str], str | None]
    read: Callable[[dict, str, str], tuple[dict, list[str]]]
    invalid_key: Callable[[int, str], str]
    duplicate: Callable[[str, str], str]
    unknown: Callable[[str], str]


@dataclass
class KeyedEntry:
    order: int  # 1-based place in the English list
    value: str  # the key field's English value ("OCDS"; for themes the slug itself)
    values: dict[str, dict] = field(default_factory=dict)  # language → read(entry)


def parse_entry_list(
    files: dict[str, ContentFile], spec: EntryList, errors: list
) -> dict[str, KeyedEntry]:
    """English decides which entries exist (and their order); translations add values."""
    english_file = files[SOURCE_LANGUAGE]
    english = require(english_file, spec.field, errors, list)
    entries: dict[str, KeyedEntry] = {}
    for order, entry in enumerate(english or [], 1):
        value = str(entry.get(spec.key_field, "")).strip() if isinstance(entry, dict) else ""
        key = spec.key(value) if value else None
        needle = f"{spec.key_field}: {value}" if value else None
        if not key:
            errors.append(english_file.error(spec.invalid_key(order, value), needle=needle))
        elif key in entries:
            errors.append(english_file.error(spec.duplicate(value, key), needle=needle))
        else:
            entries[key] = KeyedEntry(order=order, value=value)
    for language, cf in files.items():
        listed = english if language == SOURCE_LANGUAGE else cf.meta.get(spec.field)
        if not isinstance(listed, list):
            if language != SOURCE_LANGUAGE or english is not None:
                errors.append(cf.error(f"the field '{spec.field}' must be a list of entries"))
            continue
        for entry in listed:
            if not isinstance(entry, dict):
                continue
            value = str(entry.get(spec.key_field, "")).strip()
            key = spec.key(value) if value else None
            needle = f"{spec.key_field}: {value}"
            if key not in entries:
                if language != SOURCE_LANGUAGE:
                    errors.append(cf.error(spec.unknown(value), needle=needle))
                continue
            values, problems = spec.read(entry, value, language)
            errors.extend(cf.error(problem, needle=needle) for problem in problems)
            entries[key].values[language] = values
    return entries


# --- links -------------------------------------------------------------------------------


def guide_link_targets(stage_slugs, topic_keys) -> set[str]:
    """Internal link targets of the guide: static pages, stages, checklists, topics.

    Shared by the loader (from the files) and the admin (from the database).
    """
    targets = set(STATIC_TARGETS)
    for slug in stage_slugs:
        targets |= {f"/guide/{slug}/", f"/guide/{slug}/checklist/"}
    targets |= {f"/guide/{key}/" for key in topic_keys}
    return targets


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


def render_fingerprint(*, glossary_files, languages) -> str:
    """What rendering a content file depends on besides the file: the glossary's files,
    the renderer's code and libraries, and the languages loaded.

    Part of each file's load fingerprint (`files_fingerprint`), so a glossary edit or a new
    renderer re-renders everything, and nothing else does.
    """
    from importlib.metadata import version
    from pathlib import Path

    from . import markdown

    digest = hashlib.sha256()
    for part in (
        *(f"{cf.rel}\0{cf.text}" for cf in sorted(glossary_files, key=lambda cf: cf.rel)),
        *languages,
        version("markdown"),
        version("nh3"),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(Path(markdown.__file__).read_bytes())
    return digest.hexdigest()


# Where a site link may start in Markdown: "](/…", "]: /…" (a reference) or "</…".
# Generous on purpose: a false candidate only adds a line to the fingerprint.
LINK_CANDIDATE = re.compile(r"(?:\]\(\s*<?|\]:\s*<?|<)(/[^\s)>\"']*)")


def files_fingerprint(files: dict, render_key: str, ctx) -> str:
    """One object's files in every language, what rendering them depends on
    (`render_fingerprint`), and whether each site link they hold leads somewhere (`ctx`:
    the load's link targets and glossary slugs): did anything that shapes it change?

    Only the links a file holds count, so adding a page or case study re-renders nothing
    else, while removing a page re-renders (and so reports) the files that link to it.
    """
    digest = hashlib.sha256(render_key.encode())
    for language in sorted(files):
        text = files[language].text
        links = sorted({href for href in LINK_CANDIDATE.findall(text) if not href.startswith("//")})
        states = [f"{href}={internal_link(href, ctx)[2]}" for href in links]
        digest.update("\0".join((language, text, *states)).encode())
    return digest.hexdigest()


# --- writing -----------------------------------------------------------------------------


class Stats(Counter):
    """(kind, language, outcome) → count; outcome is created/updated/unchanged/removed.

    `warnings`: things the load wrote but a person should fix (see `dates_not_moved`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []

    def note(self, kind, languages, outcome):
        for language in languages:
            self[(kind, language, outcome)] += 1

    def record(self, kind, *, present, changed, created: bool) -> None:
        """One object written: every present language created, or each updated/unchanged."""
        if created:
            self.note(kind, present, "created")
            return
        self.note(kind, changed, "updated")
        self.note(kind, [language for language in present if language not in changed], "unchanged")

    @property
    def changed(self) -> bool:
        return any(n for (_k, _l, outcome), n in self.items() if outcome != "unchanged")


@dataclass
class ApplyContext:
    """What every write of one load shares."""

    languages: tuple[str, ...]
    stats: Stats
    now: datetime.datetime = field(default_factory=timezone.now)
    force: bool = False


def _is_text(obj, attribute) -> bool:
    return isinstance(obj._meta.get_field(attribute), models.CharField | models.TextField)


def dates_not_moved(obj, values: dict[str, dict], languages, also_changed=()) -> list[str]:
    """Languages whose text this load changes while their `updated:` date stays the same.

    `values` are the new translated values (with "updated_on"); `also_changed`: languages
    changed in ways `values` does not show (a topic's do/don't lists). A date that is
    already today needs no new one for a second change the same day.
    """
    if obj.pk is None:
        return []
    stale = []
    for language in languages:
        new = values.get(language) or {}
        date = new.get("updated_on")
        if date is None or date == timezone.localdate():
            continue
        if getattr(obj, localized("updated_on", language)) != date:
            continue
        text_changed = language in also_changed or any(
            (getattr(obj, localized(name, language)) or "") != (value or "")
            for name, value in new.items()
            if name != "updated_on"
        )
        if text_changed:
            stale.append(language)
    return stale


def note_dates_not_moved(stats: "Stats", files, obj, values, languages, also_changed=()):
    """Warn, naming the file, for each language `dates_not_moved` finds (nothing is lost)."""
    for language in dates_not_moved(obj, values, languages, also_changed):
        stats.warnings.append(
            f"{files[language].rel}: the text changed but 'updated' is still "
            f"{values[language]['updated_on']}: set it to the date of this change"
        )


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
            attribute = localized(name, language)
            # A missing text is "", a missing date (updated_on) is None.
            empty = "" if _is_text(obj, attribute) else None
            new = language_values.get(name, empty)
            if (getattr(obj, attribute) or empty) != new:
                setattr(obj, attribute, new)
                differs = True
        if differs:
            changed.append(language)
    return changed


def upsert(
    ctx: ApplyContext,
    *,
    model,
    existing: dict,
    lookup,
    shared: dict,
    values,
    kind: str,
    changed_elsewhere: bool = False,
    files: dict | None = None,
    also_changed=(),
):
    """Create or update the object `existing[lookup]` (popped: what is left has no file).

    `shared`: fields every language has (a change counts as an English change); `values`:
    language → translated fields; `changed_elsewhere`: something stored apart changed (a
    topic's do/don't items), so the object counts as updated in every language and is
    saved (dated). Saves only when something changed; returns (obj, changed). `files`:
    the object's content files, to warn about text changed without a new `updated:` date
    (`also_changed`: languages whose do/don't lists changed).
    """
    obj = existing.pop(lookup, None)
    created = obj is None
    if created:
        obj = model(**shared)
    if files:
        note_dates_not_moved(ctx.stats, files, obj, values, ctx.languages, also_changed)
    shared_changed = any(getattr(obj, k) != v for k, v in shared.items())
    for k, v in shared.items():
        setattr(obj, k, v)
    changed = sync_object(obj, values, ctx.languages)
    if shared_changed and SOURCE_LANGUAGE not in changed:
        changed.append(SOURCE_LANGUAGE)
    present = [lang for lang in ctx.languages if lang in values]
    if changed_elsewhere and not created:
        changed = list(dict.fromkeys([*changed, *present]))
    ctx.stats.record(kind, present=present, changed=changed, created=created)
    if created or changed:
        if hasattr(obj, "updated_at"):
            obj.updated_at = ctx.now
        obj.save()
    return obj, bool(created or changed)
