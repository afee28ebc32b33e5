"""check_links against a server on loopback that answers 200, 301, 404 and never answers."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from guidance.models import Page
from resources.models import Resource


class Handler(BaseHTTPRequestHandler):
    seen = []

    def _answer(self):
        Handler.seen.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(2)  # longer than the command's time-out in the test
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/slow", "/no-head"):
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "https://example.org/new-home")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.seen = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_reports_broken_addresses_and_redirects_and_changes_nothing(db, server):
    page = Page.objects.create(
        slug="about",
        title="About",
        body_html=f'<p><a href="{server}/ok">fine</a> <a href="{server}/moved">moved</a> '
        f'<a href="{server}/gone?a=1&amp;b=2">gone</a></p>',
    )
    Resource.objects.create(
        slug="slow-one",
        title="Slow",
        publisher="P",
        kind="guide",
        region="global",
        languages="en",
        url=f"{server}/slow",
        group="other-useful-sources",
        annotation_en="x",
    )
    Resource.objects.create(
        slug="head-refused",
        title="No HEAD",
        publisher="P",
        kind="guide",
        region="global",
        languages="en",
        url=f"{server}/no-head",
        group="other-useful-sources",
        annotation_en="x",
    )
    before = (
        Page.objects.get(pk=page.pk).body_html,
        sorted(Resource.objects.values_list("url", flat=True)),
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_links", "--timeout", "0.5", stdout=out)
    text = out.getvalue()
    assert "Checking 5 external addresses" in text
    assert f"BROKEN  404  {server}/gone?a=1&b=2" in text and "in: page about" in text
    assert (
        f"BROKEN  no answer within 0.5 s  {server}/slow" in text and "in: resource slow-one" in text
    )
    assert f"MOVED   301 → https://example.org/new-home  {server}/moved" in text
    assert f"{server}/ok" not in text and f"{server}/no-head" not in text
    assert "5 checked: 2 fine, 1 redirected, 2 broken." in str(raised.value)
    # The redirect was reported, not followed, and a refused HEAD was retried with GET.
    assert ("GET", "/no-head") in Handler.seen
    assert ("GET", "/new-home") not in Handler.seen
    after = (
        Page.objects.get(pk=page.pk).body_html,
        sorted(Resource.objects.values_list("url", flat=True)),
    )
    assert after == before


def test_all_fine_is_a_success_and_a_down_server_is_reported(db, server):
    Page.objects.create(slug="home", title="Home", body_html=f'<a href="{server}/ok">ok</a>')
    out = io.StringIO()
    call_command("check_links", stdout=out)
    assert "1 checked: 1 fine, 0 redirected, 0 broken." in out.getvalue()
    # Nothing listens on this port any more: a clear message, not a traceback.
    Page.objects.create(slug="x", title="X", body_html='<a href="http://127.0.0.1:9/">down</a>')
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_links", "--timeout", "1", stdout=out)
    assert "BROKEN  " in out.getvalue() and "http://127.0.0.1:9/" in out.getvalue()


def test_no_content_says_so(db):
    out = io.StringIO()
    call_command("check_links", stdout=out)
    assert "No external addresses found" in out.getvalue()
