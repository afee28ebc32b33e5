"""Build every PDF for the current content version, in every language (ahead of visitors)."""

import time

from django.core.management.base import BaseCommand
from django.utils import translation

from guidance.languages import LANGUAGE_CODES
from printing.documents import all_documents
from printing.services import built_pdf, get_or_build_pdf


class Command(BaseCommand):
    help = (
        "Build the PDFs of the whole guide, each stage, each checklist and each case study in "
        "every language, so pages show their size and page count from the first visit. "
        "PDFs already built for this content version are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", help="only these languages")

    def handle(self, *args, language=None, **options):
        languages = language or LANGUAGE_CODES
        built = kept = 0
        started = time.monotonic()
        for code in languages:
            with translation.override(code):
                for document in all_documents():
                    if built_pdf(document, code):
                        kept += 1
                        continue
                    pdf = get_or_build_pdf(document, code)
                    built += 1
                    if options["verbosity"] > 1:
                        self.stdout.write(f"{code} {pdf.path.name}: {pdf.pages} p., {pdf.size} B")
        self.stdout.write(
            f"PDFs: {built} built, {kept} already there, in {time.monotonic() - started:.1f} s"
        )
