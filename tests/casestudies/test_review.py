"""Review before publishing and change notes, end to end through the admin: an editor
submits, a reviewer sees the difference in every language and approves or sends back, the
live page keeps the approved version meanwhile, and a published text change needs a note."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from casestudies.models import CaseStudy, CaseStudyRevision
from guidance.models import ChangeNote

from .conftest import ADD_URL, case_data, change_url, existing_case_data

REVIEW_LIST = "/admin/casestudies/casestudyrevision/"


def review_url(revision) -> str:
    return f"{REVIEW_LIST}{revision.pk}/change/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the commit (the content-version bump), so the
    page cache then serves the page as a visitor would see it after the save."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def review_on(settings):
    settings.CASE_STUDY_REVIEW = {"REQUIRED": True, "SELF_APPROVAL": False}
    return settings


def staff(username, *groups):
    user = get_user_model().objects.create_user(username, password="x", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_client(fixture_site):
    return logged_in(staff("rita", "Reviewers"))


def submit_new(client, **overrides) -> CaseStudyRevision:
    response = client.post(ADD_URL, case_data(status=CaseStudy.PUBLISHED, **overrides))
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    case = CaseStudy.objects.get(slug=overrides.get("slug", "town-booking-system"))
    return case.revisions.get(state=CaseStudyRevision.PENDING)


def published_case(client, settings, **overrides) -> CaseStudy:
    """A live case study, published before review was switched on."""
    settings.CASE_STUDY_REVIEW = {"REQUIRED": False, "SELF_APPROVAL": False}
    response = client.post(ADD_URL, case_data(status=CaseStudy.PUBLISHED, **overrides))
    assert response.status_code == 302
    settings.CASE_STUDY_REVIEW = {"REQUIRED": True, "SELF_APPROVAL": False}
    return CaseStudy.objects.get(slug="town-booking-system")


def history(case) -> list[str]:
    return [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(case.pk))]


# --- groups ---------------------------------------------------------------------------------


def test_reviewers_group_may_see_and_review_but_not_edit(db):
    group = Group.objects.get(name="Reviewers")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "review_casestudyrevision",
        "view_casestudy",
        "view_casestudyrevision",
        "view_theme",
    ]


def test_create_editor_reviewer_makes_an_account_that_sees_the_review_list(db):
    out = io.StringIO()
    call_command("create_editor", "rita", "--reviewer", "--password", "Rev1ew-Pass-42", stdout=out)
    assert "Created reviewer 'rita'" in out.getvalue()
    user = get_user_model().objects.get(username="rita")
    assert [g.name for g in user.groups.all()] == ["Reviewers"]
    client = logged_in(user)
    assert client.get(REVIEW_LIST).status_code == 200
    assert client.get(ADD_URL).status_code == 403
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("create_editor", "sam", "--reviewer", "--translator", "--password", "x")
    assert not get_user_model().objects.filter(username="sam").exists()


# --- submit -----------------------------------------------------------------------------------


def test_editor_publishing_a_new_case_study_submits_it_and_visitors_see_nothing(
    editor_client, review_on
):
    response = editor_client.post(ADD_URL, case_data(status=CaseStudy.PUBLISHED), follow=True)
    assert "Submitted for review" in response.content.decode()
    case = CaseStudy.objects.get(slug="town-booking-system")
    assert case.status == CaseStudy.DRAFT  # kept as a draft until approved
    assert case.revisions.get().state == CaseStudyRevision.PENDING
    assert Client().get("/en/case-studies/town-booking-system/").status_code == 404
    assert "Submitted a change for review." in history(case)


def test_a_draft_saved_as_draft_needs_no_review(editor_client, review_on):
    editor_client.post(ADD_URL, case_data())
    case = CaseStudy.objects.get(slug="town-booking-system")
    assert not case.revisions.exists()


def test_live_page_keeps_the_approved_version_while_a_change_waits(
    editor_client, reviewer_client, settings, committed
):
    case = published_case(editor_client, settings)
    response = editor_client.post(
        change_url(case),
        existing_case_data(
            case,
            title_en="Valley towns share one booking system",
            minor_change="",
            change_note_en="The title now says the towns share the system.",
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title_en == "A town buys a shared booking system"
    page = Client().get("/en/case-studies/town-booking-system/").content.decode()
    assert "A town buys a shared booking system" in page
    assert "Valley towns share" not in page
    form_page = editor_client.get(change_url(case)).content.decode()
    assert "waiting for review" in form_page

    revision = case.revisions.get(state=CaseStudyRevision.PENDING)
    with committed():
        response = reviewer_client.post(review_url(revision), {"decision": "approve"})
    assert response.status_code == 302
    page = Client().get("/en/case-studies/town-booking-system/").content.decode()
    assert "Valley towns share one booking system" in page
    assert "The title now says the towns share the system." in page  # its change note
    assert ChangeNote.objects.of(case).get().note_en.startswith("The title now says")
    assert any(m.startswith("Approved the change submitted by edna") for m in history(case))


# --- the reviewer's page ------------------------------------------------------------------------


def test_diff_shows_each_changed_field_in_each_language(editor_client, reviewer_client, settings):
    case = published_case(editor_client, settings)
    editor_client.post(
        change_url(case),
        existing_case_data(
            case,
            title_es="Pueblos que comparten un sistema de reservas",
            title_ind="Kota berbagi sistem pemesanan",
            summary_es="Tres pueblos compraron un sistema juntos.",
            summary_ind="Tiga kota membeli satu sistem bersama.",
            organisation_es="Asociación de Pueblos del Valle",
            organisation_ind="Kemitraan Kota Lembah",
            summary_en="Three towns bought one booking system and share its costs.",
        ),
    )
    revision = case.revisions.get()
    html = reviewer_client.get(review_url(revision)).content.decode()
    assert "Pueblos que comparten un sistema de reservas" in html
    assert "Kota berbagi sistem pemesanan" in html
    assert "Three towns bought one booking system together." in html  # live English summary
    assert "share its costs" in html  # proposed English summary
    assert '<h2 lang="es">' in html and '<h2 lang="id">' in html
    # Unchanged fields are not listed.
    assert html.count("Valley Towns Partnership") == 0


def test_reviewer_approves_a_new_case_study_and_it_goes_live(
    editor_client, reviewer_client, review_on
):
    revision = submit_new(editor_client)
    reviewer_client.post(review_url(revision), {"decision": "approve"})
    revision.refresh_from_db()
    assert revision.state == CaseStudyRevision.APPROVED
    assert revision.case_study.status == CaseStudy.PUBLISHED
    assert Client().get("/en/case-studies/town-booking-system/").status_code == 200


def test_approval_of_a_future_date_schedules_it(editor_client, reviewer_client, review_on):
    revision = submit_new(editor_client, published_on="2099-01-01")
    reviewer_client.post(review_url(revision), {"decision": "approve"})
    case = CaseStudy.objects.get(pk=revision.case_study_id)
    assert case.status == CaseStudy.PUBLISHED and not case.is_visible
    assert Client().get("/en/case-studies/town-booking-system/").status_code == 404


def test_send_back_needs_a_comment_and_the_author_reads_it(
    editor_client, reviewer_client, review_on
):
    revision = submit_new(editor_client)
    response = reviewer_client.post(review_url(revision), {"decision": "send_back", "comment": " "})
    assert response.status_code == 200
    assert "Say what to change" in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == CaseStudyRevision.PENDING

    reviewer_client.post(
        review_url(revision), {"decision": "send_back", "comment": "Name the three towns."}
    )
    revision.refresh_from_db()
    assert revision.state == CaseStudyRevision.SENT_BACK
    assert (
        "Name the three towns."
        in editor_client.get(change_url(revision.case_study)).content.decode()
    )
    assert Client().get("/en/case-studies/town-booking-system/").status_code == 404
    assert any("Name the three towns." in m for m in history(revision.case_study))


def test_self_approval_is_refused_unless_the_site_allows_it(fixture_site, review_on):
    both = logged_in(staff("sam", "Editors", "Reviewers"))
    revision = submit_new(both)
    response = both.post(review_url(revision), {"decision": "approve"})
    assert response.status_code == 200
    assert "another reviewer has to approve it" in response.content.decode()
    assert CaseStudy.objects.get(pk=revision.case_study_id).status == CaseStudy.DRAFT

    review_on.CASE_STUDY_REVIEW = {"REQUIRED": True, "SELF_APPROVAL": True}
    both.post(review_url(revision), {"decision": "approve"})
    assert CaseStudy.objects.get(pk=revision.case_study_id).status == CaseStudy.PUBLISHED


def test_an_editor_cannot_approve(editor_client, review_on):
    revision = submit_new(editor_client)
    assert editor_client.get(review_url(revision)).status_code == 403
    assert editor_client.post(review_url(revision), {"decision": "approve"}).status_code == 403
    assert CaseStudy.objects.get(pk=revision.case_study_id).status == CaseStudy.DRAFT


def test_a_decided_change_cannot_be_decided_again(editor_client, reviewer_client, review_on):
    revision = submit_new(editor_client)
    reviewer_client.post(review_url(revision), {"decision": "send_back", "comment": "No."})
    response = reviewer_client.post(review_url(revision), {"decision": "approve"})
    assert response.status_code == 200  # the page, without the buttons; nothing changes
    assert CaseStudy.objects.get(pk=revision.case_study_id).status == CaseStudy.DRAFT


def test_hostile_review_input_gets_a_message(editor_client, reviewer_client, review_on):
    revision = submit_new(editor_client, title_en="<script>alert(1)</script> towns")
    html = reviewer_client.get(review_url(revision)).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    response = reviewer_client.post(
        review_url(revision), {"decision": "send_back", "comment": "x" * 5000}
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    response = reviewer_client.post(review_url(revision), {"decision": "publish-everything"})
    assert response.status_code == 200
    revision.refresh_from_db()
    assert revision.state == CaseStudyRevision.PENDING


# --- change notes ----------------------------------------------------------------------------


def test_a_published_text_change_needs_a_note_unless_minor(editor_client, settings):
    case = published_case(editor_client, settings)
    settings.CASE_STUDY_REVIEW = {"REQUIRED": False, "SELF_APPROVAL": False}
    changed = {"title_en": "Valley towns share one booking system", "minor_change": ""}
    response = editor_client.post(change_url(case), existing_case_data(case, **changed))
    assert response.status_code == 200
    assert "write a change note for readers" in response.content.decode()

    response = editor_client.post(
        change_url(case), existing_case_data(case, **{**changed, "minor_change": "on"})
    )
    assert response.status_code == 302
    assert not ChangeNote.objects.of(case).exists()

    response = editor_client.post(
        change_url(case),
        existing_case_data(
            case,
            title_en="Three valley towns share one booking system",
            minor_change="",
            change_note_en="Says how many towns share the system.",
            change_note_es="Dice cuántos pueblos comparten el sistema.",
        ),
    )
    assert response.status_code == 302
    note = ChangeNote.objects.of(case).get()
    assert (note.note_en, note.note_es, note.note_ind) == (
        "Says how many towns share the system.",
        "Dice cuántos pueblos comparten el sistema.",
        "",
    )


def test_a_draft_needs_no_change_note(editor_client):
    editor_client.post(ADD_URL, case_data())
    case = CaseStudy.objects.get(slug="town-booking-system")
    response = editor_client.post(
        change_url(case), existing_case_data(case, title_en="Another title", minor_change="")
    )
    assert response.status_code == 302


def test_hostile_change_note_gets_a_message_and_is_shown_as_text(
    editor_client, settings, committed
):
    case = published_case(editor_client, settings)
    settings.CASE_STUDY_REVIEW = {"REQUIRED": False, "SELF_APPROVAL": False}
    too_long = existing_case_data(
        case, title_en="A new title", minor_change="", change_note_en="n" * 301
    )
    response = editor_client.post(change_url(case), too_long)
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()
    with committed():
        response = editor_client.post(
            change_url(case),
            existing_case_data(
                case,
                title_en="A new title",
                minor_change="",
                change_note_en='<script>alert("x")</script>New title.',
            ),
        )
    assert response.status_code == 302
    page = Client().get("/en/case-studies/town-booking-system/").content.decode()
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;" in page
