"""The controlled values a resource may use, and the rules every resource must meet.

One home for these rules: the content loader, the admin form and the tests all call them.
"""

from urllib.parse import urlsplit

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

TYPES = {
    "guide": _("Guide"),
    "toolkit": _("Toolkit"),
    "standard": _("Standard"),
    "law": _("Law or policy"),
    "report": _("Report"),
    "dataset": _("Dataset"),
    "course": _("Course"),
}

REGIONS = {
    "global": _("Global"),
    "africa": _("Africa"),
    "asia-pacific": _("Asia and the Pacific"),
    "europe": _("Europe"),
    "latin-america": _("Latin America and the Caribbean"),
    "north-america": _("North America"),
}

# The lists a resource belongs to on the library page, in page order.
GROUPS = {
    "guides-and-toolkits": _("Guides and toolkits"),
    "canadian-sources": _("Canadian sources"),
    "foreign-sources": _("Sources from other countries"),
    "other-useful-sources": _("Other useful sources"),
    "guidelines-bibliography": _("Sources of the U4SSC procurement guidelines"),
}

MAX_URL_LENGTH = 500


def url_problem(url: str) -> str | None:
    """Why `url` is not a well-formed https address, or None when it is."""
    url = (url or "").strip()
    if not url:
        return "the address is missing"
    if len(url) > MAX_URL_LENGTH:
        return f"the address is longer than {MAX_URL_LENGTH} characters"
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        return "the address contains a space or a control character"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "the address is not well formed"
    if parts.scheme != "https":
        return "the address must start with https:// (a secure web address)"
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        return "the address needs a full host name, such as www.example.org"
    if parts.username or parts.password:
        return "the address must not contain a user name or password"
    return None


def url_key(url: str) -> str:
    """Two addresses that differ only in case of the host or a final slash are the same."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""  # ISO's viewer uses fragments
    return f"{(parts.hostname or '').lower()}{path}{query}{fragment}"


def language_problem(code: str) -> str | None:
    if code not in LANG_INFO or "name" not in LANG_INFO[code]:
        return f"unknown language code '{code}': use a two-letter code such as en, es, fr"
    return None


def language_name(code: str) -> str:
    from django.utils.translation import get_language_info

    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code
