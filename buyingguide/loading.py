"""`content_load`: read, validate, render and write the whole content tree, all or nothing."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from casestudies.loader import (
    case_studies_edited_in_admin,
    casestudies_apply,
    casestudies_parse,
    casestudies_render,
)
from guidance.content import ContentError, read_tree
from guidance.languages import LANGUAGE_CODES
from guidance.loader import guidance_apply, guidance_parse, guidance_render
from guidance.loadkit import ApplyContext, Stats, group_by_key
from guidance.markdown import RenderContext
from guidance.signals import content_loaded
from guidance.version import content_version_bump
from resources.loader import (
    resources_apply,
    resources_edited_in_admin,
    resources_parse,
    resources_render,
)


@dataclass
class LoadReport:
    errors: list[ContentError] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    conflicts: list = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def content_load(root: Path, *, languages=LANGUAGE_CODES, dry_run=False, force=False) -> LoadReport:
    """Validate every file first; write only if all are valid, in one transaction.

    English is always loaded (it defines what exists); `languages` chooses the translations.
    """
    languages = tuple(dict.fromkeys(("en", *languages)))
    report = LoadReport()
    files = read_tree(Path(root), report.errors)
    report.files = len(files)
    groups = group_by_key(files, report.errors)
    guidance = guidance_parse(groups, report.errors)
    casestudies = casestudies_parse(groups, guidance, report.errors)
    resources = resources_parse(Path(root), groups, guidance, report.errors)

    targets = guidance.link_targets() | casestudies.link_targets() | resources.link_targets()
    glossary = guidance.glossary_for_linking()
    glossary_slugs = set(guidance.glossary)

    def make_context(language, link_glossary=True):
        return RenderContext(
            language=language,
            link_targets=targets,
            glossary_slugs=glossary_slugs,
            glossary=glossary if link_glossary else None,
        )

    if not report.errors:
        guidance_render(guidance, make_context, report.errors)
        casestudies_render(casestudies, make_context, report.errors)
        resources_render(resources, make_context, report.errors)
    if report.errors:
        return report

    with transaction.atomic():
        edited = case_studies_edited_in_admin()
        edited_resources = resources_edited_in_admin()
        ctx = ApplyContext(languages=languages, stats=report.stats, force=force)
        guidance_apply(guidance, ctx)
        report.conflicts = casestudies_apply(casestudies, ctx, edited=edited)
        report.conflicts += resources_apply(resources, ctx, edited=edited_resources)
        if report.stats.changed:
            # Once for the whole load: the search index is rebuilt (buyingguide/search),
            # and cached pages refresh when the transaction commits.
            content_loaded.send(sender=content_load, languages=languages)
            content_version_bump()
        if dry_run:
            transaction.set_rollback(True)
    return report
