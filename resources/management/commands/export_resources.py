from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from resources.export import resources_export


class Command(BaseCommand):
    help = (
        "Write resources created or changed in the admin to content files "
        "(content/<lang>/resources/<slug>.md), so they can be committed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=None, help="content folder (default: settings.CONTENT_DIR)"
        )
        parser.add_argument("--all", action="store_true", help="export every resource")
        parser.add_argument("--slug", action="append", help="export only this resource")

    def handle(self, *args, **options):
        root = Path(options["path"] or settings.CONTENT_DIR)
        written = resources_export(root, everything=options["all"], slugs=options["slug"])
        for path in written:
            self.stdout.write(f"wrote {path}")
        if not written:
            self.stdout.write(
                "Nothing to export: no resource was created or changed in the admin since "
                "the last load."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(written)} file(s) written. Review and commit them, then run "
                    "load_content to mark them as loaded."
                )
            )
