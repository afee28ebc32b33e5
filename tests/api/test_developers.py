"""The human documentation page, /<lang>/developers/, in three languages."""

import re

import pytest
from django.test import override_settings

from .conftest import BASE

HEADINGS = {"en": "Open data and API", "es": "Datos abiertos y API", "id": "Data terbuka dan API"}


@pytest.mark.parametrize("language", list(HEADINGS))
def test_developers_page_documents_the_api_in_each_language(client, fixture_site, language):
    with override_settings(API_RATE_LIMIT="60/min"):
        response = client.get(f"/{language}/developers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert re.findall(r"<h1>(.*?)</h1>", html) == [HEADINGS[language]]
    assert f"curl '{BASE}/api/v1/stages/?lang=es'" in html  # example requests, absolute
    assert "<code>60/min</code>" in html  # the rate limit in force
    assert "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/" in html
    assert "CC BY-NC-SA 3.0 IGO" in html
    assert f'href="{BASE}/api/v1/schema/"' in html
    for code in ("en", "es", "id"):
        link = f"{BASE}/api/v1/export/{code}.zip"
        assert f'href="{link}"' in html
    for name in ("stages", "topics", "case-studies", "themes", "glossary", "pages"):
        assert f"<code>/api/v1/{name}/</code>" in html
    # Every page's footer leads here.
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/developers/"' in home


def test_developers_page_is_in_the_sitemap_in_every_language(client, fixture_site):
    sitemap = client.get("/sitemap.xml").content.decode()
    for language in HEADINGS:
        assert f"{BASE}/{language}/developers/" in sitemap
