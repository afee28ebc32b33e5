"""Browser tests: the real site under gunicorn with production settings, in headless Chromium.

One server for the whole session (its own SQLite database with the real content loaded),
so hundreds of pages can be checked without reloading content per test.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.server import Gunicorn, free_port, gunicorn_args

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class SiteServer:
    def __init__(self, base_url: str, env: dict):
        self.base_url = base_url
        self.env = env

    def url(self, path: str) -> str:
        return self.base_url + path

    def manage(self, *args, input_text=None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            input=input_text,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("site")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL"))}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{work / 'browser.sqlite3'}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(work / "static"),
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            "PDF_ROOT": str(work / "pdf"),
            "DJANGO_SETTINGS_MODULE": "buyingguide.settings.base",
            # Login throttling stays on, but high enough for the tests' own logins.
            "AXES_FAILURE_LIMIT": "50",
            # Editors publish directly (test_editor_workflow); test_review.py submits its
            # change for review through the service, and a reviewer decides in the browser.
            "CASE_STUDY_REVIEW_REQUIRED": "0",
        }
    )
    server = SiteServer("", env)
    server.manage("migrate", "--noinput", "-v0")
    server.manage("load_content")
    server.manage("collectstatic", "--noinput", "-v0")
    server_process = Gunicorn(
        command=gunicorn_args(
            port=port,
            # As in production (Dockerfile): gthread workers. A sync worker blocks on an idle
            # connection Chromium opened ahead of time until the worker times out (30 s).
            workers=2,
            worker_class="gthread",
            threads=4,
            extra=["--log-level", "warning"],
        ),
        port=port,
        cwd=ROOT,
        env=env,
        log=work / "gunicorn.log",
    ).start()
    server.base_url = server_process.base_url
    yield server
    server_process.stop()


def make_driver(javascript=True, width=1280, height=1000):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def browser_no_js():
    driver = make_driver(javascript=False)
    yield driver
    driver.quit()


# Rules outside the WCAG tags that still guard a WCAG criterion: heading-order is tagged
# "best-practice" in axe, so a tags-only run let an h1 → h3 jump through (1.3.1, 2.4.6).
EXTRA_RULES = ("heading-order",)


# "Needs review" results a person has reviewed and found fine, with the reason: (rule, the
# start of the element's CSS selector, why). Django's own admin screens need some, and the
# self-assessment chart: axe computes no background for SVG text at all.
REVIEWED = (
    (
        "color-contrast",
        ".chart-",
        "self-assessment chart: SVG text in --text (#1b1b1b) on the page's white background "
        "(17.4:1), with a white halo where a label crosses a bar; axe cannot read a "
        "background inside SVG",
    ),
    ("color-contrast", "text[", "the same chart's text elements (only SVG has <text>)"),
    (
        "color-contrast",
        "a[aria-describedby=",
        "admin sidebar 'Add' links: the icon is a background image beside the text, which "
        "sits on the plain background (link colour on white, 4.9:1)",
    ),
    (
        "color-contrast",
        "#id_topics_",
        "admin two-box selector: its buttons' arrow icon is a background image beside the "
        "text, which sits on the button's solid colour; its lists are overlapped by their "
        "own filter box, and their text is dark on white",
    ),
    ("color-contrast", "#id_themes_", "as for #id_topics_ (the same selector widget)"),
    ("color-contrast", "#id_notes_", "as for #id_topics_ (the same selector widget)"),
    (
        "th-has-data-cells",
        ".app-",
        "admin sidebar: each row's header names a model; its cells hold Add/Change links, "
        "empty where the user may only view",
    ),
    (
        "th-has-data-cells",
        ".current-app",
        "admin sidebar: each row's header names a model; its cells hold Add/Change links, "
        "empty where the user may only view",
    ),
)


def _unreviewed(result):
    nodes = [
        node
        for node in result["nodes"]
        if not any(
            result["id"] == rule and " ".join(node["target"]).startswith(start)
            for rule, start, _why in REVIEWED
        )
    ]
    return {**result, "nodes": nodes, "outcome": "needs review"} if nodes else None


def axe_violations(driver, disabled_rules=()):
    """Run the pinned axe-core (node_modules) with the WCAG 2.x A/AA tags on the page.

    Returns the violations and the "incomplete" (needs review) results together: axe files
    some real failures there, e.g. an aria-labelledby that names no element on the page, which
    the suite once ignored. An incomplete result carries `"outcome": "needs review"`.
    """
    from axe_selenium_python import Axe

    axe = Axe(driver, script_url=str(AXE_JS))
    axe.inject()
    # resultTypes: only violations and incomplete results come back in full (passes are cut
    # to one node each), which keeps the result small when checking hundreds of pages.
    rules = {rule: {"enabled": True} for rule in EXTRA_RULES}
    rules.update({rule: {"enabled": False} for rule in disabled_rules})
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": rules,
        "resultTypes": ["violations", "incomplete"],
    }
    # As JSON: the library pastes options into the script with str(), which breaks on booleans.
    results = axe.run(options=json.dumps(options))
    needs_review = [r for r in map(_unreviewed, results["incomplete"]) if r]
    return results["violations"] + needs_review


def describe_violations(url, violations) -> str:
    lines = [f"{len(violations)} accessibility problem(s) on {url}:"]
    for violation in violations:
        outcome = violation.get("outcome", "violation")
        lines.append(
            f"- rule {violation['id']} ({violation['impact']}, {outcome}): {violation['help']}"
        )
        lines.append(f"  how to fix: {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  element: {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
    return "\n".join(lines)
