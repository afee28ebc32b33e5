"""Link health: find every external address visitors can follow, and check each one.

Read-only: it requests the addresses and reports; it never changes content. Used by
`python manage.py check_links`.
"""

import html
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.apps import apps
from modeltranslation.utils import build_localized_fieldname

HREF = re.compile(r'href="(https?://[^"]+)"')
LANGUAGES = ("en", "es", "id")
# model label → (translated HTML fields, how to name one object in the report)
HTML_FIELDS = {
    "guidance.Stage": (("body_html",), lambda o: f"stage {o.slug}"),
    "guidance.Topic": (("why_html", "what_html"), lambda o: f"topic {o.stage.slug}/{o.slug}"),
    "guidance.ChecklistItem": (("text_html",), lambda o: f"do/don't of {o.topic.key}"),
    "guidance.Page": (("body_html",), lambda o: f"page {o.slug}"),
    "guidance.GlossaryTerm": (("definition_html",), lambda o: f"glossary {o.slug}"),
    "casestudies.CaseStudy": (("body_html",), lambda o: f"case study {o.slug}"),
    "resources.Resource": (("annotation_html",), lambda o: f"resource {o.slug}"),
}
USER_AGENT = "DigitalBuyingGuide-check_links/1.0 (+link health check; read-only)"


def external_addresses() -> dict[str, list[str]]:
    """Every external address in the published content → where it appears (sorted)."""
    found: dict[str, set[str]] = {}
    for label, (names, describe) in HTML_FIELDS.items():
        model = apps.get_model(label)
        qs = model.objects.all()
        if label == "guidance.Topic":
            qs = qs.select_related("stage")
        if label == "guidance.ChecklistItem":
            qs = qs.select_related("topic__stage")
        for obj in qs:
            for name in names:
                for language in LANGUAGES:
                    text = getattr(obj, build_localized_fieldname(name, language), "") or ""
                    for href in HREF.findall(text):
                        found.setdefault(html.unescape(href), set()).add(describe(obj))
    from .models import Resource

    for resource in Resource.objects.all():
        found.setdefault(resource.url, set()).add(f"resource {resource.slug}")
    return {url: sorted(places) for url, places in sorted(found.items())}


@dataclass
class LinkResult:
    url: str
    status: int | None = None  # HTTP status; None when no answer came
    location: str = ""  # where a redirect points
    error: str = ""  # why there was no answer (time-out, refused, bad certificate …)
    places: list[str] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400

    @property
    def redirected(self) -> bool:
        return self.status is not None and 300 <= self.status < 400


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report the redirect instead of following it


_opener = urllib.request.build_opener(_NoRedirect)


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    if not url.startswith(("https://", "http://")):
        raise ValueError("only http and https addresses are checked")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, method=method, headers={"User-Agent": USER_AGENT}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
        return error.code, error.headers.get("Location", "") if error.headers else ""


def check_address(url: str, *, timeout: float = 10.0) -> LinkResult:
    """One address: HEAD first (cheap), GET when the server refuses HEAD."""
    result = LinkResult(url)
    try:
        status, location = _request(url, "HEAD", timeout)
        if status in (403, 405, 501):
            status, location = _request(url, "GET", timeout)
        result.status, result.location = status, location
    except TimeoutError:
        result.error = f"no answer within {timeout:g} s"
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            result.error = f"no answer within {timeout:g} s"
        else:
            result.error = str(reason)
    except (ValueError, OSError) as error:  # malformed address, connection reset …
        result.error = str(error) or error.__class__.__name__
    return result


def check_addresses(addresses: dict[str, list[str]], *, timeout=10.0, workers=8):
    """Check many addresses in parallel; results in the addresses' order."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda url: check_address(url, timeout=timeout), addresses))
    for result in results:
        result.places = addresses[result.url]
    return results
