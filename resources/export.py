"""Write resources made or changed in the admin back to content files (no-loss round trip).

The files use the format load_content reads (docs/content.md), so export then load finds
nothing to change and marks them as loaded.
"""

import csv
import io
from pathlib import Path

import yaml
from modeltranslation.utils import build_localized_fieldname

from guidance.content import LANGUAGES, file_hash

from .loader import CATALOGUE, COLUMNS, resource_fingerprint
from .models import Resource
from .vocabulary import GROUPS


def _annotation(resource, language):
    return getattr(resource, build_localized_fieldname("annotation", language)) or ""


def annotation_document(resource: Resource, language: str, source_hash: str = "") -> str:
    """The annotation file: front matter (a translation's source_hash), then the text."""
    front = yaml.safe_dump({"source_hash": source_hash}, sort_keys=False) if source_hash else ""
    return f"---\n{front}---\n{_annotation(resource, language).strip()}\n"


def catalogue_row(resource: Resource) -> dict:
    return {
        "slug": resource.slug,
        "group": resource.group,
        "type": resource.kind,
        "region": resource.region,
        "year": resource.year or "",
        "languages": " ".join(resource.language_codes),
        "title": resource.title,
        "publisher": resource.publisher,
        "url": resource.url,
        "topics": " ".join(sorted(f"{t.stage.slug}/{t.slug}" for t in resource.topics.all())),
    }


def catalogue_document(resources) -> str:
    """content/en/resources.csv for these resources, in the library's order."""
    order = {slug: number for number, slug in enumerate(GROUPS)}
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for resource in sorted(resources, key=lambda r: (order.get(r.group, 99), r.slug)):
        writer.writerow(catalogue_row(resource))
    return out.getvalue()


def resources_export(root: Path, *, everything=False, slugs=None) -> list[Path]:
    """Export admin-made or admin-changed resources (or all with `everything`)."""
    written = []
    every = list(Resource.objects.prefetch_related("topics__stage"))
    qs = [r for r in every if r.slug in slugs] if slugs else every
    for resource in qs:
        changed = (
            resource.source == Resource.FROM_ADMIN
            or resource_fingerprint(resource) != resource.loaded_fingerprint
        )
        if not (everything or changed or slugs):
            continue
        english = annotation_document(resource, "en")
        for language in LANGUAGES:
            if language != "en" and not _annotation(resource, language).strip():
                continue
            text = (
                english
                if language == "en"
                else annotation_document(resource, language, file_hash(english))
            )
            path = Path(root) / language / "resources" / f"{resource.slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    if written:
        # The catalogue holds every resource's row, so it is rewritten whole.
        path = Path(root) / CATALOGUE
        path.write_text(catalogue_document(every), encoding="utf-8")
        written.append(path)
    return written
