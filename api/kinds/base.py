"""What every content type in the API shares: the Kind record, language and link helpers.

A kind is one content type as the API and the export show it: a URL segment, the published
queryset, a serializer, how a URL finds one item, optional filters and an optional CSV.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname
from rest_framework import serializers

from guidance.content import LANGUAGES


@dataclass(frozen=True)
class Kind:
    name: str  # URL segment and export file name: /api/v1/<name>/, <name>.json
    serializer: type[serializers.Serializer]
    queryset: Callable[[], QuerySet]  # only what a visitor can see: starts from published()
    lookups: tuple[str, ...] = ("slug",)  # URL parameters, in order, that find one item
    find: Callable[[QuerySet, dict], QuerySet] | None = None  # filter by lookups (default: =)
    # Query parameter -> (description, regular expression a value must match).
    filters: dict[str, tuple[str, str]] = field(default_factory=dict)
    apply_filters: Callable[[QuerySet, dict], QuerySet] | None = None  # raises ValidationError
    csv_name: str = ""  # e.g. "glossary.csv" in the export
    csv_rows: Callable[[list[dict]], tuple[list[str], list[list]]] | None = None
    description: str = ""


def chosen_filters(params, filters: dict, understood: Callable[[object], dict]) -> dict | None:
    """A list's filters as its HTML page understands them (`understood(params)`).

    A value that does not match its pattern in `filters` is a 400 (ValidationError, naming
    each one); None when a well-formed value names nothing published (an empty list, as on
    the HTML page)."""
    given = {name: params[name] for name in filters if name in params}
    malformed = {
        name: f"{name} must match {filters[name][1]}."
        for name, value in given.items()
        if not re.fullmatch(filters[name][1], value)
    }
    if malformed:
        raise serializers.ValidationError(malformed)
    chosen = understood(params)
    return None if set(given) - set(chosen) else chosen


def language_of(context) -> str:
    return context.get("language", "en")


def base_url(context) -> str:
    return context["base_url"]


def absolute(context, path: str) -> str:
    return base_url(context) + path


def html_url(context, view: str, **kwargs) -> str:
    """The absolute address of an HTML page in the response's language."""
    with translation.override(language_of(context)):
        return absolute(context, reverse(view, kwargs=kwargs or None))


def api_url(context, kind: str, *values: str) -> str:
    """The absolute API address of one item (or a list), keeping a non-English language."""
    name = f"api:{kind}-detail" if values else f"api:{kind}-list"
    path = reverse(name, args=values)
    language = language_of(context)
    return absolute(context, path + (f"?lang={language}" if language != "en" else ""))


_LINK = re.compile(r'(href|src)="/(?!/)')


def absolute_html(context, html: str) -> str:
    """A stored fragment with its links absolute and pointing at the response's language."""
    language = language_of(context)
    html = html or ""
    if language != "en":
        html = html.replace('href="/en/', f'href="/{language}/')
    return _LINK.sub(lambda m: f'{m.group(1)}="{base_url(context)}/', html)


def fallback_fields(obj, names, language: str) -> list[str]:
    """The translated fields whose text is the English fallback in `language`."""
    if language == "en":
        return []
    return [
        name
        for name in names
        if not getattr(obj, build_localized_fieldname(name, language), "")
        and getattr(obj, build_localized_fieldname(name, "en"), "")
    ]


class ContentSerializer(serializers.Serializer):
    """Adds `fallback` (which fields are English because no translation exists yet)."""

    translated: tuple[str, ...] = ()

    language = serializers.SerializerMethodField(help_text="The language asked for.")
    fallback = serializers.SerializerMethodField(
        help_text="Fields whose text is the English original, shown because this language "
        "has no translation of them yet. Empty when everything is translated."
    )

    def get_language(self, obj) -> str:
        return language_of(self.context)

    def get_fallback(self, obj) -> list[str]:
        return fallback_fields(obj, self.translated, language_of(self.context))


class HtmlField(serializers.CharField):
    """Sanitised HTML with absolute links in the response's language."""

    def to_representation(self, value):
        return absolute_html(self.context, value)


def request_base_url(request) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/")[:-1]


SUPPORTED_LANGUAGES = LANGUAGES
