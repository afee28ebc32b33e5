import re

import pytest

ORIGIN = "http://testserver"  # the test client's host: the site's origin without SITE_URL
TOPIC = "/guide/plan/work-as-a-team/"  # a topic page of the fixture guide


def form_fields(html: str) -> dict:
    """The hidden fields of the page's feedback form, as a browser would send them."""
    match = re.search(r'<section class="page-feedback".*?</section>', html, re.S)
    assert match, "the page has no feedback form"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', match.group(0)))


@pytest.fixture
def page_form(client, fixture_site):
    """`page_form(lang)`: the hidden fields of TOPIC's form in that language."""

    def get(lang="en", path=TOPIC):
        response = client.get(f"/{lang}{path}")
        assert response.status_code == 200
        return form_fields(response.content.decode())

    return get


@pytest.fixture
def post(client):
    """`post(url, data, **headers)`: a same-origin form post (Origin header set)."""

    def send(url, data, **headers):
        headers.setdefault("HTTP_ORIGIN", ORIGIN)
        return client.post(url, data, **headers)

    return send
