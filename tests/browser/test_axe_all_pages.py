"""axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page of the site, one test per page.

Every page in /sitemap.xml in English, Spanish and Bahasa Indonesia, plus the states the
sitemap cannot list (filtered and paginated case study index, search results and no results,
the 404 page) and the two admin pages editors meet first. No rule is disabled.
"""

import secrets
import subprocess
import sys
import urllib.request

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import ROOT, axe_violations, describe_violations
from .site_pages import (
    ADMIN_PATHS,
    EXTRA_PATHS,
    SITEMAP_PATHS,
    fetch,
    lang_of,
    language_problems,
    page_id,
    sitemap_urls,
)

pytestmark = pytest.mark.browser


def test_every_page_in_the_sitemap_is_checked(site_server, browser):
    """/sitemap.xml, fetched from the server, against the pages parametrized below.

    Every <loc> and xhtml:link in the sitemap must be one of those pages. A page the content
    files did not predict (a case study another test created in the admin, say) is checked
    right here instead, with axe and the language rules, so no page in the sitemap goes
    unchecked whatever order the tests run in.
    """
    in_sitemap = sitemap_urls(site_server.base_url)
    checked = {site_server.url(path) for path in SITEMAP_PATHS}
    # hreflang="x-default" alternates have no language prefix: they redirect a visitor to
    # their language, so check they land on a page that is checked.
    x_default = {url for url in in_sitemap if not lang_of(url.removeprefix(site_server.base_url))}
    for url in sorted(x_default):
        with urllib.request.urlopen(url, timeout=10) as response:
            landed = response.url
        assert landed in checked or landed in in_sitemap, f"{url} (x-default) leads to {landed}"
    in_sitemap -= x_default
    assert len(in_sitemap) >= 150, f"only {len(in_sitemap)} pages in /sitemap.xml"
    assert not checked - in_sitemap, (
        f"pages the tests visit that /sitemap.xml does not list: {sorted(checked - in_sitemap)}"
    )
    failures = []
    for url in sorted(in_sitemap - checked):
        browser.get(url)
        problems = language_problems(browser, lang_of(url.removeprefix(site_server.base_url)))
        violations = axe_violations(browser)
        if violations:
            failures.append(describe_violations(url, violations))
        if problems:
            failures.append(f"{url}:\n" + "\n".join(problems))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", SITEMAP_PATHS + EXTRA_PATHS, ids=page_id)
def test_page_has_no_axe_violations_and_right_languages(site_server, browser, path):
    url = site_server.url(path)
    browser.get(url)
    # WCAG 3.1.1 and 3.1.2, checked here while the page is loaded (see language_problems).
    problems = language_problems(browser, lang_of(path))
    violations = axe_violations(browser)
    assert not violations, describe_violations(url, violations)
    assert not problems, f"{url}:\n" + "\n".join(problems)


def test_extra_pages_answer_as_expected(site_server):
    """The extra pages really are the states they claim to be (not silently something else)."""
    status, html = fetch(site_server.url("/en/case-studies/?page=2"))
    assert status == 200 and 'aria-current="page">2<' in html
    status, html = fetch(site_server.url("/en/case-studies/?theme=e-procurement"))
    assert status == 200 and "Remove filter" in html
    status, html = fetch(site_server.url("/id/case-studies/?country=ZZ"))
    assert status == 200
    status, html = fetch(site_server.url("/es/search/?q=proveedores"))
    assert status == 200 and 'class="results"' in html
    status, html = fetch(site_server.url("/en/search/?q=zzzzqqq"))
    assert status == 200 and "No results for" in html
    status, _ = fetch(site_server.url("/en/no-such-page/"))
    assert status == 404


@pytest.fixture(scope="module")
def superuser(site_server):
    """A superuser in the session server's database (createsuperuser, password from the env)."""
    username, password = "a11y-editor", secrets.token_urlsafe(16)
    env = {**site_server.env, "DJANGO_SUPERUSER_PASSWORD": password}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            username,
            "--email",
            "a11y@example.org",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 or "already taken" in result.stderr, result.stderr
    return username, password


@pytest.fixture
def admin_browser(site_server, browser, superuser):
    """The session browser, logged out before and after (public pages are tested logged out)."""
    browser.delete_all_cookies()
    yield browser
    browser.delete_all_cookies()


def _log_in(browser, site_server, username, password):
    browser.get(site_server.url("/admin/login/"))
    browser.find_element("id", "id_username").send_keys(username)
    browser.find_element("id", "id_password").send_keys(password)
    browser.find_element("css selector", "#login-form [type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/admin/login/" not in b.current_url)


@pytest.mark.parametrize("path", ADMIN_PATHS, ids=page_id)
def test_admin_page_has_no_axe_violations(site_server, admin_browser, superuser, path):
    if path != "/admin/login/":
        _log_in(admin_browser, site_server, *superuser)
    url = site_server.url(path)
    admin_browser.get(url)
    assert admin_browser.current_url == url, f"{url} redirected to {admin_browser.current_url}"
    # The admin's widgets finish building themselves in "load" handlers and timers: let
    # them run before axe looks.
    admin_browser.execute_async_script("setTimeout(arguments[arguments.length - 1], 100)")
    lang = admin_browser.execute_script("return document.documentElement.lang")
    assert lang in {"en", "es", "id"}, f"{url}: <html lang={lang!r}>"
    violations = axe_violations(admin_browser)
    assert not violations, describe_violations(url, violations)
