"""The 503 page a visitor gets while the database is down: axe and languages (issue 22).

A second gunicorn serves the session server's settings and static files with a database
address nothing listens on, as when PostgreSQL is stopped.
"""

import pytest

from bench.server import Gunicorn, free_port, gunicorn_args

from .conftest import ROOT, axe_violations, describe_violations
from .site_pages import fetch, language_problems

pytestmark = pytest.mark.browser

TITLES = {
    "en": "The guide is not available for a moment",
    "es": "La guía no está disponible en este momento",
    "id": "Panduan ini sedang tidak tersedia untuk sementara",
}


@pytest.fixture(scope="module")
def server_without_database(site_server, tmp_path_factory):
    port = free_port()
    env = {
        **site_server.env,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    server = Gunicorn(
        command=gunicorn_args(port=port, workers=1, threads=2, extra=["--log-level", "warning"]),
        port=port,
        cwd=ROOT,
        env=env,
        log=tmp_path_factory.mktemp("no-database") / "gunicorn.log",
    ).start()
    yield server
    server.stop()


@pytest.mark.parametrize("language", list(TITLES))
def test_the_unavailable_page_passes_axe_in_every_language(
    server_without_database, browser, language
):
    url = f"{server_without_database.base_url}/{language}/guide/"
    status, html = fetch(url)
    assert status == 503 and TITLES[language] in html
    browser.get(url)
    problems = language_problems(browser, language)
    violations = axe_violations(browser)
    assert not violations, describe_violations(url, violations)
    assert not problems, f"{url}:\n" + "\n".join(problems)
    # The stylesheet loads (served without the database), so contrast is the site's own.
    assert browser.execute_script("return document.styleSheets[0].cssRules.length") > 10
