"""Write case studies made or changed in the admin back to content files.

The files use the format load_content reads (docs/content.md), so export then load is a
round trip with no change; commit the files to keep the editors' work in the repository.
"""

from pathlib import Path

import yaml
from django.utils import timezone

from guidance.content import file_hash
from guidance.languages import LANGUAGE_CODES as LANGUAGES
from guidance.languages import localized
from guidance.languages import localized_value as _value

from .loader import CASE_STUDY_TAGS, case_study_fingerprint
from .models import CaseStudy, Theme


def case_study_document(case: CaseStudy, language: str, source_hash: str = "") -> str:
    topics = sorted(f"{t.stage.slug}/{t.slug}" for t in case.topics.select_related("stage"))
    topic_stages = {key.split("/")[0] for key in topics}
    extra_stages = sorted(
        s for s in case.stages.values_list("slug", flat=True) if s not in topic_stages
    )
    meta = {
        "title": _value(case, "title", language),
        "summary": _value(case, "summary", language),
        "country": case.country,
        "organisation": _value(case, "organisation", language),
    }
    if case.year:
        meta["year"] = case.year
        if case.year_inferred:
            meta["year_inferred"] = True
    if case.published_on:
        meta["published"] = case.published_on
    meta["updated"] = getattr(case, localized("updated_on", language))
    meta["topics"] = topics
    if extra_stages:
        meta["stages"] = extra_stages
    meta["themes"] = sorted(case.themes.values_list("slug", flat=True))
    notes = sorted(n.key for n in case.notes.select_related("component"))
    if notes:
        meta["notes"] = notes
    for name in ("quote", "quote_by"):
        if _value(case, name, language):
            meta[name] = _value(case, name, language)
    if case.image:
        meta["image"] = case.image.name
        meta["image_alt"] = _value(case, "image_alt", language)
    meta["status"] = case.status
    if source_hash:
        meta["source_hash"] = source_hash
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{_value(case, 'body', language).strip()}\n"


def themes_missing_from_files(root: Path) -> list[str]:
    """Slugs of themes in the database (made in the admin) that themes.md lacks."""
    path = Path(root) / "en" / "themes.md"
    in_file = set()
    if path.exists():
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("\n---", 1)[0].lstrip("-\n")) or {}
        in_file = {str(t.get("slug")) for t in meta.get("themes") or [] if isinstance(t, dict)}
    return sorted(set(Theme.objects.values_list("slug", flat=True)) - in_file)


def themes_document(language: str, source_hash: str = "") -> tuple[str, int, int]:
    """themes.md in `language`: the text, how many themes it names, how many exist."""
    themes = []
    every = list(Theme.objects.order_by("order", "slug"))
    for theme in every:
        if not _value(theme, "name", language):
            continue  # no name in this language yet: the loader falls back to English
        entry = {"slug": theme.slug, "name": _value(theme, "name", language)}
        if _value(theme, "description", language):
            entry["description"] = _value(theme, "description", language)
        themes.append(entry)
    meta = {"title": "Themes", "themes": themes}
    if source_hash and len(themes) == len(every):
        meta["source_hash"] = source_hash  # only a complete translation is "current"
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n", len(themes), len(every)


def themes_export(root: Path) -> list[Path]:
    """Rewrite themes.md in every language from the database (after admin-made themes)."""
    english, _named, _total = themes_document("en")
    written = []
    for language in LANGUAGES:
        text, named, _total = (
            (english, 1, 1) if language == "en" else themes_document(language, file_hash(english))
        )
        if not named:
            continue
        path = Path(root) / language / "themes.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _date_undated(case: CaseStudy) -> None:
    """A language never dated (saved before dates existed) gets the date of its last save,
    in the database too, so the exported file and the database agree on reload."""
    dates = {}
    for language in LANGUAGES:
        name = localized("updated_on", language)
        if _value(case, "title", language) and not getattr(case, name):
            dates[name] = timezone.localdate(case.updated_at)
    if dates:
        for name, day in dates.items():
            setattr(case, name, day)
        CaseStudy.objects.filter(pk=case.pk).update(**dates)  # .update: updated_at stays


def case_studies_export(root: Path, *, everything=False, slugs=None) -> list[Path]:
    """Export admin-made or admin-changed case studies (or all with `everything`)."""
    written = themes_export(root) if themes_missing_from_files(root) else []
    qs = CaseStudy.objects.prefetch_related(*CASE_STUDY_TAGS)
    if slugs:
        qs = qs.filter(slug__in=slugs)
    for case in qs:
        changed = (
            case.source == CaseStudy.FROM_ADMIN
            or case_study_fingerprint(case) != case.loaded_fingerprint
        )
        if not (everything or changed or slugs):
            continue
        _date_undated(case)
        english = case_study_document(case, "en")
        english_hash = file_hash(english)
        for language in LANGUAGES:
            if language != "en" and not _value(case, "title", language):
                continue
            text = (
                english
                if language == "en"
                else case_study_document(case, language, source_hash=english_hash)
            )
            path = Path(root) / language / "case-studies" / f"{case.slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
