"""What a translator needs to do next, per language: read from the files, never written.

Content files (current / out of date with the English difference / missing, where visitors
see English), the termbase findings, the interface strings (.po) that are untranslated or
fuzzy with where they are used, and the case studies made in the admin that lack a language.
"""

from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.urls import reverse

from casestudies.models import CaseStudy
from guidance.languages import TRANSLATION_CODES, language_name
from guidance.termbase import termbase_problems
from guidance.translations import (
    CURRENT,
    MISSING,
    OUT_OF_DATE,
    content_translation_status,
    project_locale_dirs,
)

CASE_STUDY_ROWS = 50  # per language; the rest through the case-study list's language filter


@dataclass
class PoEntry:
    msgid: str
    locations: list[str]


@dataclass
class Catalogue:
    path: str
    total: int
    untranslated: list[PoEntry]
    fuzzy: list[PoEntry]


@dataclass
class LanguageOverview:
    code: str
    name: str
    counts: dict
    files: list = field(default_factory=list)  # every file not current, with its difference
    terms: list = field(default_factory=list)
    catalogues: list = field(default_factory=list)
    case_studies: list = field(default_factory=list)
    case_studies_total: int = 0
    case_studies_url: str = ""

    @property
    def catalogue_problems(self) -> int:
        return sum(len(c.untranslated) + len(c.fuzzy) for c in self.catalogues)

    @property
    def all_current(self) -> bool:
        return not (self.files or self.terms or self.catalogue_problems or self.case_studies_total)


def _where(entry) -> list[str]:
    return sorted({path for path, _line in entry.occurrences})


def catalogues(*, language: str, base: Path) -> list[Catalogue]:
    found = []
    for locale_dir in project_locale_dirs():
        path = Path(locale_dir) / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            found.append(Catalogue(str(path), 0, [PoEntry("(no django.po file)", [])], []))
            continue
        po = polib.pofile(str(path))
        entries = [e for e in po if not e.obsolete]
        label = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
        found.append(
            Catalogue(
                label,
                len(entries),
                [
                    PoEntry(e.msgid, _where(e))
                    for e in entries
                    if not e.translated() and "fuzzy" not in e.flags
                ],
                [PoEntry(e.msgid, _where(e)) for e in entries if "fuzzy" in e.flags],
            )
        )
    return found


def translation_overview(*, root: Path, sources: Path, base: Path, languages=None) -> list:
    """One `LanguageOverview` per translation language (all of them unless `languages`)."""
    languages = [code for code in (languages or TRANSLATION_CODES) if code in TRANSLATION_CODES]
    statuses = content_translation_status(Path(root), languages)
    overviews = []
    for code in languages:
        mine = [s for s in statuses if s.language == code]
        overview = LanguageOverview(
            code=code,
            name=language_name(code),
            counts={
                name: sum(f.status == status for f in mine)
                for name, status in (
                    ("current", CURRENT),
                    ("out_of_date", OUT_OF_DATE),
                    ("missing", MISSING),
                )
            },
        )
        for item in mine:
            if item.status == CURRENT:
                continue
            overview.files.append(
                {
                    "item": item,
                    "diff": item.diff(sources) if item.status == OUT_OF_DATE else None,
                }
            )
        overview.terms = termbase_problems(Path(root), code)
        overview.catalogues = catalogues(language=code, base=Path(base))
        missing = CaseStudy.objects.filter(source=CaseStudy.FROM_ADMIN).missing_language(code)
        overview.case_studies_total = missing.count()
        overview.case_studies = [
            (case, reverse("admin:casestudies_casestudy_change", args=[case.pk]))
            for case in missing.order_by("slug")[:CASE_STUDY_ROWS]
        ]
        overview.case_studies_url = (
            reverse("admin:casestudies_casestudy_changelist") + f"?languages=missing-{code}"
        )
        overviews.append(overview)
    return overviews
