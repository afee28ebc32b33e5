"""Self-assessments in the real browser: the no-JavaScript journey, axe and the keyboard on
every kind of assessment page in English, Spanish and Bahasa Indonesia.

Result and step links are signed with the test server's own secret key, so they are made
here by answering over HTTP, as a visitor's browser would.
"""

import http.client
import itertools
import urllib.parse

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import axe_violations, describe_violations
from .site_pages import CONTENT, LANGUAGES, _front_matter, assessment_slugs, language_problems
from .test_keyboard import check_tab_walk
from .test_no_js import h1, path_of

pytestmark = pytest.mark.browser


def follow(driver, element):
    """Click a link or button and wait for the next page to be loaded.

    A mark on the old page's window tells the pages apart (waiting for an element to go
    stale can trip over Chromium's inspector while the page is replaced).
    """
    driver.execute_script("window.__oldPage = true")
    element.click()

    def loaded(d):
        try:
            return d.execute_script(
                "return !window.__oldPage && document.readyState === 'complete'"
            )
        except WebDriverException:  # between two pages
            return False

    WebDriverWait(driver, 15).until(loaded)


def _categories(slug):
    return _front_matter(CONTENT / "en" / "assessments" / f"{slug}.md")["categories"]


def _post(site_server, path, data) -> str:
    """POST a step form; return where the site redirects to."""
    parts = urllib.parse.urlsplit(site_server.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = urllib.parse.urlencode(data, doseq=True)
    connection.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    location = response.getheader("Location")
    connection.close()
    assert response.status == 302, f"{path} answered {response.status}"
    return location


def answer_all(site_server, lang, slug, pick=0):
    """Answer every step (option `pick` of each scale, the first field of each list).

    Returns (the step pages with answers, the result page)."""
    state, steps, location = "", [], ""
    scales = _front_matter(CONTENT / "en" / "assessments" / f"{slug}.md")["scales"]
    for number, category in enumerate(_categories(slug), 1):
        data = {"go": "next", "state": state}
        for indicator in category["indicators"]:
            for q in indicator["questions"]:
                if q.get("fields"):
                    data[q["id"]] = [q["fields"][0]["code"]]
                else:
                    data[q["id"]] = scales[q["scale"]][pick]["code"]
        location = _post(site_server, f"/{lang}/assessments/{slug}/step/{number}/answer/", data)
        state = location.rstrip("/").rsplit("/", 1)[1]
        if "/step/" in location:
            steps.append(location)
    return steps, location


def test_no_js_journey_answer_go_back_change_and_see_the_result(site_server, browser_no_js):
    driver = browser_no_js
    driver.get(site_server.url("/en/assessments/"))
    follow(driver, driver.find_element(By.LINK_TEXT, "Think smart before you buy"))
    follow(driver, driver.find_element(By.LINK_TEXT, "Start the self-assessment"))
    assert h1(driver) == "A visionary project"
    assert "Step 1 of 4" in driver.find_element(By.CSS_SELECTOR, "main").text

    # Continue without answering: an error summary links to each question.
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=next]"))
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    links = summary.find_elements(By.TAG_NAME, "a")
    assert len(links) == 4
    links[1].click()
    assert driver.current_url.endswith("#q-think-vision-life")

    def answer(label_for):
        driver.find_element(By.CSS_SELECTOR, f"label[for='{label_for}']").click()

    for qid in ("think-vision-clear", "think-vision-life", "think-vision-aligned"):
        answer(f"{qid}-yes")
    answer("think-vision-measure-not-yet")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=next]"))
    assert h1(driver) == "A citizen-centric project"
    assert "Step 2 of 4" in driver.find_element(By.CSS_SELECTOR, "main").text

    # Answer one question here, go back, change an answer, and come forward again.
    answer("think-citizen-segments-partly")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=back]"))
    assert h1(driver) == "A visionary project"
    assert driver.find_element(By.ID, "think-vision-clear-yes").is_selected()
    assert driver.find_element(By.ID, "think-vision-measure-not-yet").is_selected()
    answer("think-vision-measure-partly")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=next]"))
    assert driver.find_element(By.ID, "think-citizen-segments-partly").is_selected()

    # Everything else "Yes", to the result.
    while "/step/" in path_of(site_server, driver):
        for radio in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][value=yes]"):
            name = radio.get_attribute("name")
            if not driver.find_elements(By.CSS_SELECTOR, f"input[name='{name}']:checked"):
                answer(radio.get_attribute("id"))
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=next]"))
    assert h1(driver) == "Your result: Think smart before you buy"
    # Visionary: (100 + 100 + 100) / 3 for its vision indicator, 50 for measuring → 75;
    # citizen-centric: knowing customers (50 + 100 + 100) / 3 = 83, then 100, 100 → 94.
    table = driver.find_element(By.CSS_SELECTOR, ".score-table").text
    assert "A visionary project 75" in table and "A citizen-centric project 94" in table
    result = path_of(site_server, driver)

    # The shareable link opens the same result; the CSV link is there.
    driver.get(site_server.url(result))
    assert "A visionary project 75" in driver.find_element(By.CSS_SELECTOR, ".score-table").text
    csv_link = driver.find_element(By.PARTIAL_LINK_TEXT, "CSV")
    assert csv_link.get_attribute("href").endswith("/csv/")
    assert not driver.get_cookies()


def _assessment_pages(site_server, lang):
    """Each kind of assessment page, for every instrument, in `lang`.

    Every instrument: its first step (with answers) and its result. The comparison pages and
    the error page once. In English also every step of the two annex instruments (lists of
    fields and scales) and the last step of the others.
    """
    pages = []
    for slug in assessment_slugs():
        steps, result = answer_all(site_server, lang, slug)
        pages += [f"/{lang}/assessments/{slug}/step/1/", result]
        if lang == "en":
            pages += steps if slug in ("gesi", "emergency") else steps[-1:]
        if slug == "gesi":
            _, other = answer_all(site_server, lang, slug, pick=1)
            token, other_token = (p.rstrip("/").rsplit("/", 1)[1] for p in (result, other))
            pages += [
                f"/{lang}/assessments/{slug}/compare/{token}/",
                f"/{lang}/assessments/{slug}/compare/{other_token}/{token}/",
            ]
    pages.append(f"/{lang}/assessments/gesi/result/damaged.link/")
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_and_language_on_every_kind_of_assessment_page(site_server, browser, lang):
    failures = []
    pages = _assessment_pages(site_server, lang)
    for path in pages:
        browser.get(site_server.url(path))
        violations = axe_violations(browser)
        if violations:
            failures.append(describe_violations(path, violations))
        problems = language_problems(browser, lang)
        if problems:
            failures.append(f"{path}: " + "; ".join(problems))
        headings = browser.execute_script(
            "return [...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
            ".map(h => Number(h.tagName[1]))"
        )
        if headings.count(1) != 1 or any(b - a > 1 for a, b in itertools.pairwise(headings)):
            failures.append(f"{path}: headings {headings} (one h1, no skipped level)")
    # The error state of a step: submit step 1 empty.
    browser.get(site_server.url(f"/{lang}/assessments/gesi/step/1/"))
    follow(browser, browser.find_element(By.CSS_SELECTOR, "button[value=next]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    violations = axe_violations(browser)
    if violations:
        failures.append(describe_violations("gesi step 1 with errors", violations))
    assert len(pages) >= 11
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_reaches_every_control_on_step_result_and_compare_pages(
    site_server, browser, lang
):
    steps, result = answer_all(site_server, lang, "emergency")
    token = result.rstrip("/").rsplit("/", 1)[1]
    for path in (steps[0], result, f"/{lang}/assessments/emergency/compare/{token}/"):
        check_tab_walk(browser, site_server.url(path))
