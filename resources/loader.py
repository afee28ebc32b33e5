"""Load the resource library, all or nothing.

The catalogue `content/en/resources.csv` holds one row per resource (slug, list, type,
region, year, languages, title, publisher, address, topics): data, in a file a spreadsheet
opens. Each resource's annotation is prose, in `content/<lang>/resources/<slug>.md`.

Driven by load_content (buyingguide.loading) like the other apps' loaders: parse and validate
(`resources_parse`), render the annotations (`resources_render`), write (`resources_apply`).
An editor's change in the admin is never overwritten without `force` (see docs/content.md).
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from guidance.content import ContentError, valid_slug
from guidance.loader import GuidancePlan
from guidance.loadkit import ApplyContext, Translated, report_broken_links, sync_object
from guidance.markdown import render_markdown
from guidance.models import Topic

from .models import Resource
from .vocabulary import GROUPS, REGIONS, TYPES, language_problem, url_key, url_problem

SHARED_FIELDS = ("title", "publisher", "year", "kind", "region", "languages", "url", "group")
LANGUAGES = ("en", "es", "id")


@dataclass
class ResourcePlan(Translated):
    slug: str = ""
    shared: dict = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)


@dataclass
class ResourcesPlan:
    resources: dict[str, ResourcePlan] = field(default_factory=dict)

    def link_targets(self) -> set[str]:
        return {"/resources/"}


CATALOGUE = "en/resources.csv"
COLUMNS = (
    "slug",
    "group",
    "type",
    "region",
    "year",
    "languages",
    "title",
    "publisher",
    "url",
    "topics",
)


@dataclass
class CatalogueRow:
    line: int
    values: dict

    def error(self, message: str) -> ContentError:
        return ContentError(CATALOGUE, message, self.line)


def read_catalogue(root: Path, errors) -> list[CatalogueRow]:
    """The rows of content/en/resources.csv (no file: an empty library)."""
    path = Path(root) / CATALOGUE
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        errors.append(ContentError(CATALOGUE, "the file is not UTF-8 text: save it as UTF-8"))
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        errors.append(
            ContentError(
                CATALOGUE,
                f"the first line must name the columns {', '.join(COLUMNS)}; "
                f"missing: {', '.join(missing)}",
                1,
            )
        )
        return []
    rows = []
    line = 1
    for record in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue  # a blank line
        if None in record:
            errors.append(
                ContentError(
                    CATALOGUE,
                    "this row has more cells than there are columns: quote any value "
                    'that contains a comma ("like, this")',
                    line,
                )
            )
            continue
        rows.append(
            CatalogueRow(line, {name: (record.get(name) or "").strip() for name in COLUMNS})
        )
    return rows


def resources_parse(root: Path, groups: dict, guidance: GuidancePlan, errors) -> ResourcesPlan:
    """Validate the catalogue rows and pair each with its annotation files."""
    plan = ResourcesPlan()
    annotations = {
        key.split("/")[1][:-3]: files
        for key, files in groups.items()
        if key.startswith("resources/")
    }
    seen_urls: dict[str, str] = {}
    for row in read_catalogue(root, errors):
        resource = _parse_row(row, guidance, errors)
        if resource is None:
            annotations.pop(row.values["slug"], None)  # its row is reported already
            continue
        if resource.slug in plan.resources:
            errors.append(
                row.error(f"duplicate slug '{resource.slug}': each resource needs its own slug")
            )
            continue
        url = resource.shared["url"]
        if url:
            other = seen_urls.get(url_key(url))
            if other:
                errors.append(
                    row.error(
                        f"duplicate address: {url} is already the address of the resource "
                        f"'{other}'; merge the two rows"
                    )
                )
            seen_urls.setdefault(url_key(url), resource.slug)
        files = annotations.pop(resource.slug, None)
        if not files:
            errors.append(
                row.error(
                    f"the resource '{resource.slug}' has no annotation: write one or two "
                    f"sentences in content/en/resources/{resource.slug}.md"
                )
            )
            continue
        resource.files = files
        for language, cf in files.items():
            annotation = cf.body.strip()
            if not annotation:
                errors.append(
                    cf.error(
                        "the annotation is missing: write one or two sentences after the "
                        "front matter",
                        cf.body_line,
                    )
                )
            resource.values[language] = {"annotation": annotation}
        plan.resources[resource.slug] = resource
    for slug, files in sorted(annotations.items()):
        errors.append(
            files["en"].error(
                f"no row of {CATALOGUE} has the slug '{slug}': add the resource's row there, "
                "or remove this file"
            )
        )
    return plan


def _parse_row(row: CatalogueRow, guidance, errors) -> ResourcePlan | None:
    values = row.values
    slug = values["slug"]
    if not valid_slug(slug):
        errors.append(
            row.error(f"'{slug}' is not a valid slug: use lower-case letters, digits and hyphens")
        )
        return None
    problems = []
    for name in ("title", "publisher", "url", "languages", "topics"):
        if not values[name]:
            problems.append(f"the required column '{name}' is empty")
    for name, allowed in (("type", TYPES), ("region", REGIONS), ("group", GROUPS)):
        if values[name] not in allowed:
            problems.append(f"unknown {name} '{values[name]}': use one of {', '.join(allowed)}")
    year = None
    if values["year"]:
        if values["year"].isdigit() and 1900 <= int(values["year"]) <= 2100:
            year = int(values["year"])
        else:
            problems.append("'year' must be a four-digit year, or empty")
    if values["url"]:
        problem = url_problem(values["url"])
        if problem:
            problems.append(f"'url': {problem}")
    codes = values["languages"].split()
    for code in codes:
        problem = language_problem(code)
        if problem:
            problems.append(problem)
    topics = values["topics"].split()
    for topic in topics:
        if topic not in guidance.topics:
            problems.append(
                f"unknown topic '{topic}': write it as stage/topic, e.g. plan/work-as-a-team, "
                "using a topic that exists in content/en/guide/"
            )
    for problem in problems:
        errors.append(row.error(f"resource '{slug}': {problem}"))
    if problems:
        return None
    return ResourcePlan(
        files={},
        slug=slug,
        shared={
            "title": values["title"],
            "publisher": values["publisher"],
            "year": year,
            "kind": values["type"],
            "region": values["region"],
            "languages": ", ".join(codes),
            "url": values["url"],
            "group": values["group"],
        },
        topics=sorted(set(topics)),
    )


def resources_render(plan: ResourcesPlan, make_context, errors) -> None:
    for resource in plan.resources.values():
        for language, values in resource.values.items():
            ctx = make_context(language)
            values["annotation_html"], _ = render_markdown(values["annotation"], ctx)
            report_broken_links(resource.files[language], ctx, errors)


# --- fingerprints: did an editor change this since it was loaded? ------------------------


def resource_fingerprint(resource: Resource) -> str:
    data = {
        f"annotation:{language}": getattr(
            resource, build_localized_fieldname("annotation", language)
        )
        or ""
        for language in LANGUAGES
    }
    data.update({name: getattr(resource, name) for name in SHARED_FIELDS})
    if resource.pk:
        data["topics"] = sorted(f"{t.stage.slug}/{t.slug}" for t in resource.topics.all())
    payload = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def resources_edited_in_admin() -> set[str]:
    """Slugs of resources created or changed in the admin since they were last loaded."""
    return {
        resource.slug
        for resource in Resource.objects.prefetch_related("topics__stage")
        if resource.source != Resource.FROM_FILE
        or resource_fingerprint(resource) != resource.loaded_fingerprint
    }


@dataclass
class ResourceConflict:
    slug: str
    reason: str

    def __str__(self):
        return (
            f"resource '{self.slug}': {self.reason}. It was left as the editor saved it. "
            "To keep the editor's version, run `python manage.py export_resources` and "
            "commit the files; to replace it with the file, run load_content --force."
        )


def resources_apply(
    plan: ResourcesPlan, ctx: ApplyContext, *, edited: set[str]
) -> list[ResourceConflict]:
    """Write the resources; return the conflicts left for a person to resolve.

    `edited`: from resources_edited_in_admin(), taken before the load wrote anything.
    """
    languages, stats, force = ctx.languages, ctx.stats, ctx.force
    now = timezone.now()
    topics = {f"{t.stage.slug}/{t.slug}": t for t in Topic.objects.select_related("stage")}
    existing = {r.slug: r for r in Resource.objects.prefetch_related("topics__stage")}
    conflicts = []
    for slug, resource in plan.resources.items():
        obj = existing.pop(slug, None)
        created = obj is None
        obj = obj or Resource(slug=slug)
        changed = sync_object(obj, resource.values, languages)
        shared_changed = False
        for name, value in resource.shared.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                shared_changed = True
        have = set() if created else {f"{t.stage.slug}/{t.slug}" for t in obj.topics.all()}
        if shared_changed or have != set(resource.topics):
            changed = sorted(set(changed) | {"en"})
        present = [lang for lang in languages if lang in resource.values]
        if not created and not changed:
            if slug in edited:
                # The database already matches the file (e.g. after an export): adopt it.
                obj.loaded_fingerprint = resource_fingerprint(obj)
                Resource.objects.filter(pk=obj.pk).update(
                    source=Resource.FROM_FILE, loaded_fingerprint=obj.loaded_fingerprint
                )
            stats.note("resource", present, "unchanged")
            continue
        if slug in edited and not force:
            stats.note("resource", changed, "conflict")
            reason = (
                "it was created in the admin and a content file now has the same slug"
                if obj.source == Resource.FROM_ADMIN
                else "it was changed in the admin since it was last loaded from its file"
            )
            conflicts.append(ResourceConflict(slug, reason))
            continue
        obj.source = Resource.FROM_FILE
        obj.updated_at = now
        obj.save()
        obj.topics.set([topics[key] for key in resource.topics])
        obj.loaded_fingerprint = resource_fingerprint(obj)
        Resource.objects.filter(pk=obj.pk).update(loaded_fingerprint=obj.loaded_fingerprint)
        if created:
            stats.note("resource", present, "created")
        else:
            stats.note("resource", changed, "updated")
            stats.note("resource", [x for x in present if x not in changed], "unchanged")
    for obj in existing.values():
        if obj.source != Resource.FROM_FILE:
            continue  # made in the admin and never exported: not the files' business
        if obj.slug in edited and not force:
            conflicts.append(
                ResourceConflict(
                    obj.slug,
                    "its file was removed, but it was changed in the admin since the last load",
                )
            )
            continue
        stats.note("resource", ["en"], "removed")
        obj.delete()
    return conflicts
