"""Every list and detail address in three languages: links, ids, fallbacks, drafts."""

import datetime

import pytest
from django.utils import timezone

from casestudies.models import CaseStudy, Theme
from guidance.models import Topic

from .conftest import (
    BASE,
    FIXTURE_KINDS,
    KIND_NAMES,
    LANGUAGES,
    all_pages,
    check_list_and_detail,
    get_json,
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", FIXTURE_KINDS)
def test_every_list_and_detail_answers_in_the_language_asked(client, fixture_site, kind, language):
    check_list_and_detail(client, kind, language)


def test_english_fallback_is_marked_per_field(client, fixture_site):
    es = get_json(client, "/api/v1/topics/plan/define-outcomes/?lang=es")
    en = get_json(client, "/api/v1/topics/plan/define-outcomes/")
    assert "title" in es["fallback"] and es["title"] == en["title"] == "Define outcomes"
    assert en["fallback"] == []
    translated = get_json(client, "/api/v1/topics/plan/work-as-a-team/?lang=es")
    assert translated["title"] == "Trabaje en equipo"
    assert "title" not in translated["fallback"]
    # Indonesian has no fixture text at all: everything translatable is marked.
    stage = get_json(client, "/api/v1/stages/plan/?lang=id")
    assert set(stage["fallback"]) == {"title", "summary", "body_html"} & set(stage["fallback"])
    assert "title" in stage["fallback"] and stage["title"] == "Plan"


def test_links_inside_text_are_absolute_and_in_the_language_asked(client, fixture_site):
    for language in LANGUAGES:
        for item in all_pages(client, "topics", language):
            for field in ("why_html", "what_html"):
                assert 'href="/' not in item[field]
                if language != "en":  # English fallback text still links to this language
                    assert f'href="{BASE}/en/' not in item[field]


def test_topics_carry_their_dos_and_donts_and_stage(client, fixture_site):
    topic = get_json(client, "/api/v1/topics/plan/work-as-a-team/")
    assert topic["id"] == "plan/work-as-a-team"
    assert topic["stage"]["id"] == "plan"
    assert topic["dos"] and all(d["text"] and d["text_html"] for d in topic["dos"])
    db_topic = Topic.objects.get(stage__slug="plan", slug="work-as-a-team")
    assert len(topic["dos"]) == db_topic.items.filter(kind="do").count()
    assert len(topic["donts"]) == db_topic.items.filter(kind="dont").count()
    assert topic["updated"]


def test_case_studies_have_tags_and_filter_like_the_html_index(client, fixture_site):
    case = get_json(client, "/api/v1/case-studies/open-data-portal/")
    assert case["country"] == {"code": "MX", "name": "Mexico"}
    assert case["topics"] == ["plan/work-as-a-team"] and "plan" in case["stages"]
    assert [t["id"] for t in case["themes"]] == ["open-data"]
    assert case["published"] == "2024-01-10" and case["updated"]
    by_theme = get_json(client, "/api/v1/case-studies/?theme=open-data")
    assert [c["id"] for c in by_theme["results"]] == ["open-data-portal"]
    by_topic = get_json(client, "/api/v1/case-studies/?topic=plan/work-as-a-team&country=mx")
    assert [c["id"] for c in by_topic["results"]] == ["open-data-portal"]
    theme = get_json(client, "/api/v1/themes/open-data/")
    linked = get_json(client, theme["case_studies_url"].removeprefix(BASE))
    assert [c["id"] for c in linked["results"]] == ["open-data-portal"]


def test_pagination_walks_every_item_once(client, fixture_site):
    first = get_json(client, "/api/v1/glossary/?page_size=1")
    assert first["pages"] == first["count"] >= 2 and first["previous"] is None
    walked = all_pages(client, "glossary", "en")
    assert len(walked) == first["count"] == len({t["id"] for t in walked})
    last = get_json(client, f"/api/v1/glossary/?page_size=1&page={first['pages']}")
    assert last["next"] is None
    assert f"page={first['pages'] - 1}&" in last["previous"] + "&"


@pytest.mark.parametrize("language", LANGUAGES)
def test_drafts_and_scheduled_case_studies_never_appear(client, fixture_site, language):
    theme = Theme.objects.get(slug="open-data")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    draft = CaseStudy.objects.create(
        slug="secret-draft", title="Secret draft", summary="s", country="MX",
        organisation="o", status=CaseStudy.DRAFT,
    )  # fmt: skip
    scheduled = CaseStudy.objects.create(
        slug="secret-scheduled", title="Secret scheduled", summary="s", country="MX",
        organisation="o", status=CaseStudy.PUBLISHED, published_on=tomorrow,
    )  # fmt: skip
    topic = Topic.objects.get(stage__slug="plan", slug="work-as-a-team")
    for case in (draft, scheduled):
        case.themes.add(theme)
        case.topics.add(topic)
    seen = [c["id"] for c in all_pages(client, "case-studies", language)]
    assert "secret-draft" not in seen and "secret-scheduled" not in seen and seen
    for slug in ("secret-draft", "secret-scheduled"):
        get_json(client, f"/api/v1/case-studies/{slug}/?lang={language}", status=404)
    refs = get_json(client, f"/api/v1/topics/plan/work-as-a-team/?lang={language}")
    assert "secret" not in str(refs["case_studies"])
    export = client.get(f"/api/v1/export/{language}.zip")
    assert b"secret-" not in export.content and b"Secret " not in export.content
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        for name in archive.namelist():
            assert b"secret-" not in archive.read(name), name


def test_the_root_lists_every_kind_and_the_exports(client, fixture_site):
    root = get_json(client, "/api/v1/")
    assert [t["name"] for t in root["types"]] == KIND_NAMES
    for entry in root["types"]:
        get_json(client, entry["url"].removeprefix(BASE))
    assert set(root["export"]) == set(LANGUAGES)
    assert root["licence"]["name"] == "CC BY-NC-SA 3.0 IGO"
    assert client.get(root["documentation"].removeprefix(BASE)).status_code == 200


def test_schema_is_openapi_3_and_covers_every_kind(client, fixture_site):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for kind in KIND_NAMES:
        assert f"/api/v1/{kind}/" in schema["paths"]
        assert any(p.startswith(f"/api/v1/{kind}/{{") for p in schema["paths"])
    yaml_response = client.get("/api/v1/schema/?format=yaml")
    assert yaml_response.status_code == 200 and b"openapi:" in yaml_response.content
    assert client.get("/api/v1/schema/").content == response.content  # cached, still JSON
    again = client.get("/api/v1/schema/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
