"""Building, caching and serving PDFs, on the small fixture guide (fast builds)."""

import gzip
import io
import re
import threading

import pytest
from django.core.cache import cache
from django.utils import translation
from pypdf import PdfReader

from buyingguide.loading import content_load
from printing import services
from printing.documents import resolve
from printing.selectors import content_state
from tests.conftest import declare_change, write


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def _get_pdf(client, path, **headers):
    response = client.get(path, **headers)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return response, data


@pytest.fixture
def count_builds(monkeypatch):
    calls = []
    real = services.render_pdf

    def counted(html, root):
        calls.append(root)
        return real(html, root)

    monkeypatch.setattr(services, "render_pdf", counted)
    return calls


def test_a_pdf_is_built_once_then_served_with_an_etag_and_304(client, fixture_site, count_builds):
    first, data = _get_pdf(client, "/en/pdf/stage/plan.pdf")
    assert first.status_code == 200 and data.startswith(b"%PDF-")
    assert first["ETag"] and first["Cache-Control"] == "no-cache"
    again, same = _get_pdf(client, "/en/pdf/stage/plan.pdf")
    assert same == data and again["ETag"] == first["ETag"]
    assert len(count_builds) == 1
    unchanged = client.get("/en/pdf/stage/plan.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and not unchanged.content
    # Browsers send back the weak form when the response went through gzip.
    weak = client.get("/en/pdf/stage/plan.pdf", HTTP_IF_NONE_MATCH="W/" + first["ETag"])
    assert weak.status_code == 304
    # Each language is its own PDF.
    spanish, _ = _get_pdf(client, "/es/pdf/stage/plan.pdf")
    assert spanish["ETag"] != first["ETag"] and len(count_builds) == 2


def test_clients_that_accept_gzip_get_the_stored_compressed_copy(client, fixture_site):
    path = "/en/pdf/checklist.pdf"
    plain, data = _get_pdf(client, path)
    zipped, compressed = _get_pdf(client, path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip" and gzip.decompress(compressed) == data
    assert zipped["Content-Type"] == "application/pdf"
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert zipped["ETag"] != plain["ETag"]  # two representations, two tags
    again = client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert again.status_code == 304


def test_a_content_change_makes_a_new_pdf_with_the_new_text(
    client, db, content_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert content_load(content_tree).ok
    old, old_data = _get_pdf(client, "/en/pdf/stage/plan.pdf")
    assert "Work as a team" in _text(old_data)
    path = content_tree / "en/guide/plan/work-as-a-team.md"
    path.write_text(
        path.read_text().replace("title: Work as a team", "title: Build a mixed team"), "utf-8"
    )
    declare_change(path)
    with django_capture_on_commit_callbacks(execute=True):
        assert content_load(content_tree).ok
    new, new_data = _get_pdf(client, "/en/pdf/stage/plan.pdf", HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200, "the old ETag no longer matches"
    assert new["ETag"] != old["ETag"]
    text = _text(new_data)
    assert "Build a mixed team" in text and "Work as a team" not in text
    version, _ = content_state()
    assert f"Content version: {version}" in text


def test_concurrent_requests_for_an_uncached_pdf_build_it_once(fixture_site, count_builds):
    with translation.override("en"):
        document = resolve("stage-checklist", "plan")
        # Threads have their own database connections, which cannot see this test's
        # uncommitted rows: read what the build needs here (the cache they do share).
        context = document.context()
        document.context = lambda: context
    content_state()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def ask():
        try:
            barrier.wait()
            with translation.override("en"):
                results.append(services.get_or_build_pdf(document, "en"))
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 6, "every visitor got the PDF, none an error"
    assert len(count_builds) == 1
    assert len({r.etag for r in results}) == 1
    assert results[0].path.read_bytes().startswith(b"%PDF-")


def test_a_visitor_waits_for_a_pdf_being_built_elsewhere(fixture_site, settings, monkeypatch):
    """Another process holds the build lock; the request waits, then serves its file."""
    import fcntl

    with translation.override("en"):
        document = resolve("checklist")
    path = services.pdf_path(document, "en")
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(path.with_suffix(".lock"), "a")  # noqa: SIM115
    fcntl.flock(lock, fcntl.LOCK_EX)

    def finish_elsewhere():
        path.write_bytes(b"%PDF-1.7 built by another worker")
        path.with_suffix(".json").write_text('{"size": 32, "pages": 1, "etag": "\\"x\\""}')
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()

    timer = threading.Timer(0.5, finish_elsewhere)
    timer.start()
    monkeypatch.setattr(services, "render_pdf", lambda *a: pytest.fail("built twice"))
    with translation.override("en"):
        found = services.get_or_build_pdf(document, "en")
    timer.join()
    assert found.path.read_bytes() == b"%PDF-1.7 built by another worker"

    # A lock held for longer than PDF_BUILD_WAIT_SECONDS: a clear 503, not a hang or a 500.
    settings.PDF_BUILD_WAIT_SECONDS = 0
    with translation.override("en"):
        other = resolve("stage", "buy")
    other_path = services.pdf_path(other, "en")
    other_path.parent.mkdir(parents=True, exist_ok=True)
    with open(other_path.with_suffix(".lock"), "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        from django.test import Client

        response = Client().get("/en/pdf/stage/buy.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "try again" in response.content.decode()


def test_a_failed_build_is_a_clear_503_and_the_next_request_builds(
    client, fixture_site, monkeypatch
):
    def broken(html, root):
        raise OSError("Pango is missing")

    monkeypatch.setattr(services, "render_pdf", broken)
    response = client.get("/en/pdf/stage/plan.pdf")
    assert response.status_code == 503
    assert "web page" in response.content.decode()
    monkeypatch.undo()
    response, data = _get_pdf(client, "/en/pdf/stage/plan.pdf")
    assert response.status_code == 200 and data.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "path",
    [
        "/en/pdf/nothing.pdf",
        "/en/pdf/stage/no-such-stage.pdf",
        "/en/pdf/guide/plan.pdf",  # the whole guide takes no key
        "/en/pdf/stage.pdf",  # a stage needs one
        "/en/pdf/case-study/no-such-case.pdf",
        "/en/pdf/stage/plan",
        "/en/pdf/stage/..%2F..%2Fsettings.pdf",
        "/en/print/no-such-stage/",
        "/xx/pdf/guide.pdf",
    ],
)
def test_unknown_pdfs_and_print_pages_are_404(client, fixture_site, path):
    assert client.get(path).status_code == 404


def test_pdfs_answer_get_and_head_only(client, fixture_site):
    assert client.post("/en/pdf/checklist.pdf").status_code == 405
    assert client.post("/en/print/").status_code == 405


def test_spanish_pdf_marks_english_fallback_passages(client, fixture_site):
    """`define-outcomes` has no Spanish text: its passages carry /Lang (en) in the tree."""
    _, data = _get_pdf(client, "/es/pdf/stage/plan.pdf")
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    langs = set()

    def walk(node, depth=0):
        node = node.get_object()
        if "/Lang" in node:
            langs.add(str(node["/Lang"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict) and depth < 60:
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert "en" in langs
    text = _text(data)
    assert "Por qué es importante" in text  # the interface stays Spanish


def test_pdfs_fetch_nothing_from_the_network(fixture_site):
    from weasyprint.urls import URLFetchingError

    for url in (
        "https://example.org/tracker.png",
        "http://localhost:8000/static/../../buyingguide/settings/base.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(URLFetchingError):
            services._local_files_only(url)
    found = services._local_files_only("http://localhost:8000/static/printing/print.css")
    with found["file_obj"] as handle:
        assert b"@page" in handle.read()


def test_older_versions_are_removed_after_a_build(
    client, db, content_tree, django_capture_on_commit_callbacks, settings
):
    for n in range(4):
        write(content_tree, "en/guide/plan/_stage.md", _stage_text(content_tree, n))
        declare_change(content_tree / "en/guide/plan/_stage.md", date=f"2024-06-0{n + 1}")
        with django_capture_on_commit_callbacks(execute=True):
            assert content_load(content_tree).ok
        assert client.get("/en/pdf/checklist.pdf").status_code == 200
    versions = [p for p in settings.PDF_ROOT.glob("v*") if (p / "en" / "checklist.pdf").exists()]
    assert len(versions) <= 2
    cache.clear()


def _stage_text(root, n):
    text = (root / "en/guide/plan/_stage.md").read_text()
    return re.sub(r"summary: .*", f"summary: Plan your purchase, revision {n}.", text, count=1)


def test_build_pdfs_builds_every_document_once(fixture_site, settings):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("build_pdfs", language=["es"], stdout=out)
    built = sorted(p.name for p in settings.PDF_ROOT.glob("*/es/*.pdf"))
    assert built == [
        "case-study-emergency-masks.pdf",
        "case-study-open-data-portal.pdf",
        "checklist.pdf",
        "guide.pdf",
        "stage-buy.pdf",
        "stage-checklist-buy.pdf",
        "stage-checklist-plan.pdf",
        "stage-plan.pdf",
    ]
    assert "8 built, 0 already there" in out.getvalue()
    again = StringIO()
    call_command("build_pdfs", language=["es"], stdout=again)
    assert "0 built, 8 already there" in again.getvalue()
