"""The second guide, the resource library and the self-assessment instruments in the API,
on the real content: every item in three languages, what each carries, filters, export."""

import csv
import io
import json
import zipfile

import pytest

from assessments.models import Assessment
from proposals.models import ChecklistEntry, Note
from resources.models import Resource

from .conftest import (
    BASE,
    LANGUAGES,
    REAL_CONTENT_KINDS,
    all_pages,
    check_list_and_detail,
    get_json,
)


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    settings.API_RATE_LIMIT = "100000/min"  # 106 resources, each fetched: not a visitor's rate


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", REAL_CONTENT_KINDS)
def test_every_list_and_detail_answers_in_the_language_asked(client, real_site, kind, language):
    check_list_and_detail(client, kind, language)


def test_notes_keep_their_four_parts_and_every_checklist_entry(client, real_site):
    notes = all_pages(client, "proposal-notes", "en")
    assert [n["code"] for n in notes] == list(
        Note.objects.order_by("position").values_list("code", flat=True)
    )
    engage = next(n for n in notes if n["code"] == "B3")
    assert engage["component"]["letter"] == "B"
    for part in ("context_html", "need_html", "recommendations_html", "linkages_html"):
        assert engage[part].strip(), part
    # Linkages are real, absolute links — into the buying guide as well.
    assert f'href="{BASE}/en/guide/' in engage["linkages_html"]
    kinds = {e["kind"] for c in engage["checklists"] for e in c["entries"]}
    assert {"do", "dont"} <= kinds
    assert sum(len(c["entries"]) for n in notes for c in n["checklists"]) == (
        ChecklistEntry.objects.count()
    )
    # The component lists its notes in order, each resolving to its own API address.
    component = get_json(client, engage["component"]["api_url"].removeprefix(BASE))
    assert "B3" in [n["code"] for n in component["notes"]]
    prefix = f"{BASE}/api/v1/proposal-notes/"
    assert all(n["api_url"].startswith(prefix) for n in component["notes"])


def test_spanish_notes_are_in_spanish_with_links_in_spanish(client, real_site):
    en = get_json(client, "/api/v1/proposal-notes/?page_size=100")["results"]
    es = get_json(client, "/api/v1/proposal-notes/?lang=es&page_size=100")["results"]
    assert [n["id"] for n in en] == [n["id"] for n in es]
    translated = [n for n in es if "title" not in n["fallback"]]
    assert translated, "the real content has Spanish notes"
    for spanish in translated:
        english = next(n for n in en if n["id"] == spanish["id"])
        assert spanish["title"] != english["title"]
        assert f'href="{BASE}/en/' not in spanish["linkages_html"]


def test_resources_carry_their_vocabulary_and_filter_like_the_library(client, real_site):
    everything = all_pages(client, "resources", "es")
    assert len(everything) == Resource.objects.count()
    item = everything[0]
    assert item["link"].startswith("https://")
    assert item["url"] == f"{BASE}/es/resources/#{item['slug']}"
    assert item["type"]["code"] and item["type"]["name"]
    guides = get_json(client, "/api/v1/resources/?type=guide&page_size=100")
    assert guides["count"] == Resource.objects.filter(kind="guide").count() > 0
    assert {r["type"]["code"] for r in guides["results"]} == {"guide"}
    topic = Resource.objects.filter(topics__isnull=False).first().topics.first()
    linked = get_json(client, f"/api/v1/resources/?topic={topic.key}&page_size=100")
    assert linked["count"] == Resource.objects.filter(topics=topic).count() > 0
    assert all(topic.key in r["topics"] for r in linked["results"])
    # A topic that names nothing: an empty list, as on the page; a malformed one: a 400.
    assert get_json(client, "/api/v1/resources/?topic=plan/no-such-topic")["count"] == 0
    problem = client.get("/api/v1/resources/?type=<script>")
    assert problem.status_code == 400
    assert problem["Content-Type"].startswith("application/problem+json")
    assert "type" in problem.json()["errors"]


def test_assessments_carry_every_question_in_the_language_asked(client, real_site):
    for language in LANGUAGES:
        for item in all_pages(client, "assessments", language):
            row = Assessment.objects.filter(slug=item["slug"], language=language).first()
            shown = row or Assessment.objects.get(slug=item["slug"], language="en")
            assert item["title"] == shown.title
            assert (item["fallback"] == []) == (row is not None or language == "en")
            questions = [
                q for c in item["categories"] for i in c["indicators"] for q in i["questions"]
            ]
            assert len(questions) == item["question_count"] > 0
            assert all(q["scale"] in item["scales"] or q["fields"] for q in questions)


def test_the_export_holds_the_new_kinds_as_json_and_csv(client, real_site):
    response = client.get("/api/v1/export/id.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}

    def rows(name):
        return list(csv.DictReader(io.StringIO(files[name].decode("utf-8-sig"))))

    for kind in REAL_CONTENT_KINDS:
        exported = json.loads(files[f"{kind}.json"])
        assert exported["results"] == all_pages(client, kind, "id"), kind
    resources = json.loads(files["resources.json"])["results"]
    assert [r["id"] for r in rows("resources.csv")] == [r["id"] for r in resources]
    notes = json.loads(files["proposal-notes.json"])["results"]
    checklist = rows("proposal-checklists.csv")
    assert len(checklist) == sum(len(c["entries"]) for n in notes for c in n["checklists"])
    assert {r["kind"] for r in checklist} >= {"question", "do", "dont"}


def test_unknown_items_are_problem_details(client, real_site):
    for path in (
        "/api/v1/proposal-notes/work-smart/no-such-note/",
        "/api/v1/proposal-components/no-such/",
        "/api/v1/resources/no-such/",
        "/api/v1/assessments/no-such/",
        "/api/v1/assessments/Bad%20Slug/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/problem+json"), path


def test_each_filter_value_gets_its_own_cached_answer(client, real_site):
    """The answer cache keys on every kind's filters: a resource filter asked for after
    another is never served the first one's answer (nor the unfiltered list)."""
    guides = get_json(client, "/api/v1/resources/?type=guide&page_size=100")
    laws = get_json(client, "/api/v1/resources/?type=law&page_size=100")
    everything = get_json(client, "/api/v1/resources/?page_size=100")
    assert {r["type"]["code"] for r in laws["results"]} == {"law"}
    assert guides["count"] + laws["count"] < everything["count"]
    assert client.get("/api/v1/resources/?type=").status_code == 400
    regional = get_json(client, "/api/v1/resources/?region=europe&page_size=100")
    assert {r["region"]["code"] for r in regional["results"]} == {"europe"}
