"""One save path: whatever changes a case study or a theme goes through a service, and the
site follows (search, cached pages); a content load announces once, however much it wrote."""

from django.test import Client

from buyingguide.loading import content_load
from buyingguide.models import SearchEntry
from casestudies.models import CaseStudy, Theme
from guidance import version
from tests.conftest import FIXTURE_CONTENT


def test_deleting_in_the_admin_unindexes_and_refreshes_pages(
    fixture_site, admin_client, django_capture_on_commit_callbacks
):
    visitor = Client()
    assert "A city publishes" in visitor.get("/en/case-studies/").content.decode()
    case = CaseStudy.objects.get(slug="open-data-portal")
    assert SearchEntry.objects.filter(key=f"case-study:{case.pk}").count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/casestudies/casestudy/{case.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not SearchEntry.objects.filter(key=f"case-study:{case.pk}").exists()
    page = visitor.get("/en/case-studies/")
    assert page["X-Page-Cache"] == "miss" and "A city publishes" not in page.content.decode()


def test_renaming_a_theme_in_the_admin_refreshes_cached_pages(
    fixture_site, admin_client, django_capture_on_commit_callbacks
):
    visitor = Client()
    assert "Open data" in visitor.get("/en/case-studies/").content.decode()
    theme = Theme.objects.get(slug="open-data")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/casestudies/theme/{theme.pk}/change/",
            {"name_en": "Open contracting data", "slug": "open-data", "order": theme.order},
        )
    assert response.status_code == 302
    assert "Open contracting data" in visitor.get("/en/case-studies/").content.decode()


def test_a_load_bumps_the_content_version_once_and_a_clean_load_not_at_all(
    db, django_capture_on_commit_callbacks
):
    before = version.content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = content_load(FIXTURE_CONTENT)
    assert report.stats.changed
    assert len(callbacks) == 1  # one bump for dozens of rows
    after = version.content_version()
    assert after > before
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not content_load(FIXTURE_CONTENT).stats.changed
    assert callbacks == [] and version.content_version() == after
