import pytest
from django.test import Client

from api.kinds import KINDS

LANGUAGES = ("en", "es", "id")
KIND_NAMES = [kind.name for kind in KINDS]
# Kinds the small fixture guide (tests/fixtures/content) has items of; the others (second
# guide, resources, assessments) are tested on the real content in test_more_kinds.py.
REAL_CONTENT_KINDS = ["proposal-components", "proposal-notes", "resources", "assessments"]
FIXTURE_KINDS = [name for name in KIND_NAMES if name not in REAL_CONTENT_KINDS]
BASE = "http://testserver"


@pytest.fixture
def client():
    return Client()


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json()


def all_pages(client, kind, language):
    """Every item of a kind, walking the list's pages by their `next` links."""
    items, url = [], f"/api/v1/{kind}/?lang={language}&page_size=2"
    while url:
        page = get_json(client, url.removeprefix(BASE))
        items += page["results"]
        url = page["next"]
    return items


def check_list_and_detail(client, kind, language):
    """A list in `language`: every item in that language, with an HTML page that exists and
    an API address that gives the same object back."""
    page = get_json(client, f"/api/v1/{kind}/?lang={language}")
    assert page["language"] == language
    items = all_pages(client, kind, language)
    assert page["count"] == len(items) > 0
    for item in items:
        assert item["language"] == language
        assert item["id"] and item["slug"] and isinstance(item["fallback"], list)
        # The HTML page in the same language, absolute, and it exists.
        assert item["url"].startswith(f"{BASE}/{language}/"), item["url"]
        html = client.get(item["url"].removeprefix(BASE).split("#")[0].split("?")[0])
        assert html.status_code == 200, item["url"]
        # The item's own API address gives the same object.
        assert item["api_url"].startswith(f"{BASE}/api/v1/{kind}/")
        assert get_json(client, item["api_url"].removeprefix(BASE)) == item
    return page
