"""Write resources made or changed in the admin back to content files (no-loss round trip).

The files use the format load_content reads (docs/content.md), so export then load finds
nothing to change and marks them as loaded.
"""

from pathlib import Path

import yaml
from modeltranslation.utils import build_localized_fieldname

from guidance.content import LANGUAGES, file_hash

from .loader import resource_fingerprint
from .models import Resource


def _annotation(resource, language):
    return getattr(resource, build_localized_fieldname("annotation", language)) or ""


def resource_document(resource: Resource, language: str, source_hash: str = "") -> str:
    if language != "en":
        front = yaml.safe_dump({"source_hash": source_hash}, sort_keys=False)
        return f"---\n{front}---\n{_annotation(resource, language).strip()}\n"
    meta = {"title": resource.title, "publisher": resource.publisher}
    if resource.year:
        meta["year"] = resource.year
    meta.update(
        {
            "type": resource.kind,
            "region": resource.region,
            "languages": resource.language_codes,
            "url": resource.url,
            "group": resource.group,
            "topics": sorted(f"{t.stage.slug}/{t.slug}" for t in resource.topics.all()),
        }
    )
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{_annotation(resource, 'en').strip()}\n"


def resources_export(root: Path, *, everything=False, slugs=None) -> list[Path]:
    """Export admin-made or admin-changed resources (or all with `everything`)."""
    written = []
    qs = Resource.objects.prefetch_related("topics__stage")
    if slugs:
        qs = qs.filter(slug__in=slugs)
    for resource in qs:
        changed = (
            resource.source == Resource.FROM_ADMIN
            or resource_fingerprint(resource) != resource.loaded_fingerprint
        )
        if not (everything or changed or slugs):
            continue
        english = resource_document(resource, "en")
        for language in LANGUAGES:
            if language != "en" and not _annotation(resource, language).strip():
                continue
            text = (
                english
                if language == "en"
                else resource_document(resource, language, file_hash(english))
            )
            path = Path(root) / language / "resources" / f"{resource.slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
