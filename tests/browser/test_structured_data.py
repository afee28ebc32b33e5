"""In Chromium: the JSON-LD data block on each kind of page breaks no CSP rule and parses."""

import json

import pytest
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

PAGES = [
    "/en/",
    "/es/guide/plan/",
    "/id/guide/plan/work-as-a-team/",
    "/en/glossary/",
    "/es/case-studies/colombia-emergency-buying/",
    "/en/developers/",
]
LISTEN = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
)


@pytest.fixture
def csp_listener(browser):
    added = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    yield browser
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", added)


@pytest.mark.parametrize("path", PAGES)
def test_jsonld_is_data_the_csp_allows(site_server, csp_listener, path):
    driver = csp_listener
    driver.get(site_server.url(path))
    blocks = driver.execute_script(
        "return [...document.querySelectorAll('script')].map(s => [s.type, s.textContent]);"
    )
    assert [kind for kind, _ in blocks] == ["application/ld+json"], blocks
    data = json.loads(blocks[0][1])
    assert data["@context"] == "https://schema.org" and data["url"].endswith(path)
    assert driver.execute_script("return window.__csp;") == []
    # The listener works: an inline script added now is refused and reported.
    driver.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        "document.head.appendChild(s);"
    )
    assert driver.execute_script("return window.__ran === undefined;")
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.__csp.length"))
    reported = driver.execute_script("return window.__csp;")
    assert reported[0].startswith("script-src"), reported
