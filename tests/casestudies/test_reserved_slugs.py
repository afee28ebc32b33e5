"""A case study may not take an address the site already uses (issue 13, finding 9)."""

import shutil

import pytest

from buyingguide.loading import content_load
from casestudies.models import CaseStudy, reserved_case_study_slugs

from .conftest import ADD_URL, case_data
from .test_admin import form_errors


def test_the_reserved_slugs_come_from_the_url_configuration():
    assert "feed" in reserved_case_study_slugs()
    assert "open-data-portal" not in reserved_case_study_slugs()


def test_the_admin_refuses_a_reserved_slug_and_keeps_the_form(editor_client):
    response = editor_client.post(ADD_URL, case_data(slug="feed"))
    assert response.status_code == 200
    assert "already an address of the site" in form_errors(response)["slug"][0]
    assert not CaseStudy.objects.filter(slug="feed").exists()
    assert (
        "Town booking" in response.content.decode() or 'value="feed"' in response.content.decode()
    )


@pytest.mark.django_db
def test_the_loader_refuses_a_reserved_slug_by_file_name(content_tree):
    source = content_tree / "en/case-studies/open-data-portal.md"
    shutil.copy(source, content_tree / "en/case-studies/feed.md")
    report = content_load(content_tree)
    assert not report.ok
    [error] = [e for e in report.errors if "feed.md" in e.path]
    assert "reserved" in error.message and "/case-studies/feed/" in error.message
    assert not CaseStudy.objects.exists()  # nothing loaded
