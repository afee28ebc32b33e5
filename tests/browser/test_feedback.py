"""Page feedback in a real browser with JavaScript off, axe on each step; posts under load.

The server is the shared gunicorn (file SQLite, two gthread workers): concurrent posts there
are the SQLite half of "none lost" (tests/feedback covers PostgreSQL in-process).
"""

import http.client
import re
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By

from .conftest import axe_violations, describe_violations
from .site_pages import fetch
from .test_no_js import follow, h1, path_of

pytestmark = pytest.mark.browser

TOPIC = "/guide/plan/work-as-a-team/"


def stored(site_server, page, language, **filters) -> int:
    code = (
        "from feedback.models import Vote; "
        f"print(Vote.objects.filter(page={page!r}, language={language!r}, **{filters!r}).count())"
    )
    return int(site_server.manage("shell", "-c", code).split()[-1])


def assert_accessible(driver):
    violations = axe_violations(driver)
    assert not violations, describe_violations(driver.current_url, violations)


def _no_then_comment(site_server, driver, check):
    """The journey a reader makes; `check()` runs on each of its pages."""
    driver.get(site_server.url(f"/es{TOPIC}"))
    question = driver.find_element(By.CSS_SELECTOR, "main .page-feedback")
    assert question.find_element(By.TAG_NAME, "h2").text == "¿Le resultó útil esta página?"
    check(driver)
    follow(driver, question.find_element(By.CSS_SELECTOR, "button[value=no]"))
    assert path_of(site_server, driver).startswith("/es/feedback/more/")
    assert h1(driver) == "Gracias: hemos contado su respuesta"
    box = driver.find_element(By.ID, "id_comment")
    hint = driver.find_element(By.ID, box.get_attribute("aria-describedby").split()[0])
    assert "No incluya datos personales" in hint.text
    check(driver)
    box.send_keys(COMMENT)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert h1(driver) == "Gracias por su opinión"
    check(driver)


COMMENT = "Plazos de contratación; escríbame a ana@example.org"


def test_no_then_a_comment_without_javascript(site_server, browser_no_js):
    before = stored(site_server, TOPIC, "es", useful=False)
    _no_then_comment(site_server, browser_no_js, check=lambda driver: None)
    assert stored(site_server, TOPIC, "es", useful=False) == before + 1
    stripped = COMMENT.replace("ana@example.org", "[email removed]")
    assert stored(site_server, TOPIC, "es", comment=stripped) >= 1


def test_the_form_and_every_step_pass_axe(site_server, browser):
    """axe needs JavaScript; the pages are the same ones the reader without it gets."""
    _no_then_comment(site_server, browser, check=assert_accessible)


def _over_long(site_server, driver):
    driver.get(site_server.url(f"/en{TOPIC}"))
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".page-feedback button[value=no]"))
    box = driver.find_element(By.ID, "id_comment")
    driver.execute_script("arguments[0].value = 'x'.repeat(1500)", box)  # faster than typing
    follow(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "at most 1000 characters (it has 1500)" in summary.text
    assert driver.find_element(By.ID, "id_comment").get_attribute("value") == "x" * 1500


def test_an_over_long_comment_is_explained_on_the_form(site_server, browser_no_js, browser):
    _over_long(site_server, browser_no_js)
    _over_long(site_server, browser)
    assert_accessible(browser)


def test_yes_in_bahasa_indonesia(site_server, browser_no_js):
    driver = browser_no_js
    before = stored(site_server, TOPIC, "id", useful=True)
    driver.get(site_server.url(f"/id{TOPIC}"))
    follow(driver, driver.find_element(By.CSS_SELECTOR, ".page-feedback button[value=yes]"))
    assert h1(driver) == "Terima kasih atas masukan Anda"
    back = driver.find_element(By.LINK_TEXT, "Kembali ke halaman yang sedang Anda baca")
    assert back.get_attribute("href") == site_server.url(f"/id{TOPIC}")
    assert stored(site_server, TOPIC, "id", useful=True) == before + 1


def _post_from(address, base_url, fields):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(address, 0)
    )
    try:
        connection.request(
            "POST",
            "/en/feedback/",
            body=urlencode({**fields, "useful": "yes"}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base_url},
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_concurrent_posts_from_many_readers_are_all_counted(site_server):
    """100 readers (each from its own loopback address, so the throttle lets each one in)."""
    status, html = fetch(site_server.url("/en/guide/plan/"))
    assert status == 200
    section = re.search(r'<section class="page-feedback".*?</section>', html, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', section))
    before = stored(site_server, "/guide/plan/", "en")
    readers = 100
    barrier = threading.Barrier(readers)
    statuses, errors = [], []

    def answer(index):
        try:
            barrier.wait(timeout=30)
            statuses.append(_post_from(f"127.0.1.{index + 1}", site_server.base_url, fields))
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert statuses == [303] * readers
    assert stored(site_server, "/guide/plan/", "en") == before + readers
