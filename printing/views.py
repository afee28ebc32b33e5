"""Print pages (the whole guide, one stage) and PDFs of every printable document."""

import io
import logging
import re

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .documents import resolve
from .services import (
    PdfBuildTimeout,
    build_pdf_bytes,
    document_context,
    get_or_build_pdf,
    gzipped_path,
    pdf_filename,
    site_root,
    unstored_etag,
)

logger = logging.getLogger(__name__)
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware decides


def _language():
    return (get_language() or "en").split("-")[0]


def _print_page(request, document):
    context = document_context(document, _language(), site_root(request))
    return render(request, "printing/print.html", context)


@require_safe
def print_guide(request):
    return _print_page(request, resolve("guide"))


@require_safe
def print_stage(request, stage):
    return _print_page(request, resolve("stage", stage))


@require_safe
def print_proposals(request):
    return _print_page(request, resolve("proposals"))


@require_safe
def pdf(request, kind, key=""):
    document = resolve(kind, key)  # Http404 for an unknown kind or key
    language = _language()
    if not document.store:
        etag = unstored_etag(document, language)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
    try:
        if not document.store:
            return _unstored_pdf(
                document, language, etag, build_pdf_bytes(document, language, request)
            )
        built = get_or_build_pdf(document, language, request=request)
    except PdfBuildTimeout:
        response = HttpResponse(
            _("This PDF is taking longer than usual to make. Please try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    except Exception:
        # WeasyPrint or its system libraries failed: say so, point to the page, keep serving.
        logger.exception("could not build the PDF %s/%s (%s)", kind, key, language)
        response = HttpResponse(
            _("We could not make this PDF just now. The same text is on the web page: %(url)s")
            % {"url": request.build_absolute_uri(document.web_path)},
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    # The stored gzip copy for clients that take it: GZipMiddleware then leaves it alone
    # (compressing a PDF on every request costs more than serving it).
    gzipped = gzipped_path(built.path)
    use_gzip = _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) and (
        gzipped.exists()
    )
    etag = built.etag[:-1] + '-gz"' if use_gzip else built.etag
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_vary_headers(not_modified, ("Accept-Encoding",))
        return not_modified
    response = FileResponse(
        open(gzipped if use_gzip else built.path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        content_type="application/pdf",
        filename=pdf_filename(document, language),
    )
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = etag
    # Stored for this content version: browsers keep it, but ask (and get a 304) each time.
    response["Cache-Control"] = "no-cache"
    return response


def _unstored_pdf(document, language, etag, pdf: bytes):
    # Streamed, so the page cache never keeps it either; private: it holds someone's answers.
    response = FileResponse(
        io.BytesIO(pdf), content_type="application/pdf", filename=pdf_filename(document, language)
    )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
