"""Who may do what in the admin: the Editors group, create_editor, login throttling, and
that the admin is never served from the page cache."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from casestudies.models import CaseStudy, Theme
from guidance.models import GlossaryTerm, Stage, Topic

from .conftest import ADD_URL, EDITOR_PASSWORD, case_data, change_url

User = get_user_model()


# --- the Editors group and the create_editor command ---------------------------------------


def test_migration_creates_the_editors_group_with_case_study_theme_and_resource_rights_only(db):
    """And the translation status page to read (translating/migrations/0001)."""
    group = Group.objects.get(name="Editors")
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("casestudies", "add_casestudy"),
        ("casestudies", "add_theme"),
        ("casestudies", "change_casestudy"),
        ("casestudies", "change_theme"),
        ("casestudies", "view_casestudy"),
        ("casestudies", "view_theme"),
        ("resources", "add_resource"),
        ("resources", "change_resource"),
        ("resources", "view_resource"),
        ("translating", "view_translationstatus"),
    ]


def test_create_editor_makes_a_staff_member_of_the_editors_group(db):
    out = io.StringIO()
    call_command(
        "create_editor",
        "maria",
        "--email",
        "maria@example.org",
        "--password",
        EDITOR_PASSWORD,
        stdout=out,
    )
    user = User.objects.get(username="maria")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert user.email == "maria@example.org"
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password(EDITOR_PASSWORD)
    assert "Created editor 'maria'" in out.getvalue()


def test_create_editor_reads_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "from-the-environment-77")
    call_command("create_editor", "ines", stdout=io.StringIO())
    assert User.objects.get(username="ines").check_password("from-the-environment-77")


def test_create_editor_refuses_weak_passwords_and_existing_users(db, monkeypatch):
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_editor", "weak", "--password", "12345", stdout=io.StringIO())
    assert not User.objects.filter(username="weak").exists()
    User.objects.create_user("taken", password=EDITOR_PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "taken", "--password", EDITOR_PASSWORD)
    call_command("create_editor", "taken", "--update", stdout=io.StringIO())
    user = User.objects.get(username="taken")
    assert user.is_staff and user.groups.filter(name="Editors").exists()
    assert user.check_password(EDITOR_PASSWORD)  # unchanged without a new password
    with pytest.raises(CommandError, match="not a valid e-mail"):
        call_command("create_editor", "x", "--email", "nope", "--password", EDITOR_PASSWORD)


# --- what an editor may and may not do ------------------------------------------------------


def test_editor_can_add_change_and_publish_case_studies_and_themes(editor_client):
    assert editor_client.post(ADD_URL, case_data()).status_code == 302
    case = CaseStudy.objects.get(slug="town-booking-system")
    data = case_data(status="published")
    assert editor_client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStudy.PUBLISHED
    theme = Theme.objects.first()
    assert editor_client.get(f"/admin/casestudies/theme/{theme.pk}/change/").status_code == 200
    index = editor_client.get("/admin/").content.decode()
    assert "/admin/casestudies/casestudy/" in index and "/admin/casestudies/theme/" in index
    assert "/admin/auth/" not in index and "/admin/guidance/" not in index


def forbidden_urls():
    topic = Topic.objects.first()
    return [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        f"/admin/auth/group/{Group.objects.get(name='Editors').pk}/change/",
        "/admin/guidance/topic/",
        f"/admin/guidance/topic/{topic.pk}/change/",
        "/admin/guidance/stage/",
        f"/admin/guidance/stage/{Stage.objects.first().pk}/change/",
        "/admin/guidance/glossaryterm/",
        f"/admin/guidance/glossaryterm/{GlossaryTerm.objects.first().pk}/change/",
        "/admin/guidance/page/",
    ]


def test_editor_cannot_reach_users_groups_or_guidance(editor_client):
    for url in forbidden_urls():
        response = editor_client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"] or response["Location"] == ("/admin/"), (
                url
            )
        response = editor_client.post(url, {"title_en": "Changed", "username": "evil"})
        assert response.status_code in (302, 403, 404), url
    topic = Topic.objects.first()
    assert (
        editor_client.post(
            f"/admin/guidance/topic/{topic.pk}/change/", {"title_en": "Hacked"}
        ).status_code
        == 403
    )
    topic.refresh_from_db()
    assert topic.title_en != "Hacked"
    editors = Group.objects.get(name="Editors")
    count = editors.permissions.count()
    editor_client.post(
        f"/admin/auth/group/{editors.pk}/change/", {"name": "Editors", "permissions": []}
    )
    assert editors.permissions.count() == count


def test_editor_cannot_delete_case_studies_or_themes(editor_client):
    case = CaseStudy.objects.get(slug="open-data-portal")
    url = f"/admin/casestudies/casestudy/{case.pk}/delete/"
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    response = editor_client.post(
        "/admin/casestudies/casestudy/",
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    assert CaseStudy.objects.filter(pk=case.pk).exists()
    assert response.status_code in (200, 302)
    html = editor_client.get(change_url(case)).content.decode()
    assert "deletelink" not in html
    listing = editor_client.get("/admin/casestudies/casestudy/").content.decode()
    assert "delete_selected" not in listing
    theme = Theme.objects.first()
    assert (
        editor_client.post(
            f"/admin/casestudies/theme/{theme.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Theme.objects.filter(pk=theme.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/casestudies/casestudy/",
        ADD_URL,
        "/admin/casestudies/theme/",
        "/admin/guidance/topic/",
        "/admin/auth/user/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login(client, fixture_site, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_staff_without_the_editors_group_sees_nothing(client, fixture_site):
    user = User.objects.create_user("staff", password=EDITOR_PASSWORD, is_staff=True)
    client.force_login(user)
    assert client.get("/admin/casestudies/casestudy/").status_code == 403
    assert client.get(ADD_URL).status_code == 403


# --- logging in: throttled, never cached -----------------------------------------------------


def login(client, password, **headers):
    return client.post(
        "/admin/login/?next=/admin/", {"username": "edna", "password": password}, **headers
    )


def test_sixth_wrong_password_locks_out_even_the_right_one(editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _attempt in range(5):
        response = login(client, "wrong-password")
        assert response.status_code in (200, 429)
    response = login(client, EDITOR_PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-in attempts" in html
    assert "Try again in 30 minutes" in html
    assert "sessionid" not in response.cookies
    assert client.get("/admin/").status_code == 302  # still not logged in
    # The lockout page is in the visitor's language.
    spanish = login(Client(), EDITOR_PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 429
    assert '<html lang="es"' in spanish.content.decode()
    assert "Demasiados intentos" in spanish.content.decode()


def test_fewer_wrong_passwords_still_let_the_editor_in(editor):
    client = Client()
    for _attempt in range(4):
        login(client, "wrong-password")
    response = login(client, EDITOR_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_admin_is_never_page_cached(editor_client):
    for _round in range(2):
        for url in ("/admin/", "/admin/casestudies/casestudy/", ADD_URL):
            response = editor_client.get(url)
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
            assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    anonymous = Client()
    for _round in range(2):
        assert "X-Page-Cache" not in anonymous.get("/admin/login/")


def test_an_editor_with_a_session_always_gets_fresh_public_pages(editor_client):
    visitor = Client()
    visitor.get("/en/case-studies/")
    assert visitor.get("/en/case-studies/")["X-Page-Cache"] == "hit"
    for _round in range(2):
        assert "X-Page-Cache" not in editor_client.get("/en/case-studies/")
