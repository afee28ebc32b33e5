from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from buyingguide.loading import LOCK_WAIT_SECONDS, LoadBusy, content_load
from guidance.languages import LANGUAGE_CODES as LANGUAGES


class Command(BaseCommand):
    help = (
        "Validate every content file, then load them all into the database in one "
        "transaction (nothing changes if any file is wrong)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=None, help="content folder (default: settings.CONTENT_DIR)"
        )
        parser.add_argument(
            "--language",
            action="append",
            choices=LANGUAGES,
            help="load only this translation (English, the source, is always "
            "loaded); repeat for several",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, write nothing",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=LOCK_WAIT_SECONDS,
            metavar="SECONDS",
            help="if another load is running, wait this long for it to finish "
            f"(default {LOCK_WAIT_SECONDS})",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite case studies that editors changed in the admin",
        )

    def handle(self, *args, **options):
        root = Path(options["path"] or settings.CONTENT_DIR)
        languages = tuple(options["language"] or LANGUAGES)
        try:
            report = content_load(
                root,
                languages=languages,
                dry_run=options["dry_run"],
                force=options["force"],
                wait=options["wait"],
                on_wait=lambda: self.stderr.write(
                    f"Another load_content is running: waiting up to {options['wait']:g} "
                    "seconds for it to finish…"
                ),
            )
        except LoadBusy as busy:
            raise CommandError(str(busy)[0].upper() + str(busy)[1:]) from busy
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(
                f"{len(report.errors)} problem(s) in {root}; nothing was loaded. Fix the "
                "files named above and run load_content again."
            )
        self._summary(report, options["dry_run"])
        for warning in report.stats.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(f"conflict: {conflict}"))

    def _summary(self, report, dry_run):
        outcomes = ("created", "updated", "unchanged", "removed", "conflict")
        kinds = sorted({kind for kind, _l, _o in report.stats})
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{report.files} files read from the content folder")
        self.stdout.write(f"{'kind':<14}{'language':<10}" + "".join(f"{o:>11}" for o in outcomes))
        for kind in kinds:
            for language in LANGUAGES:
                counts = [report.stats.get((kind, language, o), 0) for o in outcomes]
                if any(counts):
                    self.stdout.write(
                        f"{kind:<14}{language:<10}" + "".join(f"{n:>11}" for n in counts)
                    )
        if not report.stats.changed:
            self.stdout.write("No changes: the database already matches the content files.")
        elif not dry_run:
            self.stdout.write(self.style.SUCCESS("Content loaded."))
