"""What every page's shell needs: languages with switcher links, canonical and alternates."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from .origin import absolute_url as _absolute_url


def _absolute(request, path):
    return _absolute_url(path, request)


def site(request):
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    path = request.path
    alternates = []
    # A view whose address differs per language beyond the prefix (a signed link) sets these.
    language_paths = getattr(request, "language_paths", {})
    for code, name in settings.LANGUAGES:
        url = language_paths.get(code) or translate_url(path, code)
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute": _absolute(request, url),
                "current": code == current,
            }
        )
    english = next(a for a in alternates if a["code"] == "en")
    return {
        "site_name": settings.SITE_NAME,
        "current_language": current,
        "alternates": alternates,
        "x_default": english["absolute"],
        "canonical": _absolute(request, path),
    }
