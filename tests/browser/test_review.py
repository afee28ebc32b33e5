"""A reviewer's page in headless Chromium: it passes axe, and works without JavaScript
(send back with a comment, then approve a new change), against the real site under gunicorn.
"""

import secrets
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser

SPANISH_TITLE = "Título propuesto para revisar"

SUBMIT = """
from django.contrib.auth.models import Group, User
from casestudies import review
from casestudies.models import CaseStudy
author, _ = User.objects.get_or_create(username="browser-author", defaults={"is_staff": True})
author.groups.add(Group.objects.get(name="Editors"))
reviewer, created = User.objects.get_or_create(
    username="browser-reviewer", defaults={"is_staff": True}
)
if created:  # a new password would end the reviewer's session (Django's session hash)
    reviewer.set_password("%(password)s")
    reviewer.save()
reviewer.groups.add(Group.objects.get(name="Reviewers"))
case = CaseStudy.objects.published().order_by("slug").first()
case.title_es = "%(title)s"
revision = review.revision_submit(
    case=case, topics=case.topics.all(), themes=case.themes.all(), author=author,
    change_note={"en": "A Spanish title for review."},
)
print(revision.pk, case.slug)
"""


@pytest.fixture(scope="module")
def submitted(site_server):
    password = secrets.token_urlsafe(16)

    def submit():
        out = site_server.manage(
            "shell", "-c", SUBMIT % {"password": password, "title": SPANISH_TITLE}
        )
        pk, slug = out.split()[-2:]
        return int(pk), slug

    return password, submit


def log_in(driver, site_server, password):
    driver.delete_all_cookies()
    driver.get(site_server.url("/admin/login/"))
    driver.find_element(By.ID, "id_username").send_keys("browser-reviewer")
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/admin/login/" not in d.current_url)


def press(driver, selector):
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(page))


def public_page(site_server, path) -> str:
    with urllib.request.urlopen(site_server.url(path), timeout=15) as response:
        return response.read().decode()


def test_review_page_passes_axe(site_server, browser, submitted):
    password, submit = submitted
    pk, _slug = submit()
    log_in(browser, site_server, password)
    browser.get(site_server.url(f"/admin/casestudies/casestudyrevision/{pk}/change/"))
    assert SPANISH_TITLE in browser.page_source
    violations = axe_violations(browser)
    browser.delete_all_cookies()
    assert not violations, describe_violations(browser.current_url, violations)


def test_reviewer_sends_back_then_approves_without_javascript(
    site_server, browser_no_js, submitted
):
    password, submit = submitted
    driver = browser_no_js
    pk, slug = submit()
    log_in(driver, site_server, password)
    url = site_server.url(f"/admin/casestudies/casestudyrevision/{pk}/change/")
    driver.get(url)
    driver.find_element(By.ID, "id_comment").send_keys("Check the accents.")
    press(driver, "button[value=send_back]")
    assert "Sent back to its author with your comment." in driver.page_source, driver.page_source
    assert SPANISH_TITLE not in public_page(site_server, f"/es/case-studies/{slug}/")

    pk, slug = submit()  # the author submits again
    driver.get(site_server.url(f"/admin/casestudies/casestudyrevision/{pk}/change/"))
    assert driver.find_elements(By.CSS_SELECTOR, "button[value=approve]"), driver.page_source
    press(driver, "button[value=approve]")
    assert "Approved" in driver.page_source
    page = public_page(site_server, f"/es/case-studies/{slug}/")
    assert SPANISH_TITLE in page
    assert "A Spanish title for review." in page  # the note, in English for lack of Spanish
    driver.delete_all_cookies()
