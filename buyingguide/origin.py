"""The site's origin: the one place absolute URLs come from.

Canonical and hreflang links, every `<loc>` of sitemap.xml, the Atom feed's links and ids,
the checklist CSV's link column and robots.txt's `Sitemap:` line all call `absolute_url()`.
With `SITE_URL` set (required in production) no request can change them, whatever Host it
sends; in development, without it, the request's host is used in its normal form
(`normal_host`), which the page cache then keys on (buyingguide/middleware.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

DEFAULT_PORTS = {"http": "80", "https": "443"}


def normal_host(host: str, scheme: str = "http") -> str:
    """`LOCALHOST.:80` → `localhost`: lower case, no trailing dot, no default port."""
    host = host.strip().lower()
    if host.startswith("["):  # IPv6 literal: [::1]:8000
        name, _, rest = host.partition("]")
        name, port = name + "]", rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = host.rpartition(":") if ":" in host else (host, "", "")
    name = name.rstrip(".")
    if port == DEFAULT_PORTS.get(scheme):
        port = ""
    return f"{name}:{port}" if port else name


def configured_origin() -> str:
    """`https://buying.example.org`, or "" when SITE_URL is not set (development only)."""
    return settings.SITE_URL


def site_origin(request=None) -> str:
    """The origin absolute URLs start with: SITE_URL, else the request's own (development)."""
    origin = configured_origin()
    if origin or request is None:
        return origin
    try:
        host = request.get_host()
    except DisallowedHost:  # only the 400 page is rendered for it: relative links will do
        return ""
    return f"{request.scheme}://{normal_host(host, request.scheme)}"


def absolute_url(path: str, request=None) -> str:
    """`/en/guide/` → `https://buying.example.org/en/guide/`."""
    return f"{site_origin(request)}{path}"


def origin_parts() -> tuple[str, str] | None:
    """(scheme, host[:port]) of SITE_URL, for APIs that want them apart (sitemaps)."""
    origin = configured_origin()
    if not origin:
        return None
    parts = urlsplit(origin)
    return parts.scheme, parts.netloc
