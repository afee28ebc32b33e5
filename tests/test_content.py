"""The real guide: complete, consistent, linked, and loadable on this database."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casestudies.models import CaseStudy, Theme
from guidance.models import ChecklistItem, GlossaryTerm, Stage, Topic
from tests.conftest import REAL_CONTENT, real_content_counts

SHARED = Path(__file__).resolve().parents[2] / "shared"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


# Topics per stage in the U4SSC source (seed map): the guide may add, never drop.
SOURCE_TOPICS = {
    "plan": 8,
    "inform-the-market": 4,
    "evaluate-and-award": 3,
    "manage-delivery": 4,
    "emergency": 3,
}


def test_the_real_guide_loads_with_the_expected_shape(real_site):
    assert list(Stage.objects.order_by("order").values_list("slug", flat=True)) == [
        "plan",
        "inform-the-market",
        "evaluate-and-award",
        "manage-delivery",
        "emergency",
        "why-it-matters",
    ]
    expected = real_content_counts()
    counts = {s.slug: s.topics.count() for s in Stage.objects.all()}
    assert counts == expected["topics"]
    # The source's structure: no stage loses topics (more may be added).
    assert all(counts[stage] >= n for stage, n in SOURCE_TOPICS.items()), counts
    assert CaseStudy.objects.published().count() == expected["published"] >= 16
    assert GlossaryTerm.objects.count() == expected["glossary"] >= 40 + 6


def test_every_topic_is_complete_in_every_language(real_site):
    from django.utils import translation

    for language in ("en", "es", "id"):
        with translation.override(language):
            for topic in Topic.objects.all():
                assert topic.has_translation(language), (language, topic.key)
                assert topic.summary and topic.why_html and topic.what_html, topic.key
                kinds = set(topic.items.values_list("kind", flat=True))
                assert kinds == {ChecklistItem.DO, ChecklistItem.DONT}, topic.key
                for item in topic.items.all():
                    assert item.has_translation(language), (language, topic.key, item.order)


def test_source_tables_are_covered(real_site):
    """At least every do/don't of the source tables (seed map counts), per part."""
    dos = ChecklistItem.objects.filter(kind="do")
    donts = ChecklistItem.objects.filter(kind="dont")
    assert dos.filter(topic__stage__slug="emergency").count() >= 23
    assert donts.filter(topic__stage__slug="emergency").count() >= 8
    assert dos.exclude(topic__stage__slug="emergency").count() >= 58
    assert donts.exclude(topic__stage__slug="emergency").count() >= 25


def test_every_case_study_has_stage_topic_theme_country(real_site):
    for case in CaseStudy.objects.all():
        assert case.topics.exists() and case.stages.exists(), case.slug
        assert case.themes.exists() and case.country, case.slug
        assert case.organisation and case.year, case.slug


def test_every_theme_is_used_and_every_linked_term_is_defined(real_site):
    unused = Theme.objects.filter(case_studies__isnull=True)
    assert not unused.exists(), list(unused.values_list("slug", flat=True))
    slugs = set(GlossaryTerm.objects.values_list("slug", flat=True))
    for path in REAL_CONTENT.rglob("*.md"):
        for anchor in re.findall(r"/glossary/#([\w-]+)", path.read_text()):
            assert anchor in slugs, (path, anchor)


def test_every_internal_link_on_every_page_resolves(real_site, client):
    seen, broken = set(), []
    pages = ["/en/", "/es/", "/id/"]
    pages += [
        t.get_absolute_url().replace("/en/", f"/{lang}/", 1)
        for t in Topic.objects.all()
        for lang in ("en", "es", "id")
    ]
    pages += [c.get_absolute_url() for c in CaseStudy.objects.all()]
    pages += ["/en/about/", "/en/glossary/", "/es/about/", "/id/about/"]
    for page in pages:
        html = client.get(page).content.decode()
        for href in re.findall(r'href="(/(?:en|es|id)/[^"#?]*)', html):
            if href in seen:
                continue
            seen.add(href)
            if client.get(href).status_code != 200:
                broken.append((page, href))
    assert not broken


def test_no_personal_email_addresses_are_published():
    for path in [*REAL_CONTENT.rglob("*.md"), *REAL_CONTENT.rglob("*.csv")]:
        assert not EMAIL.findall(path.read_text()), path


def test_copycheck_reports_no_shared_runs():
    # shared/ (the source documents and the checker) sits beside the repository in
    # development and CI; elsewhere, point COPYCHECK at the checker. A check that cannot run
    # must not pass: without the checker this test is reported as skipped, with the reason,
    # and with COPYCHECK set to a path that does not exist it fails.
    tool = Path(os.environ.get("COPYCHECK") or SHARED / "tools" / "copycheck")
    if not tool.exists():
        assert "COPYCHECK" not in os.environ, f"COPYCHECK={tool}: no such file"
        pytest.skip(f"copycheck not found at {tool} (set COPYCHECK): text NOT checked")
    root = REAL_CONTENT.parent
    # The project's text and every app's own templates and interface strings.
    apps = [p.relative_to(root).as_posix() for p in root.glob("*/templates") if p.is_dir()]
    apps += [p.relative_to(root).as_posix() for p in root.glob("*/locale") if p.is_dir()]
    result = subprocess.run(
        [sys.executable, str(tool), "content", "templates", "locale", *apps],
        cwd=REAL_CONTENT.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
