"""Security headers and the whole-page cache for anonymous visitors."""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from guidance.version import content_version

# No inline scripts or styles on the public site; the admin needs inline styles (Django's
# own widgets set style attributes), nothing else is relaxed.
CSP_SITE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CSP_ADMIN = CSP_SITE.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        is_admin = request.path.startswith("/admin/")
        response.headers.setdefault("Content-Security-Policy", CSP_ADMIN if is_admin else CSP_SITE)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware decides


# The only query parameters any public page reads: others (?utm_source=…, ?x=random) must
# not create new cache entries, since the page they get is the same.
PAGE_PARAMETERS = ("q", "page", "stage", "topic", "theme", "country", "type", "region")


def _page_identity(request) -> str:
    kept = [(name, value) for name, value in sorted(request.GET.lists()) if name in PAGE_PARAMETERS]
    return request.path + "?" + "&".join(f"{k}={v}" for k, v in kept)


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(("/admin/", "/healthz", "/media/", "/static/"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # editors are never cached
        and request.path != "/"  # the language redirect depends on Accept-Language
    )


# With a shared cache (Redis), this process's copy of the pages it served lately, in front of
# it: keys hold the content version, so a copy is never stale, only unused.
_recent_pages = LocMemCache("recent-pages", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 500}})


def _recent():
    shared = not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    return _recent_pages if shared else None


def page_cache(get_response):
    """Whole-page cache keyed by path, query and content version: never stale.

    Every content change bumps the version (guidance/version.py), so old entries are simply
    never asked for again; nobody clears a cache by hand.
    """

    def middleware(request):
        if not _cacheable_request(request):
            return get_response(request)
        path = hashlib.sha256(_page_identity(request).encode()).hexdigest()
        # The date too: a case study scheduled for today appears without anyone saving.
        # Stored as sent, so gzip-accepting clients and the others get their own entries.
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding = "gz" if _ACCEPTS_GZIP.search(accepted) else "id"
        key = f"page:{content_version()}:{encoding}:{timezone.localdate().isoformat()}:{path}"
        recent = _recent()
        cached = recent.get(key) if recent else None
        if cached is None:
            cached = cache.get(key)
            if cached is not None and recent:
                recent.set(key, cached)
        if cached is not None:
            status, content, headers = cached
            response = _rebuild(status, content, headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Set-Cookie" not in response
            and "no-store" not in response.get("Cache-Control", "")
        ):
            headers = {k: v for k, v in response.items()}
            entry = (response.status_code, response.content, headers)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            if recent:
                recent.set(key, entry)
            response["X-Page-Cache"] = "miss"
        return response

    return middleware


def _rebuild(status, content, headers):
    from django.http import HttpResponse

    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response
