"""Which translations are missing or out of date: content files and interface strings.

A translated content file records the English text it was made from (`source_hash`, the
first 12 hex digits of the SHA-256 of the English file). The English file changing makes
the translation "out of date" until a translator updates it and its hash.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from .content import ContentFile, file_hash, split_front_matter
from .languages import LANGUAGE_CODES as LANGUAGES
from .translation_diff import FileDiff, source_record, translation_diff

CURRENT = "current"
OUT_OF_DATE = "out of date"
MISSING = "missing"


@dataclass
class FileStatus:
    key: str  # path inside the language folder
    language: str
    status: str
    expected_hash: str
    recorded_hash: str = ""
    english_text: str = ""
    text: str = ""  # the translation's text ("" when missing)
    english_path: Path | None = None

    def diff(self, sources: Path) -> FileDiff:
        """What changed in English since this translation was made (translation_diff.py)."""
        return translation_diff(
            english_text=self.english_text,
            translation_text=self.text,
            recorded_hash=self.recorded_hash,
            sources=sources,
            english_path=self.english_path,
        )


def content_translation_status(root: Path, languages=LANGUAGES) -> list[FileStatus]:
    root = Path(root)
    report = []
    english_root = root / "en"
    for english in sorted(english_root.rglob("*.md")):
        key = english.relative_to(english_root).as_posix()
        english_text = english.read_text(encoding="utf-8")
        expected = file_hash(english_text)
        for language in languages:
            if language == "en":
                continue
            path = root / language / key
            if not path.exists():
                report.append(
                    FileStatus(key, language, MISSING, expected, "", english_text, "", english)
                )
                continue
            cf = ContentFile(
                path=path,
                rel=f"{language}/{key}",
                language=language,
                key=key,
                text=path.read_text(encoding="utf-8"),
            )
            recorded = "" if split_front_matter(cf) else str(cf.meta.get("source_hash") or "")
            status = CURRENT if recorded == expected else OUT_OF_DATE
            report.append(
                FileStatus(
                    key, language, status, expected, recorded, english_text, cf.text, english
                )
            )
    return report


def sources_record(*, root: Path, sources: Path) -> int:
    """Keep the English version of every file a current translation was made from.

    Run after translating (`translation_status --record`): when that English file changes
    later, the kept version shows the translator exactly what changed. Returns how many
    versions were new."""
    kept = 0
    for item in content_translation_status(root):
        if item.status == CURRENT:
            kept += source_record(sources, item.english_text)
    return kept


def sources_missing(*, root: Path, sources: Path) -> list[FileStatus]:
    """Current translations whose English version is not kept (run --record)."""
    from .translation_diff import source_text

    return [
        item
        for item in content_translation_status(root)
        if item.status == CURRENT and source_text(sources, item.recorded_hash) is None
    ]


@dataclass
class PoStatus:
    language: str
    path: Path
    total: int
    untranslated: list[str]
    fuzzy: list[str]


def po_entries(text: str):
    """(msgid, [msgstr…], is_fuzzy) for each entry of a .po file (the header excluded)."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, fields = None, {}
        for line in lines:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        strings = [v for k, v in fields.items() if k.startswith("msgstr")]
        entries.append((fields["msgid"], strings, fuzzy))
    return entries


def project_locale_dirs() -> list[Path]:
    """The project-wide locale/ and the locale/ of each of the project's own apps.

    An app may keep its interface strings beside its code (``<app>/locale/``); Django finds
    them there at run time, and the status check must look at them too.
    """
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d) for d in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        own = path.is_relative_to(base) and "site-packages" not in path.parts
        if own and (path / "locale").is_dir():
            dirs.append(path / "locale")
    return dirs


def po_translation_status(locale_dir: Path, languages=LANGUAGES) -> list[PoStatus]:
    report = []
    for language in languages:
        if language == "en":
            continue
        path = Path(locale_dir) / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            report.append(PoStatus(language, path, 0, ["(no django.po file)"], []))
            continue
        entries = po_entries(path.read_text(encoding="utf-8"))
        untranslated = [
            msgid for msgid, strings, _f in entries if not strings or any(not s for s in strings)
        ]
        fuzzy = [msgid for msgid, _s, is_fuzzy in entries if is_fuzzy]
        report.append(PoStatus(language, path, len(entries), untranslated, fuzzy))
    return report
