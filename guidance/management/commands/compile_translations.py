"""Compile every interface catalogue (.po → .mo) with polib: no GNU gettext needed.

`make run`, `make test` and the Dockerfile call this instead of Django's compilemessages,
which needs the msgfmt program (a system package, so root). Like msgfmt, fuzzy and
untranslated entries are left out, so visitors get English rather than a guess.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SKIPPED = {".venv", "node_modules", ".git"}


def catalogues(root: Path) -> list[Path]:
    """Every LC_MESSAGES/*.po under the project (LOCALE_PATHS and each app's locale/)."""
    return sorted(
        path
        for path in root.rglob("LC_MESSAGES/*.po")
        if not SKIPPED & set(path.relative_to(root).parts)
    )


class Command(BaseCommand):
    help = "Compile the .po files of the project and its apps into .mo files (uses polib)."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in catalogues(Path(settings.BASE_DIR)):
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: cannot read it ({error}); fix the file") from error
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            compiled += 1
        if options["verbosity"]:
            self.stdout.write(f"{compiled} catalogue(s) compiled")
