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
)


class Command(BaseCommand):
    help = (
        "List, per content file and language, whether its translation is current, out of "
        "date or missing, every variant its termbase forbids, and the untranslated interface "
        "strings in locale/."
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

    def handle(self, *args, **options):
        languages = tuple(options["language"] or LANGUAGES)
        root = Path(options["content"] or settings.CONTENT_DIR)
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
        if options["strict"] and problems:
            raise CommandError(f"{problems} translation problem(s): see the list above")
        if not problems:
            self.stdout.write(self.style.SUCCESS("Every translation is current."))
