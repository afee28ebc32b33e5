"""Editors add and fix resources in the admin with the loader's rules; search follows."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from buyingguide.loading import content_load
from buyingguide.models import SearchEntry
from guidance.models import Topic
from resources.models import Resource

ADD_URL = "/admin/resources/resource/add/"


@pytest.fixture
def editor_client(client, library_tree, db):
    assert content_load(library_tree).ok
    call_command(
        "create_editor",
        "rita",
        "--email",
        "rita@example.org",
        "--password",
        "a-long-editor-password-42",
        stdout=io.StringIO(),
    )
    client.force_login(get_user_model().objects.get(username="rita"))
    return client


def data(**overrides):
    values = {
        "title": "A new guide",
        "slug": "a-new-guide",
        "publisher": "A Ministry",
        "year": "2024",
        "url": "https://example.org/new-guide",
        "kind": "guide",
        "region": "africa",
        "languages": "en, FR",
        "group": "other-useful-sources",
        "topics": [Topic.objects.get(stage__slug="plan", slug="work-as-a-team").pk],
        "annotation_en": "Practical steps; see [work as a team](/guide/plan/work-as-a-team/).",
        "annotation_es": "Pasos prácticos.",
        "annotation_ind": "",
        "_save": "Save",
    }
    values.update(overrides)
    return values


def test_an_editor_adds_a_resource_that_is_rendered_searchable_and_listed(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(ADD_URL, data())
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(slug="a-new-guide")
    assert resource.languages == "en, fr" and resource.source == Resource.FROM_ADMIN
    assert 'href="/es/guide/plan/work-as-a-team/"' not in resource.annotation_html_es
    assert 'href="/en/guide/plan/work-as-a-team/"' in resource.annotation_html_en
    assert SearchEntry.objects.filter(key="resource:a-new-guide", language="es").exists()
    editor_client.logout()
    html = editor_client.get("/en/resources/").content.decode()
    assert 'id="a-new-guide"' in html and "Practical steps" in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("url", "http://example.org/insecure", "starts with https://"),
        ("url", "javascript:alert(1)", "Enter a valid URL"),
        ("url", "https://EXAMPLE.org/toolkit/", "already has this address"),
        ("languages", "en, klingon", "Unknown language code: klingon"),
        ("annotation_en", "", "Write an English annotation"),
        ("annotation_en", "See [nothing](/guide/plan/nope/).", "/guide/plan/nope/"),
        ("slug", "Not A Slug", "consisting of letters"),
        ("year", "20245", "four digits"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    editor_client, field, value, message
):
    response = editor_client.post(ADD_URL, data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.filter(title="A new guide").exists()


def test_an_edit_in_the_admin_survives_the_next_load(editor_client, library_tree):
    resource = Resource.objects.get(slug="city-standard")
    values = data(
        title=resource.title,
        slug=resource.slug,
        url=resource.url,
        kind=resource.kind,
        region=resource.region,
        languages=resource.languages,
        group=resource.group,
        year="",
        publisher=resource.publisher,
        annotation_en="Improved by an editor.",
        topics=[t.pk for t in resource.topics.all()],
    )
    response = editor_client.post(f"/admin/resources/resource/{resource.pk}/change/", values)
    assert response.status_code == 302
    report = content_load(library_tree)
    assert [c.slug for c in report.conflicts] == ["city-standard"]
    assert Resource.objects.get(slug="city-standard").annotation_en == "Improved by an editor."
