"""Language of the page and of parts (WCAG 3.1.1, 3.1.2) where English stands in.

The real content is translated in full, so on the real site (test_axe_all_pages.py checks
every page with `language_problems`) nothing is ever shown as the English fallback. Here the
small fixture guide (tests/fixtures/content: Indonesian has no translation at all, Spanish
only some) is loaded into the test database and served by pytest-django's live server, so
real fallback pages can be opened in the browser.
"""

import pytest

from buyingguide.loading import content_load

from ..conftest import FIXTURE_CONTENT
from .conftest import axe_violations, describe_violations
from .site_pages import lang_of, language_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def fallback_site(transactional_db, live_server):
    report = content_load(FIXTURE_CONTENT)
    assert report.ok, [str(e) for e in report.errors]
    return live_server


# path, and the text that must be marked as English on it
FALLBACK_PAGES = [
    # a topic with no Spanish: notice in Spanish, the guidance itself in English
    ("/es/guide/plan/define-outcomes/", "main h1"),
    # a topic in a language with nothing translated
    ("/id/guide/buy/evaluate-bids/", "main .prose"),
    # a stage and a case study with no Indonesian
    ("/id/guide/plan/", "main h1"),
    ("/id/case-studies/emergency-masks/", "main .prose"),
    # pages in Spanish that list an untranslated item: just that item is English
    ("/es/guide/plan/work-as-a-team/", ".pager-next a span:not(.pager-label)"),
    ("/es/case-studies/", '.card-title a[href$="/emergency-masks/"]'),
    ("/es/", '.stage-list a[href$="/guide/buy/"]'),
]


@pytest.mark.parametrize(("path", "english"), FALLBACK_PAGES, ids=[p for p, _ in FALLBACK_PAGES])
def test_english_fallback_is_marked_and_announced(fallback_site, browser, path, english):
    url = fallback_site.url + path
    browser.get(url)
    problems = language_problems(browser, lang_of(path))
    assert not problems, f"{url}:\n" + "\n".join(problems)
    marked = browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".map(el => el.closest('[lang]').getAttribute('lang'))",
        english,
    )
    assert marked, f"{url}: nothing matches {english!r}: is the fixture content out of date?"
    assert set(marked) == {"en"}, f'{url}: {english} is English but is not all lang="en"'
    # Interface text around the English passage stays in the page's language.
    assert browser.execute_script(
        "return document.querySelector('.site-nav a').closest('[lang]').getAttribute('lang')"
    ) == lang_of(path)
    violations = axe_violations(browser)
    assert not violations, describe_violations(url, violations)


def test_translated_page_has_no_fallback_notice_and_no_english(fallback_site, browser):
    url = fallback_site.url + "/es/guide/plan/work-as-a-team/"
    browser.get(url)
    assert not browser.find_elements("css selector", ".fallback-notice")
    english_in_article = browser.execute_script(
        "return [...document.querySelectorAll('article [lang=en]')].length"
    )
    assert english_in_article == 0
