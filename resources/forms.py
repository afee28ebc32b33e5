"""The admin's resource form: the same rules as the content loader (vocabulary.py)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from guidance.content import valid_slug

from . import services
from .models import Resource
from .vocabulary import language_problem, url_key, url_problem

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class ResourceForm(forms.ModelForm):
    """Validates what the loader validates, so export → load always works."""

    url = forms.URLField(
        label=_("address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The full secure address, starting with https://."),
    )

    class Meta:
        model = Resource
        fields = (
            "title",
            "slug",
            "publisher",
            "year",
            "kind",
            "region",
            "languages",
            "url",
            "group",
            "topics",
            "annotation",
        )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and not valid_slug(slug):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and single hyphens only, for example oecd-dgi."),
                code="invalid_slug",
            )
        return slug

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(
                _("Write the year with four digits, for example 2021."), code="invalid_year"
            )
        return year

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if url_problem(url):
            raise forms.ValidationError(
                _("Give a full secure address that starts with https://, with no spaces."),
                code="invalid_url",
            )
        others = Resource.objects.exclude(pk=self.instance.pk)
        for other in others.only("slug", "url", "title"):
            if url_key(other.url) == url_key(url):
                raise forms.ValidationError(
                    _("The resource “%(title)s” already has this address."),
                    code="duplicate_url",
                    params={"title": other.title},
                )
        return url

    def clean_languages(self):
        codes = [c.strip().lower() for c in (self.cleaned_data.get("languages") or "").split(",")]
        codes = [c for c in dict.fromkeys(codes) if c]
        if not codes:
            raise forms.ValidationError(_("Give at least one language code, such as en."))
        bad = [c for c in codes if language_problem(c)]
        if bad:
            raise forms.ValidationError(
                _("Unknown language code: %(codes)s. Use two-letter codes such as en, es, fr."),
                code="invalid_language",
                params={"codes": ", ".join(bad)},
            )
        return ", ".join(codes)

    def clean(self):
        data = super().clean()
        annotations = {}
        for language in LANGUAGE_NAMES:
            name = build_localized_fieldname("annotation", language)
            value = (data.get(name) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if name in data:
                data[name] = value
            if value:
                annotations[language] = value
        if not annotations.get("en"):
            self.add_error(
                build_localized_fieldname("annotation", "en"),
                _("Write an English annotation: one or two sentences on what it is."),
            )
        for language, links in services.resource_broken_links(annotations).items():
            self.add_error(
                build_localized_fieldname("annotation", language),
                _("These links lead to no page of the guide: %(links)s")
                % {"links": ", ".join(links)},
            )
        return data
