"""Home, static pages, search, health check, robots.txt and the error pages."""

from urllib.parse import urlencode

from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from casestudies.selectors import latest_case_studies
from guidance.models import Page
from guidance.selectors import stages_in_order
from proposals.selectors import components_with_notes, proposal_page

from . import search as site_search
from .middleware import page_cache_uses
from .origin import absolute_url


def _page(slug):
    return Page.objects.published().filter(slug=slug).first()


def home(request):
    stages = stages_in_order()
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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
    # Plain render: the database may be what failed, so this page needs no queries.
    return render(request, "500.html", status=500)
