"""Which pages end with the question, and the key a page's answers are stored under."""

from django.urls import Resolver404, resolve
from django.utils.translation import get_language, override

from .models import PAGE_MAX_LENGTH

# (namespace, url name); "*" takes every page of the namespace. Guide, proposals, case
# study, resource and self-assessment pages; not the home, search, print or answer steps.
ASKED = {
    ("guidance", "index"),
    ("guidance", "stage"),
    ("guidance", "topic"),
    ("guidance", "checklist"),
    ("guidance", "stage-checklist"),
    ("guidance", "glossary"),
    ("proposals", "*"),
    ("casestudies", "detail"),
    ("resources", "index"),
    ("assessments", "index"),
    ("assessments", "detail"),
}


def asked(match) -> bool:
    if match is None:
        return False
    return (match.namespace, match.url_name) in ASKED or (match.namespace, "*") in ASKED


def page_key(path: str, language: str) -> str | None:
    """`/es/guide/plan/` → `/guide/plan/`: the same key in every language."""
    prefix = f"/{language}/"
    if not path.startswith(prefix) or len(path) - len(prefix) + 1 > PAGE_MAX_LENGTH:
        return None
    return path[len(prefix) - 1 :]


def page_url(page: str, language: str | None = None) -> str | None:
    """The page's address in `language` (default: the active one), if it is an asked page."""
    language = language or get_language()
    if not page.startswith("/") or page.startswith("//"):
        return None
    path = f"/{language}{page}"
    try:
        # The language prefix only resolves while its language is active.
        with override(language):
            match = resolve(path)
    except Resolver404:
        return None
    return path if asked(match) else None
