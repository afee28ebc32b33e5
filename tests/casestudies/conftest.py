"""Editors and admin forms for the case-study admin tests (tests/casestudies/test_admin*)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from casestudies.models import CaseStudy, Theme
from guidance.models import Stage, Topic

EDITOR_PASSWORD = "a-long-editor-password-42"
ADD_URL = "/admin/casestudies/casestudy/add/"
LANGS = ("en", "es", "ind")  # modeltranslation's field suffixes (Indonesian is *_ind)


def change_url(case) -> str:
    return f"/admin/casestudies/casestudy/{case.pk}/change/"


def preview_url(case, language="en") -> str:
    """Staff preview a draft on its public page (visitors get a 404 there)."""
    return f"/{language}/case-studies/{case.slug}/"


def png_bytes(width=8, height=6, image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def topic(key: str) -> Topic:
    stage, slug = key.split("/")
    return Topic.objects.get(stage__slug=stage, slug=slug)


def case_data(**overrides) -> dict:
    """A complete, valid POST for the case-study add/change form (fixture content)."""
    data = {
        f"{name}_{lang}": ""
        for lang in LANGS
        for name in ("title", "summary", "body", "organisation", "quote", "quote_by", "image_alt")
    }
    data.update(
        {
            "title_en": "A town buys a shared booking system",
            "slug": "town-booking-system",
            "summary_en": "Three towns bought one booking system together.",
            "body_en": "## The problem\n\nEach town paid for its own system.\n\n"
            "## The approach\n\nThey [worked as a team](/guide/plan/work-as-a-team/).",
            "organisation_en": "Valley Towns Partnership",
            "country": "CL",
            "year": "2023",
            "topics": [topic("plan/work-as-a-team").pk],
            "themes": [Theme.objects.get(slug="open-data").pk],
            "status": CaseStudy.DRAFT,
            "published_on": "2024-03-01",
            "_save": "Save",
        }
    )
    data.update(overrides)
    return data


def stage(slug: str) -> Stage:
    return Stage.objects.get(slug=slug)


@pytest.fixture
def editor(fixture_site):
    """An editor made the way operators make one: with the create_editor command."""
    call_command(
        "create_editor",
        "edna",
        "--email",
        "edna@example.org",
        "--password",
        EDITOR_PASSWORD,
        stdout=io.StringIO(),
    )
    return get_user_model().objects.get(username="edna")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def existing_case_data(case, **overrides) -> dict:
    """The change form's POST for `case` as it is stored, with `overrides`."""
    case.refresh_from_db()
    data = {}
    for lang in LANGS:
        for name in ("title", "summary", "body", "organisation", "quote", "quote_by", "image_alt"):
            data[f"{name}_{lang}"] = getattr(case, f"{name}_{lang}") or ""
    from_topics = {t.stage_id for t in case.topics.all()}
    data.update(
        {
            "slug": case.slug,
            "country": case.country,
            "year": case.year or "",
            "topics": [t.pk for t in case.topics.all()],
            "themes": [t.pk for t in case.themes.all()],
            "stages": [s.pk for s in case.stages.all() if s.pk not in from_topics],
            "notes": [n.pk for n in case.notes.all()],
            "status": case.status,
            "published_on": case.published_on.isoformat() if case.published_on else "",
            "year_inferred": "on" if case.year_inferred else "",
            # Marked minor: these edits are not about change notes (test_review.py is).
            "minor_change": "on",
            "_save": "Save",
        }
    )
    data.update(overrides)
    return data
