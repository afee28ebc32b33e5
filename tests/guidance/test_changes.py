"""Change notes from the content files (`changes:`): the loader's rule, the page's "Last
updated" and "Page history", and "What's new" with its Atom feed, in the reader's language."""

import datetime
import shutil
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from buyingguide.loading import content_load
from guidance.models import ChangeNote, Topic
from tests.conftest import declare_change

TOPIC = "en/guide/plan/work-as-a-team.md"
ATOM = "{http://www.w3.org/2005/Atom}"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_entries(root, rel, entries: str):
    """Put a `changes:` block (YAML lines) into a file's front matter."""
    edit(root, rel, "\n---\n", "\nchanges:\n" + entries + "---\n")


@pytest.fixture
def loaded(db, content_tree):
    assert content_load(content_tree).ok
    return content_tree


def errors(report) -> list[str]:
    return [str(e) for e in report.errors]


def test_changed_english_text_without_a_new_entry_is_refused_and_nothing_written(loaded):
    edit(loaded, TOPIC, "Teams make", "Good teams make")
    report = content_load(loaded)
    assert not report.ok
    (message,) = errors(report)
    assert message.startswith(TOPIC)
    assert "the English text changed since the last load: add an entry to 'changes:'" in message
    assert "minor: true" in message
    assert "Good teams make" not in Topic.objects.get(slug="work-as-a-team").why_html_en


def test_another_content_folder_is_a_new_baseline_then_its_own_changes_count(loaded, tmp_path):
    # A fixture tree, a copy elsewhere: loading it is not "a change since the last load".
    other = tmp_path / "elsewhere"
    shutil.copytree(loaded, other)
    edit(other, TOPIC, "Teams make", "Good teams make")
    report = content_load(other)
    assert report.ok, errors(report)
    assert "Good teams make" in Topic.objects.get(slug="work-as-a-team").why_html_en
    # From now on that folder is the one compared with.
    edit(other, TOPIC, "Good teams make", "Strong teams make")
    assert not content_load(other).ok
    assert "Strong teams make" not in Topic.objects.get(slug="work-as-a-team").why_html_en


def test_a_dry_run_of_another_folder_does_not_move_the_baseline(loaded, tmp_path):
    other = tmp_path / "elsewhere"
    shutil.copytree(loaded, other)
    assert content_load(other, dry_run=True).ok
    edit(loaded, TOPIC, "Teams make", "Good teams make")
    assert not content_load(loaded).ok  # still compared with the last real load of `loaded`


def test_a_changed_do_list_needs_an_entry_too(loaded):
    edit(loaded, TOPIC, "Ask for *specialist* help.", "Ask for expert help.")
    assert not content_load(loaded).ok


def test_a_minor_change_loads_and_shows_no_note(loaded):
    edit(loaded, TOPIC, "Teams make", "Good teams make")
    declare_change(loaded / TOPIC)  # minor: true
    report = content_load(loaded)
    assert report.ok, errors(report)
    topic = Topic.objects.get(slug="work-as-a-team")
    assert "Good teams make" in topic.why_html_en
    assert ChangeNote.objects.of(topic).get().minor
    html = Client().get("/en/guide/plan/work-as-a-team/").content.decode()
    assert "Page history" not in html


def test_an_unchanged_page_needs_no_entry_and_only_translations_changing_needs_none(loaded):
    edit(loaded, "es/guide/plan/work-as-a-team.md", "Reúna a las", "Reúna hoy a las")
    assert content_load(loaded).ok


def test_a_noted_change_is_shown_in_the_readers_language_with_english_fallback(loaded):
    edit(loaded, TOPIC, "Teams make", "Good teams make")
    add_entries(loaded, TOPIC, "  - date: 2024-06-01\n    note: Explains why teams need users.\n")
    add_entries(
        loaded,
        "es/guide/plan/work-as-a-team.md",
        "  - date: 2024-06-01\n    note: Explica por qué los equipos necesitan usuarios.\n",
    )
    report = content_load(loaded)
    assert report.ok, errors(report)

    en = Client().get("/en/guide/plan/work-as-a-team/").content.decode()
    assert "Explains why teams need users." in en
    assert 'datetime="2024-06-01"' in en and "Page history" in en
    es = Client().get("/es/guide/plan/work-as-a-team/").content.decode()
    assert "Explica por qué los equipos necesitan usuarios." in es
    assert "Explains why" not in es
    # No Indonesian note: the English one, marked as English.
    id_page = Client().get("/id/guide/plan/work-as-a-team/").content.decode()
    assert '<span lang="en">Explains why teams need users.</span>' in id_page

    whats_new = Client().get("/es/whats-new/").content.decode()
    assert "Explica por qué los equipos necesitan usuarios." in whats_new
    assert 'href="/es/guide/plan/work-as-a-team/"' in whats_new
    assert '<p lang="en">Explains why' in Client().get("/id/whats-new/").content.decode()


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ("  - date: 2024-06-01\n", "needs a 'note' for readers"),
        ("  - date: 2024-06-01\n    minor: maybe\n", "'minor' is true or false"),
        ("  - date: 03/06/2024\n    note: x\n", "'date' must be a date written YYYY-MM-DD"),
        ("  - date: 2999-01-01\n    note: x\n", "a date in the future"),
        (
            "  - date: 2024-06-01\n    note: a\n  - date: 2024-06-01\n    note: b\n",
            "two changes on 2024-06-01",
        ),
        (f"  - date: 2024-06-01\n    note: {'n' * 301}\n", "the limit is 300"),
        ("  - just a sentence\n", "must have 'date:' and 'note:'"),
    ],
)
def test_bad_change_entries_are_errors_naming_the_file(content_tree, db, entries, expected):
    add_entries(content_tree, TOPIC, entries)
    report = content_load(content_tree)
    assert any(m.startswith(TOPIC) and expected in m for m in errors(report)), errors(report)


def test_a_translation_cannot_invent_a_change(content_tree, db):
    add_entries(
        content_tree, "es/guide/plan/work-as-a-team.md", "  - date: 2024-06-01\n    note: x\n"
    )
    report = content_load(content_tree)
    assert any("has no change on 2024-06-01" in m for m in errors(report)), errors(report)


def test_hostile_note_is_shown_as_text(content_tree, db):
    add_entries(
        content_tree, TOPIC, '  - date: 2024-06-01\n    note: "<script>alert(1)</script>"\n'
    )
    assert content_load(content_tree).ok
    html = Client().get("/en/whats-new/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_feed_is_atom_with_one_entry_per_change_in_the_feeds_language(content_tree, db):
    add_entries(
        content_tree,
        TOPIC,
        "  - date: 2024-05-01\n    note: First note.\n"
        "  - date: 2024-06-01\n    note: Second note.\n",
    )
    add_entries(
        content_tree,
        "es/guide/plan/work-as-a-team.md",
        "  - date: 2024-06-01\n    note: Segunda nota.\n",
    )
    assert content_load(content_tree).ok
    response = Client().get("/es/whats-new/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == 2 and len(set(ids)) == 2  # two changes of one page, two ids
    summaries = [e.findtext(f"{ATOM}summary") for e in entries]
    assert summaries == ["Segunda nota.", "First note."]  # newest first; English fallback
    assert all(e.find(f"{ATOM}updated") is not None for e in entries)
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith("/es/guide/plan/work-as-a-team/")


def test_whats_new_is_linked_from_home_and_footer_and_in_the_sitemap(fixture_site):
    home = Client().get("/en/").content.decode()
    assert home.count('href="/en/whats-new/"') >= 2  # the home page's link and the footer's
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "/en/whats-new/" in sitemap and "/es/whats-new/" in sitemap


def test_whats_new_lists_no_draft_case_study(fixture_site):
    from casestudies.models import CaseStudy
    from guidance.changes import change_note_add

    case = CaseStudy.objects.drafts().first() or CaseStudy.objects.first()
    case.status = CaseStudy.DRAFT
    case.save()
    change_note_add(target=case, date=datetime.date(2024, 6, 1), notes={"en": "Secret draft."})
    assert "Secret draft." not in Client().get("/en/whats-new/").content.decode()
