"""Home, static pages, search, health check, robots.txt and the error pages."""

import sys
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from api.problems import problem
from casestudies.selectors import latest_case_studies
from guidance.memo import per_content
from guidance.models import Page
from guidance.selectors import stages_in_order
from proposals.selectors import components_with_notes, proposal_page

from . import search as site_search
from .health import DATABASE_UNREACHABLE, dependency_status
from .middleware import page_cache_uses
from .origin import absolute_url

RETRY_AFTER = "30"  # seconds; a restarting database is usually back by then
UNAVAILABLE_DETAIL = "The database is not answering; please try again in a minute."


def _page(slug):
    return Page.objects.published().filter(slug=slug).first()


def home(request):
    stages = per_content("stages", stages_in_order)  # shared by other requests: read only
    return render(
        request,
        "buyingguide/home.html",
        {
            "page": _page("home"),
            "stages": [s for s in stages if s.slug not in ("emergency", "why-it-matters")],
            "emergency": next((s for s in stages if s.slug == "emergency"), None),
            # The background part of the guide (docs/decisions.md): not a buying stage.
            "background": next((s for s in stages if s.slug == "why-it-matters"), None),
            "latest": latest_case_studies(3),
            "proposals": proposal_page("index"),
            "proposal_components": components_with_notes(),
        },
    )


STATIC_PAGES = {"about", "accessibility"}


def static_page(request, slug):
    page = _page(slug) if slug in STATIC_PAGES else None
    if page is None:
        raise Http404
    return render(request, "buyingguide/page.html", {"page": page})


def search(request):
    raw = request.GET.get("q", "")
    query = site_search.clean_query(raw)
    language = request.LANGUAGE_CODE
    results = site_search.search(query, language) if query else []
    suggestion = site_search.did_you_mean(query, language) if query else None
    response = render(
        request,
        "buyingguide/search.html",
        {
            "raw_query": raw[: site_search.MAX_QUERY_LENGTH],
            "query": query,
            "results": results,
            "suggestion": suggestion,
            "suggestion_url": "?" + urlencode([("q", suggestion)]) if suggestion else "",
            "searched": bool(raw.strip()),
        },
    )
    # Free text has no end of variants: results stay out of the shared page cache (a small
    # capped cache per process keeps popular queries fast).
    query_string = urlencode([("q", raw)]) if "q" in request.GET else ""
    return page_cache_uses(response, names=("q",), query=query_string, shared=not raw)


@never_cache
@require_safe  # GET and HEAD: monitors often ask with HEAD
def healthz(request):
    """Liveness: the process answers. No database, no cache: restarting an instance because
    PostgreSQL is down would not bring PostgreSQL back (readiness is /readyz)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Readiness, for a balancer: names what is down. 503 without the database (nothing can
    be served); 200 "degraded" without Redis, because pages are then served uncached: a
    balancer must not take every instance out over a cache."""
    checks = dependency_status()
    if checks["database"] != "ok":
        return JsonResponse({"status": "error", **checks}, status=503)
    status = "ok" if all(state == "ok" for state in checks.values()) else "degraded"
    return JsonResponse({"status": status, **checks})


@require_GET
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"), request)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this inside its `except`: a database that does not answer is a 503
    # (try again soon), anything else a 500. Neither page touches the database.
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return database_unavailable(request)
    if request.path.startswith("/api/"):  # an API client never parses an HTML page
        return problem(500, "Something went wrong on our side.")
    return render(request, "500.html", status=500)


def database_unavailable(request):
    """503 in the visitor's language (URL prefix, else Accept-Language); JSON under /api/."""
    if request.path.startswith("/api/"):
        return problem(503, UNAVAILABLE_DETAIL, headers={"Retry-After": RETRY_AFTER})
    language = translation.get_language_from_path(request.path) or (
        translation.get_language_from_request(request)
    )
    # render_to_string without the request: no context processor, so no session or user.
    with translation.override(language):
        html = render_to_string("503.html", {"LANGUAGE_CODE": language})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response
