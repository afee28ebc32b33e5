"""Errors as RFC 9457 problem details (application/problem+json), never HTML.

DRF's exceptions keep their status (400, 404, 405, 406, 429); anything else a view raises is
logged and answered 500 in the same format, so an API client never parses an HTML page.
"""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import DatabaseError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("api")

PROBLEM_TYPE = "about:blank"  # the status code's own meaning (RFC 9457 section 4.2.1)
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    414: "URI too long",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem(status_code: int, detail: str, *, errors=None, headers=None) -> JsonResponse:
    body = {
        "type": PROBLEM_TYPE,
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status_code, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _detail(exc) -> tuple[str, dict | None]:
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"query": exc.detail}
        first = next(iter(errors.values()))
        first = first[0] if isinstance(first, list) and first else first
        return str(first), errors
    return str(getattr(exc, "detail", exc)), None


def exception_handler(exc, context):
    if isinstance(exc, SuspiciousOperation):  # e.g. too many query parameters
        exc = exceptions.ValidationError({"query": str(exc) or "Malformed request."})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DatabaseError):
        # Re-raised to the site's error handler, the one place that tells a database that
        # does not answer (503, in this format under /api/) from a fault (500).
        return None
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return problem(status.HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.")
    detail, errors = _detail(exc)
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "Allow")}
    return problem(response.status_code, detail, errors=errors, headers=headers)


def not_found(request, *args, **kwargs):
    """Any unknown address under /api/; a known one missing its final slash is redirected."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return problem(404, "There is no API resource at this address. See /api/v1/.")
