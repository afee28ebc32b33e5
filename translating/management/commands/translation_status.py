from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guidance.languages import LANGUAGE_CODES as LANGUAGES
from guidance.termbase import termbase_problems
from guidance.translations import (
    CURRENT,
    MISSING,
    OUT_OF_DATE,
    content_translation_status,
    po_translation_status,
    project_locale_dirs,
    sources_record,
)
from translating.checks import unmarked_template_strings


class Command(BaseCommand):
    help = (
        "List, per content file and language, whether its translation is current, out of "
        "date or missing, every variant its termbase forbids, and the untranslated interface "
        "strings in locale/, and template text not marked for translation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit with an error when anything is missing or out of date",
        )
        parser.add_argument(
            "--language", action="append", choices=[code for code in LANGUAGES if code != "en"]
        )
        parser.add_argument("--all", action="store_true", help="also list current files")
        parser.add_argument("--content", default=None, help="content folder")
        parser.add_argument(
            "--diff",
            action="store_true",
            help="for each out-of-date file, print what changed in English since it was "
            "translated, with the English line and the translation's line to change",
        )
        parser.add_argument(
            "--record",
            action="store_true",
            help="keep the English version of every current translation (run after "
            "translating, and commit translation-sources/), so later changes can be shown",
        )
        parser.add_argument("--sources", default=None, help="kept English versions folder")

    def handle(self, *args, **options):
        languages = tuple(options["language"] or LANGUAGES)
        root = Path(options["content"] or settings.CONTENT_DIR)
        sources = Path(options["sources"] or settings.TRANSLATION_SOURCES_DIR)
        if options["record"]:
            kept = sources_record(root=root, sources=sources)
            self.stdout.write(f"{kept} English version(s) newly kept in {sources}")
        files = content_translation_status(root, languages)
        problems = 0
        for item in files:
            if item.status == CURRENT and not options["all"]:
                continue
            line = f"{item.language:<3} {item.status:<12} {item.key}"
            if item.status == OUT_OF_DATE:
                # A message, not SQL (ruff reads "update … set" as SQL).
                line += (
                    f"  (records {item.recorded_hash or 'no source_hash'}; the English file "  # noqa: S608
                    f"is now {item.expected_hash}: update the text, then set "
                    f"source_hash: {item.expected_hash})"
                )
            elif item.status == MISSING:
                line += f"  (translate content/en/{item.key}; source_hash: {item.expected_hash})"
            self.stdout.write(line)
            if options["diff"] and item.status == OUT_OF_DATE:
                self._write_diff(item, root, sources)
            problems += item.status != CURRENT
        for language in languages:
            if language == "en":
                continue
            mine = [f for f in files if f.language == language]
            counts = {s: sum(f.status == s for f in mine) for s in (CURRENT, OUT_OF_DATE, MISSING)}
            self.stdout.write(
                f"{language}: content files {counts[CURRENT]} current, "
                f"{counts[OUT_OF_DATE]} out of date, {counts[MISSING]} missing "
                f"of {len(mine)}"
            )
        for language in languages:
            if language == "en":
                continue
            # One chosen translation per term: every forbidden variant, with file and line.
            for problem in termbase_problems(root, language):
                self.stdout.write(f"{language:<3} term         {problem}")
                problems += 1
        for po in (
            po
            for locale_dir in project_locale_dirs()
            for po in po_translation_status(locale_dir, languages)
        ):
            for msgid in po.untranslated:
                self.stdout.write(f"{po.language:<3} untranslated  {po.path}: {msgid[:70]!r}")
            for msgid in po.fuzzy:
                self.stdout.write(f"{po.language:<3} fuzzy         {po.path}: {msgid[:70]!r}")
            self.stdout.write(
                f"{po.language}: interface strings "
                f"{po.total - len(po.untranslated)} translated of {po.total}"
                f"{f', {len(po.fuzzy)} fuzzy' if po.fuzzy else ''}"
            )
            problems += len(po.untranslated) + len(po.fuzzy)
        # Text a template shows without a translation tag: no translator can ever reach it.
        for unmarked in unmarked_template_strings(base=Path(settings.BASE_DIR)):
            self.stdout.write(f"--  not marked   {unmarked}")
            problems += 1
        if options["strict"] and problems:
            raise CommandError(f"{problems} translation problem(s): see the list above")
        if not problems:
            self.stdout.write(self.style.SUCCESS("Every translation is current."))

    def _write_diff(self, item, root, sources):
        diff = item.diff(sources)
        english = f"{root.name}/en/{item.key}"
        translation = f"{root.name}/{item.language}/{item.key}"
        if not diff.source_known:
            self.stdout.write(
                f"    the English version it was made from ({item.recorded_hash or 'none'}) is "
                f"not kept in {sources}: compare the whole of {english}"
            )
            return
        if not diff.changes:
            self.stdout.write(
                "    no text to translate changed"
                + (f" (only {'; '.join(diff.shared)})" if diff.shared else "")
                + f": set source_hash: {item.expected_hash}"
            )
        for change in diff.changes:
            where = f"{english}:{change.english_line}"
            if change.translation_line:
                verb = "before" if change.kind == "added" else "at"
                where += f" → {translation}, {verb} line {change.translation_line}"
            self.stdout.write(f"    {where}\n      {change.describe()}")
