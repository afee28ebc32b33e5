"""Host normalisation, security headers and the whole-page cache for anonymous visitors."""

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils import timezone

from guidance.version import content_version

from .origin import normal_host, site_origin

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


def normalise_host(get_response):
    """One form per host (`LOCALHOST.:80` → `localhost`) before anything reads it.

    Django's host check accepts an allowed name in any case, with a trailing dot or any
    port; rewriting the header first means the cache key and (in development, without
    SITE_URL) the absolute URLs never see a variant.
    """

    def middleware(request):
        host = request.META.get("HTTP_HOST")
        if host:
            scheme = "https" if request.is_secure() else "http"
            request.META["HTTP_HOST"] = normal_host(host, scheme)
        # The host check now, not later: a cached page must not be served to any Host.
        request.get_host()  # DisallowedHost → 400
        return get_response(request)

    return middleware


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

# The only query parameters any public page reads: others (?utm_source=…, ?x=random) never
# reach a cache key. A view that reads some of them says which, and their canonical values,
# with `page_cache_uses()`; a view that says nothing reads none.
PAGE_PARAMETERS = ("q", "page", "stage", "topic", "note", "theme", "country", "type", "region")
MAX_PARAMETER_LENGTH = 100  # longer values are no valid filter or page: never cached


def page_cache_uses(response, *, names=(), query: str = "", shared=True):
    """Tell the page cache what a response depends on besides its path.

    `names`: the query parameters the view reads; `query`: their values as the view
    understood them, sorted by name and urlencoded (unknown filter values dropped);
    `shared=False`: keep it out of the shared cache, in a small capped one of this
    process (free-text search results: unbounded variety).
    A request whose own parameters differ from `query` is served but not stored, so random
    values cannot fill the cache and evict the pages people read.
    """
    response.page_cache_names = tuple(names)
    response.page_cache_query = query
    response.page_cache_shared = shared
    return response


def _identity(request, names) -> str | None:
    """`names`' values in a fixed order, urlencoded; None if the request can't be cached."""
    kept = []
    for name in sorted(set(request.GET) & set(names)):
        values = request.GET.getlist(name)
        if len(values) != 1 or len(values[0]) > MAX_PARAMETER_LENGTH:
            return None
        kept.append((name, values[0]))
    return urlencode(kept)


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(("/admin/", "/api/", "/healthz", "/media/", "/static/"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # editors are never cached
        and request.path != "/"  # the language redirect depends on Accept-Language
    )


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Set-Cookie" not in response
        and "no-store" not in response.get("Cache-Control", "")
    )


LOCAL_CACHE_NAMES = ("recent-pages", "capped-pages")


def clear_local_page_caches() -> None:
    """Empty this process's own page caches (tests; the shared one has cache.clear())."""
    for name in LOCAL_CACHE_NAMES:
        LocMemCache(name, {}).clear()


class PageCacheMiddleware:
    """Whole-page cache keyed by origin, path, used parameters and content version.

    Never stale: every content change bumps the version (guidance/version.py), so old
    entries are simply never asked for again; nobody clears a cache by hand. Configured by
    settings.PAGE_CACHE: SECONDS (lifetime), LOCAL_COPY (with a shared cache such as Redis,
    keep this process's recent pages in front of it: keys hold the content version, so a
    copy is never stale, only unused), LOCAL_COPY_ENTRIES and CAPPED_ENTRIES (the per-process
    cache for pages that stay out of the shared one: free-text search).

    Which parameters a path reads is learnt from its first response (`page_cache_uses`)
    and kept per path as long as a page (so a release that changes it is seen within
    SECONDS); until then every known parameter counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        config = settings.PAGE_CACHE
        self.seconds = config["SECONDS"]
        self.recent = (
            LocMemCache(
                LOCAL_CACHE_NAMES[0],
                {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": config.get("LOCAL_COPY_ENTRIES", 500)}},
            )
            if config.get("LOCAL_COPY")
            else None
        )
        # Pages of unbounded variety (free-text search): a small cache of this process's
        # own, never the shared one, so a flood of queries evicts only other queries.
        self.capped = LocMemCache(
            LOCAL_CACHE_NAMES[1],
            {
                "TIMEOUT": self.seconds,
                "OPTIONS": {"MAX_ENTRIES": config.get("CAPPED_ENTRIES", 300)},
            },
        )

    def _get(self, key):
        cached = self.recent.get(key) if self.recent else None
        if cached is None:
            cached = cache.get(key)
            if cached is not None and self.recent:
                self.recent.set(key, cached)
        return cached

    def _set(self, key, value, seconds=None):
        cache.set(key, value, self.seconds if seconds is None else seconds)
        if self.recent:
            if seconds is None:
                self.recent.set(key, value)
            else:
                self.recent.set(key, value, min(seconds, self.recent.default_timeout))

    def key(self, request, names) -> str | None:
        identity = _identity(request, names)
        if identity is None:
            return None
        # Origin: SITE_URL in production (one value), the normalised request host otherwise.
        # The date too: a case study scheduled for today appears without anyone saving.
        # Stored as sent, so gzip-accepting clients and the others get their own entries.
        page = f"{site_origin(request)}|{request.path}?{identity}"
        digest = hashlib.sha256(page.encode()).hexdigest()
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding = "gz" if _ACCEPTS_GZIP.search(accepted) else "id"
        return f"page:{content_version()}:{encoding}:{timezone.localdate().isoformat()}:{digest}"

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        path_key = "page-uses:" + hashlib.sha256(request.path.encode()).hexdigest()
        names = self._get(path_key)
        key = self.key(request, PAGE_PARAMETERS if names is None else names)
        cached = (self._get(key) or self.capped.get(key)) if key else None
        if cached is not None:
            status, content, headers = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if not _storable(response):
            return response
        used = getattr(response, "page_cache_names", ())
        if names is None:
            self._set(path_key, used, seconds=None)
        # Stored only under the parameters' canonical form: ?page=999 or ?theme=nonsense
        # is answered (404, or the page as the view understood it) but adds no entry.
        if _identity(request, used) != getattr(response, "page_cache_query", ""):
            return response
        key = self.key(request, used)
        entry = (response.status_code, response.content, {k: v for k, v in response.items()})
        # A view may ask for less (a page whose PDF link lacks its size yet: printing).
        seconds = getattr(request, "page_cache_timeout", None)
        if getattr(response, "page_cache_shared", True):
            self._set(key, entry, seconds=seconds)
            response["X-Page-Cache"] = "miss"
        else:
            self.capped.set(key, entry)
            response["X-Page-Cache"] = "miss-capped"
        return response
