"""Write the open-data export (the same files as /api/v1/export/<lang>.zip) to a folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.export import export_files
from api.kinds.base import SUPPORTED_LANGUAGES


class Command(BaseCommand):
    help = (
        "Write every content type as JSON, the case studies, checklist and glossary as CSV, "
        "and the licence, into DIR/<language>/ for each language (for archiving)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder to write into (created if missing).")
        parser.add_argument(
            "--language",
            action="append",
            choices=SUPPORTED_LANGUAGES,
            help="Only this language (repeatable). Default: all.",
        )
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="Absolute base for the links, e.g. https://buying.example.org "
            "(default: SITE_URL).",
        )

    def handle(self, *args, directory, language, base_url, **options):
        base_url = (base_url or "").rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(
                "The export's links need an absolute base: set SITE_URL or pass "
                "--base-url https://your.site"
            )
        root = Path(directory)
        try:
            for code in language or SUPPORTED_LANGUAGES:
                folder = root / code
                folder.mkdir(parents=True, exist_ok=True)
                files = export_files(language=code, base_url=base_url)
                for name, data in files.items():
                    (folder / name).write_bytes(data)
                self.stdout.write(f"{folder}: {len(files)} files")
        except OSError as error:
            raise CommandError(f"Cannot write the export to {root}: {error}") from error
