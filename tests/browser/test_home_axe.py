"""First browser test: the home page in each language has no WCAG 2.2 A/AA violations."""

import pytest

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "es", "id"])
def test_home_has_no_axe_violations(site_server, browser, lang):
    url = site_server.url(f"/{lang}/")
    browser.get(url)
    assert browser.find_element("css selector", "html").get_attribute("lang") == lang
    violations = axe_violations(browser)
    assert not violations, describe_violations(url, violations)
