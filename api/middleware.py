"""The API's fast path: a cached answer is served before sessions, locale, CSRF and DRF.

Only answers the views built and stored (200s, under the same key and content version) are
served here, after the same rate limit; anything else goes down the stack to the views,
which validate, answer problems and fill the cache (api/http.py).
"""

from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation

from . import http
from .views import MAX_QUERY_STRING


def api_cache(get_response):
    throttle = http.ClientRateThrottle()

    def middleware(request):
        if (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/v1/")
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
        ):
            try:
                entry = cache.get(http.cache_key(request))
            except SuspiciousOperation:  # e.g. too many parameters: the view explains
                entry = None
            if entry is not None and throttle.allow_request(request, None):
                return http.respond(request, entry)
        return get_response(request)

    return middleware
