import pytest
from django.test import Client

from api.kinds import KINDS

LANGUAGES = ("en", "es", "id")
KIND_NAMES = [kind.name for kind in KINDS]
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
