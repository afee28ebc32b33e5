"""Case studies tagged to the second guide's notes: files, admin, pages, filters and API."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from buyingguide.loading import content_load
from casestudies.export import case_studies_export
from casestudies.loader import case_study_fingerprint
from casestudies.models import CaseStudy
from proposals.models import Note
from tests.casestudies.conftest import (  # noqa: F401 (fixtures)
    change_url,
    editor,
    editor_client,
    existing_case_data,
)
from tests.conftest import write

from .test_proposals_guide import SIX_CASES, page, small_guide

ASK = "think-smart/ask-the-smart-questions"
ENGAGE = "work-smart/engage-with-the-market"


# --- the real content ---------------------------------------------------------------------


def test_the_six_waste_case_studies_illustrate_the_think_smart_note(real_site):
    for slug in SIX_CASES:
        keys = {n.key for n in CaseStudy.objects.get(slug=slug).notes.all()}
        assert ASK in keys, slug
    tasmania = CaseStudy.objects.get(slug="tasmania-waste-innovation-prizes")
    assert ENGAGE in {n.key for n in tasmania.notes.all()}


def test_years_the_source_does_not_state_are_marked_as_estimates(client, real_site):
    # Seed 004 dates only the Brighton interview (2016) and the reward evaluation (2014).
    stated = {"brighton-and-hove-city-vision", "recycling-reward-schemes"}
    for slug in SIX_CASES:
        case = CaseStudy.objects.get(slug=slug)
        assert case.year_inferred is (slug not in stated), slug
    html = page(client, "/en/case-studies/tasmania-waste-innovation-prizes/")
    assert "about 2016" in html


@pytest.mark.parametrize("lang", ["en", "es", "id"])
def test_a_note_page_shows_the_case_studies_that_illustrate_it(client, real_site, lang):
    html = page(client, f"/{lang}/project-proposals/{ASK}/")
    section = html.split('id="case-studies"', 1)[1].split("</section>", 1)[0]
    for slug in SIX_CASES:
        assert f'href="/{lang}/case-studies/{slug}/"' in section
    assert 'href="#case-studies"' in html  # and "On this page" leads to it


def test_a_case_study_page_links_back_to_its_notes(client, real_site):
    html = page(client, "/es/case-studies/tasmania-waste-innovation-prizes/")
    section = html.split('id="proposal-notes-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="/es/project-proposals/{ENGAGE}/"' in section
    assert f'href="/es/project-proposals/{ASK}/"' in section
    assert "Relacionarse con el mercado" in section or "B3" in section


def test_the_index_filters_by_note_and_offers_both_guides(client, real_site):
    html = page(client, "/en/case-studies/")
    assert 'name="topic"' in html and 'name="note"' in html
    assert f'<option value="{ENGAGE}">' in html
    html = page(client, f"/en/case-studies/?note={ENGAGE}")
    assert "1 case study" in html
    assert "/en/case-studies/tasmania-waste-innovation-prizes/" in html
    assert "/en/case-studies/recycling-reward-schemes/" not in html
    assert f'<option value="{ENGAGE}" selected>' in html
    assert "Remove filter: B3 Engage with the market" in html
    both = page(client, f"/en/case-studies/?note={ASK}&theme=innovation")
    assert "/en/case-studies/brighton-and-hove-city-vision/" in both
    assert "/en/case-studies/recycling-reward-schemes/" not in both


def test_each_note_filter_is_cached_on_its_own(client, real_site):
    """Served first from the view, then from the page cache: never another filter's page."""
    for _ in range(2):
        engage = page(client, f"/en/case-studies/?note={ENGAGE}")
        ask = page(client, f"/en/case-studies/?note={ASK}")
        assert "1 case study" in engage
        assert "6 case studies" in ask or "7 case studies" in ask


@pytest.mark.parametrize(
    "value", ["work-smart/no-such-note", "../../etc/passwd", "work-smart", "A" * 300, "%00"]
)
def test_a_tampered_note_filter_is_ignored_not_an_error(client, real_site, value):
    html = page(client, f"/en/case-studies/?note={value}")
    assert "Remove filter" not in html


def test_the_api_gives_notes_and_filters_by_them(client, real_site):
    data = client.get("/api/v1/case-studies/tasmania-waste-innovation-prizes/").json()
    assert ASK in data["notes"] and ENGAGE in data["notes"]
    listed = client.get(f"/api/v1/case-studies/?note={ENGAGE}").json()
    assert [c["id"] for c in listed["results"]] == ["tasmania-waste-innovation-prizes"]
    assert client.get("/api/v1/case-studies/?note=work-smart/nope").json()["count"] == 0
    bad = client.get("/api/v1/case-studies/?note=../x")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")


# --- content files ------------------------------------------------------------------------

CASE = """---
title: A county tests its market
summary: It talked to suppliers early.
country: GB
organisation: A county council
year: 2021
updated: 2026-12-01
topics:
  - plan/work-as-a-team
themes:
  - open-data
{notes}status: published
---
## The problem

Nobody knew what the market could do.
"""


def case_file(root, notes: str):
    return write(root, "en/case-studies/county-market.md", CASE.format(notes=notes))


def test_a_case_study_file_names_its_notes_and_a_reload_follows_changes(content_tree, db):
    small_guide(content_tree)
    case_file(content_tree, f"notes:\n  - {ENGAGE}\n")
    call_command("load_content", str(content_tree))
    case = CaseStudy.objects.get(slug="county-market")
    assert [n.key for n in case.notes.all()] == [ENGAGE]
    case_file(content_tree, "")
    report = content_load(content_tree)
    assert report.ok and not report.conflicts
    assert not case.notes.exists()


@pytest.mark.parametrize(
    "notes, message",
    [
        (
            "notes:\n  - work-smart/no-such-note\n",
            "unknown guidance note 'work-smart/no-such-note'",
        ),
        (f"notes: {ENGAGE}\n", "'notes' must be a list"),
        ("notes:\n  - plan/work-as-a-team\n", "unknown guidance note 'plan/work-as-a-team'"),
    ],
)
def test_a_wrong_note_is_refused_naming_the_file_and_nothing_changes(
    content_tree, db, notes, message
):
    small_guide(content_tree)
    case_file(content_tree, "")
    call_command("load_content", str(content_tree))
    before = CaseStudy.objects.get(slug="county-market").loaded_fingerprint
    (content_tree / "en/case-studies/county-market.md").write_text(
        CASE.format(notes=notes).replace("Nobody knew", "Nobody at all knew")
    )
    report = content_load(content_tree)
    errors = [str(e) for e in report.errors]
    assert any(message in e and "county-market.md" in e for e in errors), errors
    case = CaseStudy.objects.get(slug="county-market")
    assert case.loaded_fingerprint == before and "Nobody at all" not in case.body_en


# --- the admin and the export round trip --------------------------------------------------


def test_an_editor_tags_notes_in_the_admin_and_the_export_keeps_them(
    editor_client,  # noqa: F811
    content_tree,
):
    small_guide(content_tree)
    call_command("load_content", str(content_tree))
    case = CaseStudy.objects.get(slug="open-data-portal")
    note = Note.objects.get(slug="engage-with-the-market")
    form = editor_client.get(change_url(case)).content.decode()
    assert 'name="notes"' in form and "B3 Engage with the market" in form
    response = editor_client.post(change_url(case), existing_case_data(case, notes=[note.pk]))
    assert response.status_code == 302
    assert [n.key for n in case.notes.all()] == [ENGAGE]
    # The fingerprint sees the new tag (the loader would report a conflict, not undo it) ...
    assert case_study_fingerprint(case) != case.loaded_fingerprint
    # ... and export then load is a round trip that keeps it.
    written = case_studies_export(content_tree, slugs=["open-data-portal"])
    exported = (content_tree / "en/case-studies/open-data-portal.md").read_text()
    assert f"notes:\n- {ENGAGE}\n" in exported and written
    report = content_load(content_tree)
    assert report.ok and not report.conflicts, report.conflicts
    assert [n.key for n in CaseStudy.objects.get(slug="open-data-portal").notes.all()] == [ENGAGE]


def test_a_note_tag_change_waits_for_review_and_the_reviewer_sees_it(
    editor_client,  # noqa: F811
    content_tree,
    settings,
):
    small_guide(content_tree)
    call_command("load_content", str(content_tree))
    settings.CASE_STUDY_REVIEW = {"REQUIRED": True, "SELF_APPROVAL": False}
    case = CaseStudy.objects.get(slug="open-data-portal")
    before = sorted(n.key for n in case.notes.all())
    note = Note.objects.get(slug="engage-with-the-market")
    response = editor_client.post(change_url(case), existing_case_data(case, notes=[note.pk]))
    assert response.status_code == 302
    # Live: unchanged until a reviewer approves.
    assert sorted(n.key for n in case.notes.all()) == before
    revision = case.revisions.get()
    reviewer = get_user_model().objects.create_user("rita", password="x", is_staff=True)
    reviewer.groups.set(Group.objects.filter(name="Reviewers"))
    client = Client()
    client.force_login(reviewer)
    url = f"/admin/casestudies/casestudyrevision/{revision.pk}/change/"
    assert "B3 Engage with the market" in client.get(url).content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert [n.key for n in case.notes.all()] == [ENGAGE]


@pytest.mark.parametrize(
    "lang, words", [("en", "BSI holds"), ("es", "la BSI conserva"), ("id", "dimiliki BSI")]
)
def test_every_page_and_the_about_page_credit_the_bsi_source(client, real_site, lang, words):
    assert words in page(client, f"/{lang}/case-studies/")  # the footer, on every page
    about = page(client, f"/{lang}/about/")
    assert "PAS 184:2017" in about.split("</footer>")[0].split("<footer")[0]
