"""The site works with JavaScript turned off: links, the case study filters and search.

Uses the `browser_no_js` Chromium (JavaScript disabled in its content settings) and only
what a visitor does: follow links, choose from a select, type, press a button or Enter.
"""

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.browser


def follow(driver, element, *keys):
    """Click (or type `keys` into) an element and wait until the next page has loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    if keys:
        element.send_keys(*keys)
    else:
        element.click()
    WebDriverWait(driver, 10).until(_replaced(page))


def _replaced(page):
    """The old page is gone. Chromium sometimes answers "Node … does not belong to the
    document" instead of a stale-element error for a replaced page: that is gone too."""

    def check(_driver):
        try:
            page.is_enabled()
        except WebDriverException:  # StaleElementReferenceException is one of these
            return True
        return False

    return check


def h1(driver):
    return driver.find_element(By.CSS_SELECTOR, "main h1").text


def path_of(site_server, driver):
    return driver.current_url.removeprefix(site_server.base_url)


def test_javascript_really_is_off(site_server, browser_no_js):
    browser_no_js.get(site_server.url("/en/"))
    # WebDriver's own scripts still run; the page's do not: a <noscript> shows its content.
    shown = browser_no_js.execute_script(
        "const n = document.createElement('noscript'); n.innerHTML = '<p id=ns>on</p>';"
        "document.body.appendChild(n); return !!document.getElementById('ns');"
    )
    assert shown, "JavaScript is enabled in the browser_no_js browser"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_home_to_stage_to_topic_to_next_topic_by_links(site_server, browser_no_js, lang):
    driver = browser_no_js
    driver.get(site_server.url(f"/{lang}/"))
    stage_link = driver.find_element(By.CSS_SELECTOR, ".stage-list a")
    stage_title = stage_link.text
    follow(driver, stage_link)
    assert h1(driver) == stage_title
    assert path_of(site_server, driver) == f"/{lang}/guide/plan/"

    topic_link = driver.find_element(By.CSS_SELECTOR, ".topic-list a")
    topic_title = topic_link.text
    follow(driver, topic_link)
    assert h1(driver) == topic_title
    first_topic = path_of(site_server, driver)
    assert first_topic.startswith(f"/{lang}/guide/plan/")

    next_link = driver.find_element(By.CSS_SELECTOR, ".pager-next a")
    next_title = next_link.find_element(By.XPATH, "./span[2]").text
    follow(driver, next_link)
    assert h1(driver) == next_title
    assert path_of(site_server, driver) not in (first_topic, f"/{lang}/guide/plan/")
    # and back again with the "previous" link
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".pager-previous a"))
    assert path_of(site_server, driver) == first_topic


def test_case_study_filters_work_without_javascript(site_server, browser_no_js):
    driver = browser_no_js
    driver.get(site_server.url("/en/case-studies/"))
    everything = driver.find_element(By.CSS_SELECTOR, ".result-count").text
    Select(driver.find_element(By.ID, "f-theme")).select_by_value("e-procurement")
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"))
    assert "theme=e-procurement" in driver.current_url
    assert driver.find_element(By.CSS_SELECTOR, ".result-count").text != everything
    cards = driver.find_elements(By.CSS_SELECTOR, ".cards > li")
    assert cards, "no case studies for the e-procurement theme"
    # The chosen filter stays chosen, and can be removed with a link.
    assert Select(driver.find_element(By.ID, "f-theme")).first_selected_option.get_attribute(
        "value"
    ) == ("e-procurement")
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".active-filters a"))
    assert driver.find_element(By.CSS_SELECTOR, ".result-count").text == everything

    # Two filters at once, then the pagination links of the unfiltered list.
    Select(driver.find_element(By.ID, "f-stage")).select_by_value("plan")
    Select(driver.find_element(By.ID, "f-theme")).select_by_value("e-procurement")
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"))
    assert len(driver.find_elements(By.CSS_SELECTOR, ".active-filters a")) == 2
    follow(driver, driver.find_element(By.LINK_TEXT, "Clear all filters"))
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".pagination a[rel=next]"))
    assert "page=2" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, ".cards > li")


def test_search_works_without_javascript(site_server, browser_no_js):
    driver = browser_no_js
    driver.get(site_server.url("/es/"))
    box = driver.find_element(By.CSS_SELECTOR, "main input[type=search]")
    box.send_keys("proveedores")
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main .search-form button"))
    assert path_of(site_server, driver) == "/es/search/?q=proveedores"
    results = driver.find_elements(By.CSS_SELECTOR, ".results > li a")
    assert results, "no results for 'proveedores'"
    # A result opens its page.
    title = results[0].text
    follow(driver, results[0])
    assert h1(driver) == title

    # Enter in the search field submits too, and a search with no match says so.
    driver.get(site_server.url("/en/search/"))
    box = driver.find_element(By.CSS_SELECTOR, "main input[type=search]")
    follow(driver, box, "zzzzqqq", Keys.ENTER)
    assert "q=zzzzqqq" in driver.current_url
    assert "No results" in driver.find_element(By.CSS_SELECTOR, "main [role=status]").text
