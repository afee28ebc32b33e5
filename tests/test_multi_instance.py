"""Issue 22: two instances on one PostgreSQL and one Redis behave as one site.

Two gunicorn servers run the Dockerfile's CMD with production settings (DJANGO_DEBUG=0) on
a database of their own and the test Redis. Through A an editor changes a case study in the
admin and an operator runs load_content with a changed tree; B, whose caches were warm,
serves each change on its very next request: pages, the feed, the sitemap, search, the API
and a PDF. A's admin session works on B; a lockout made on A holds on B. A third instance
with both services unreachable answers /healthz, names both in /readyz and shows the 503
page in the visitor's language.

Needs DATABASE_URL=postgres://… and TEST_REDIS_URL=redis://…; .ci/run sets both and
REQUIRE_SERVICES=1, under which a missing service fails the test instead of skipping it.
"""

import hashlib
import http.client
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

from bench.server import HOST as LOOPBACK
from bench.server import Gunicorn, free_port
from tests.test_production_image import FINAL, run_env, values

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
SITE_HOST = "buying.example.org"
ORIGIN = f"https://{SITE_HOST}"
EDITOR, PASSWORD = "edna", "a-long-editor-password-42"
TARGET = "otto"  # the account someone tries to guess on A
CASE = "open-data-portal"
NEW_CASE = "harbour-sensors"
NEW_TITLE = "A harbour buys its sensors as a service"
EDITED_TITLE = "A city publishes every contract it signs"


# --- services ----------------------------------------------------------------------------


def _services() -> tuple[str, str]:
    database = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    if database.startswith(("postgres://", "postgresql://")) and redis_url:
        return database, redis_url
    message = (
        "the multi-instance test needs DATABASE_URL=postgres://… and TEST_REDIS_URL=redis://… "
        f"(now DATABASE_URL={database[:11] or 'unset'}…, TEST_REDIS_URL={redis_url or 'unset'})"
    )
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def database_url():
    """A database of this test's own on the PostgreSQL of DATABASE_URL, dropped after."""
    import psycopg

    base, _redis = _services()
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'buyingguide'}_multi_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_url():
    import redis

    _database, url = _services()
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def _collected_static(env) -> Path:
    """collectstatic once per version of static/ (compressing every file takes seconds)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    target = Path(os.environ.get("TMPDIR", "/tmp")) / f"bg-static-{digest.hexdigest()[:16]}"
    if not (target / "staticfiles.json").is_file():
        partial = target.with_name(target.name + f".{os.getpid()}")
        _manage(env | {"DJANGO_STATIC_ROOT": str(partial)}, "collectstatic", "--noinput")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    return target


def _manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "-v1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _instance(env, name, tmp) -> Gunicorn:
    """The image's CMD, bound to loopback, one worker of two threads (CPU is shared)."""
    [cmd] = values(FINAL, "CMD")
    assert "0.0.0.0:${PORT:-8000}" in cmd
    port = free_port()
    return Gunicorn(
        command=cmd.replace("0.0.0.0:", f"{LOOPBACK}:"),
        port=port,
        cwd=ROOT,
        env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2"},
        log=tmp / f"{name}.log",
        host=SITE_HOST,
    )


@pytest.fixture(scope="module")
def site(database_url, redis_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("multi")
    content = tmp / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    env = run_env(
        FINAL,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=SITE_HOST,
        SITE_URL=ORIGIN,
        DATABASE_URL=database_url,
        CACHE_URL=redis_url,
        CONTENT_DIR=str(content),
        PDF_ROOT=str(tmp / "pdf"),  # one volume shared by the instances, as in production
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        # What is proved here is that a save on A shows on B; review before publishing
        # (tests/casestudies/test_review.py) would hold the save for a second person.
        CASE_STUDY_REVIEW_REQUIRED="0",
    )
    env["DJANGO_STATIC_ROOT"] = str(_collected_static(env))
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_content")
    for user in (EDITOR, TARGET):
        _manage(
            env, "create_editor", user, "--email", f"{user}@example.org", "--password", PASSWORD
        )
    a, b = _instance(env, "a", tmp), _instance(env, "b", tmp)
    a.launch(), b.launch()  # both start at once
    try:
        _wait(a)
        _wait(b)
        yield {"a": a, "b": b, "env": env, "content": content, "tmp": tmp}
    finally:
        logs = {"a": a.stop(), "b": b.stop()}
    for name, log in logs.items():
        assert "Traceback" not in log, f"instance {name}:\n{log[-4000:]}"


def _wait(server: Gunicorn, timeout=30):
    import time

    from bench.server import healthz

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthz(server.port, host=SITE_HOST) == 200:
            return
        assert server.process.poll() is None, server.stop()[-4000:]
        time.sleep(0.2)
    raise AssertionError(f"no answer within {timeout} s:\n{server.stop()[-4000:]}")


# --- a visitor or editor, with cookies ----------------------------------------------------


class Browser:
    """Requests as through the TLS proxy (X-Forwarded-Proto), with one cookie jar."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def call(self, server, method, path, *, form=None, headers=None):
        connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=30)
        sent = {"Host": SITE_HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            sent |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": ORIGIN,
                "Referer": ORIGIN + path,
            }
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.headers, content

    def get(self, server, path, **headers):
        return self.call(server, "GET", path, headers=headers)

    def text(self, server, path) -> str:
        status, _headers, content = self.get(server, path)
        assert status == 200, (server.port, path, status, content[:500])
        return content.decode()

    def login(self, server, username, password):
        page = self.text(server, "/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.call(server, "POST", "/admin/login/?next=/admin/", form=form)


class FormFields(HTMLParser):
    """The fields a browser would send for the form with `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = self._textarea[1]
            # A browser drops the one newline right after <textarea>.
            self.fields.append((self._textarea[0], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def _form(html, form_id) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    assert parser.fields, f"no form {form_id!r}"
    return parser.fields


# --- what B must show --------------------------------------------------------------------

PAGES = {
    "index": "/en/case-studies/",
    "case": f"/en/case-studies/{CASE}/",
    "feed": "/en/case-studies/feed/",
    "sitemap": "/sitemap.xml",
    "search": "/en/search/?q=harbour",
    "api list": "/api/v1/case-studies/?lang=en",
    "api case": f"/api/v1/case-studies/{CASE}/?lang=en",
    "pdf": f"/en/pdf/case-study/{CASE}.pdf",
}


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _warm(browser, server):
    """Every address twice: the second answer comes from the caches B must not trust."""
    for path in PAGES.values():
        for _ in range(2):
            status, headers, _content = browser.get(server, path)
            assert status == 200, (path, status)
    assert headers is not None
    _status, headers, _ = browser.get(server, PAGES["case"])
    assert headers["X-Page-Cache"] == "hit"


def test_a_change_through_a_shows_on_b_at_its_next_request(site):
    a, b = site["a"], site["b"]
    visitor = Browser()
    _warm(visitor, b)
    assert NEW_TITLE not in visitor.text(b, PAGES["index"])

    # An operator on A's machine loads a tree with one more case study.
    source = (site["content"] / "en" / "case-studies" / f"{CASE}.md").read_text()
    added = source.replace("A city publishes its contracts", NEW_TITLE).replace(
        "Nobody could see the contracts.", "Nobody could see when the harbour's cranes failed."
    )
    (site["content"] / "en" / "case-studies" / f"{NEW_CASE}.md").write_text(added)
    _manage(site["env"], "load_content")

    new_page = f"/en/case-studies/{NEW_CASE}/"
    assert NEW_TITLE in visitor.text(b, PAGES["index"])
    assert NEW_TITLE in visitor.text(b, new_page)
    assert NEW_TITLE in visitor.text(b, PAGES["feed"])
    assert f"{ORIGIN}{new_page}" in visitor.text(b, PAGES["sitemap"])
    assert NEW_TITLE in visitor.text(b, PAGES["search"])
    listed = json.loads(visitor.text(b, PAGES["api list"]))
    assert NEW_TITLE in json.dumps(listed)

    # An editor on A changes the other case study's title in the admin.
    editor = Browser()
    status, headers, _ = editor.login(a, EDITOR, PASSWORD)
    assert status == 302 and headers["Location"] == "/admin/", "the editor could not log in"
    changelist = editor.text(a, "/admin/casestudies/casestudy/")
    pk = re.search(
        r'href="/admin/casestudies/casestudy/(\d+)/change/[^"]*">A city publishes its contracts<',
        changelist,
    ).group(1)
    change = f"/admin/casestudies/casestudy/{pk}/change/"
    fields = _form(editor.text(a, change), "casestudy_form")
    fields = [(k, EDITED_TITLE if k == "title_en" else v) for k, v in fields]
    fields.append(("change_note_en", "The title names the harbour."))  # a published text change
    status, headers, content = editor.call(a, "POST", change, form=[*fields, ("_save", "Save")])
    assert status == 302, content.decode()[:3000]

    assert EDITED_TITLE in visitor.text(b, PAGES["case"])
    assert EDITED_TITLE in visitor.text(b, PAGES["index"])
    assert EDITED_TITLE in visitor.text(b, PAGES["feed"])
    assert json.loads(visitor.text(b, PAGES["api case"]))["title"] == EDITED_TITLE
    assert EDITED_TITLE in visitor.text(b, "/en/search/?q=contract")
    status, headers, content = visitor.get(b, PAGES["pdf"])
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert "every contract it signs" in " ".join(_pdf_text(content).split())

    # The editor's session, made on A, is valid on B.
    status, _headers, content = editor.get(b, "/admin/")
    assert status == 200 and b"Log out" in content


def test_a_lockout_made_on_a_holds_on_b(site):
    a, b = site["a"], site["b"]
    guesser = Browser()
    statuses = [guesser.login(a, TARGET, "not-the-password")[0] for _attempt in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form with its error, then locked out
    status, _headers, content = Browser().login(b, TARGET, PASSWORD)
    assert status == 429, content.decode()[:1000]
    # Another account from the same address is not locked out.
    status, headers, _ = Browser().login(b, EDITOR, PASSWORD)
    assert status == 302 and headers["Location"] == "/admin/"


def test_an_instance_without_its_database_and_cache_says_so(site):
    env = {
        **site["env"],
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "CACHE_URL": "redis://127.0.0.1:1/0",
    }
    server = _instance(env, "c", site["tmp"])
    with server:
        visitor = Browser()
        status, _headers, _ = visitor.get(server, "/healthz")
        assert status == 200  # alive: restarting it would not bring PostgreSQL back
        status, _headers, content = visitor.get(server, "/readyz")
        assert status == 503
        assert json.loads(content) == {
            "status": "error",
            "database": "unreachable",
            "cache": "unreachable",
        }
        status, headers, content = visitor.get(server, "/es/guide/plan/")
        assert status == 503 and headers["Retry-After"] == "30"
        assert '<html lang="es">' in content.decode()
        assert "La guía no está disponible" in content.decode()
