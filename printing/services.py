"""Build, store and find PDFs: once per document, language and content version.

Built PDFs live in a directory (`PDF_ROOT`), one sub-directory per content version:

    PDF_ROOT/v<version>-<time of the change>/<language>/<kind>[-<key>].pdf   (+ .json)

The JSON beside each PDF holds its size, page count and ETag, so pages can show "12 pages,
180 KB" without opening the PDF. Instances that share the directory (a shared volume) share
the PDFs. A content change makes a new version, so an old PDF is never served again; the
directories of older versions are removed after a build.

One build per PDF: the builder holds an exclusive `flock` on a lock file beside it, which
works between threads, processes and hosts sharing the directory; everyone else waits for
that lock, then reads the finished file. Files are written under a temporary name and
renamed into place, so a reader never sees half a PDF.
"""

import fcntl
import gzip
import hashlib
import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from guidance.languages import language_name

from .documents import Document
from .selectors import content_state

logger = logging.getLogger(__name__)


class PdfBuildTimeout(Exception):
    """Another worker held the build lock for longer than PDF_BUILD_WAIT_SECONDS."""


@dataclass
class BuiltPdf:
    path: Path
    size: int
    pages: int
    etag: str


def _version_dir_name(document: Document) -> str:
    if document.version is not None:
        return f"x-{document.version}"
    version, changed = content_state()
    return f"v{version}-{int(changed.timestamp() * 1000)}"


def _name(document: Document) -> str:
    key = document.file_key or document.key
    return document.kind + (f"-{key}" if key else "")


def pdf_path(document: Document, language: str) -> Path:
    name = _name(document)
    return Path(settings.PDF_ROOT) / _version_dir_name(document) / language / f"{name}.pdf"


def gzipped_path(path: Path) -> Path:
    return path.with_name(path.name + ".gz")


def pdf_filename(document: Document, language: str) -> str:
    """The name a visitor's browser saves it under."""
    return f"digital-buying-guide-{_name(document)}-{language}.pdf"


def _read_meta(path: Path) -> BuiltPdf | None:
    try:
        meta = json.loads(path.with_suffix(".json").read_text())
    except (OSError, ValueError):
        return None
    if not path.exists():
        return None
    return BuiltPdf(path, meta["size"], meta["pages"], meta["etag"])


def built_pdf(document: Document, language: str) -> BuiltPdf | None:
    """The PDF if it is already built for the current version (no build)."""
    if not document.store:
        return None
    return _read_meta(pdf_path(document, language))


def site_root(request=None) -> str:
    """The address printed in PDFs: SITE_URL, else the host the request came to."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost:8000"


def document_context(document: Document, language: str, root: str) -> dict:
    """What the print page and the PDF both show about the document (its first lines)."""
    version, changed = content_state()
    return {
        **document.context(),
        "document": document,
        "document_language": language_name(language),
        "content_version": version,
        "content_changed": changed,
        "web_address": root + document.web_path,
        "site_root": root,
    }


def render_pdf_html(document: Document, language: str, root: str) -> str:
    with translation.override(language):
        return render_to_string(
            "printing/pdf.html",
            {
                **document_context(document, language, root),
                "current_language": language,
                "site_name": settings.SITE_NAME,
            },
        )


def _local_files_only(url: str, timeout=10, ssl_context=None):
    """WeasyPrint may read our static and media files, and nothing from the network."""
    from weasyprint.urls import URLFetchingError

    for prefix, resolve in (
        ("/static/", finders.find),
        ("/media/", lambda rel: str(Path(settings.MEDIA_ROOT) / rel)),
    ):
        marker = url.find(prefix)
        if url.startswith(("file:", "http:", "https:")) and marker != -1:
            relative = url[marker + len(prefix) :].split("?")[0]
            found = resolve(relative) if ".." not in relative else None
            if found and Path(found).is_file():
                return {"file_obj": open(found, "rb"), "redirected_url": url}
    raise URLFetchingError(f"not fetched while making a PDF: {url}")


def _tag_passage_languages():
    """Give structure elements of `lang="…"` passages (English fallbacks) their /Lang.

    WeasyPrint (70) sets the document's /Lang only; PDF/UA wants a passage's own language
    too. This wraps its private tree builder, which recurses through the module global, so
    every element sees the wrapper; if a later WeasyPrint renames it, PDFs lose only this.
    """
    try:
        import pydyf
        from weasyprint.layout.absolute import AbsolutePlaceholder
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover
        return
    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "adds_lang", False):
        return

    def build_box_tree(box, parent, pdf, *args, **kwargs):
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        element = getattr(inner, "element", None)
        lang = element.get("lang") if element is not None and inner.element_tag != "html" else None
        for struct in original(box, parent, pdf, *args, **kwargs):
            if lang and struct.get("P") == parent.reference:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    build_box_tree.adds_lang = True
    tags._build_box_tree = build_box_tree


def render_pdf(html: str, root: str) -> tuple[bytes, int]:
    """HTML → tagged PDF (PDF/UA-1: structure tree, /Lang, title, bookmarks) and its pages."""
    import weasyprint

    _tag_passage_languages()
    rendered = weasyprint.HTML(
        string=html, base_url=root + "/", url_fetcher=_local_files_only
    ).render(stylesheets=[weasyprint.CSS(filename=finders.find("printing/print.css"))])
    return rendered.write_pdf(pdf_variant="pdf/ua-1"), len(rendered.pages)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


@contextmanager
def _build_lock(path: Path):
    """Exclusive lock for building `path`; waits up to PDF_BUILD_WAIT_SECONDS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.PDF_BUILD_WAIT_SECONDS
    with open(path.with_suffix(".lock"), "a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PdfBuildTimeout(str(path)) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_older_versions(current: Path) -> None:
    """Keep this version and the one before (an instance may still be serving it)."""
    root = Path(settings.PDF_ROOT)
    versions = sorted((p for p in root.glob("v*-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in versions[:-2]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def get_or_build_pdf(document: Document, language: str, request=None) -> BuiltPdf:
    """The PDF, built now if nobody has built it for this version yet."""
    path = pdf_path(document, language)
    found = _read_meta(path)
    if found:
        return found
    with _build_lock(path):
        found = _read_meta(path)  # built by whoever held the lock before us
        if found:
            return found
        started = time.monotonic()
        root = site_root(request)
        pdf, pages = render_pdf(render_pdf_html(document, language, root), root)
        meta = {
            "size": len(pdf),
            "pages": pages,
            "etag": '"' + hashlib.sha256(pdf).hexdigest()[:32] + '"',
        }
        _write_atomically(path, pdf)
        # Served as is to clients that accept gzip, so no request compresses a PDF again.
        _write_atomically(gzipped_path(path), gzip.compress(pdf, compresslevel=9, mtime=0))
        _write_atomically(path.with_suffix(".json"), json.dumps(meta).encode())
        logger.info(
            "built %s (%s pages, %s bytes) in %.1f s",
            path,
            meta["pages"],
            meta["size"],
            time.monotonic() - started,
        )
    if document.version is None:
        _remove_older_versions(path.parent.parent)
    return BuiltPdf(path, meta["size"], meta["pages"], meta["etag"])


def unstored_etag(document: Document, language: str) -> str:
    """The ETag of a PDF that is never stored: known before building, so a 304 costs no build."""
    return f'"{document.kind}-{language}-{document.version}"'


def build_pdf_bytes(document: Document, language: str, request=None) -> bytes:
    """A PDF built for this request only, kept nowhere (`Document.store` is False)."""
    root = site_root(request)
    pdf, _pages = render_pdf(render_pdf_html(document, language, root), root)
    return pdf
