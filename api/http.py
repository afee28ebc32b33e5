"""HTTP for the API: language, rate limit, cache keyed on the content version, conditional GET.

The HTML page cache (buyingguide/middleware.py) leaves /api/ alone: API answers depend on
?lang=, and a cache hit must still answer If-None-Match with 304. So responses are cached
here, under the same content version (guidance/version.py), and never go stale either.
"""

import gzip
import hashlib
import re
import time as clock
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

from guidance.version import content_key

from .kinds.base import SUPPORTED_LANGUAGES

JSON = "application/json"


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" -> (120, 60): DRF's rate syntax (the period's first letter counts)."""
    number, _, period = rate.partition("/")
    return int(number), PERIODS[period.strip()[:1]]


class ClientRateThrottle(BaseThrottle):
    """API_RATE_LIMIT requests per client address (e.g. "120/min") in a fixed window.

    One counter per address and window in the shared cache (cache.incr: O(1), where DRF's
    own throttles keep and re-store every request's timestamp). DRF's get_ident() finds
    the address, behind DJANGO_PROXY_COUNT proxies too.
    """

    def allow_request(self, request, view):
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        now = clock.time()
        key = f"api-rate:{self.get_ident(request)}:{int(now // period)}"
        # Most requests find their window's counter: count first, create only when absent
        # (one cache operation on the common path instead of two).
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1 if cache.add(key, 1, period + 1) else cache.incr(key)
        self.retry_after = max(1, int(period - now % period) + 1)
        return count <= limit

    def wait(self):
        return self.retry_after


def requested_language(params) -> str:
    language = params.get("lang", "en")
    if language not in SUPPORTED_LANGUAGES:
        raise exceptions.ValidationError(
            {"lang": f"lang must be one of {', '.join(SUPPORTED_LANGUAGES)}."}
        )
    return language


def cache_key(request) -> str:
    """Base URL (answers hold absolute links), path, parameters, content key, date."""
    from .kinds import QUERY_PARAMETERS
    from .kinds.base import request_base_url

    # Only parameters some address reads make new entries; present-but-empty differs from
    # absent (?page= is a 400, no page is page 1).
    kept = "&".join(
        f"{name}={request.GET[name]}" for name in QUERY_PARAMETERS if name in request.GET
    )
    identity = f"{request_base_url(request)}{request.path}?{kept}"
    digest = hashlib.sha256(identity.encode()).hexdigest()
    # "api2": the entry's layout (see cached()); a release that changes it changes this.
    return f"api2:{content_key()}:{timezone.localdate().isoformat()}:{digest}"


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


def cached(request, build, *, content_type=JSON, language=None, headers=None, compress=True):
    """The answer for this request from the cache, or built once and stored.

    An entry holds the body, its gzip (compressed once here, not by GZipMiddleware on every
    request: a list page is tens of kilobytes of JSON), the ETag, Last-Modified and every
    header of both variants ready to send, so a hit does no formatting at all.
    """
    key = cache_key(request)
    entry = cache.get(key)
    if entry is None:
        body = build()
        packed = gzip.compress(body, mtime=0) if compress and len(body) >= 200 else None
        extra = dict(headers or {}, **({"Content-Language": language} if language else {}))
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        modified = content_changed_at().timestamp()
        entry = (
            body,
            packed,
            etag,
            modified,
            _headers(etag, modified, content_type, extra, gzipped=False, varies=bool(packed)),
            _headers("W/" + etag, modified, content_type, extra, gzipped=True, varies=True)
            if packed
            else None,
        )
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return entry


def _caching_headers(etag, modified, varies) -> list[tuple[str, str]]:
    headers = [
        ("ETag", etag),
        ("Last-Modified", http_date(modified)),
        ("Cache-Control", f"public, max-age={settings.API_CACHE_MAX_AGE}"),
        # Open data: other sites' pages may fetch it (CORS headers: django-cors-headers).
        ("Cross-Origin-Resource-Policy", "cross-origin"),
    ]
    return headers + ([("Vary", "Accept-Encoding")] if varies else [])


def _headers(etag, modified, content_type, extra, *, gzipped, varies):
    headers = [("Content-Type", content_type), *extra.items()]
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    return headers + _caching_headers(etag, modified, varies)


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware decides


def respond(request, entry):
    """200 with validators and caching headers, or 304 when the client's copy is current."""
    body, packed, etag, modified, plain, zipped = entry
    gzipped = packed is not None and _ACCEPTS_GZIP.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    if gzipped:
        etag = "W/" + etag  # another byte sequence: weak, as GZipMiddleware does
    meta = request.META
    if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
        response = get_conditional_response(request, etag=etag, last_modified=int(modified))
        if response is not None:  # 304 (or 412): the validators, no body headers
            for name, value in _caching_headers(etag, modified, packed is not None):
                response[name] = value
            return response
    response = HttpResponse(packed if gzipped else body)
    for name, value in zipped if gzipped else plain:
        response[name] = value
    return response
