"""Every HTML page describes itself in schema.org JSON-LD that the vocabulary allows."""

import json

import extruct
import pytest
from django.test import Client

from tests.browser.site_pages import SITEMAP_PATHS

from .schemaorg_vocabulary import problems

EXTRA = ["/en/developers/", "/es/developers/", "/id/developers/", "/en/guide/",
         "/es/search/?q=proveedores", "/id/case-studies/?page=2"]  # fmt: skip
EXPECTED_TYPE = {
    "/en/guide/plan/": "HowTo",
    "/en/guide/plan/work-as-a-team/": "Article",
    "/es/case-studies/colombia-emergency-buying/": "Article",
    "/id/glossary/": "DefinedTermSet",
    "/en/guide/checklist/": "HowTo",
    "/en/about/": "AboutPage",
    "/en/": "WebSite",
    "/en/developers/": "TechArticle",
    "/en/project-proposals/": "HowTo",
    "/es/project-proposals/work-smart/": "HowTo",
    "/id/project-proposals/work-smart/engage-with-the-market/": "Article",
    "/en/resources/": "CollectionPage",
    "/es/assessments/think-smart/": "Quiz",
}


def jsonld_of(html: str, url: str) -> list:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]


def test_every_page_carries_valid_jsonld(real_site):
    client = Client()
    checked = 0
    paths = [*SITEMAP_PATHS, *EXTRA]
    assert set(EXPECTED_TYPE) <= set(paths), set(EXPECTED_TYPE) - set(paths)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count('<script type="application/ld+json">') == 1, path
        blocks = jsonld_of(html, "http://testserver" + path)
        assert len(blocks) == 1, path
        data = blocks[0]
        assert data["@context"] == "https://schema.org", path
        assert data["url"].startswith("http://testserver/"), path
        language = path.strip("/").split("/")[0]
        assert data["inLanguage"] in ("en", language), path
        assert problems(data) == [], (path, problems(data))
        if path in EXPECTED_TYPE:
            assert data["@type"] == EXPECTED_TYPE[path], path
        checked += 1
    assert checked > 100


def test_glossary_terms_and_stage_steps_are_all_there(real_site):
    client = Client()
    glossary = jsonld_of(client.get("/es/glossary/").content.decode(), "http://testserver/")[0]
    api = client.get("/api/v1/glossary/?lang=es&page_size=100").json()
    assert [t["name"] for t in glossary["hasDefinedTerm"]] == [t["term"] for t in api["results"]]
    stage = jsonld_of(client.get("/en/guide/plan/").content.decode(), "http://testserver/")[0]
    topics = client.get("/api/v1/stages/plan/").json()["topics"]
    assert [s["name"] for s in stage["step"]] == [t["title"] for t in topics]
    assert [s["url"] for s in stage["step"]] == [t["url"] for t in topics]


def test_jsonld_cannot_break_out_of_its_script_element(fixture_site):
    from casestudies.models import CaseStudy

    case = CaseStudy.objects.get(slug="open-data-portal")
    case.title_en = "</script><script>alert(1)</script> & <b>"
    case.save()
    html = Client().get("/en/case-studies/open-data-portal/").content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and json.loads(block)["headline"] == case.title_en


@pytest.mark.parametrize("path", ["/en/", "/en/guide/plan/work-as-a-team/"])
def test_the_site_csp_is_unchanged_and_allows_no_inline_script(real_site, path):
    csp = Client().get(path)["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp


def test_the_vocabulary_check_catches_mistakes():
    assert problems({"@type": "Article", "headline": "x"}) == []
    assert problems({"@type": "Articel"})  # unknown type
    assert problems({"@type": "Article", "hasDefinedTerm": []})  # wrong property for type
    assert problems({"@type": "Article", "spatialCoverage": {"@type": "DefinedTerm"}})
    assert problems({"@type": "DefinedTermSet", "hasDefinedTerm": "just text"})
