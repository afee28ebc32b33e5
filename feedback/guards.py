"""What a feedback post must pass before anything is stored, and the wording of each refusal.

No cookie, so no CSRF token: the origin check, the signed page token (tokens.py), the
per-address throttle and the honeypot field protect the endpoint instead.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

from buyingguide.origin import normal_host, site_origin

HONEYPOT = "website"  # a field people never see (it is in a `hidden` block) and bots fill


@dataclass(frozen=True)
class Rejection:
    status: int
    title: str
    message: str
    retry_after: int | None = None


THROTTLED = _("You have sent a lot of answers in a short time. Please wait a minute and try again.")
FOREIGN = _(
    "Your answer came from another website, so we did not accept it. Please use the form at "
    "the end of the page on this site."
)
BOT = _("Your answer could not be accepted. Please use the form at the end of the page.")
EXPIRED = _(
    "The page you answered from was open for a long time, so the form has expired. Please "
    "reload the page and answer again."
)
INVALID = _(
    "The form was damaged or belongs to another page, so we did not accept it. Please reload "
    "the page and answer again."
)
NOT_ACCEPTED = _("Your answer was not accepted")


def client_address(group, request) -> str:
    """The visitor's address as the API's throttle finds it (behind DJANGO_PROXY_COUNT)."""
    return BaseThrottle().get_ident(request)


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{normal_host(parts.netloc, parts.scheme)}"


def same_origin(request) -> bool:
    """Origin (sent by browsers with every POST), else Referer, names this site."""
    expected = site_origin(request)
    sent = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER") or ""
    return bool(expected) and _origin_of(sent) == expected


def throttled(request) -> int | None:
    """Counts this post; the seconds to wait when the address is over FEEDBACK_RATE_LIMIT."""
    usage = get_usage(
        request,
        group="feedback",
        key=client_address,
        rate=settings.FEEDBACK_RATE_LIMIT,
        increment=True,
    )
    if usage and usage["should_limit"]:
        return max(1, usage["time_left"])
    return None


def post_rejection(request) -> Rejection | None:
    """The first check a post fails (throttle, origin, honeypot), or None."""
    wait = throttled(request)
    if wait is not None:
        return Rejection(429, _("Too many answers"), THROTTLED, retry_after=wait)
    if not same_origin(request):
        return Rejection(403, NOT_ACCEPTED, FOREIGN)
    if request.POST.get(HONEYPOT, ""):
        return Rejection(400, NOT_ACCEPTED, BOT)
    return None
