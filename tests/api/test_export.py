"""The bulk export: ZIP per language, equal to the API, rebuilt per content version."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from casestudies.models import CaseStudy
from casestudies.services import case_study_save

from .conftest import BASE, KIND_NAMES, LANGUAGES, all_pages


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_zip_holds_what_the_api_holds(client, fixture_site, language):
    response = client.get(f"/api/v1/export/{language}.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"digital-buying-guide-{language}.zip" in response["Content-Disposition"]
    files = unzip(response.content)
    expected = {f"{k}.json" for k in KIND_NAMES} | {
        "case-studies.csv", "checklist.csv", "glossary.csv", "resources.csv",
        "proposal-checklists.csv", "LICENCE.txt", "manifest.json",
    }  # fmt: skip
    assert set(files) == expected
    for kind in KIND_NAMES:
        exported = json.loads(files[f"{kind}.json"])
        assert exported["language"] == language
        assert exported["results"] == all_pages(client, kind, language), kind
        assert exported["count"] == len(exported["results"])
    manifest = json.loads(files["manifest.json"])
    assert manifest["language"] == language and sorted(manifest["files"]) == sorted(files)
    assert "CC BY-NC-SA 3.0 IGO" in files["LICENCE.txt"].decode()


def test_csv_files_match_the_json(client, fixture_site):
    files = unzip(client.get("/api/v1/export/es.zip").content)

    def rows(name):
        return list(csv.DictReader(io.StringIO(files[name].decode("utf-8-sig"))))

    cases = json.loads(files["case-studies.json"])["results"]
    assert [r["id"] for r in rows("case-studies.csv")] == [c["id"] for c in cases]
    assert rows("case-studies.csv")[0]["title"] == cases[0]["title"]
    terms = json.loads(files["glossary.json"])["results"]
    assert [r["term"] for r in rows("glossary.csv")] == [t["term"] for t in terms]
    topics = json.loads(files["topics.json"])["results"]
    checklist = rows("checklist.csv")
    assert len(checklist) == sum(len(t["dos"]) + len(t["donts"]) for t in topics)
    assert {r["kind"] for r in checklist} == {"do", "dont"}
    assert all(r["url"].startswith(f"{BASE}/es/") for r in checklist)


def test_the_zip_is_rebuilt_when_content_changes(
    client, fixture_site, django_capture_on_commit_callbacks
):
    before = client.get("/api/v1/export/en.zip")
    assert client.get("/api/v1/export/en.zip").content == before.content  # stable bytes
    case = CaseStudy.objects.get(slug="open-data-portal")
    case.title_en = "Renamed for the export test"
    with django_capture_on_commit_callbacks(execute=True):
        case_study_save(case)
    after = client.get("/api/v1/export/en.zip", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert b"Renamed for the export test" in unzip(after.content)["case-studies.json"]


def test_export_open_data_writes_the_same_files(client, fixture_site, tmp_path):
    call_command("export_open_data", str(tmp_path), "--base-url", BASE, stdout=io.StringIO())
    for language in LANGUAGES:
        zipped = unzip(client.get(f"/api/v1/export/{language}.zip").content)
        written = {p.name: p.read_bytes() for p in (tmp_path / language).iterdir()}
        assert written == zipped, language


def test_export_open_data_explains_what_it_needs(fixture_site, tmp_path, settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="--base-url"):
        call_command("export_open_data", str(tmp_path))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_open_data", str(blocker), "--base-url", BASE, stdout=io.StringIO())
