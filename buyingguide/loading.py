"""`content_load`: read, validate, render and write the whole content tree, all or nothing.

One load at a time: `load_lock()` is a PostgreSQL advisory lock, or on SQLite an exclusive
lock on a file beside the database. A second load waits for the first, then fails with a
clear message if it is still running (docs/operations.md, "Loading content").
"""

import hashlib
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction

from assessments.loader import assessments_apply, assessments_parse, assessments_render
from casestudies.loader import (
    case_studies_edited_in_admin,
    casestudies_apply,
    casestudies_parse,
    casestudies_render,
)
from casestudies.models import CaseStudy
from guidance.content import ContentError, read_tree
from guidance.languages import LANGUAGE_CODES
from guidance.loader import (
    guidance_apply,
    guidance_check_changes,
    guidance_parse,
    guidance_render,
)
from guidance.loadkit import ApplyContext, Stats, group_by_key, render_fingerprint
from guidance.markdown import RenderContext
from guidance.models import Page, Stage, Topic
from guidance.signals import content_loaded
from guidance.version import (
    content_root_key,
    content_root_record,
    content_version_bump,
    last_content_root,
)
from proposals.loader import proposals_apply, proposals_parse, proposals_render
from resources.loader import (
    resources_apply,
    resources_edited_in_admin,
    resources_parse,
    resources_render,
)

LOCK_KEY = 0x4247_4C44  # "BGLD": this site's advisory lock number on PostgreSQL
LOCK_WAIT_SECONDS = 120  # how long a second load waits for the first
LOCK_POLL_SECONDS = 0.2


class LoadBusy(RuntimeError):
    """Another load_content held the lock for longer than we were willing to wait."""


def _in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


def _lock_file_path(name: str) -> Path:
    database = Path(name)
    if database.parent.is_dir():
        return database.with_name(database.name + ".load-lock")
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"buyingguide-load-{digest}.lock"


_memory_locks: dict[str, threading.Lock] = {}


@contextmanager
def _thread_lock(name: str):
    """An in-memory database lives in one process: a lock in that process is enough."""
    lock = _memory_locks.setdefault(name, threading.Lock())
    held = False

    def try_lock():
        nonlocal held
        held = lock.acquire(blocking=False)
        return held

    try:
        yield try_lock
    finally:
        if held:
            lock.release()


@contextmanager
def _file_lock(name: str):
    import fcntl

    with open(_lock_file_path(name), "a+b") as handle:

        def try_lock():
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        yield try_lock
        fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock():
    held = False

    def try_lock():
        nonlocal held
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            held = bool(cursor.fetchone()[0])
        return held

    try:
        yield try_lock
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


@contextmanager
def load_lock(*, wait: float = LOCK_WAIT_SECONDS, on_wait=None):
    """Hold the one content-load lock; wait up to `wait` seconds for it, else LoadBusy.

    `on_wait()` is called once if another load holds it (the command says it is waiting).
    """
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        locker = _advisory_lock()
    elif _in_memory(name):
        locker = _thread_lock(name)
    else:
        locker = _file_lock(name)
    with locker as try_lock:
        deadline = time.monotonic() + wait
        told = False
        while not try_lock():
            if time.monotonic() >= deadline:
                raise LoadBusy(
                    f"another load_content is running and has not finished after {wait:g} "
                    "seconds; nothing was loaded. Run it again when that load has finished "
                    "(or give --wait more seconds)."
                )
            if on_wait and not told:
                on_wait()
                told = True
            time.sleep(LOCK_POLL_SECONDS)
        yield


def _check_lengths(errors, *kinds) -> None:
    """Each text within its model field's max_length, reported by file (not a DataError)."""
    for model, items in kinds:
        for item in items:
            for language, values in item.values.items():
                for name, value in values.items():
                    try:
                        limit = model._meta.get_field(name).max_length
                    except FieldDoesNotExist:
                        continue
                    if limit and isinstance(value, str) and len(value) > limit:
                        errors.append(
                            item.files[language].error(
                                f"the field '{name}' is {len(value):,} characters; the limit "
                                f"is {limit:,}: shorten it",
                                needle=f"{name}:",
                            )
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


def content_load(
    root: Path,
    *,
    languages=LANGUAGE_CODES,
    dry_run=False,
    force=False,
    wait: float = LOCK_WAIT_SECONDS,
    on_wait=None,
) -> LoadReport:
    """Validate every file first; write only if all are valid, in one transaction.

    English is always loaded (it defines what exists); `languages` chooses the translations.
    Runs under `load_lock()`: raises LoadBusy if another load still runs after `wait` s.
    """
    with load_lock(wait=wait, on_wait=on_wait):
        return _content_load(root, languages=languages, dry_run=dry_run, force=force)


def _content_load(root: Path, *, languages, dry_run, force) -> LoadReport:
    languages = tuple(dict.fromkeys(("en", *languages)))
    report = LoadReport()
    files = read_tree(Path(root), report.errors)
    report.files = len(files)
    groups = group_by_key(files, report.errors)
    guidance = guidance_parse(groups, report.errors)
    proposals = proposals_parse(groups, report.errors)  # first: case studies name its notes
    casestudies = casestudies_parse(
        groups, guidance, report.errors, note_keys=frozenset(proposals.notes)
    )
    assessments = assessments_parse(groups, guidance, casestudies, report.errors)
    resources = resources_parse(Path(root), groups, guidance, report.errors)

    _check_lengths(
        report.errors,
        (Stage, guidance.stages.values()),
        (Topic, guidance.topics.values()),
        (Page, guidance.pages.values()),
        (CaseStudy, casestudies.case_studies.values()),
    )
    targets = (
        guidance.link_targets()
        | casestudies.link_targets()
        | assessments.link_targets()
        | proposals.link_targets()
        | resources.link_targets()
    )
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
        render_key = render_fingerprint(
            glossary_files=groups.get("glossary.md", {}).values(), languages=languages
        )
        casestudies_render(casestudies, make_context, report.errors, render_key=render_key)
        assessments_render(assessments, make_context, report.errors)
        proposals_render(proposals, make_context, report.errors)
        resources_render(resources, make_context, report.errors)
    # Change notes are asked for against the last load of this same folder: loading another
    # tree (a fixture, a copy elsewhere) is a new baseline, not a change to explain.
    if not report.errors and last_content_root() == content_root_key(root):
        guidance_check_changes(guidance, report.errors)
    if report.errors:
        return report

    with transaction.atomic():
        edited = case_studies_edited_in_admin()
        edited_resources = resources_edited_in_admin()
        ctx = ApplyContext(languages=languages, stats=report.stats, force=force)
        guidance_apply(guidance, ctx)
        proposals_apply(proposals, ctx)
        report.conflicts = casestudies_apply(casestudies, ctx, edited=edited)
        assessments_apply(assessments, ctx.languages, ctx.stats)
        report.conflicts += resources_apply(resources, ctx, edited=edited_resources)
        if report.stats.changed:
            # Once for the whole load: the search index is rebuilt (buyingguide/search),
            # and cached pages refresh when the transaction commits.
            content_loaded.send(sender=content_load, languages=languages)
            content_version_bump()
        content_root_record(root)
        if dry_run:
            transaction.set_rollback(True)
    return report
