"""An editor's whole workflow in headless Chromium, against the real site under gunicorn.

Log in, create a case study in English and Spanish, tag it (topic, theme), preview the
draft, publish it; then, as an anonymous visitor (served from the page cache), find it on
the case-study index, its topic page and the feed in both languages, and in Bahasa
Indonesia only as the English fallback. The visitors' pages were cached before the case
study existed: that they show it afterwards proves admin saves move the content version.
"""

import re
import secrets
import time
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import make_driver

pytestmark = pytest.mark.browser

USERNAME = "browser-editor"
SLUG = "valley-towns-share-a-booking-system"
EN = {
    "title": "Valley towns share one booking system",
    "summary": "Three small towns bought one room-booking system together and split the cost.",
    "organisation": "Valley Towns Partnership",
    "body": "## The problem\n\nEach town paid for its own system.\n\n## The approach\n\n"
    "The towns [worked as a team](/guide/plan/work-as-a-team/) from the start.",
}
ES = {
    "title": "Pueblos del valle comparten un sistema de reservas",
    "summary": "Tres pueblos pequeños compraron juntos un sistema de reservas de salas.",
    "organisation": "Asociación de Pueblos del Valle",
    "body": "## El problema\n\nCada pueblo pagaba su propio sistema.",
}
TOPIC = ("/guide/plan/work-as-a-team/", "Plan: Work as a team")
THEME = "Open data and transparency"


def fetch(site_server, path):
    """An anonymous visitor (no cookies): status, X-Page-Cache header and the page."""
    request = urllib.request.Request(site_server.url(path), headers={"Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return (response.status, response.headers.get("X-Page-Cache"), response.read().decode())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache"), error.read().decode()


def eventually(check, seconds=10.0):
    """`check()` until it returns a truthy value; every worker of the server must agree."""
    deadline = time.time() + seconds
    while True:
        result = check()
        if result or time.time() > deadline:
            return result
        time.sleep(0.25)


def visitor_sees(site_server, path, *texts):
    def check():
        # Several fetches, so that both gunicorn workers answer.
        pages = [fetch(site_server, path) for _ in range(4)]
        return all(
            status == 200 and all(t in html for t in texts) for status, _cache, html in pages
        )

    return eventually(check)


# Pages visitors look at, and what each must show once the case study is published.
PUBLISHED_PAGES = {
    # The index, filtered by the country (the real guide's case studies fill page 1).
    "/en/case-studies/?country=CL": [EN["title"]],
    "/es/case-studies/?country=CL": [ES["title"]],
    f"/en{TOPIC[0]}": [EN["title"]],
    f"/es{TOPIC[0]}": [ES["title"]],
    "/en/case-studies/feed/": [EN["title"]],
    "/es/case-studies/feed/": [ES["title"]],
    f"/en/case-studies/{SLUG}/": [f"<h1>{EN['title']}</h1>", EN["organisation"]],
    f"/es/case-studies/{SLUG}/": [f"<h1>{ES['title']}</h1>", ES["organisation"]],
}


def wait_for(driver, css):
    return WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def type_into(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def choose(driver, field, label, search):
    """Pick `label` in a filter_horizontal list, using its search box like an editor."""
    driver.find_element(By.ID, f"id_{field}_input").send_keys(search)
    Select(driver.find_element(By.ID, f"id_{field}_from")).select_by_visible_text(label)
    driver.find_element(By.ID, f"id_{field}_add").click()
    chosen = Select(driver.find_element(By.ID, f"id_{field}_to")).options
    assert label in [option.text for option in chosen]


def show_language(driver, code):
    """The language switch modeltranslation puts beside the title switches every tab."""
    Select(driver.find_element(By.ID, "modeltranslation-main-switch")).select_by_index(
        ("en", "es", "ind").index(code)
    )


@pytest.fixture
def editor_password(site_server):
    password = secrets.token_urlsafe(18)
    site_server.manage(
        "create_editor", USERNAME, "--email", "editor@example.org", "--password", password
    )
    yield password
    # Leave the shared server as the other browser tests expect it: the real content only.
    site_server.manage(
        "shell",
        "-c",
        "from casestudies.models import CaseStudy; from casestudies.services import "
        "case_study_delete; "
        f"[case_study_delete(c) for c in CaseStudy.objects.filter(slug='{SLUG}')]; "
        "from django.contrib.auth.models import User; "
        f"User.objects.filter(username='{USERNAME}').delete()",
    )


def test_editor_creates_previews_and_publishes_a_case_study(site_server, editor_password):
    # Visitors have seen these pages, so they are in the page cache without the new story.
    # (Three fetches for two gunicorn workers, each with its own cache: one is a hit.)
    for path in PUBLISHED_PAGES:
        seen = []
        for _ in range(3):
            status, cached, html = fetch(site_server, path)
            assert status == (404 if SLUG in path else 200), path
            assert EN["title"] not in html and ES["title"] not in html
            seen.append(cached)
        assert SLUG in path or "hit" in seen, (path, seen)

    driver = make_driver()
    try:
        # Log in.
        driver.get(site_server.url("/admin/"))
        wait_for(driver, "#id_username").send_keys(USERNAME)
        driver.find_element(By.ID, "id_password").send_keys(editor_password)
        driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        wait_for(driver, "#user-tools")

        # Add a case study: English first, then the Spanish tab.
        driver.get(site_server.url("/admin/casestudies/casestudy/add/"))
        wait_for(driver, "#modeltranslation-main-switch")
        tabs = driver.find_elements(By.CSS_SELECTOR, "[role=tab]")
        assert {t.text.lower() for t in tabs} >= {"english", "español", "bahasa indonesia"}
        assert not driver.find_element(By.ID, "id_title_es").is_displayed()
        for name, value in EN.items():
            type_into(driver, f"id_{name}_en", value)
        type_into(driver, "id_slug", SLUG)
        show_language(driver, "es")
        assert driver.find_element(By.ID, "id_title_es").is_displayed()
        assert not driver.find_element(By.ID, "id_title_en").is_displayed()
        for name, value in ES.items():
            type_into(driver, f"id_{name}_es", value)
        Select(driver.find_element(By.ID, "id_country")).select_by_value("CL")
        type_into(driver, "id_year", "2023")
        choose(driver, "topics", TOPIC[1], "team")
        choose(driver, "themes", THEME, "open")
        assert (
            Select(driver.find_element(By.ID, "id_status")).first_selected_option.get_attribute(
                "value"
            )
            == "draft"
        )
        driver.find_element(By.NAME, "_continue").click()
        wait_for(driver, "ul.messagelist")
        assert (
            "was added successfully" in driver.find_element(By.CSS_SELECTOR, "ul.messagelist").text
        )
        change_url = driver.current_url

        # A draft: not on the site yet.
        assert fetch(site_server, f"/en/case-studies/{SLUG}/")[0] == 404
        assert EN["title"] not in fetch(site_server, "/en/case-studies/?country=CL")[2]

        # Preview it, in English and in Spanish: its public page, which staff can see.
        preview = driver.find_element(
            By.CSS_SELECTOR, f".object-tools a[href='/en/case-studies/{SLUG}/']"
        )
        assert preview.get_attribute("textContent").strip() == "Preview (English)"
        preview.click()
        banner = wait_for(driver, ".preview-banner")
        assert "Preview — not published" in banner.text
        assert driver.find_element(By.TAG_NAME, "h1").text == EN["title"]
        link = driver.find_element(By.CSS_SELECTOR, ".prose a")
        assert link.get_attribute("href").endswith("/en" + TOPIC[0])
        driver.get(change_url)
        driver.find_element(
            By.CSS_SELECTOR, f".object-tools a[href='/es/case-studies/{SLUG}/']"
        ).click()
        wait_for(driver, ".preview-banner")
        assert driver.find_element(By.TAG_NAME, "h1").text == ES["title"]
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
        driver.find_element(By.CSS_SELECTOR, ".preview-banner a[href*='/change/']").click()

        # Publish.
        wait_for(driver, "#id_status")
        Select(driver.find_element(By.ID, "id_status")).select_by_value("published")
        driver.find_element(By.NAME, "_save").click()
        wait_for(driver, "ul.messagelist")
        assert (
            "was changed successfully"
            in driver.find_element(By.CSS_SELECTOR, "ul.messagelist").text
        )
        row = driver.find_element(By.XPATH, f"//tr[.//a[text()='{EN['title']}']]")
        assert "Live on the site" in row.text
    finally:
        driver.quit()

    # Visitors now see it everywhere, in English and Spanish.
    for path, texts in PUBLISHED_PAGES.items():
        assert visitor_sees(site_server, path, *texts), f"{path} does not show {texts}"

    # Bahasa Indonesia: only the English text, marked as English, with the fallback notice.
    for path in ("/id/case-studies/?country=CL", f"/id{TOPIC[0]}"):
        assert visitor_sees(site_server, path, EN["title"]), path
        html = fetch(site_server, path)[2]
        assert ES["title"] not in html
        assert re.search(
            # h2 under the index's h1, h3 under the topic page's "Case studies" h2.
            rf'<h{2 if "/case-studies/" in path else 3} class="card-title" lang="en">'
            r'<a href="/id/case-studies/' + SLUG + r'/">' + re.escape(EN["title"]),
            html,
        ), path
    status, _cache, html = fetch(site_server, f"/id/case-studies/{SLUG}/")
    assert status == 200 and '<html lang="id">' in html
    assert "fallback-notice" in html
    assert re.search(r'<header lang="en">.*?<h1>' + re.escape(EN["title"]), html, re.S)
    assert ES["title"] not in html
