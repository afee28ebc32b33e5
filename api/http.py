"""HTTP for the API: language, rate limit, cache keyed on the content version, conditional GET.

The HTML page cache (buyingguide/middleware.py) leaves /api/ alone: API answers depend on
?lang=, and a cache hit must still answer If-None-Match with 304. So responses are cached
here, under the same content version (guidance/version.py), and never go stale either.
"""

import hashlib
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework import exceptions
from rest_framework.throttling import AnonRateThrottle

from guidance.version import content_version

from .kinds.base import SUPPORTED_LANGUAGES

JSON = "application/json"


class ClientRateThrottle(AnonRateThrottle):
    """API_RATE_LIMIT requests per client address (e.g. "120/min"), counted in the cache."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT


def requested_language(params) -> str:
    language = params.get("lang", "en")
    if language not in SUPPORTED_LANGUAGES:
        raise exceptions.ValidationError(
            {"lang": f"lang must be one of {', '.join(SUPPORTED_LANGUAGES)}."}
        )
    return language


def cache_key(request, kind: str, parameters) -> str:
    """Path, the parameters the view reads (others never make new entries), version, date."""
    kept = "&".join(f"{name}={request.GET.get(name, '')}" for name in sorted(parameters))
    identity = hashlib.sha256(f"{request.path}?{kept}".encode()).hexdigest()
    today = timezone.localdate().isoformat()
    return f"api:{content_version()}:{today}:{kind}:{identity}"


def content_changed_at() -> datetime:
    """When what the API shows last changed: a content change, or a scheduled publication."""
    from casestudies.models import CaseStudy
    from guidance.models import ContentVersion

    row = ContentVersion.objects.order_by("pk").first()
    changed = row.changed_at if row else datetime(2020, 1, 1, tzinfo=UTC)
    latest = CaseStudy.objects.published().aggregate(day=Max("published_on"))["day"]
    if latest:
        changed = max(changed, datetime.combine(latest, time.min, tzinfo=UTC))
    return changed.replace(microsecond=0)


def cached(key: str, build):
    """(body bytes, ETag, Last-Modified timestamp) from the cache, or built and stored."""
    entry = cache.get(key)
    if entry is None:
        body = build()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        entry = (body, etag, content_changed_at().timestamp())
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return entry


def respond(request, entry, content_type=JSON, *, language=None, headers=None):
    """200 with validators and caching headers, or 304 when the client's copy is current."""
    body, etag, modified = entry
    response = get_conditional_response(request, etag=etag, last_modified=int(modified))
    if response is None:
        response = HttpResponse(body, content_type=content_type)
        if language:
            response["Content-Language"] = language
        for name, value in (headers or {}).items():
            response[name] = value
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
    # Open data: other sites' pages may fetch it (CORS headers come from django-cors-headers).
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
