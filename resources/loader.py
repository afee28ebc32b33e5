"""Load the resource library from `content/<lang>/resources/<slug>.md`, all or nothing.

Driven by load_content (buyingguide.loading) like the other apps' loaders: parse and validate
(`resources_parse`), render the annotations (`resources_render`), write (`resources_apply`).
An editor's change in the admin is never overwritten without `force` (see docs/content.md).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from guidance.content import require, valid_slug
from guidance.loader import GuidancePlan, Stats, Translated, report_broken_links, sync_object
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


def resources_parse(groups: dict[str, dict], guidance: GuidancePlan, errors) -> ResourcesPlan:
    plan = ResourcesPlan()
    seen_urls: dict[str, str] = {}
    for key, files in sorted(groups.items()):
        if key.startswith("resources/"):
            resource = _parse_resource(guidance, key.split("/")[1][:-3], files, errors)
            if resource is None:
                continue
            url = resource.shared["url"]
            if url:
                other = seen_urls.get(url_key(url))
                if other:
                    errors.append(
                        resource.en.error(
                            f"duplicate address: {url} is also the address of the resource "
                            f"'{other}'; merge the two files",
                            needle="url:",
                        )
                    )
                seen_urls.setdefault(url_key(url), resource.slug)
            plan.resources[resource.slug] = resource
    return plan


def _choice(en, name, allowed, errors):
    value = require(en, name, errors)
    if value is not None and value not in allowed:
        errors.append(
            en.error(
                f"unknown {name} '{value}': use one of {', '.join(allowed)}", needle=f"{name}:"
            )
        )
        return None
    return value


def _parse_resource(guidance, slug, files, errors) -> ResourcePlan | None:
    en = files["en"]
    if not valid_slug(slug):
        errors.append(
            en.error(
                f"'{slug}' is not a valid slug: use lower-case letters, digits "
                "and hyphens in the file name"
            )
        )
        return None
    title = require(en, "title", errors)
    publisher = require(en, "publisher", errors)
    year = en.meta.get("year")
    if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
        errors.append(en.error("'year' must be a four-digit year", needle="year:"))
        year = None
    kind = _choice(en, "type", TYPES, errors)
    region = _choice(en, "region", REGIONS, errors)
    group = _choice(en, "group", GROUPS, errors)
    url = require(en, "url", errors)
    if url is not None:
        problem = url_problem(url)
        if problem:
            errors.append(en.error(f"'url': {problem}", needle="url:"))
    languages = require(en, "languages", errors, list) or []
    for code in languages:
        problem = language_problem(str(code))
        if problem:
            errors.append(en.error(problem, needle="languages:"))
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
    resource = ResourcePlan(
        files=files,
        slug=slug,
        shared={
            "title": title or "",
            "publisher": publisher or "",
            "year": year,
            "kind": kind or "",
            "region": region or "",
            "languages": ", ".join(str(code) for code in languages),
            "url": url or "",
            "group": group or "",
        },
        topics=sorted({str(t) for t in topics}),
    )
    for language, cf in files.items():
        annotation = cf.body.strip()
        if not annotation:
            errors.append(
                cf.error(
                    "the annotation is missing: write one or two sentences after the front matter",
                    cf.body_line,
                )
            )
        resource.values[language] = {"annotation": annotation}
    return resource


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
    plan: ResourcesPlan, languages, stats: Stats, *, edited: set[str], force=False
) -> list[ResourceConflict]:
    """Write the resources; return the conflicts left for a person to resolve.

    `edited`: from resources_edited_in_admin(), taken before the load wrote anything.
    """
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
